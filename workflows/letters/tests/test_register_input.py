"""Bad input at registration gets a clear Indonesian error and saves nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from project.audit.models import SubmissionReceipt
from tests.support import PASSWORD, letter_data, pdf_upload
from workflows.letters.forms import RegisterLetterForm
from workflows.letters.models import Letter

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200


@pytest.fixture
def registrar_client(org):
    client = Client()
    client.login(username="registrar", password=PASSWORD)
    return client


def form_post(org, scan, **overrides):
    data = letter_data(org, **overrides)
    data["classification"] = data["classification"].pk
    data["letter_date"] = data["letter_date"].isoformat()
    data["received_date"] = data["received_date"].isoformat()
    data["submission_token"] = RegisterLetterForm(user=None).fields["submission_token"].initial
    data["scan"] = scan
    return data


def encrypted_pdf(user_password):
    writer = PdfWriter(clone_from=io.BytesIO(pdf_upload().read()))
    writer.encrypt(user_password=user_password, owner_password="pemilik")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def assert_refused(client, org, private_media, scan, field, message, **overrides):
    response = client.post(reverse("letters:register"), form_post(org, scan, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert message in response.content.decode()
    assert Letter.objects.count() == 0
    assert not any(private_media.rglob("*")), "nothing written to storage"


def test_a_valid_letter_is_registered(org, registrar_client, private_media):
    response = registrar_client.post(reverse("letters:register"), form_post(org, pdf_upload()))
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    version = letter.scan.current
    assert version.page_count == 1 and version.blob.media_type == "application/pdf" and len(version.sha256) == 64


def test_jpeg_named_pdf_is_refused(org, registrar_client, private_media):
    scan = SimpleUploadedFile("surat.pdf", JPEG_BYTES, content_type="application/pdf")
    assert_refused(registrar_client, org, private_media, scan, "scan", "bukan PDF")


def test_empty_file_is_refused(org, registrar_client, private_media):
    scan = SimpleUploadedFile("surat.pdf", b"", content_type="application/pdf")
    # Django's own FileField already rejects an empty upload, in Indonesian
    response = registrar_client.post(reverse("letters:register"), form_post(org, scan))
    assert "scan" in response.context["form"].errors
    assert "kosong" in " ".join(response.context["form"].errors["scan"])
    assert Letter.objects.count() == 0


def test_pdf_encrypted_with_a_user_password_is_refused(org, registrar_client, private_media):
    scan = SimpleUploadedFile("surat.pdf", encrypted_pdf("rahasia"), content_type="application/pdf")
    assert_refused(registrar_client, org, private_media, scan, "scan", "terenkripsi")


def test_pdf_encrypted_with_an_empty_password_is_accepted(org, registrar_client):
    """It opens without a password (only its permissions are locked), so it can be read."""
    scan = SimpleUploadedFile("surat.pdf", encrypted_pdf(""), content_type="application/pdf")
    response = registrar_client.post(reverse("letters:register"), form_post(org, scan))
    assert response.status_code == 302
    assert Letter.objects.get().scan.current.page_count == 1


def test_truncated_pdf_is_refused(org, registrar_client, private_media):
    content = pdf_upload().read()
    scan = SimpleUploadedFile("surat.pdf", content[: len(content) // 3], content_type="application/pdf")
    assert_refused(registrar_client, org, private_media, scan, "scan", "rusak")


def test_garbage_after_pdf_header_is_refused(org, registrar_client, private_media):
    scan = SimpleUploadedFile("surat.pdf", b"%PDF-1.7\n" + b"sampah " * 500, content_type="application/pdf")
    assert_refused(registrar_client, org, private_media, scan, "scan", "rusak")


def test_file_over_the_size_limit_is_refused(org, registrar_client, private_media, settings):
    settings.SIAP_MAX_UPLOAD_BYTES = 1000
    assert_refused(registrar_client, org, private_media, pdf_upload(), "scan", "terlalu besar")


def test_letter_date_in_the_future_is_refused(org, registrar_client, private_media):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    assert_refused(registrar_client, org, private_media, pdf_upload(), "letter_date", "masa depan", letter_date=tomorrow)


def test_attachment_of_a_forbidden_type_is_refused(org, registrar_client, private_media):
    data = form_post(org, pdf_upload())
    data["attachments"] = [SimpleUploadedFile("skrip.pdf", b"#!/bin/sh\nrm -rf /\n")]
    response = registrar_client.post(reverse("letters:register"), data)
    assert "Jenis berkas tidak diizinkan" in " ".join(response.context["form"].errors["attachments"])
    assert Letter.objects.count() == 0 and not any(private_media.rglob("*"))


def test_script_in_text_fields_is_stored_as_typed_and_shown_escaped(org, registrar_client):
    evil = '<script>alert("x")</script> & <b>tebal</b>'
    registrar_client.post(reverse("letters:register"), form_post(org, pdf_upload(), subject=evil, sender=evil))
    letter = Letter.objects.get()
    assert letter.subject == evil
    page = registrar_client.get(letter.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_double_submission_registers_once(org, registrar_client):
    data = form_post(org, pdf_upload())
    first = registrar_client.post(reverse("letters:register"), data)
    data["scan"] = pdf_upload()
    second = registrar_client.post(reverse("letters:register"), data, follow=True)
    letter = Letter.objects.get()
    assert first["Location"] == letter.get_absolute_url()
    assert second.redirect_chain[-1][0] == letter.get_absolute_url()
    assert "sudah dikirim" in second.content.decode()
    assert SubmissionReceipt.objects.count() == 1


def test_form_without_token_is_refused(org, registrar_client):
    data = form_post(org, pdf_upload())
    data["submission_token"] = "x"
    response = registrar_client.post(reverse("letters:register"), data)
    assert "submission_token" in response.context["form"].errors
    assert "muat ulang" in response.content.decode()
    assert Letter.objects.count() == 0
