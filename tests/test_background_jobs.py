"""Background work through a real Celery worker on the real Redis broker."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from project.notifications.models import Notification
from project.org.services import create_delegation
from tests.support import requires_redis
from workflows import inbox
from workflows.letters.flows import LetterFlow
from workflows.letters.models import DispositionBranch


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_timer_job_fires_deadlines_and_follows_delegations(org, register, dispose, redis_worker):
    from project.tasks import run_workflow_timers

    late = register()
    dispose(late, [org.komisi1], deadline=timezone.localdate() - datetime.timedelta(days=1))
    waiting = register()
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy,
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=1))
    # create_delegation re-routes on commit already; undo that to see the job do it
    task = inbox.open_task(waiting, LetterFlow.dispose)
    task.owner = org.chair
    task.save()

    run_workflow_timers.delay()
    # what the job did, read from the database (the task's return value went through the result backend,
    # whose Redis subscription, reused across tests, once answered None)
    def done():
        overdue = DispositionBranch.objects.get(disposition__letter=late).overdue
        return overdue and inbox.open_task(waiting, LetterFlow.dispose).owner == org.deputy

    deadline = time.monotonic() + 30
    while not done() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert DispositionBranch.objects.get(disposition__letter=late).overdue, "the overdue timer fired"
    assert inbox.open_task(waiting, LetterFlow.dispose).owner == org.deputy, "the task followed the delegation"


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_disposition_emails_go_out_through_the_worker_after_commit(org, register, dispose, redis_worker, settings):
    settings.SIAP_SEND_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    letter = register()
    dispose(letter, [org.komisi1])  # queues the e-mail job when its transaction commits
    deadline = time.monotonic() + 30
    while len(mail.outbox) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["komisi1@example.org", "staf1@example.org"]
    assert letter.agenda_label in mail.outbox[0].body
    assert Notification.objects.filter(kind="disposition").count() == 2
