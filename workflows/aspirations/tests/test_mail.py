"""The e-mail channel against real servers: Dovecot (IMAP) read by rules, aiosmtpd (SMTP) receiving SIAP's mails."""

import io
import logging

import pytest
from django.core.management import call_command

from documents.models import Document
from documents.services import documents_of
from tests.support import pdf_upload
from workflows.aspirations.admin import MailAccountForm, MailRuleForm
from workflows.aspirations.channels import mail
from workflows.aspirations.models import Aspiration, AspirationMessage, MailAccount, MailRule, ProcessedMail

from .mailserver import RESIDENT, nested_mail, resident_mail
from .support import answer, approve, dispose, receive, verify

pytestmark = pytest.mark.django_db

PDF = pdf_upload().read()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 200
SEEN = "\\Seen"


class Crash(BaseException):
    """A worker dying at this point (not an error the channel would catch and record)."""


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """Read the mailboxes once, running what was queued on commit (deliveries) as the worker would."""
    def _check():
        with django_capture_on_commit_callbacks(execute=True):
            return mail.check_all_accounts()

    return _check


def committed(action, callbacks, *args, **kwargs):
    with callbacks(execute=True):
        return action(*args, **kwargs)


def sent_mail(smtp_server, message):
    """The mail the SMTP server received for ``message`` (an outgoing AspirationMessage)."""
    message.refresh_from_db()
    [found] = [item for item in smtp_server.handler.messages if item["Message-ID"].strip() == message.external_id]
    return found


@pytest.mark.usefixtures("eager_jobs")
def test_a_mail_becomes_an_aspiration_is_answered_by_mail_and_a_reply_reopens_it(
        world, mailbox, mail_account, smtp_server, check, django_capture_on_commit_callbacks):
    callbacks = django_capture_on_commit_callbacks
    MailRule.objects.filter(account=mail_account).update(
        folder="INBOX", filter_from=mailbox.resident, action=MailRule.Action.MOVE, action_parameter=mailbox.done)
    mailbox.append(resident_mail(sender=mailbox.resident, attachments=[("laporan.pdf", PDF, "application/pdf")]),
                   "INBOX")

    assert check() == {"accounts": 1, "aspiration": 1}
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.email, aspiration.name) == ("email", mailbox.resident, "Warga Klandasan")
    assert aspiration.subject == "Jalan berlubang di Klandasan"
    assert aspiration.text == "Jalan di depan SD 012 berlubang besar."
    [document] = documents_of(aspiration)
    assert document.current.blob.file.read() == PDF
    assert [subject for _uid, _flags, subject in mailbox.messages(mailbox.done)] == [aspiration.subject]
    assert not [m for m in mailbox.messages("INBOX") if m[2] == aspiration.subject], "moved out of INBOX"

    receipt = sent_mail(smtp_server, aspiration.messages.get(purpose="receipt"))
    assert receipt["To"] == mailbox.resident and receipt["From"] == "aspirasi@dprd.test"
    assert receipt["Subject"] == f"[{aspiration.code}] Jalan berlubang di Klandasan"
    assert aspiration.code in receipt.get_content()
    original = aspiration.messages.get(purpose="original")
    assert receipt["In-Reply-To"] == original.external_id, "the receipt threads under the resident's mail"

    committed(verify, callbacks, world, aspiration)
    committed(dispose, callbacks, world, aspiration, unit=world.org.komisi1)
    committed(answer, callbacks, aspiration, world.org.k1_staff, "Dinas PU menambal jalan itu pekan ini.")
    committed(approve, callbacks, aspiration, world.org.k1)
    answer_mail = sent_mail(smtp_server, aspiration.messages.get(purpose="answer"))
    assert "Dinas PU menambal jalan itu pekan ini." in answer_mail.get_content()

    reply = resident_mail(subject=f"Re: {answer_mail['Subject']}", text="Lubangnya masih ada.",
                          sender=mailbox.resident, in_reply_to=answer_mail["Message-ID"])
    mailbox.append(reply, "INBOX")
    assert check() == {"accounts": 1, "reply": 1}
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.IN_FOLLOW_UP and aspiration.reopened_at
    assert Aspiration.objects.count() == 1
    assert aspiration.messages.get(purpose="reply").external_id == reply["Message-ID"]


