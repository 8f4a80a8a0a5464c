"""What search finds of reses: each recorded request (usulan), on its reses's page.

The principals repeat ``ResesQuerySet.visible_to`` in index form: ``user:``
of the member and of each of the member's staff, ``perm:reses.view_all_reses``
(verifiers, auditors), the chair's ``position:`` (held or acted for:
delegations need no reindexing), the Pimpinan's ``unit:``, and ``user:`` of
the leader of the member's fraksi. Residents' names and telephone numbers
are never indexed; drafts are not searchable until they are recorded.
"""

from django.utils.translation import gettext_lazy as _

from project.org import services as org
from project.org.models import Position, Unit
from search import indexing, registry
from search.port import SearchItem

from .models import VIEW_ALL, Reses, ResesItem

KIND = "reses"


def schedule_items(items):
    """(Re)index these items (a queryset or a list) after the current transaction commits."""
    pks = items.values_list("pk", flat=True) if hasattr(items, "values_list") else [item.pk for item in items]
    indexing.schedule_items(KIND, list(pks))


def schedule_reses(reses):
    schedule_items(ResesItem.objects.filter(reses=reses))


def schedule_members(members):
    schedule_items(ResesItem.objects.filter(reses__member__in=members))


def principals_of_reses(reses):
    member = reses.member
    principals = {f"user:{member.user_id}", f"perm:{VIEW_ALL}"}
    principals |= {f"user:{pk}" for pk in member.staff.values_list("pk", flat=True)}
    chair = Position.objects.filter(unit__code=org.CHAIR_UNIT_CODE, role=Position.Role.HEAD).values_list("pk", flat=True).first()
    if chair:
        principals.add(f"position:{chair}")
    pimpinan = Unit.objects.filter(code=org.CHAIR_UNIT_CODE).values_list("pk", flat=True).first()
    if pimpinan:
        principals.add(f"unit:{pimpinan}")
    if member.fraksi.leader_id:
        principals.add(f"user:{member.fraksi.leader_id}")
    return sorted(principals)


def build(pk):
    item = (
        ResesItem.objects.filter(pk=pk, status=ResesItem.Status.RECORDED)
        .select_related("reses__period", "reses__member__user", "reses__member__fraksi", "reses__member__dapil",
                        "kelurahan__kecamatan", "kamus", "opd")
        .first()
    )
    if item is None:
        return None
    reses = item.reses
    # what the request is and where: never the resident's name or telephone number
    texts = [
        item.problem, item.request, item.location_text, item.boundaries, item.proposer_group,
        item.kamus.name if item.kamus_id else "", item.urusan, item.opd.name if item.opd_id else "",
        f"{item.volume or ''} {item.unit}".strip(), str(reses.member), str(reses.period), reses.venue,
    ]
    facets = {
        "dapil": [reses.member.dapil.name],
        "year": [str(reses.period.year)],
        "status": [reses.status],
    }
    if item.kelurahan_id:
        facets["kecamatan"] = [item.kelurahan.kecamatan.name]
    if item.opd_id:
        facets["opd"] = [item.opd.name]
    return SearchItem(
        id=f"{KIND}:{item.pk}",
        kind=KIND,
        title=f"{item.request[:150]} — {reses.member}",
        body="\n".join(text for text in texts if text),
        url=item.get_anchor_url(),
        date=reses.starts_on,
        principals=principals_of_reses(reses),
        facets=facets,
    )


def all_ids():
    return ResesItem.objects.filter(status=ResesItem.Status.RECORDED).order_by("pk").values_list("pk", flat=True).iterator()


def register():
    labels = {"kind": {KIND: _("Usulan reses")}, "status": dict(Reses.Status.choices)}
    facets = {"dapil": _("Dapil"), "kecamatan": _("Kecamatan"), "opd": _("OPD"), "status": _("Status"), "year": _("Tahun")}
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
