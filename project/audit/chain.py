"""The hash chain that makes the trail tamper-evident.

Each event, once linked, carries a gap-free ``sequence``, the ``row_hash`` of
the event before it (``previous_hash``) and its own ``row_hash``: SHA-256 over
its meaningful columns and the previous hash. Changing a linked event breaks
its own hash; deleting one leaves a gap that the next event's
``previous_hash`` no longer bridges. ``manage.py verify_trail`` walks the chain.

Events are inserted unlinked and linked right after their transaction commits
(``schedule_linking``), in a short transaction of their own that holds the one
chain lock. Linking inside the writer's transaction would hold that lock until
the writer commits: every other writer of the trail would wait behind a long
signing, and a writer that took another lock (a number counter) after its
first event could deadlock with one that took them in the other order. An
event whose linking never ran (the process died right after committing) is
linked by the next one's.

The hash is unkeyed: anyone who can write to the database can recompute the
chain from a changed event onwards, or cut off its newest events. Only a head
kept outside the database (``verify_trail`` prints it; ``--expect-head``
checks it) shows that.
"""

import datetime
import hashlib
import ipaddress
import json

from django.db import connections, transaction

# any constant: the advisory lock that serialises linking on PostgreSQL (SQLite serialises writers already)
CHAIN_LOCK = 0x5349_4150_7472_6C  # "SIAPtrl"
LINK_BATCH = 1000
CHAIN_COLUMNS = ("sequence", "previous_hash", "row_hash")


def canonical(event, previous_hash, sequence):
    """The bytes hashed for an event: one JSON array, keys sorted, no optional whitespace.

    Every value is written in the one form it has after a round trip through
    the database (UTC time with microseconds, the address as ``ipaddress``
    writes it, the detail as JSON reads it back), so writer and checker agree.
    """
    content_type = event.content_type
    detail = json.loads(json.dumps(event.detail or {}))
    address = str(ipaddress.ip_address(event.client_address)) if event.client_address else None
    fields = [
        sequence,
        previous_hash,
        f"{content_type.app_label}.{content_type.model}",
        event.object_id,
        event.action,
        event.user_id,
        event.acting_for_id,
        event.at.astimezone(datetime.timezone.utc).isoformat(timespec="microseconds"),
        address,
        detail,
    ]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def row_hash(event, previous_hash, sequence):
    return hashlib.sha256(canonical(event, previous_hash, sequence)).hexdigest()


def schedule_linking(using):
    """Link the events of the current transaction once it commits (at once outside a transaction).

    ``robust``: the events are committed already; a failed linking is logged,
    and the next event's linking takes these along.
    """
    transaction.on_commit(lambda: link_pending(using=using), using=using, robust=True)


def link_pending(model=None, using="default"):
    """Link every committed, unlinked event to the chain, oldest first; returns how many were linked.

    ``model``: the historical model in a migration; the current one otherwise.
    """
    if model is None:
        from .models import AuditEvent as model
    events = model._base_manager.using(using)
    connection = connections[using]
    linked = 0
    # the lock is not waited for when another writer's linking took these events along already
    while events.filter(sequence__isnull=True).exists():
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
                head = events.filter(sequence__isnull=False).order_by("-sequence").values_list("sequence", "row_hash").first()
                sequence, previous = head or (0, "")
                pending = list(events.filter(sequence__isnull=True).select_related("content_type").order_by("at", "pk")[:LINK_BATCH])
                rows = []
                for event in pending:
                    sequence += 1
                    digest = row_hash(event, previous, sequence)
                    rows.append((sequence, previous, digest, event.pk))
                    previous = digest
                table, key = (connection.ops.quote_name(name) for name in (model._meta.db_table, model._meta.pk.column))
                # a plain UPDATE: the model refuses changes; the database trigger allows filling these three once
                cursor.executemany(
                    f"UPDATE {table} SET sequence = %s, previous_hash = %s, row_hash = %s WHERE {key} = %s AND sequence IS NULL",
                    rows,
                )
        linked += len(rows)
    return linked


def walk(model, using="default", batch=LINK_BATCH):
    """Yield ``(event, problem)`` for every linked event in sequence order; ``problem`` is None, "changed" (its
    hash does not match its content) or "deleted" (events before it are missing: a gap, or a previous hash that
    does not bridge to the one before).

    Reads ``batch`` events at a time by key, so memory stays flat over millions of events.
    """
    expected_sequence, previous = 1, ""
    events = model._base_manager.using(using).filter(sequence__isnull=False).select_related("content_type").order_by("sequence")
    last = 0
    while True:
        chunk = list(events.filter(sequence__gt=last)[:batch])
        if not chunk:
            return
        for event in chunk:
            if row_hash(event, event.previous_hash, event.sequence) != event.row_hash:
                problem = "changed"
            elif event.sequence != expected_sequence or event.previous_hash != previous:
                problem = "deleted"
            else:
                problem = None
            yield event, problem
            expected_sequence, previous = event.sequence + 1, event.row_hash
        last = chunk[-1].sequence
