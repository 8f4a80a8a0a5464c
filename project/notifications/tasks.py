from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .models import Notification


# Acknowledged when taken (acks_late=False), unlike the other jobs: a worker killed half-way through
# loses the rest of these e-mails rather than sending the first ones twice. Nothing is lost with them:
# each notification is already in its recipient's inbox; the e-mail is only a copy.
@shared_task(bind=True, acks_late=False, max_retries=5)
def send_notification_emails(self, notification_ids):
    """E-mail each notification; a mail server failure retries only the ones not sent yet."""
    notifications = {n.pk: n for n in Notification.objects.filter(pk__in=notification_ids).select_related("recipient")}
    ordered = [pk for pk in notification_ids if pk in notifications]
    for index, pk in enumerate(ordered):
        notification = notifications[pk]
        if not notification.recipient.email:
            continue
        link = f"{settings.SIAP_BASE_URL}{notification.url}" if notification.url else ""
        try:
            send_mail(
                subject=f"[SIAP] {notification.get_kind_display()}",
                message=f"{notification.message}\n\n{link}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except OSError as error:
            raise self.retry(args=[ordered[index:]], exc=error, countdown=2 ** (self.request.retries + 1) * 30)
