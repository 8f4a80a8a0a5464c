"""The aspiration channels' background work: delivering messages to residents and reading the mailboxes."""

import datetime

from celery import shared_task
from django.utils import timezone

from .models import AspirationMessage

Delivery = AspirationMessage.Delivery
STALLED_AFTER = datetime.timedelta(minutes=15)  # far longer than one SMTP or Graph call may take
REQUEUE_INTERVAL_SECONDS = 600


@shared_task(bind=True, max_retries=8, default_retry_delay=60)
def deliver_message(self, message_pk):
    """Deliver one message to a resident through its channel; retried with back-off while the channel is down.

    The PENDING → SENDING update is the claim: a message handed to two
    workers (a redelivered job) goes out once.
    """
    from .channels import deliverer

    claimed = AspirationMessage.objects.filter(pk=message_pk, delivery=Delivery.PENDING)
    if not claimed.update(delivery=Delivery.SENDING, sending_since=timezone.now()):
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


@shared_task
def requeue_stalled_messages():
    """Messages a worker took and never finished (it was killed): back to the queue (the beat, every 10 minutes).

    Delivery is at least once: a worker killed after the far side accepted a
    message but before it recorded that sends it again.
    """
    stalled = AspirationMessage.objects.filter(delivery=Delivery.SENDING,
                                               sending_since__lt=timezone.now() - STALLED_AFTER)
    pks = list(stalled.values_list("pk", flat=True))
    AspirationMessage.objects.filter(pk__in=pks, delivery=Delivery.SENDING).update(delivery=Delivery.PENDING)
    for pk in pks:
        deliver_message.delay(pk)
    return len(pks)
