from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "workflows.letters"
    label = "letters"
    verbose_name = _("Surat masuk")

    def ready(self):
        from documents import owners

        from documents.signals import text_layer_ready

        from . import audit_labels  # noqa: F401  (registers the trail's action names)
        from . import search_items
        from .models import Letter
        from .services import archive_items

        owners.register(Letter, visible_to=Letter.objects.visible_to, archive_items=archive_items)
        search_items.register()
        text_layer_ready.connect(_reindex_owner_letter, dispatch_uid="letters_reindex_on_text")


def _reindex_owner_letter(sender, version, **kwargs):
    """A letter's document got its text: the letter's search item must carry it."""
    from .models import Letter
    from .search_items import schedule

    document = version.document
    if document.owner_type.model_class() is Letter:
        letter = Letter.objects.filter(pk=document.owner_id).first()
        if letter is not None:
            schedule(letter)
