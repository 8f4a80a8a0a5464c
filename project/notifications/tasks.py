from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids):
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not notification.recipient.email:
            continue
        link = f"{settings.SIAP_BASE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"[SIAP] {notification.get_kind_display()}",
            message=f"{notification.message}\n\n{link}".strip(),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
