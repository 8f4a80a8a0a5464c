"""An oversized request is refused from its declared length before its body is read, and a "PDF" that does not
start with the PDF marker (a polyglot: an HTML page or a ZIP that PDF readers also open) is refused."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from api.testing import token_client
from project.request_limits import FORM_OVERHEAD_BYTES, request_body_limit
from tests.support import PASSWORD, letter_data, pdf_upload
from workflows.letters.forms import RegisterLetterForm
from workflows.letters.models import Letter
from workflows.minutes import views as minutes_views


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


@pytest.fixture
def registrar(org):
    client = Client()
    assert client.login(username="registrar", password=PASSWORD)
    return client


def register_form(org, scan):
    data = letter_data(org)
    data.update(classification=data["classification"].pk, letter_date=data["letter_date"].isoformat(),
                received_date=data["received_date"].isoformat(), scan=scan,
                submission_token=RegisterLetterForm(user=None).fields["submission_token"].initial)
    return data


def test_an_oversized_body_is_refused_before_it_is_read(org, registrar, settings):
    settings.SIAP_MAX_REQUEST_BYTES = 1024 * 1024
    too_large = str(settings.SIAP_MAX_REQUEST_BYTES + FORM_OVERHEAD_BYTES + 1)
    response = registrar.post(reverse("letters:register"), content_type="multipart/form-data; boundary=x",
                              data=b"", CONTENT_LENGTH=too_large, **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "Kiriman ini terlalu besar; batasnya 1,0\xa0MB. Tidak ada yang disimpan." in response.content.decode()
    assert not Letter.objects.exists()


def test_a_body_within_the_limit_goes_through(org, registrar, settings):
    settings.SIAP_MAX_REQUEST_BYTES = 1024 * 1024
    response = registrar.post(reverse("letters:register"), register_form(org, pdf_upload()))
    assert response.status_code == 302 and Letter.objects.count() == 1


def test_a_recording_upload_has_the_audio_limit(settings):
    settings.SIAP_MAX_REQUEST_BYTES = 1024 * 1024
    settings.SIAP_MAX_AUDIO_BYTES = 500 * 1024 * 1024
    assert request_body_limit(minutes_views.upload_recording) == 500 * 1024 * 1024 + FORM_OVERHEAD_BYTES
    assert request_body_limit(minutes_views.save_line) == 1024 * 1024 + FORM_OVERHEAD_BYTES


def test_an_api_client_gets_the_refusal_in_json(org, settings):
    settings.SIAP_MAX_REQUEST_BYTES = 1024 * 1024
    client = token_client(org.registrar)
    response = client.generic("POST", "/api/v1/letters/", b"", content_type="multipart/form-data; boundary=x",
                              HTTP_ACCEPT="application/json", CONTENT_LENGTH=str(50 * 1024 * 1024),
                              **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def html_then_pdf():
    return b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>\n" + pdf_upload().read()


def zip_then_pdf():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "halo")
    return buffer.getvalue() + pdf_upload().read()


@pytest.mark.parametrize("polyglot", [html_then_pdf, zip_then_pdf])
def test_a_polyglot_pdf_is_refused_on_the_registration_page(org, registrar, polyglot):
    scan = SimpleUploadedFile("surat.pdf", polyglot(), content_type="application/pdf")
    response = registrar.post(reverse("letters:register"), register_form(org, scan))
    assert response.status_code == 200
    assert "Berkas ini bukan PDF (isinya tidak diawali penanda PDF)." in " ".join(response.context["form"].errors["scan"])
    assert not Letter.objects.exists()


@pytest.mark.parametrize("polyglot", [html_then_pdf, zip_then_pdf])
def test_a_polyglot_pdf_is_refused_by_the_api(org, polyglot):
    from workflows.letters.tests.test_api import registration

    client = token_client(org.registrar)
    scan = SimpleUploadedFile("surat.pdf", polyglot(), content_type="application/pdf")
    response = client.post("/api/v1/letters/", registration(org, scan=scan), format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["scan"] == ["Berkas ini bukan PDF (isinya tidak diawali penanda PDF)."]
    assert not Letter.objects.exists()
    accepted = client.post("/api/v1/letters/", registration(org), format="multipart")
    assert accepted.status_code == 201
