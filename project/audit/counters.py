"""The auditors' dashboard counters: what left SIAP lately, and who opened rahasia letters."""

from django.utils.translation import gettext as _

from project.dashboard import Counter

from . import selection


def auditor_counters(user):
    if not user.has_perm("audit.view_auditevent"):
        return []
    days = selection.RECENT_DAYS
    return [
        Counter(title, selection.events(user, group, days).count(), "audit:events", {"kelompok": group, "sejak": days})
        for group, title in (
            ("ekspor", _("Ekspor %(days)d hari terakhir") % {"days": days}),
            ("rahasia", _("Akses naskah rahasia %(days)d hari terakhir") % {"days": days}),
        )
    ]