def test_a_code_in_the_subject_threads_only_the_residents_own_mail(world, mailbox, mail_account, check):
    first = receive(world, channel="email", email=RESIDENT)
    mailbox.append(resident_mail(subject=f"Soal {first.code}", sender="orang.lain@example.org"))
    mailbox.append(resident_mail(subject=f"Tambahan {first.code.lower()}", text="Foto menyusul."))
    assert check() == {"accounts": 1, "aspiration": 1, "reply": 1}
    assert Aspiration.objects.count() == 2, "someone else quoting the code starts an aspiration of their own"
    assert first.messages.get(purpose="reply").text == "Foto menyusul."


@pytest.mark.usefixtures("eager_jobs")
def test_a_rahasia_aspiration_keeps_its_subject_out_of_the_mail_subject(world, smtp_server,
                                                                       django_capture_on_commit_callbacks):
    aspiration = committed(receive, django_capture_on_commit_callbacks, world,
                           privacy=Aspiration.Privacy.CONFIDENTIAL, subject="Pungutan liar di kelurahan")
    receipt = sent_mail(smtp_server, aspiration.messages.get(purpose="receipt"))
    assert receipt["Subject"] == f"[{aspiration.code}]"
    assert receipt["From"] == "siap@dprd.balikpapankota.go.id", "no mailbox: the default sender"


def test_checking_twice_or_seeing_the_same_message_id_again_makes_one_aspiration(mailbox, mail_account, check):
    message = resident_mail()
    mailbox.append(message)
    assert check()["aspiration"] == 1
    assert "aspiration" not in check()
    mailbox.append(message)  # the same mail again (re-delivered, copied back): a new UID, the same Message-ID
    assert check() == {"accounts": 1, "seen_before": 1}
    assert Aspiration.objects.count() == 1
    assert [SEEN in flags for _uid, flags, _subject in mailbox.messages()] == [True, True], "both marked read"
    assert ProcessedMail.objects.get().status == ProcessedMail.Status.DONE


def test_a_crash_after_the_row_was_written_makes_the_aspiration_on_the_next_run(mailbox, mail_account, check,
                                                                               monkeypatch):
    mailbox.append(resident_mail())

    def crash(**kwargs):
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(mail.services, "receive", crash)
        with pytest.raises(Crash):
            check()
    assert ProcessedMail.objects.get().status == ProcessedMail.Status.PROCESSING
    assert not Aspiration.objects.exists()
    assert check() == {"accounts": 1, "aspiration": 1}
    assert Aspiration.objects.count() == 1 and ProcessedMail.objects.get().status == ProcessedMail.Status.DONE
    assert [SEEN in flags for _uid, flags, _subject in mailbox.messages()] == [True]


def test_a_crash_before_the_mailbox_action_only_repeats_the_action(mailbox, mail_account, check, monkeypatch):
    mailbox.append(resident_mail())

    def crash(*args):
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(mail, "_after_action", crash)
        with pytest.raises(Crash):
            check()
    assert Aspiration.objects.count() == 1
    assert [SEEN in flags for _uid, flags, _subject in mailbox.messages()] == [False]
    assert check() == {"accounts": 1, "seen_before": 1}
    assert Aspiration.objects.count() == 1
    assert [SEEN in flags for _uid, flags, _subject in mailbox.messages()] == [True]


