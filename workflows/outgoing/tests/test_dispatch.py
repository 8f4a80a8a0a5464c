"""Sending signed letters by e-mail through a real SMTP server (aiosmtpd on loopback), and what happens when it fails."""

from django.urls import reverse

from project.notifications.models import Notification
from tests.smtp import free_port
from workflows.letters.models import Nature
from workflows.outgoing import tasks
from workflows.outgoing.models import Dispatch




def _sent(walk, draft, **fields):
    letter = walk.sign(walk.to_signature(draft(email_recipients="dpu@balikpapan.go.id", **fields)))
    walk.dispatch(letter)
    return letter, letter.dispatches.get(method=Dispatch.Method.EMAIL)


def test_the_signed_pdf_goes_out_once_with_the_address_the_qr_opens(epiper, draft, walk, smtp_server, settings):
    letter, row = _sent(walk, draft, subject="Undangan rapat\n dengar   pendapat")
    assert tasks.deliver_email(row.pk) == Dispatch.Status.SENT
    assert tasks.deliver_email(row.pk) is None, "a job handed out twice sends once"
    [mail] = smtp_server.handler.messages
    assert mail["To"] == "dpu@balikpapan.go.id"
    assert mail["Subject"] == f"Surat undangan nomor {letter.number}: Undangan rapat dengar pendapat"
    url = settings.SIAP_BASE_URL.rstrip("/") + reverse("outgoing:verification", args=[letter.verification_token])
    assert url in mail.get_body(("plain",)).get_content()
    [attachment] = [part for part in mail.iter_attachments()]
    with letter.final_document.current.blob.file.open("rb") as handle:
        assert attachment.get_content() == handle.read(), "the very signed PDF"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Dispatch.Status.SENT, 1)


def test_a_rahasia_letter_keeps_its_subject_out_of_the_mail(epiper, draft, walk, smtp_server):
    letter, row = _sent(walk, draft, nature=Nature.RAHASIA, subject="Data pemeriksaan yang rahasia")
    tasks.deliver_email(row.pk)
    [mail] = smtp_server.handler.messages
    assert letter.number in mail["Subject"]
    assert "rahasia" not in mail["Subject"] and "rahasia" not in mail.get_body(("plain",)).get_content()


def test_without_a_mail_server_the_mail_waits_without_spending_attempts(epiper, draft, walk, settings):
    settings.SIAP_SEND_EMAIL = False
    _letter, row = _sent(walk, draft)
    for _ in range(tasks.MAX_ATTEMPTS + 2):
        tasks.deliver_email(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Dispatch.Status.PENDING, 0)
    assert "belum dikonfigurasi" in row.error


def test_the_drafting_unit_hears_when_the_last_attempt_fails(epiper, draft, walk, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.SIAP_SEND_EMAIL = True
    letter, row = _sent(walk, draft)
    for attempt in range(1, tasks.MAX_ATTEMPTS + 1):
        assert tasks.deliver_email(row.pk) == Dispatch.Status.FAILED
        told = Notification.objects.filter(kind=tasks.EMAIL_FAILED_NOTICE, recipient=epiper.org.k1_staff).exists()
        assert told == (attempt == tasks.MAX_ATTEMPTS), attempt
    row.refresh_from_db()
    assert row.attempts == tasks.MAX_ATTEMPTS and row.error
    assert letter.get_absolute_url() in Notification.objects.get(kind=tasks.EMAIL_FAILED_NOTICE, recipient=epiper.org.k1_staff).url
