from celery import shared_task
from django.dispatch import receiver
from viewflow.workflow.status import STATUS

from project.jobs import pending_work

from . import services
from .models import Meeting


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def publish_minutes(meeting_pk):
    """Print the approved minutes and finish the meeting's process; a second delivery finds it done."""
    return services.complete_publication(meeting_pk)


@receiver(pending_work, dispatch_uid="minutes.unpublished_minutes")
def queue_lost_publications(sender, waiting_since, **kwargs):
    """Approved minutes whose publish step has waited since before ``waiting_since``: their job was lost."""
    from .flows import MinutesFlow

    pks = list(
        Meeting.objects.filter(
            process__task__flow_task=MinutesFlow.publish, process__task__status=STATUS.NEW,
            process__task__created__lt=waiting_since,
        ).order_by().values_list("pk", flat=True).distinct()
    )
    for pk in pks:
        publish_minutes.delay(pk)
    return len(pks)
