"""Background work of the outgoing-letter service: e-mailing signed letters, and retrying those that failed."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from project.audit.models import AuditEvent

from .models import ATTACHMENT, FINAL, Dispatch

RETRY_INTERVAL_SECONDS = 600
MAX_ATTEMPTS = 8


@shared_task
def deliver_email(dispatch_pk):
    """E-mail one signed letter (its PDF and attachments) to one outside address; at most once when it succeeds.

    The row is locked while sending, so a job handed to two workers sends
    once; a failure is recorded on the row and the beat tries again later.
    """
    with transaction.atomic():
        row = Dispatch.objects.select_for_update().select_related("letter").filter(
            pk=dispatch_pk, method=Dispatch.Method.EMAIL, status__in=[Dispatch.Status.PENDING, Dispatch.Status.FAILED],
        ).first()
        if row is None:
            return None
        row.attempts += 1
        try:
            _send(row)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server: record it, retry later
            row.status, row.error = Dispatch.Status.FAILED, str(error)[:500]
            row.save(update_fields=["status", "error", "attempts"])
            AuditEvent.record(row.letter, "outgoing.email_failed", detail={"to": row.recipient, "error": row.error})
            return row.status
        row.status, row.error, row.done_at = Dispatch.Status.SENT, "", timezone.now()
        row.save(update_fields=["status", "error", "attempts", "done_at"])
        AuditEvent.record(row.letter, "outgoing.email_sent", detail={"to": row.recipient})
    return row.status


def _send(row):
    if not settings.SIAP_SEND_EMAIL:
        raise RuntimeError("Server e-mail belum dikonfigurasi (EMAIL_HOST).")
    letter = row.letter
    message = EmailMessage(
        subject=f"{letter.number} — {letter.subject}",
        body=(f"Yth. {', '.join(letter.addressee_list()) or row.recipient},\n\n"
              f"Terlampir {letter.get_kind_display().lower()} nomor {letter.number} tentang {letter.subject}.\n"
              f"Keaslian naskah dapat diperiksa di {settings.SIAP_BASE_URL}/verifikasi/{letter.verification_token}/\n\n"
              f"Sekretariat DPRD Kota Balikpapan"),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient],
    )
    for role in (FINAL, ATTACHMENT):
        for document in letter.documents(role):
            version = document.current
            with version.blob.file.open("rb") as handle:
                message.attach(version.original_name, handle.read(), version.media_type)
    message.send()


@shared_task
def retry_failed_emails():
    """E-mails that failed (or were never sent because the server was down or not set up): try again (the beat)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=RETRY_INTERVAL_SECONDS // 2)
    rows = Dispatch.objects.filter(method=Dispatch.Method.EMAIL, attempts__lt=MAX_ATTEMPTS).filter(
        status__in=[Dispatch.Status.PENDING, Dispatch.Status.FAILED], at__lt=cutoff,
    )
    pks = list(rows.values_list("pk", flat=True))
    for pk in pks:
        deliver_email.delay(pk)
    return len(pks)
