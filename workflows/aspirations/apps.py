from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AspirationsConfig(AppConfig):
    name = "workflows.aspirations"
    label = "aspirations"
    verbose_name = _("Aspirasi masyarakat")

    def ready(self):
        from django.conf import settings

        from documents import owners
        from project.org import roles
        from workflows import registry

        from . import actions, search_items, services, tasks
        from .attachments import ASPIRATION_ATTACHMENT
        from .audit_labels import TRAIL_LABELS
        from .flows import AspirationFlow
        from .models import Aspiration

        def sees_any(user):
            return user.is_authenticated and Aspiration.objects.visible_to(user).exists()

        registry.register(registry.Process.of_app(
            self,
            subject_model=Aspiration,
            flows=(AspirationFlow,),
            url_prefix="aspirasi/",
            api_prefix="aspirations/",
            api_enum_names={
                "AspirationStatusEnum": "workflows.aspirations.models.Aspiration.Status",
                "AspirationChannelEnum": "workflows.aspirations.models.Aspiration.Channel",
                "AspirationCategoryEnum": "workflows.aspirations.models.Category",
                "AspirationPrivacyEnum": "workflows.aspirations.models.Aspiration.Privacy",
            },
            menu=(
                registry.MenuEntry(_("Aspirasi"), "aspirations:list", sees_any),
                registry.MenuEntry(_("Dasbor aspirasi"), "aspirations:dashboard", sees_any),
            ),
            counters=services.dashboard_counters,
            attention=services.late_attention,
            notification_kinds={
                services.NEW_NOTICE: _("Aspirasi baru atau didisposisikan"),
                services.LATE_NOTICE: _("Aspirasi lewat batas waktu"),
                services.STATUS_NOTICE: _("Tanggapan pengirim aspirasi"),
            },
            trail_labels=TRAIL_LABELS,
            unit_permissions={"org.follow_up_aspirations": _("Menindaklanjuti aspirasi yang didisposisikan ke unit")},
            role_permissions={
                roles.REGISTRAR: ["aspirations.handle_aspiration", "aspirations.view_all_aspirations",
                                  "aspirations.view_aspiration_personal_data", "aspirations.export_aspirations"],
                roles.AUDITOR: ["aspirations.view_all_aspirations"],
            },
            upload_policies=(ASPIRATION_ATTACHMENT,),
            task_actions=actions.task_actions(AspirationFlow),
            periodic_tasks=(
                ("aspiration-mailboxes", "workflows.aspirations.tasks.check_mailboxes", settings.SIAP_MAIL_CHECK_SECONDS),
                ("aspiration-stalled-messages", "workflows.aspirations.tasks.requeue_stalled_messages",
                 tasks.REQUEUE_INTERVAL_SECONDS),
            ),
            demo="fixtures.aspirations.build",
            deadline_of=services.task_deadline,
            deadline_expression=services.task_deadline_expression,
            nature_field="privacy",  # task_nature: a confidential aspiration is rahasia
        ))
        # a document of an aspiration is seen by whoever may read its content (rahasia: its handlers only)
        owners.register(Aspiration, visible_to=Aspiration.objects.content_visible_to)
        search_items.register()
