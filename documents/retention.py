"""The retention report (JRA): what becomes inactive, and what is due for disposal, in a year.

Workflows register their archive items (``documents.owners.register(...,
archive_items=...)``). An item is *active* for the code's active years after
it was closed, then *inactive* for its inactive years, then due for its final
disposition — which an archivist records as a ``DisposalDecision``. Nothing
is ever deleted here.

The archivist sees and decides only items whose owner they may see (the
owner's own ``visible_to`` rule), and only items due now: ``decide_many`` is
the one way a decision is recorded, for one item or many.

The dashboard counter and ``decide_many`` run often, so they build only the
items they need: the counter only undecided items, ``decide_many`` only the
posted ones. A workflow's ``archive_items`` takes the queryset of its
subjects to build items for (``None``: all); one taking no argument still
works, filtered here instead.
"""

import inspect

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from project.dashboard import Counter

from .models import DisposalDecision
from .owners import registered_models, rules_for


@dataclass(frozen=True)
class ArchiveItem:
    subject: object
    code: object  # ClassificationCode
    unit: str
    closed_on: date
    title: str
    level: str = ""  # tingkat perkembangan (asli, salinan) when the workflow knows it


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


class NotDue(Exception):
    """Some items asked for are not due now, or not visible to the archivist: nothing was recorded."""


def all_items(user=None, *, only=None, without=None):
    """The registered archive items whose owner ``user`` may see (every item when ``user`` is None).

    ``only`` ({content type id: [pk, ...]}) limits them to those subjects,
    ``without`` (the same shape) leaves those subjects out; both are applied
    to the subjects' query, before any item is built.
    """
    for model in registered_models():
        rules = rules_for(model)
        if not rules.archive_items:
            continue
        type_id = ContentType.objects.get_for_model(model).pk
        subjects = None if user is None else rules.visible_to(user)
        if only is not None:
            if not only.get(type_id):
                continue
            subjects = (model._default_manager.all() if subjects is None else subjects).filter(pk__in=only[type_id])
        if without and without.get(type_id):
            subjects = (model._default_manager.all() if subjects is None else subjects).exclude(pk__in=without[type_id])
        yield from _items_of(rules.archive_items, subjects)


def _items_of(archive_items, subjects):
    """The items of ``subjects`` (a queryset, or None for all) from a workflow's ``archive_items``."""
    if inspect.signature(archive_items).parameters:
        return archive_items(subjects)
    if subjects is None:
        return archive_items()
    allowed = set(subjects.values_list("pk", flat=True))
    return (item for item in archive_items() if item.subject.pk in allowed)


def _by_type(pairs):
    """{content type id: [item id, ...]} of (content type id, item id) pairs."""
    grouped = defaultdict(list)
    for type_id, item_id in pairs:
        grouped[type_id].append(item_id)
    return dict(grouped)


def _latest_decisions(only=None):
    """{(content type id, item id): the latest decision}, of the items in ``only`` when given."""
    decisions = DisposalDecision.objects.select_related("decided_by").order_by("decided_at", "pk")
    if only is not None:
        wanted = Q(pk__in=[])
        for type_id, ids in only.items():
            wanted |= Q(item_type_id=type_id, item_id__in=[str(item_id) for item_id in ids])
        decisions = decisions.filter(wanted)
    return {(decision.item_type_id, decision.item_id): decision for decision in decisions}


def rows(user=None, *, only=None, undecided=False):
    """A ``ReportRow`` for every archive item ``user`` may see, with its latest decision.

    ``only`` ({content type id: [pk, ...]}) builds the rows of those items
    alone; ``undecided`` leaves out every item that has a decision.
    """
    if undecided:
        decisions = {}
        without = _by_type(DisposalDecision.objects.values_list("item_type_id", "item_id").distinct())
    else:
        decisions = _latest_decisions(only)
        without = None
    retention_of = {}  # code pk -> its retention: one look-up (and walk up the parents) per code
    for item in all_items(user, only=only, without=without):
        type_id = ContentType.objects.get_for_model(item.subject).pk
        decision = decisions.get((type_id, str(item.subject.pk)))
        if item.code.pk not in retention_of:
            retention_of[item.code.pk] = item.code.retention()
        retention = retention_of[item.code.pk]
        if retention is None:
            yield ReportRow(item, None, None, "", decision)
            continue
        active, inactive, final = retention
        inactive_from = item.closed_on.year + active
        yield ReportRow(item, inactive_from, inactive_from + inactive, final, decision)


