"""The pokir dashboard's figures, drawn as server-side SVG bars (``project.charts``; no chart library, no CDN).

Every figure counts only what the viewer may see: pokir through
``Pokir.objects.visible_to``, reses items of the members whose pokir the
viewer sees (``members_visible_to``, the same rule).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from project.charts import Bar, Chart
from project.charts import counts as _counts
from project.reference.models import Kecamatan
from workflows.reses.models import ResesItem

from .models import Pokir, PokirReview, members_visible_to


def dashboard(user, year=None):
    pokirs = Pokir.objects.visible_to(user)
    if year is not None:
        pokirs = pokirs.filter(year_id=year)
    members = members_visible_to(user)
    items = ResesItem.objects.filter(status=ResesItem.Status.RECORDED)
    if members is not None:
        items = items.filter(reses__member__in=members.values("pk"))

    item_counts = _counts(items, "kelurahan__kecamatan")
    pokir_counts = _counts(pokirs, "kelurahan__kecamatan")
    kecamatan_bars = [
        Bar(kecamatan.name, [item_counts.get(kecamatan.pk, 0), pokir_counts.get(kecamatan.pk, 0)])
        for kecamatan in Kecamatan.objects.order_by("name")
    ]
    unplaced = [item_counts.get(None, 0), pokir_counts.get(None, 0)]
    if any(unplaced):
        kecamatan_bars.append(Bar(_("Tanpa kelurahan"), unplaced))

    opd_bars = [
        Bar(row["opd__name"] or _("Tanpa OPD"), [row["n"]])
        for row in pokirs.values("opd__name").order_by().annotate(n=Count("pk")).order_by("-n", "opd__name")
    ]
    kinds = dict(Pokir._meta.get_field("kind").choices)
    kind_counts = _counts(pokirs, "kind")
    kind_bars = [Bar(str(kinds.get(kind, _("Belum diisi"))), [n]) for kind, n in sorted(kind_counts.items(), key=lambda kv: -kv[1])]
    status_counts = _counts(pokirs, "status")
    status_bars = [Bar(str(label), [status_counts.get(value, 0)]) for value, label in Pokir.Status.choices]

    decisions = dict(PokirReview.Decision.choices)
    review_counts = _counts(PokirReview.objects.filter(pokir__in=pokirs.values("pk")), "decision")
    review_bars = [
        Bar(str(decisions[value]), [review_counts.get(value, 0)])
        for value in (PokirReview.Decision.VERIFIED, PokirReview.Decision.RETURNED, PokirReview.Decision.REJECTED)
    ]

    realisation_bars = []
    per_year = (
        Pokir.objects.visible_to(user).filter(status=Pokir.Status.EXPORTED).values("year_id").order_by("year_id")
        .annotate(total=Count("pk"), realised=Count("pk", filter=~Q(realisation="")),
                  accommodated=Count("pk", filter=Q(realisation=Pokir.Realisation.ACCOMMODATED)))
    )
    for row in per_year:
        rate = round(100 * row["accommodated"] / row["total"]) if row["total"] else 0
        realisation_bars.append(Bar(
            _("TA %(year)s") % {"year": row["year_id"]}, [rate],
            text=_("%(rate)d%% (%(accommodated)d dari %(total)d; %(realised)d sudah dicatat)") % {
                "rate": rate, "accommodated": row["accommodated"], "total": row["total"], "realised": row["realised"],
            },
        ))

    return [
        Chart("kecamatan", _("Usulan reses dan pokir per kecamatan"), [_("Usulan reses"), _("Pokir")], kecamatan_bars,
              note=_("Usulan reses yang tercatat, semua masa reses.")),
        Chart("opd", _("Pokir per OPD tujuan"), [_("Pokir")], opd_bars),
        Chart("kind", _("Pokir per jenis"), [_("Pokir")], kind_bars),
        Chart("status", _("Pokir per status"), [_("Pokir")], status_bars),
        Chart("reviews", _("Hasil verifikasi"), [_("Keputusan")], review_bars,
              note=_("Setiap keputusan dihitung, termasuk pengembalian yang kemudian diperbaiki.")),
        Chart("realisation", _("Tingkat realisasi per tahun"), [_("Terakomodir dalam RKPD (%)")], realisation_bars,
              note=_("Pokir yang diekspor untuk SIPD dan terakomodir dalam RKPD."), scale=100),
    ]
