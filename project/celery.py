"""The Celery app.

Production points ``BROKER_URL`` at Redis and runs workers plus one beat;
transcription jobs go to the ``asr`` queue (``CELERY_TASK_ROUTES``) so that
GPU hosts run ``celery -A project worker -Q asr`` and the others ``-Q celery``.
The embedded default uses Kombu's filesystem transport under ``var/queue`` so
that ``make run`` starts a worker (with its beat) and needs no server.

Jobs are acknowledged when they end (settings: ``CELERY_TASK_ACKS_LATE``), so a
worker killed mid-job leaves its job to another; each job checks the database
first and does its work once, and the beat queues again what a lost Redis
forgot (``project.jobs``).
"""

import os
from datetime import timedelta

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("siap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # the tasks modules of INSTALLED_APPS


@app.on_after_configure.connect
def schedule_timers(sender, **kwargs):
    from django.conf import settings

    # update, not replace: processes add their own entries (workflows.registry → add_periodic_task)
    sender.conf.beat_schedule.update({
        "workflow-timers": {
            "task": "project.tasks.run_workflow_timers",
            "schedule": timedelta(seconds=settings.SIAP_TIMERS_INTERVAL_SECONDS),
        },
        # retries index operations that waited for an unreachable search engine
        "search-outbox": {
            "task": "search.tasks.apply_pending_operations",
            "schedule": timedelta(seconds=settings.SIAP_TIMERS_INTERVAL_SECONDS),
        },
        # work the database says is pending but whose job was lost (a Redis without its data): queued again
        "pending-work": {
            "task": "project.tasks.recover_pending_jobs",
            "schedule": timedelta(seconds=settings.SIAP_TIMERS_INTERVAL_SECONDS),
        },
        # transcription jobs whose worker died are marked failed, so people can retry them
        "asr-stalled-jobs": {
            "task": "asr.tasks.recover_stalled_jobs",
            "schedule": timedelta(seconds=settings.SIAP_TIMERS_INTERVAL_SECONDS),
        },
    })
