from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
from django.utils.translation import gettext_lazy as _


class ResesConfig(AppConfig):
    name = "workflows.reses"
    label = "reses"
    verbose_name = _("Reses")

    def ready(self):
        from documents import owners
        from project.org import roles
        from project.org.models import CouncilMember, Fraksi
        from workflows import registry

        from . import actions, search_items, services
        from .audit_labels import TRAIL_LABELS
        from .flows import ResesFlow
        from .models import MANAGE_PERIODS, VIEW_ALL, VIEW_PERSONAL_DATA, AttendanceSheet, Reses, ResesItem
        from .photos import RESES_ATTENDANCE, RESES_PHOTO

        registry.register(registry.Process.of_app(
            self,
            subject_model=Reses,
            flows=(ResesFlow,),
            url_prefix="reses/",
            api_prefix="reses/",
            api_enum_names={
                "ResesStatusEnum": "workflows.reses.models.Reses.Status",
                "ResesItemStatusEnum": "workflows.reses.models.ResesItem.Status",
            },
            menu=(
                registry.MenuEntry(_("Reses"), "reses:list"),
                registry.MenuEntry(_("Masa reses"), "reses:periods", lambda user: user.has_perm(MANAGE_PERIODS)),
            ),
            counters=services.dashboard_counters,
            notification_kinds={
                services.REPORT_NOTICE: _("Laporan reses diserahkan"),
                services.ACKNOWLEDGED_NOTICE: _("Laporan reses diterima"),
            },
            trail_labels=TRAIL_LABELS,
            role_permissions={
                roles.VERIFIER: [VIEW_ALL, VIEW_PERSONAL_DATA, MANAGE_PERIODS],
                roles.REGISTRAR: [MANAGE_PERIODS],
                roles.AUDITOR: [VIEW_ALL],
            },
            upload_policies=(RESES_PHOTO, RESES_ATTENDANCE),
            task_actions=actions.task_actions(ResesFlow),
            demo="fixtures.reses.build",
            deadline_of=services.task_deadline,
            deadline_expression=services.task_deadline_expression,
        ))
        owners.register(Reses, visible_to=Reses.objects.visible_to)
        owners.register(ResesItem, visible_to=ResesItem.objects.visible_to)
        owners.register(AttendanceSheet, visible_to=lambda user: AttendanceSheet.objects.filter(
            reses__in=Reses.objects.personal_data_visible_to(user).values("pk")))
        search_items.register()
        # who may find a member's requests follows the member's staff and fraksi leader
        m2m_changed.connect(_staff_changed, sender=CouncilMember.staff.through, dispatch_uid="reses_reindex_staff")
        post_save.connect(_member_saved, sender=CouncilMember, dispatch_uid="reses_reindex_member")
        post_save.connect(_fraksi_saved, sender=Fraksi, dispatch_uid="reses_reindex_fraksi")


def _staff_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from project.org.models import CouncilMember

    from .search_items import schedule_members

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # the user's side changed: the members they assist (or assisted)
        members = CouncilMember.objects.filter(pk__in=pk_set) if pk_set else CouncilMember.objects.all()
    else:
        members = [instance]
    schedule_members(members)


def _member_saved(sender, instance, created, raw=False, **kwargs):
    from .search_items import schedule_members

    if not raw and not created:
        schedule_members([instance])


def _fraksi_saved(sender, instance, created, raw=False, **kwargs):
    from .search_items import schedule_members

    if not raw and not created:
        schedule_members(instance.members.all())
