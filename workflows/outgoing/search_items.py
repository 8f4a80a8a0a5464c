"""What search finds of an outgoing letter, and who may find it.

Only signed letters are searchable (a draft is work in progress, found
through its unit's list). The principals repeat
``OutgoingLetterQuerySet.visible_to`` in index form: the drafting ``unit:``,
the ``position:`` of the verifier, the paraf officials and the signer (held
or acted for: computed on the user's side at query time), the ``user:`` of
everyone who acted on it, the ``unit:`` of each unit a nota dinas was
delivered to, and ``perm:outgoing.view_all_outgoing`` unless it is rahasia.
"""

from django.utils.translation import gettext_lazy as _

from search import indexing, registry
from search.port import SearchItem

from .kinds import Kind
from .models import Dispatch, OutgoingLetter

KIND = "outgoing"


def schedule(letter):
    """Record, in the current transaction, that the letter must be (re)indexed."""
    indexing.schedule_items(KIND, [letter.pk])


def principals(letter):
    positions = {letter.verifier_position_id, letter.signer_position_id}
    positions |= {step.position_id for step in letter.paraf_steps.all()}
    users = {letter.signed_by_id} | {step.initialled_by_id for step in letter.paraf_steps.all()}
    users |= {review.by_id for review in letter.reviews.all()}
    units = {letter.drafting_unit_id}
    units |= {row.unit_id for row in letter.dispatches.all() if row.method == Dispatch.Method.INTERNAL}
    found = [f"unit:{pk}" for pk in units] + [f"position:{pk}" for pk in positions if pk]
    found += [f"user:{pk}" for pk in users if pk]
    if not letter.is_rahasia:
        found.append("perm:outgoing.view_all_outgoing")
    return sorted(set(found))


def build(pk):
    letter = (
        OutgoingLetter.objects.filter(pk=pk, status__in=OutgoingLetter.SIGNED_STATES)
        .select_related("classification", "drafting_unit", "signed_by")
        .prefetch_related("paraf_steps", "reviews", "dispatches")
        .first()
    )
    if letter is None:
        return None
    signer = letter.signed_by.get_full_name() or letter.signed_by.username
    texts = [letter.number, letter.subject, letter.body, *letter.addressee_list(), *letter.copy_list(), letter.event_agenda]
    return SearchItem(
        id=f"{KIND}:{letter.pk}",
        kind=KIND,
        title=f"{letter.number} — {letter.subject}",
        body="\n".join(text for text in texts if text),
        url=letter.get_absolute_url(),
        date=letter.letter_date,
        principals=principals(letter),
        facets={
            "outgoing_kind": [letter.kind],
            "unit": [letter.drafting_unit.name],
            "classification": [letter.classification.code],
            "year": [str(letter.number_year)],
            "signer": [signer],
        },
    )


def all_ids():
    return OutgoingLetter.objects.signed().order_by("pk").values_list("pk", flat=True).iterator()


def register():
    labels = {"kind": {KIND: _("Naskah dinas keluar")}, "outgoing_kind": dict(Kind.choices)}
    facets = {
        "outgoing_kind": _("Jenis naskah"), "unit": _("Unit"), "classification": _("Klasifikasi"), "year": _("Tahun"),
        "signer": _("Penanda tangan"),
    }
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
