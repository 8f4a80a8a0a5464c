from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "workflows.letters"
    label = "letters"
    verbose_name = _("Surat masuk")

    def ready(self):
        from documents import owners
        from documents.signals import text_layer_ready
        from project.org import roles
        from workflows import registry

        from . import actions, search_items, services
        from .audit_labels import TRAIL_LABELS
        from .flows import ExtensionFlow, LetterFlow
        from .forms import LETTER_ATTACHMENT, LETTER_SCAN
        from .models import Letter

        registry.register(registry.Process.of_app(
            self,
            task_actions=actions.task_actions(LetterFlow, ExtensionFlow),
            subject_model=Letter,
            flows=(LetterFlow, ExtensionFlow),
            url_prefix="surat/",
            api_prefix="letters/",
            menu=(
                registry.MenuEntry(_("Surat masuk"), "letters:list"),
                registry.MenuEntry(_("Daftarkan surat"), "letters:register", lambda user: user.has_perm("letters.add_letter")),
            ),
            counters=services.dashboard_counters,
            attention=services.overdue_attention,
            notification_kinds={
                services.DISPOSITION_NOTICE: _("Disposisi baru"),
                services.OVERDUE_NOTICE: _("Lewat batas waktu"),
                services.EXTENSION_NOTICE: _("Keputusan perpanjangan batas waktu"),
            },
            trail_labels=TRAIL_LABELS,
            demo="fixtures.letters.build",
            unit_permissions={
                "org.view_unit_letters": _("Melihat surat yang didisposisikan ke unit"),
                "org.follow_up_letters": _("Menindaklanjuti disposisi untuk unit"),
            },
            role_permissions={
                roles.REGISTRAR: ["letters.add_letter", "letters.view_letter", "letters.view_all_letters"],
                roles.AUDITOR: ["letters.view_letter", "letters.view_all_letters"],
                roles.ARCHIVIST: ["letters.view_letter", "letters.view_all_letters"],
            },
            upload_policies=(LETTER_SCAN, LETTER_ATTACHMENT),
            deadline_of=services.task_deadline,
            deadline_expression=services.task_deadline_expression,
        ))
        owners.register(Letter, visible_to=Letter.objects.visible_to, archive_items=services.archive_items)
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
