"""The aspiration dashboard's figures (``project.charts``), over what the viewer sees (``visible_to``) only."""

import statistics

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from project.charts import Bar, Chart, counts
from project.reference import workdays

from .models import Aspiration, Category
from .services import late_aspirations

ANSWERED = (Aspiration.Status.ANSWERED, Aspiration.Status.CLOSED)


def _bars(queryset, key, labels, empty_label):
    found = counts(queryset, key)
    bars = [Bar(str(label), [found.get(value, 0)]) for value, label in labels]
    if found.get(None):
        bars.append(Bar(str(empty_label), [found[None]]))
    return bars


def answer_times(aspirations):
    """Per answered aspiration: ``(working days from receipt to answer, whether within its follow-up deadline)``."""
    rows = [(timezone.localdate(received_at), timezone.localdate(answered_at), follow_up_due)
            for received_at, answered_at, follow_up_due in aspirations.filter(answered_at__isnull=False).values_list(
                "received_at", "answered_at", "follow_up_due")]
    if not rows:
        return []
    added = workdays.added_days(min(row[0] for row in rows), max(row[1] for row in rows))  # one query for all
    found = []
    for received_on, answered_on, follow_up_due in rows:
        days = workdays.working_days_between(received_on, answered_on, added)
        found.append((days, follow_up_due is None or answered_on <= follow_up_due))
    return found


def _target_bars(visible):
    """Received and answered per unit it went to; then those that went to dapil members, and those not yet disposed."""
    tally = {"n": Count("pk"), "answered": Count("pk", filter=Q(status__in=ANSWERED))}
    units = (visible.filter(unit__isnull=False).values("unit__name").order_by().annotate(**tally)
             .order_by("-n", "unit__name"))
    bars = [Bar(row["unit__name"], [row["n"], row["answered"]]) for row in units]
    others = visible.filter(unit__isnull=True).aggregate(
        members=Count("pk", filter=Q(disposed_at__isnull=False)),
        members_answered=Count("pk", filter=Q(disposed_at__isnull=False, status__in=ANSWERED)),
        undisposed=Count("pk", filter=Q(disposed_at__isnull=True)),
    )
    if others["members"]:
        bars.append(Bar(_("Anggota dapil"), [others["members"], others["members_answered"]]))
    if others["undisposed"]:
        bars.append(Bar(_("Belum didisposisikan"), [others["undisposed"], 0]))
    return bars


def dashboard(user):
    visible = Aspiration.objects.visible_to(user)
    total = visible.count()
    open_ = visible.exclude(status__in=Aspiration.FINISHED)
    times = answer_times(visible)
    on_time = sum(1 for _days, in_time in times if in_time)
    figures = {
        "total": total,
        "open": open_.count(),
        "waiting": visible.filter(status=Aspiration.Status.RECEIVED).count(),
        "late": late_aspirations(open_).count(),
        "answered": len(times),
        "on_time": on_time,
        "on_time_share": round(100 * on_time / len(times)) if times else None,
        "median_days": statistics.median(days for days, _in_time in times) if times else None,
    }

    unit_bars = _target_bars(visible)
    kelurahan_bars = [
        Bar(row["kelurahan__name"] or _("Tanpa kelurahan"), [row["n"]])
        for row in visible.values("kelurahan__name").order_by().annotate(n=Count("pk")).order_by("-n", "kelurahan__name")[:20]
    ]
    charts = [
        Chart("channel", _("Aspirasi per saluran"), [_("Aspirasi")],
              _bars(visible, "channel", Aspiration.Channel.choices, _("Lainnya"))),
        Chart("category", _("Aspirasi per jenis"), [_("Aspirasi")], _bars(visible, "category", Category.choices, _("Lainnya"))),
        Chart("status", _("Aspirasi per status"), [_("Aspirasi")],
              _bars(visible, "status", Aspiration.Status.choices, _("Lainnya"))),
        Chart("unit", _("Aspirasi per unit tujuan"), [_("Diterima unit"), _("Dijawab")], unit_bars),
        Chart("kelurahan", _("Aspirasi per kelurahan"), [_("Aspirasi")], kelurahan_bars,
              note=_("Dua puluh kelurahan terbanyak.")),
    ]
    return {"figures": figures, "charts": charts}
