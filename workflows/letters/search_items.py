"""What search finds of a letter, and who may find it.

The principals repeat ``LetterQuerySet.visible_to`` in index form:
``perm:letters.view_all_letters`` (registrar, auditor, archivist), the
chair's ``position:`` (held or acted for: delegations need no reindexing,
since the user's side is computed at query time), ``unit:`` of each
recipient unit, and the Pimpinan's ``unit:`` unless the letter is rahasia.
"""

from django.utils.translation import gettext_lazy as _

from project.org import services as org
from project.org.models import Unit
from search import indexing, registry
from search.port import SearchItem

from .models import Letter, Nature

KIND = "letter"


def schedule(letter):
    """Record, in the current transaction, that the letter must be (re)indexed."""
    indexing.schedule_items(KIND, [letter.pk])


def build(pk):
    letter = (
        Letter.objects.filter(pk=pk)
        .select_related("classification")
        .prefetch_related("dispositions__branches__unit")
        .first()
    )
    if letter is None:
        return None
    branches = [branch for disposition in letter.dispositions.all() for branch in disposition.branches.all()]
    units = sorted({branch.unit for branch in branches}, key=lambda unit: unit.name)
    principals = ["perm:letters.view_all_letters", f"position:{org.chair_position().pk}"]
    principals += [f"unit:{unit.pk}" for unit in units]
    if letter.nature != Nature.RAHASIA:
        principals.append(f"unit:{Unit.objects.get(code=org.CHAIR_UNIT_CODE).pk}")
    texts = [letter.sender, letter.sender_number, letter.subject]
    for document in letter.documents():
        version = document.current
        if version is not None:
            texts.append(version.text())
    texts += [disposition.note for disposition in letter.dispositions.all()]
    texts += [branch.report for branch in branches]
    return SearchItem(
        id=f"{KIND}:{letter.pk}",
        kind=KIND,
        title=f"{letter.agenda_label} — {letter.subject}",
        body="\n".join(text for text in texts if text),
        url=letter.get_absolute_url(),
        date=letter.received_date,
        principals=principals,
        facets={
            "unit": [unit.name for unit in units],
            "year": [str(letter.agenda_year)],
            "classification": [letter.classification.code],
            "nature": [letter.nature],
            "status": [letter.status],
        },
    )


def all_ids():
    return Letter.objects.order_by("pk").values_list("pk", flat=True).iterator()


def register():
    labels = {
        "kind": {KIND: _("Surat masuk")},
        "nature": dict(Nature.choices),
        "status": dict(Letter.Status.choices),
    }
    facets = {
        "unit": _("Unit"), "year": _("Tahun"), "classification": _("Klasifikasi"), "nature": _("Sifat"), "status": _("Status"),
    }
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