def test_a_move_rule_moves_what_it_matches_and_leaves_the_rest(mailbox, mail_account, check):
    MailRule.objects.filter(account=mail_account).update(
        filter_subject="Aspirasi", action=MailRule.Action.MOVE, action_parameter=mailbox.done)
    mailbox.append(resident_mail(subject="Aspirasi: trotoar rusak"))
    mailbox.append(resident_mail(subject="Promo akhir tahun"))
    assert check() == {"accounts": 1, "aspiration": 1}
    assert [subject for _uid, _flags, subject in mailbox.messages(mailbox.done)] == ["Aspirasi: trotoar rusak"]
    assert [(SEEN in flags, subject) for _uid, flags, subject in mailbox.messages()] == [(False, "Promo akhir tahun")]


def test_a_mark_read_rule_reads_only_unread_mail(mailbox, mail_account, check):
    with mailbox.connect() as box:
        box.append(bytes(resident_mail(subject="Sudah dibaca orang")), mailbox.folder, flag_set=[SEEN])
    mailbox.append(resident_mail(subject="Belum dibaca"))
    assert check() == {"accounts": 1, "aspiration": 1}
    assert Aspiration.objects.get().subject == "Belum dibaca"
    assert all(SEEN in flags for _uid, flags, _subject in mailbox.messages())


@pytest.mark.usefixtures("eager_jobs")
def test_refused_attachments_are_left_out_and_the_resident_is_told_which(mailbox, mail_account, smtp_server, check):
    mailbox.append(resident_mail(attachments=[
        ("laporan.pdf", PDF, "application/pdf"),
        ("setup.exe", EXE, "application/octet-stream"),
        ("foto.zip", ZIP, "application/zip"),
    ]))
    assert check()["aspiration"] == 1
    aspiration = Aspiration.objects.get()
    assert [document.current.original_name for document in documents_of(aspiration)] == ["laporan.pdf"]
    row = ProcessedMail.objects.get()
    assert row.status == ProcessedMail.Status.DONE and "setup.exe" in row.error and "foto.zip" in row.error
    notice = sent_mail(smtp_server, aspiration.messages.get(purpose="status")).get_content()
    assert "setup.exe" in notice and "foto.zip" in notice and "PDF, JPEG atau PNG" in notice
    assert "Jenis berkas tidak diizinkan" in notice


def test_an_oversized_attachment_is_left_out(mailbox, mail_account, check, settings):
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 1000
    mailbox.append(resident_mail(attachments=[("besar.pdf", PDF, "application/pdf")]))
    assert check()["aspiration"] == 1
    assert not Document.objects.exists()
    assert "besar.pdf: Berkas terlalu besar" in ProcessedMail.objects.get().error


def test_a_mail_too_large_to_download_is_refused(mailbox, mail_account, check, settings):
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 1000
    settings.SIAP_ASPIRATION_MAX_ATTACHMENTS = 1
    mailbox.append(resident_mail(text="x" * (1024 * 1024 + 2000)))
    assert check() == {"accounts": 1, "refused": 1}
    assert "terlalu besar" in ProcessedMail.objects.get().error and not Aspiration.objects.exists()


def test_deeply_nested_multiparts_are_refused_with_a_logged_reason(mailbox, mail_account, check, caplog):
    mailbox.append(nested_mail(50))
    mailbox.append(nested_mail(2000))  # deeper than Python's parser can recurse
    mailbox.append(nested_mail(3))  # a normal depth still works
    with caplog.at_level(logging.WARNING, logger=mail.__name__):
        assert check() == {"accounts": 1, "refused": 2, "aspiration": 1}
    for refused in ProcessedMail.objects.filter(status=ProcessedMail.Status.REFUSED):
        assert refused.error == "Struktur MIME surel terlalu dalam (lebih dari 20 tingkat)."
        assert refused.aspiration is None
    assert caplog.text.count("terlalu dalam") == 2
    assert Aspiration.objects.get().text == "Isi di dasar."
    assert all(SEEN in flags for _uid, flags, _subject in mailbox.messages()), "a refused mail is handled too"


