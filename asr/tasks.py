from celery import shared_task

from . import jobs


@shared_task(name="asr.tasks.transcribe", ignore_result=True)
def transcribe(job_pk):
    """On the ``asr`` queue (CELERY_TASK_ROUTES), so GPU hosts can run only these."""
    jobs.run_job(job_pk)


@shared_task(name="asr.tasks.recover_stalled_jobs", ignore_result=True)
def recover_stalled_jobs():
    return jobs.recover_stalled_jobs()
