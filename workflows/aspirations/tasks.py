"""The aspiration channels' background work: delivering messages to residents and reading the mailboxes."""

from celery import shared_task
from django.utils import timezone

from .models import AspirationMessage

Delivery = AspirationMessage.Delivery


@shared_task(bind=True, max_retries=8, default_retry_delay=60)
def deliver_message(self, message_pk):
    """Deliver one message to a resident through its channel; retried with back-off while the channel is down.

    The PENDING → SENDING update is the claim: a message handed to two
    workers (a redelivered job) goes out once.
    """
    from .channels import deliverer

    if not AspirationMessage.objects.filter(pk=message_pk, delivery=Delivery.PENDING).update(delivery=Delivery.SENDING):
        return None
    message = AspirationMessage.objects.select_related("aspiration").get(pk=message_pk)
    try:
        external_id = deliverer(message.channel)(message)
    except Exception as error:  # noqa: BLE001 - any failure of the far side: record it, retry later
        last_try = self.request.retries >= self.max_retries
        message.error = str(error)[:2000]
        message.delivery = Delivery.FAILED if last_try else Delivery.PENDING
        message.save(update_fields=["error", "delivery"])
        if last_try:
            return message.delivery
        raise self.retry(exc=error, countdown=60 * 2 ** self.request.retries)
    message.external_id = (external_id or "")[:300]
    message.delivery = Delivery.SENT
    message.delivered_at = timezone.now()
    message.error = ""
    message.save(update_fields=["external_id", "delivery", "delivered_at", "error"])
    return message.delivery


@shared_task
def check_mailboxes():
    """Read every enabled mailbox once (the worker's beat, every ``SIAP_MAIL_CHECK_SECONDS``)."""
    from .channels.mail import check_all_accounts

    return check_all_accounts()
