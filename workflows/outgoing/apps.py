from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutgoingConfig(AppConfig):
    name = "workflows.outgoing"
    label = "outgoing"
    verbose_name = _("Naskah dinas keluar")

    def ready(self):
        from django.conf import settings

        from documents import owners
        from project.org import roles
        from workflows import registry

        from . import actions, numbering, search_items, services, tasks
        from .audit_labels import TRAIL_LABELS
        from .flows import OutgoingLetterFlow
        from .forms import OUTGOING_ATTACHMENT
        from .models import OutgoingLetter

        numbering.check_pattern(settings.SIAP_OUTGOING_NUMBER_PATTERN)

        def sees_any(user):
            return user.is_authenticated and (
                services.drafting_units(user).exists() or OutgoingLetter.objects.visible_to(user).exists()
            )

        registry.register(registry.Process.of_app(
            self,
            subject_model=OutgoingLetter,
            flows=(OutgoingLetterFlow,),
            url_prefix="keluar/",
            api_prefix="outgoing/",
            api_enum_names={
                "OutgoingStatusEnum": "workflows.outgoing.models.OutgoingLetter.Status",
                "OutgoingKindEnum": "workflows.outgoing.kinds.Kind",
                "OutgoingDispatchMethodEnum": "workflows.outgoing.models.Dispatch.Method",
                "OutgoingDispatchStatusEnum": "workflows.outgoing.models.Dispatch.Status",
                "OutgoingParafAspectEnum": "workflows.outgoing.models.Aspect",
                "OutgoingReviewDecisionEnum": "workflows.outgoing.models.Review.Decision",
            },
            menu=(
                registry.MenuEntry(_("Naskah dinas keluar"), "outgoing:list", sees_any),
                registry.MenuEntry(_("Buku agenda surat keluar"), "outgoing:register", sees_any),
            ),
            counters=services.dashboard_counters,
            notification_kinds={
                services.RETURNED_NOTICE: _("Draf naskah dikembalikan"),
                services.SIGNED_NOTICE: _("Naskah ditandatangani"),
                services.MEMO_NOTICE: _("Nota dinas masuk"),
                tasks.EMAIL_FAILED_NOTICE: _("E-mail naskah gagal terkirim"),
            },
            trail_labels=TRAIL_LABELS,
            unit_permissions={
                services.DRAFT_PERMISSION: _("Menyusun dan mengirim naskah dinas unit"),
                "org.receive_memos": _("Menerima nota dinas untuk unit"),
            },
            role_permissions={
                roles.REGISTRAR: ["outgoing.view_all_outgoing"],
                roles.AUDITOR: ["outgoing.view_all_outgoing"],
                roles.ARCHIVIST: ["outgoing.view_all_outgoing"],
            },
            upload_policies=(OUTGOING_ATTACHMENT,),
            task_actions=actions.task_actions(OutgoingLetterFlow),
            periodic_tasks=(
                ("outgoing-retry-emails", "workflows.outgoing.tasks.retry_failed_emails", tasks.RETRY_INTERVAL_SECONDS),
            ),
            demo="fixtures.outgoing.build",
            related=services.replies_to,
        ))
        owners.register(OutgoingLetter, visible_to=OutgoingLetter.objects.visible_to)
        search_items.register()