def past_retention(row, year):
    return row.due_year is not None and row.due_year <= year


def is_due(row, year):
    """Past its retention by ``year`` and not decided yet: what the archivist must decide."""
    return past_retention(row, year) and row.decision is None


def report(year, user=None):
    """{"inactive": rows becoming inactive in ``year``, "due": rows due by ``year`` without a decision,
    "unscheduled": rows whose code has no retention}, each list grouped by (code, unit); only the items
    ``user`` may see (all of them when ``user`` is None)."""
    sections = {"inactive": defaultdict(list), "due": defaultdict(list), "unscheduled": defaultdict(list)}
    for row in rows(user):
        group = (row.item.code.code, row.item.unit)
        if row.due_year is None:
            sections["unscheduled"][group].append(row)
            continue
        if row.inactive_from == year:
            sections["inactive"][group].append(row)
        if is_due(row, year):
            sections["due"][group].append(row)
    return {name: dict(sorted(groups.items())) for name, groups in sections.items()}


def due_now(user):
    """The rows ``user`` may decide today, in the report's order (its "due" section, built alone)."""
    year = timezone.localdate().year
    due = [row for row in rows(user, undecided=True) if is_due(row, year)]
    return sorted(due, key=lambda row: (row.item.code.code, row.item.unit))  # stable: the report's order


def counters(user):
    """The archivist's dashboard number: items due for a decision now, opening exactly those rows."""
    if not user.has_perm("documents.manage_retention"):
        return []
    year = timezone.localdate().year
    due = sum(1 for row in rows(user, undecided=True) if is_due(row, year))
    return [Counter(_("Arsip jatuh tempo penyusutan"), due, "documents:retention", {"tahun": year, "bagian": "due"})]


def decide_many(keys, *, decision, note, user):
    """Record one decision for each of ``keys`` (``"<content type>:<pk>"``) in one transaction.

    All or nothing: a key that is not due now or whose item ``user`` may not
    see raises ``NotDue``. A key already decided (the same form sent twice)
    is skipped, so a double submit records nothing new. Returns (the
    decisions recorded, how many keys were already decided).
    """
    with transaction.atomic():
        _lock_subjects(keys)
        year = timezone.localdate().year
        posted = _by_type(_split(key) for key in keys)
        known = {row.key: row for row in rows(user, only=posted) if past_retention(row, year)}
        refused = [key for key in keys if key not in known]
        if refused:
            raise NotDue(refused)
        due = [known[key] for key in keys if is_due(known[key], year)]
        recorded = [decide(row.key, decision=decision, note=note, user=user)[0] for row in due]
    return recorded, len(keys) - len(due)


def _lock_subjects(keys):
    """Lock the items' rows so two archivists (or one double click) cannot both decide one item."""
    for type_id, ids in _by_type(_split(key) for key in keys).items():
        item_type = ContentType.objects.filter(pk=type_id).first()
        model = item_type and item_type.model_class()
        if model in registered_models():  # anything else is refused by decide_many
            list(model.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))


def _split(key):
    """``"<content type>:<pk>"`` -> (content type id, pk text)."""
    type_id, item_id = key.split(":", 1)
    return int(type_id), item_id


def decide(item_key, *, decision, note, user):
    """Record the decision for one item and its trail entry; returns it (and the item).

    It checks nothing: pages decide through ``decide_many``, which does.
    """
    from project.audit.models import AuditEvent

    type_id, item_id = item_key.split(":", 1)
    item_type = ContentType.objects.get(pk=int(type_id))
    subject = item_type.get_object_for_this_type(pk=item_id)
    recorded = DisposalDecision.objects.create(
        item_type=item_type, item_id=str(subject.pk), decision=decision, note=note, decided_by=user
    )
    AuditEvent.record(subject, "retention.decided", user=user, detail={"decision": decision, "note": note})
    return recorded, subject


def disposal_list(user):
    """The rows ``user`` may see whose latest decision is musnah: the daftar arsip usul musnah."""
    from .models import FinalDisposition

    musnah = [pair for pair, decision in _latest_decisions().items() if decision.decision == FinalDisposition.MUSNAH]
    return sorted(
        (row for row in rows(user, only=_by_type(musnah))
         if row.decision and row.decision.decision == FinalDisposition.MUSNAH),
        key=lambda row: (row.item.code.code, row.item.closed_on, row.item.title),
    )
