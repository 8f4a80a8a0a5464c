"""Background work of the outgoing-letter service: e-mailing signed letters, and retrying those that failed."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from project.audit.models import AuditEvent
from project.notifications.services import notify

from .models import ATTACHMENT, FINAL, Dispatch

RETRY_INTERVAL_SECONDS = 600
MAX_ATTEMPTS = 8  # the beat tries every 10 minutes; the drafting unit is told after the last
EMAIL_FAILED_NOTICE = "outgoing.email_failed"


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
        if not settings.SIAP_SEND_EMAIL:  # waits, without spending an attempt, until a mail server is set up
            row.error = gettext("Server e-mail belum dikonfigurasi; dikirim setelah server e-mail diatur.")
            row.save(update_fields=["error"])
            return row.status
        row.attempts += 1
        try:
            _send(row)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server: record it, retry later
            row.status, row.error = Dispatch.Status.FAILED, str(error)[:500]
            row.save(update_fields=["status", "error", "attempts"])
            AuditEvent.record(row.letter, "outgoing.email_failed", detail={"to": row.recipient, "error": row.error})
            if row.attempts >= MAX_ATTEMPTS:
                _tell_the_drafting_unit(row)
            return row.status
        row.status, row.error, row.done_at = Dispatch.Status.SENT, "", timezone.now()
        row.save(update_fields=["status", "error", "attempts", "done_at"])
        AuditEvent.record(row.letter, "outgoing.email_sent", detail={"to": row.recipient})
    return row.status


def _tell_the_drafting_unit(row):
    """The last attempt failed: the people who sent the letter must send it another way."""
    letter = row.letter
    notify(letter.drafting_unit.group.user_set.all(), kind=EMAIL_FAILED_NOTICE, message=gettext(
        "E-mail naskah %(number)s kepada %(to)s gagal terkirim; kirim dengan cara lain.") % {
        "number": letter.number, "to": row.recipient}, url=letter.get_absolute_url(), subject_key=letter.subject_key)


def mail_text(letter, recipient):
    """The e-mail carrying a signed letter, in the letter's own language (Indonesian): its subject and body.

    A rahasia letter's subject stays out of the mail's headers and text; the
    verification address is the one the QR code on the PDF opens.
    """
    url = settings.SIAP_BASE_URL.rstrip("/") + reverse("outgoing:verification", args=[letter.verification_token])
    kind = letter.get_kind_display().lower()
    about = "" if letter.is_rahasia else f" tentang {letter.subject}"
    subject = f"{letter.get_kind_display()} nomor {letter.number}" + ("" if letter.is_rahasia else f": {letter.subject}")
    body = (f"Yth. {', '.join(letter.addressee_list()) or recipient},\n\n"
            f"Terlampir {kind} nomor {letter.number}{about}.\n"
            f"Keaslian naskah dapat diperiksa di {url}\n\n"
            f"Sekretariat DPRD Kota Balikpapan")
    return " ".join(subject.split()), body


def _send(row):
    letter = row.letter
    subject, body = mail_text(letter, row.recipient)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.recipient])
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
