"""The retention report (JRA): what becomes inactive, and what is due for disposal, in a year.

Workflows register their archive items (``documents.owners.register(...,
archive_items=...)``). An item is *active* for the code's active years after
it was closed, then *inactive* for its inactive years, then due for its final
disposition — which an archivist records as a ``DisposalDecision``. Nothing
is ever deleted here.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType

from .models import DisposalDecision
from .owners import registered_models, rules_for


@dataclass(frozen=True)
class ArchiveItem:
    subject: object
    code: object  # ClassificationCode
    unit: str
    closed_on: date
    title: str


@dataclass
class ReportRow:
    item: ArchiveItem
    inactive_from: int | None
    due_year: int | None
    final_disposition: str
    decision: DisposalDecision | None

    @property
    def key(self):
        return f"{ContentType.objects.get_for_model(self.item.subject).pk}:{self.item.subject.pk}"


def all_items():
    for model in registered_models():
        rules = rules_for(model)
        if rules.archive_items:
            yield from rules.archive_items()


def _latest_decisions():
    decisions = {}
    for decision in DisposalDecision.objects.select_related("decided_by").order_by("decided_at"):
        decisions[(decision.item_type_id, decision.item_id)] = decision
    return decisions


def report(year):
    """{"inactive": rows becoming inactive in ``year``, "due": rows due by ``year`` without a decision,
    "unscheduled": rows whose code has no retention}, each list grouped by (code, unit)."""
    items = list(all_items())
    decisions = _latest_decisions()
    sections = {"inactive": defaultdict(list), "due": defaultdict(list), "unscheduled": defaultdict(list)}
    for item in items:
        type_id = ContentType.objects.get_for_model(item.subject).pk
        decision = decisions.get((type_id, str(item.subject.pk)))
        retention = item.code.retention()
        group = (item.code.code, item.unit)
        if retention is None:
            sections["unscheduled"][group].append(ReportRow(item, None, None, "", decision))
            continue
        active, inactive, final = retention
        inactive_from = item.closed_on.year + active
        due_year = inactive_from + inactive
        row = ReportRow(item, inactive_from, due_year, final, decision)
        if inactive_from == year:
            sections["inactive"][group].append(row)
        if due_year <= year and decision is None:
            sections["due"][group].append(row)
    return {name: dict(sorted(groups.items())) for name, groups in sections.items()}


def decide(item_key, *, decision, note, user):
    """Record the archivist's decision for one item; returns it (and the item)."""
    from project.audit.models import AuditEvent

    type_id, item_id = item_key.split(":", 1)
    item_type = ContentType.objects.get(pk=int(type_id))
    subject = item_type.get_object_for_this_type(pk=item_id)
    recorded = DisposalDecision.objects.create(
        item_type=item_type, item_id=str(subject.pk), decision=decision, note=note, decided_by=user
    )
    AuditEvent.record(subject, "retention.decided", user=user, detail={"decision": decision, "note": note})
    return recorded, subject
