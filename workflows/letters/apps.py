from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "workflows.letters"
    label = "letters"
    verbose_name = _("Surat masuk")

    def ready(self):
        from documents import owners

        from . import audit_labels  # noqa: F401  (registers the trail's action names)
        from .models import Letter
        from .services import archive_items

        owners.register(Letter, visible_to=Letter.objects.visible_to, archive_items=archive_items)
