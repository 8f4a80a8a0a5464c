"""What search finds of a pokir, and who may find it.

The principals repeat ``PokirQuerySet.visible_to`` in index form:
``perm:pokir.view_all_pokir`` (verifiers, auditors), the chair's
``position:`` (held or acted for: delegations need no reindexing), the
Pimpinan's ``unit:``, and ``user:`` for the member, each of the member's
staff and the leader of the member's fraksi. Changes of staff or of a
fraksi's leader re-index the member's pokir (``apps.py``).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from project.org import services as org
from project.org.models import Position, Unit
from search import registry
from search.port import SearchItem

from .models import Pokir
from .services import KIND, schedule_index


def principals(pokir):
    found = ["perm:pokir.view_all_pokir"]
    chair = Position.objects.filter(unit__code=org.CHAIR_UNIT_CODE, role=Position.Role.HEAD).first()
    if chair is not None:
        found.append(f"position:{chair.pk}")
    pimpinan = Unit.objects.filter(code=org.CHAIR_UNIT_CODE).first()
    if pimpinan is not None:
        found.append(f"unit:{pimpinan.pk}")
    member = pokir.member
    found.append(f"user:{member.user_id}")
    found += [f"user:{pk}" for pk in member.staff.values_list("pk", flat=True)]
    if member.fraksi.leader_id:
        found.append(f"user:{member.fraksi.leader_id}")
    return sorted(set(found))


def build(pk):
    pokir = (
        Pokir.objects.filter(pk=pk)
        .select_related("member__user", "member__dapil", "member__fraksi", "kelurahan__kecamatan", "kamus", "opd")
        .first()
    )
    if pokir is None:
        return None
    kecamatan = pokir.kelurahan.kecamatan.name if pokir.kelurahan_id else ""
    texts = [pokir.title, pokir.problem, pokir.address, pokir.boundaries, pokir.kelurahan.name if pokir.kelurahan_id else "",
             kecamatan, pokir.kamus.name if pokir.kamus_id else "", pokir.kamus.urusan if pokir.kamus_id else "",
             pokir.opd.name if pokir.opd_id else "", str(pokir.member), pokir.number]
    facets = {"dapil": [pokir.member.dapil.name], "status": [pokir.status], "year": [str(pokir.year_id)]}
    if kecamatan:
        facets["kecamatan"] = [kecamatan]
    if pokir.opd_id:
        facets["opd"] = [pokir.opd.name]
    return SearchItem(
        id=f"{KIND}:{pokir.pk}",
        kind=KIND,
        title=f"{pokir.number} — {pokir.title}",
        body="\n".join(text for text in texts if text),
        url=pokir.get_absolute_url(),
        date=timezone.localdate(pokir.submitted_at or pokir.created_at),
        principals=principals(pokir),
        facets=facets,
    )


def all_ids():
    return Pokir.objects.order_by("pk").values_list("pk", flat=True).iterator()


def schedule_member(member_id):
    """Re-index a member's pokir (their staff or their fraksi's leader changed)."""
    schedule_index(Pokir.objects.filter(member_id=member_id).only("pk"))


def register():
    labels = {"kind": {KIND: _("Pokir")}, "status": dict(Pokir.Status.choices)}
    facets = {"dapil": _("Dapil"), "kecamatan": _("Kecamatan"), "opd": _("OPD"), "status": _("Status"), "year": _("Tahun")}
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
