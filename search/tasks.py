import logging
from contextlib import contextmanager

from celery import shared_task
from django.db import connection

from .indexing import apply_pending

logger = logging.getLogger(__name__)

# The PostgreSQL advisory lock held by the run applying the outbox (any number; this one spells "SIAP").
OUTBOX_LOCK = 0x53494150


@contextmanager
def _the_only_run():
    """True for the one run that applies the outbox now; False for any other started meanwhile.

    Every commit that records index operations queues a run, so a thousand
    writes while the engine is away queue a thousand: the run in progress
    applies what they recorded (it loops until the outbox is empty) and the
    others end at once, instead of each retrying every operation. The lock
    goes with the connection, so a killed worker does not keep it.
    """
    if connection.vendor != "postgresql":  # the embedded default has one worker
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [OUTBOX_LOCK])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [OUTBOX_LOCK])


@shared_task
def apply_pending_operations():
    """Apply the outbox; when the engine is unreachable, operations wait for the next run."""
    with _the_only_run() as alone:
        if not alone:
            return 0
        try:
            return apply_pending()
        except Exception as exc:  # noqa: BLE001 - an outage must not lose or drop operations
            logger.warning("Search engine unavailable, index operations wait: %s", exc)
            return 0
