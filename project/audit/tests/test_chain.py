"""The trail's hash chain: every event is linked after it commits, and ``verify_trail`` finds an event changed or
deleted directly in the database."""

import datetime
import io
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from project.audit.chain import link_pending, walk
from project.audit.models import AuditEvent
from tests.support import requires_postgresql


def _record_linked(org, count):
    events = [AuditEvent.record(org.registrar, "test.step", user=org.registrar, detail={"n": n, "unit": "Komisi I"})
              for n in range(count)]
    link_pending()
    return [AuditEvent.objects.get(pk=event.pk) for event in events]


def _tamper(statement, params=()):
    """Run ``statement`` as someone with database access would: past the append-only trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def _verify(*args):
    out = io.StringIO()
    try:
        call_command("verify_trail", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_events_are_linked_once_their_transaction_commits(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first = AuditEvent.record(org.registrar, "test.step", user=org.registrar)
            second = AuditEvent.record(org.registrar, "test.step", user=org.registrar, detail={"n": 2})
        assert AuditEvent.objects.get(pk=first.pk).sequence is None, "not linked before the commit"
    first, second = AuditEvent.objects.get(pk=first.pk), AuditEvent.objects.get(pk=second.pk)
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.row_hash and len(first.row_hash) == 64
    assert [problem for _event, problem in walk(AuditEvent)] == [None] * AuditEvent.objects.count()
    code, out = _verify()
    assert code == 0 and f"Kepala rantai: {second.sequence}:{second.row_hash}" in out


def test_bulk_created_events_are_linked_too(org, django_capture_on_commit_callbacks):
    user_type = ContentType.objects.get_for_model(org.registrar)
    with django_capture_on_commit_callbacks(execute=True):
        AuditEvent.objects.bulk_create([AuditEvent(content_type=user_type, object_id=str(org.registrar.pk), action="test.bulk")
                                        for _n in range(3)])
    assert AuditEvent.objects.filter(action="test.bulk", sequence__isnull=False).count() == 3


def test_unlinked_events_are_linked_in_the_order_they_happened(org):
    events = [AuditEvent.record(org.registrar, "test.step", user=org.registrar) for _n in range(3)]
    earlier = events[0].at - datetime.timedelta(hours=1)
    _tamper("UPDATE audit_auditevent SET at = %s WHERE id = %s", [earlier, events[2].pk])
    assert link_pending() == 3
    order = list(AuditEvent.objects.order_by("sequence").values_list("pk", flat=True))
    assert order == [events[2].pk, events[0].pk, events[1].pk]
    assert link_pending() == 0, "a linked event is never linked again"


@pytest.mark.parametrize("column, value", [
    ("action", "'forged'"),
    ("object_id", "'999'"),
    ("user_id", "NULL"),
    ("at", "at - interval '1 microsecond'"),
    ("client_address", "'198.51.100.7'"),
    ("detail", "'{\"n\": 1, \"unit\": \"Komisi II\"}'"),
    ("content_type_id", "(SELECT MIN(id) FROM django_content_type)"),
])
def test_verify_trail_finds_a_row_changed_in_the_database(org, column, value):
    events = _record_linked(org, 3)
    assert _verify()[0] == 0
    _tamper(f"UPDATE audit_auditevent SET {column} = {value} WHERE id = %s", [events[1].pk])
    code, out = _verify()
    assert code == 1
    broken = [line.split("\t")[:2] for line in out.splitlines() if "\t" in line]
    assert broken == [["BERUBAH", str(events[1].sequence)]], "only the changed event is reported"


def test_verify_trail_finds_a_row_deleted_in_the_database(org):
    events = _record_linked(org, 4)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    code, out = _verify()
    assert code == 1
    assert [line.split("\t")[:2] for line in out.splitlines() if "\t" in line] == [["TERPUTUS", str(events[2].sequence)]]


def test_a_rewritten_chain_is_caught_by_the_recorded_head_only(org):
    """Rehashing from a changed event on leaves a chain that verifies; the head kept outside no longer matches."""
    events = _record_linked(org, 3)
    kept = f"{events[-1].sequence}:{events[-1].row_hash}"
    assert _verify("--expect-head", kept)[0] == 0
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])  # the newest event cut off
    assert _verify()[0] == 0, "truncation alone cannot be seen in the chain"
    code, out = _verify("--expect-head", kept)
    assert code == 1 and f"KEPALA HILANG\t{kept}" in out


@requires_postgresql
def test_the_database_lets_linking_fill_the_chain_columns_once_and_nothing_else(org):
    event = AuditEvent.record(org.registrar, "test.step", user=org.registrar)
    refused = [
        "UPDATE audit_auditevent SET sequence = 1, row_hash = 'x', action = 'forged' WHERE id = %s",
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
    ]
    for statement in refused:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    link_pending()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET sequence = NULL, row_hash = '' WHERE id = %s", [event.pk])


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_hundred_concurrent_writers_leave_one_gap_free_chain(org):
    """Each thread its own connection and transaction, as gunicorn and Celery workers write at once."""
    barrier = threading.Barrier(100)
    errors = []

    def work(n):
        try:
            barrier.wait()
            with transaction.atomic():
                AuditEvent.record(org.registrar, "test.concurrent", user=org.registrar, detail={"n": n})
                AuditEvent.record(org.registrar, "test.concurrent", user=org.registrar, detail={"n": n, "second": True})
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not AuditEvent.objects.filter(sequence__isnull=True).exists(), "every commit linked its events"
    total = AuditEvent.objects.count()
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert [problem for _event, problem in walk(AuditEvent)] == [None] * total
