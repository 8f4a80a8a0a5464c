"""Recording index operations with the change, and applying them.

``schedule(item_id)`` runs inside the transaction that changed the item: the
outbox row commits (or rolls back) with it. After the commit a worker job
applies every pending operation in order, in bulk; a failing engine leaves
them pending for the next run (the timers job retries every minute).
"""

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import registry
from .models import IndexOperation

BATCH = 500


@functools.cache
def _backend_for(url, index):
    if url.startswith("embedded://"):
        from .embedded import EmbeddedBackend

        return EmbeddedBackend(url.removeprefix("embedded://"))
    if url.startswith(("http://", "https://")):
        from .elastic import ElasticBackend

        return ElasticBackend(url, index=index)
    raise ImproperlyConfigured(f"SEARCH_URL {url!r}: use embedded:///path or an Elasticsearch http(s):// URL")


def backend():
    """The configured engine (``SEARCH_URL``), one instance per process."""
    return _backend_for(settings.SEARCH_URL, settings.SEARCH_INDEX)


def schedule(item_id, op=IndexOperation.Op.UPSERT):
    schedule_many([item_id], op)


def schedule_items(kind, pks):
    """(Re)index the items of ``kind`` with these pks, after the current transaction commits."""
    schedule_many(f"{kind}:{pk}" for pk in pks)


def schedule_many(item_ids, op=IndexOperation.Op.UPSERT):
    """Record index operations in the current transaction; the worker is asked once, after the commit."""
    operations = IndexOperation.objects.bulk_create(IndexOperation(item_id=item_id, op=op) for item_id in item_ids)
    if operations:
        transaction.on_commit(_queue_apply)


def _queue_apply():
    from .tasks import apply_pending_operations

    apply_pending_operations.delay()


def build_item(item_id):
    kind, pk = item_id.split(":", 1)
    return registry.source(kind).build(pk)


def apply_pending(engine=None):
    """Apply pending operations oldest first; returns how many were applied.

    The latest operation per item wins; each batch is marked applied only
    after the engine accepted it, so a crash or an outage repeats it later.
    """
    engine = engine or backend()
    applied = 0
    while True:
        batch = list(IndexOperation.objects.filter(applied_at__isnull=True).order_by("pk")[:BATCH])
        if not batch:
            return applied
        latest = {}
        for operation in batch:
            latest[operation.item_id] = operation
        upserts, deletes = [], []
        for item_id, operation in latest.items():
            item = build_item(item_id) if operation.op == IndexOperation.Op.UPSERT else None
            if item is None:
                deletes.append(item_id)
            else:
                upserts.append(item)
        try:
            if deletes:
                engine.delete(deletes)
            if upserts:
                engine.upsert(upserts)
        except Exception as exc:
            IndexOperation.objects.filter(pk__in=[op.pk for op in batch]).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:1000]
            )
            raise
        IndexOperation.objects.filter(pk__in=[op.pk for op in batch]).update(applied_at=timezone.now())
        applied += len(batch)


def all_items():
    for source in registry.sources():
        for pk in source.all_ids():
            item = source.build(pk)
            if item is not None:
                yield item


def total_items():
    return sum(sum(1 for _ in source.all_ids()) for source in registry.sources())
