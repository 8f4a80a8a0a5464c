from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def publish_minutes(meeting_pk):
    """Print the approved minutes and finish the meeting's process."""
    return services.complete_publication(meeting_pk)
