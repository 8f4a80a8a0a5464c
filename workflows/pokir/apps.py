from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class PokirConfig(AppConfig):
    name = "workflows.pokir"
    label = "pokir"
    verbose_name = _("Pokir")

    def ready(self):
        from documents import owners
        from project.org import roles
        from project.org.models import CouncilMember, Fraksi
        from workflows import registry

        from . import actions, search_items, services
        from .audit_labels import TRAIL_LABELS
        from .flows import PokirFlow
        from .forms import POKIR_PHOTO
        from .models import Pokir
        from .tasks import REMINDER_INTERVAL_SECONDS

        registry.register(registry.Process.of_app(
            self,
            subject_model=Pokir,
            flows=(PokirFlow,),
            url_prefix="pokir/",
            api_prefix="pokir/",
            api_enum_names={
                "PokirStatusEnum": "workflows.pokir.models.Pokir.Status",
                "PokirDecisionEnum": "workflows.pokir.models.PokirReview.Decision",
                "PokirRealisationEnum": "workflows.pokir.models.Pokir.Realisation",
                "PokirCheckCodeEnum": "workflows.pokir.checklist.CODE_CHOICES",
                "KamusKindEnum": "project.reference.models.KamusUsulan.Kind",
            },
            menu=(
                registry.MenuEntry(_("Pokir"), "pokir:list", services.uses_pokir),
                registry.MenuEntry(_("Dasbor pokir"), "pokir:dashboard", services.uses_pokir),
                registry.MenuEntry(_("Kalender pokir"), "pokir:years", lambda user: user.has_perm("pokir.manage_pokir_years")),
                registry.MenuEntry(_("Ekspor SIPD"), "pokir:export", lambda user: user.has_perm("pokir.export_pokir")),
            ),
            counters=services.dashboard_counters,
            notification_kinds={
                services.DEADLINE_NOTICE: _("Batas pengajuan pokir"),
                services.STATUS_NOTICE: _("Status pokir"),
            },
            trail_labels=TRAIL_LABELS,
            role_permissions={
                roles.VERIFIER: ["pokir.view_all_pokir", "pokir.verify_pokir", "pokir.manage_pokir_years", "pokir.export_pokir"],
                roles.AUDITOR: ["pokir.view_all_pokir"],
            },
            upload_policies=(POKIR_PHOTO,),
            task_actions=actions.task_actions(PokirFlow),
            periodic_tasks=(("pokir-deadline-reminders", "workflows.pokir.tasks.remind_pokir_drafts", REMINDER_INTERVAL_SECONDS),),
            demo="fixtures.pokir.build",
        ))
        owners.register(Pokir, visible_to=Pokir.objects.visible_to)
        search_items.register()
        m2m_changed.connect(_staff_changed, sender=CouncilMember.staff.through, dispatch_uid="pokir_staff_changed")
        post_save.connect(_fraksi_saved, sender=Fraksi, dispatch_uid="pokir_fraksi_saved")
        post_save.connect(_member_saved, sender=CouncilMember, dispatch_uid="pokir_member_saved")


def _staff_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Who may find a member's pokir follows the member's staff."""
    from project.org.models import CouncilMember

    from .search_items import schedule_member

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a user's assisted members changed
        members = CouncilMember.objects.filter(pk__in=pk_set or []) if action != "post_clear" else CouncilMember.objects.all()
        for member_id in members.values_list("pk", flat=True):
            schedule_member(member_id)
    else:
        schedule_member(instance.pk)


def _fraksi_saved(sender, instance, raw=False, **kwargs):
    """A fraksi's leader sees its members' pokir: a new leader re-indexes them."""
    from .models import Pokir
    from .services import schedule_index

    if not raw:
        schedule_index(Pokir.objects.filter(member__fraksi=instance).only("pk"))


def _member_saved(sender, instance, raw=False, created=False, **kwargs):
    from .search_items import schedule_member

    if not raw and not created:
        schedule_member(instance.pk)
