"""A scan whose stamp fails: the letter page says why, and only a registrar can ask for the stamp again.

The stamp fails here for a passing reason — the stamping child runs out of
time (its limit set to nothing) — and works when asked again. A damaged scan
that pypdf cannot open (its ``startxref`` cut off, as every viewer still
shows it) is stamped on a copy poppler writes again.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.stamping import stamp_failed
from documents.text import process_version
from project.audit.models import AuditEvent
from tests.pdf_corpus.generated import no_startxref
from tests.support import PASSWORD, letter_data
from workflows.letters import services
from workflows.letters.tasks import prepare_scan


def signed_in(user):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def register_damaged(org):
    data = letter_data(org, subject="Undangan rapat paripurna")
    return services.register_letter(data=data, scan=SimpleUploadedFile("surat.pdf", no_startxref()),
                                    user=org.registrar, page_count=1)


def stamp_out_of_time(letter, settings):
    """Read the scan, then stamp it with no time allowed: the stamp fails as on an overloaded server."""
    process_version(letter.scan.versions.get(number=1))
    limit, settings.SIAP_PDF_TIMEOUT_SECONDS = settings.SIAP_PDF_TIMEOUT_SECONDS, 0.001
    assert prepare_scan(letter.pk) is None
    settings.SIAP_PDF_TIMEOUT_SECONDS = limit


def test_a_damaged_scan_is_stamped_on_a_copy_poppler_writes_again(org):
    letter = register_damaged(org)
    original = letter.scan.versions.get(number=1)
    received = original.blob.file.open("rb").read()
    assert prepare_scan(letter.pk) == 2
    stamped = letter.scan.versions.get(number=2)
    assert f"No. Agenda {letter.agenda_label}" in stamped.pages.get(number=1).text
    assert original.blob.file.open("rb").read() == received, "version 1 stays the file as received"
    assert services.missing_stamp(letter) is None


def test_a_scan_that_cannot_be_stamped_says_why_on_the_letter_page(org, register, dispose, settings):
    letter = register(subject="Undangan rapat paripurna")
    stamp_out_of_time(letter, settings)
    assert stamp_failed(letter.scan.versions.get(number=1))
    dispose(letter, [org.komisi1])
    page = signed_in(org.registrar).get(letter.get_absolute_url()).content.decode()
    assert "Berkas surat belum berstempel agenda." in page
    assert "Stempel agenda tidak dapat dibubuhkan (waktu habis)." in page
    assert 'id="retry-stamp"' in page
    member_page = signed_in(org.k1).get(letter.get_absolute_url()).content.decode()
    assert "Berkas surat belum berstempel agenda." in member_page and 'id="retry-stamp"' not in member_page


def test_only_a_registrar_asks_for_the_stamp_again(org, register, settings, django_capture_on_commit_callbacks):
    letter = register(subject="Undangan rapat paripurna")
    stamp_out_of_time(letter, settings)
    url = reverse("letters:retry_stamp", args=[letter.pk])
    assert signed_in(org.chair).post(url).status_code == 403
    assert stamp_failed(letter.scan.versions.get(number=1)), "a refused request changes nothing"
    with django_capture_on_commit_callbacks() as queued:
        response = signed_in(org.registrar).post(url)
    assert response.status_code == 302
    assert not stamp_failed(letter.scan.versions.get(number=1))
    assert any("retry_stamp" in callback.__qualname__ for callback in queued), "the stamp job is queued again"
    assert AuditEvent.objects.for_object(letter).filter(action="scan.stamp_retried", user=org.registrar).exists()
    assert prepare_scan(letter.pk) == 2, "the queued job stamps it this time"
    assert services.missing_stamp(letter) is None


def test_a_stamped_scan_shows_no_warning_and_cannot_be_retried(org, register):
    letter = register()
    prepare_scan(letter.pk)
    assert services.missing_stamp(letter) is None
    response = signed_in(org.registrar).post(reverse("letters:retry_stamp", args=[letter.pk]), follow=True)
    assert "tidak sedang menunggu stempel ulang" in response.content.decode()
    assert letter.scan.versions.count() == 2, "no second stamp"
