from celery import shared_task
from django.dispatch import receiver

from project.jobs import pending_work

from . import jobs


@shared_task(name="asr.tasks.transcribe", ignore_result=True)
def transcribe(job_pk):
    """On the ``asr`` queue (CELERY_TASK_ROUTES), so GPU hosts can run only these."""
    jobs.run_job(job_pk)


@shared_task(name="asr.tasks.recover_stalled_jobs", ignore_result=True)
def recover_stalled_jobs():
    return jobs.recover_stalled_jobs()


@receiver(pending_work, dispatch_uid="asr.lost_jobs")
def queue_lost_transcriptions(sender, waiting_since, **kwargs):
    return jobs.requeue_lost_jobs(waiting_since)
