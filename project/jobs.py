"""Background work that a lost job must not leave undone.

Jobs are delivered at least once (``CELERY_TASK_ACKS_LATE``) and every job
checks the database before it acts, so running one twice does the work once.
What delivery cannot bring back — jobs that were only in a Redis which lost its
data, or whose message was never sent because the broker was down at commit —
the beat finds in the database, the source of truth: each app that queues work
connects a receiver to ``pending_work`` that queues again what has waited
longer than ``SIAP_JOB_RECOVERY_AFTER_SECONDS``. Shared code never needs to know
which processes have such work.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone

log = logging.getLogger(__name__)

# Sent with ``waiting_since``: a receiver queues again its work still pending from
# before that moment and returns how many jobs it queued.
pending_work = Signal()


def recover_pending_work():
    """Queue again every app's pending work that waited too long; returns {receiver: jobs queued}."""
    from project.celery import app

    app.loader.import_default_modules()  # every app's tasks module, where its receiver is connected
    waiting_since = timezone.now() - timedelta(seconds=settings.SIAP_JOB_RECOVERY_AFTER_SECONDS)
    queued = {}
    for receiver, result in pending_work.send_robust(sender=None, waiting_since=waiting_since):
        name = f"{receiver.__module__}.{receiver.__qualname__}"
        if isinstance(result, Exception):  # one app's failure must not keep the others' work from recovering
            log.error("recovering pending work with %s failed: %r", name, result)
            continue
        queued[name] = result
        if result:
            log.warning("%s job(s) queued again by %s: their first job was lost", result, name)
    return queued