def test_html_mail_is_stored_as_text_without_scripts_styles_or_tags(mailbox, mail_account, check):
    html = ("<html><head><title>Surat</title><style>p {color: red}</style><script>alert('x')</script></head>"
            "<body><p>Halo <b>DPRD</b>,</p><p>saluran&nbsp;air &amp; jalan tersumbat.</p>"
            "<script>document.write('<img src=x onerror=alert(1)>')</script><img src=x onerror=alert(2)></body></html>")
    mailbox.append(resident_mail(text=None, html=html))
    check()
    text = Aspiration.objects.get().text
    assert text == "Halo DPRD,\n\nsaluran air & jalan tersumbat."
    assert "<" not in text and "alert" not in text and "color" not in text


def test_a_mail_without_a_body_keeps_its_subject_and_one_without_anything_is_refused(mailbox, mail_account, check):
    mailbox.append(resident_mail(subject="Banjir di Sepinggan", text=None))
    mailbox.append(resident_mail(subject=None, text=None))
    assert check() == {"accounts": 1, "aspiration": 1, "refused": 1}
    assert Aspiration.objects.get().text == "(tanpa isi)"
    assert ProcessedMail.objects.get(status="refused").error == "Surel kosong: tanpa perihal, isi, maupun lampiran."


def test_an_automatic_reply_is_refused(mailbox, mail_account, check):
    message = resident_mail(subject="Di luar kantor")
    message["Auto-Submitted"] = "auto-replied"
    mailbox.append(message)
    assert check() == {"accounts": 1, "refused": 1}


def test_the_command_reports_what_it_did_and_a_mailbox_that_cannot_be_read(mailbox, mail_account):
    mailbox.append(resident_mail(sender=RESIDENT))
    broken = type(mail_account).objects.create(name="Salah sandi", imap_server=mail_account.imap_server,
                                               imap_port=mail_account.imap_port, imap_security="none",
                                               username="aspirasi@test.local", password="salah")
    out, err = io.StringIO(), io.StringIO()
    call_command("check_mailboxes", stdout=out, stderr=err)
    assert "2 kotak surel diperiksa" in out.getvalue() and "1 aspirasi baru" in out.getvalue()
    assert "Aspirasi: terbaca." in out.getvalue() and "Salah sandi: Kotak surel tidak dapat dibaca" in err.getvalue()
    broken.refresh_from_db()
    assert broken.last_checked_at and broken.last_error.startswith("Kotak surel tidak dapat dibaca")
    mail_account.refresh_from_db()
    assert mail_account.last_checked_at and mail_account.last_error == ""
    assert AspirationMessage.objects.filter(purpose="receipt").count() == 1


def test_the_admin_never_shows_a_mailbox_password_and_keeps_it_when_left_empty(world, client, django_user_model):
    account = MailAccount.objects.create(name="Aspirasi", imap_server="imap.example.org", username="aspirasi",
                                         password="sandi-rahasia")
    receive(world, channel="email")
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "sandi-admin"))
    page = client.get(f"/admin/aspirations/mailaccount/{account.pk}/change/").content.decode()
    assert 'type="password"' in page and "sandi-rahasia" not in page
    for listing in ("mailaccount", "processedmail", "categorydeadline", "aspiration"):
        assert client.get(f"/admin/aspirations/{listing}/").status_code == 200, listing
    assert "warga@example.org" not in client.get("/admin/aspirations/aspiration/").content.decode()

    data = {"name": "Aspirasi DPRD", "enabled": "on", "imap_server": "imap.example.org", "imap_port": "993",
            "imap_security": "ssl", "username": "aspirasi", "password": "", "reply_from": ""}
    form = MailAccountForm(data=data, instance=account)
    assert form.is_valid(), form.errors
    form.save()
    account.refresh_from_db()
    assert (account.name, account.password) == ("Aspirasi DPRD", "sandi-rahasia")
    assert not MailAccountForm(data=data).is_valid(), "a new mailbox needs its password"

    rule = {"account": account.pk, "name": "Pindah", "order": "0", "folder": "INBOX", "category": "aspirasi",
            "action": "move", "action_parameter": "", "enabled": "on"}
    assert "action_parameter" in MailRuleForm(data=rule).errors
