from celery import shared_task
from django.utils import timezone

from .services import remind_drafts

REMINDER_INTERVAL_SECONDS = 3600  # the beat asks every hour; each member is reminded once per year


@shared_task
def remind_pokir_drafts():
    """Remind members with drafts before the year's deadline (the worker's beat; see apps.py)."""
    return remind_drafts(timezone.localdate())
