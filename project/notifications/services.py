"""Notify people: in-app always, e-mail (through the worker) when configured."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(recipients, *, kind, message, url="", subject_key=""):
    """Create one notification per distinct recipient and queue e-mail copies."""
    created = []
    for user in {user.pk: user for user in recipients if user is not None}.values():
        created.append(
            Notification.objects.create(recipient=user, kind=kind, message=message, url=url, subject_key=subject_key)
        )
    if settings.SIAP_SEND_EMAIL and created:
        from .tasks import send_notification_emails

        ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def mark_read(user, subject_key):
    """Mark a user's notifications about one subject as read (they opened it)."""
    return Notification.objects.filter(recipient=user, subject_key=subject_key, read_at__isnull=True).update(
        read_at=timezone.now()
    )
