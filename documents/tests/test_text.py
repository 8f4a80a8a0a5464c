"""Text layers: real PDFs, hostile PDFs, scanned letters through OCR, stamping."""

import os
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from documents import ocr
from documents.models import PageText, TextStatus
from documents.services import add_document
from documents.text import process_version
from documents.validation import PDF, UploadPolicy
from tests import hostile_pdfs
from tests.support import PASSWORD
from workflows.letters import services

REQUIRE_TOOLS = bool(os.environ.get("SIAP_REQUIRE_TOOLS"))

PDF_ONLY = UploadPolicy("test_pdf", frozenset({PDF}), "PDF")


def tool_or_skip(available, what):
    if not available:
        if REQUIRE_TOOLS:
            pytest.fail(f"{what} is missing; make test installs it")
        pytest.skip(f"{what} not installed (make test installs it)")


def stored(org, letter, content, name="berkas.pdf"):
    """A document version holding ``content``, stored as the worker would find it."""
    document = add_document(letter, role="attachment", file=SimpleUploadedFile(name, content),
                            media_type="application/pdf", user=org.registrar)
    return document.current


@pytest.fixture
def letter(register):
    return register()


def test_real_pdf_text_is_extracted_page_by_page(org, letter):
    """The Debian Reference in Indonesian (266 pages, xdvipdfmx); the English one is in the benchmark."""
    path, words = hostile_pdfs.DEBIAN_REFERENCE_ID, ["Referensi Debian", "Osamu Aoki", "sistem"]
    tool_or_skip(os.path.exists(path), path)
    with open(path, "rb") as handle:
        version = stored(org, letter, handle.read(), os.path.basename(path))
    assert process_version(version) == TextStatus.DONE
    version.refresh_from_db()
    assert version.page_count > 200
    text = version.text()
    for word in words:
        assert word in text
    assert version.pages.filter(source=PageText.Source.PDF).count() > 200


@pytest.mark.parametrize(
    "build, status, codes",
    [
        (hostile_pdfs.truncated, TextStatus.FAILED, ["unreadable"]),
        (hostile_pdfs.page_tree_loop, TextStatus.FAILED, ["unreadable"]),
        (lambda: hostile_pdfs.encrypted("rahasia"), TextStatus.ENCRYPTED, ["password_required"]),
        (lambda: hostile_pdfs.decompression_bomb(256 * 1024 * 1024), TextStatus.EMPTY, ["page_unreadable", "ocr_disabled"]),
        (hostile_pdfs.broken_xref, TextStatus.DONE, ["repaired"]),
        (lambda: hostile_pdfs.encrypted(""), TextStatus.DONE, ["encrypted_empty_password"]),
    ],
    ids=["truncated", "page-tree-loop", "encrypted", "decompression-bomb", "broken-xref", "empty-password"],
)
def test_hostile_pdfs_end_in_a_clear_status(org, letter, settings, build, status, codes):
    settings.SIAP_OCR_ENABLED = False  # this test is about reading, not OCR
    ocr.unavailable_reason.cache_clear()
    version = stored(org, letter, build())
    assert process_version(version) == status
    version.refresh_from_db()
    assert [record["code"] for record in version.text_problems] == codes
    assert all(message and "Error" not in message for message in version.problem_messages()), "plain words only"
    ocr.unavailable_reason.cache_clear()


def test_broken_xref_is_read_as_far_as_possible(org, letter):
    version = stored(org, letter, hostile_pdfs.broken_xref())
    process_version(version)
    assert "membahas anggaran halaman 2" in version.text()


def test_two_thousand_pages_are_read(org, letter):
    version = stored(org, letter, hostile_pdfs.many_pages(2000))
    assert process_version(version) == TextStatus.DONE
    version.refresh_from_db()
    assert version.page_count == 2000 and version.pages.count() == 2000


def test_page_cap_is_recorded(org, letter, settings):
    settings.SIAP_PDF_MAX_PAGES = 50
    version = stored(org, letter, hostile_pdfs.many_pages(120))
    process_version(version)
    version.refresh_from_db()
    assert version.pages.count() == 50
    assert {"code": "too_many_pages", "count": 120, "limit": 50} in version.text_problems
    assert version.text_status == TextStatus.PARTIAL
    assert "PDF ini berisi 120 halaman; hanya 50 halaman pertama yang dibaca." in version.problem_messages()


def test_child_out_of_time_is_a_status_not_a_crash(org, letter, settings):
    """pypdf's child runs out of time on 2,000 pages: poppler's reader takes over, as it would for a damaged file."""
    settings.SIAP_PDF_TIMEOUT_SECONDS = 1
    version = stored(org, letter, hostile_pdfs.many_pages(2000))
    assert process_version(version) == TextStatus.DONE
    version.refresh_from_db()
    assert version.text_problems == [{"code": "structure_unreadable", "why": "timeout"}]
    assert version.pages.count() == 2000 and "halaman 2000" in version.pages.get(number=2000).text


@pytest.mark.parametrize(
    "build, message",
    [
        (hostile_pdfs.truncated, "rusak dan tidak dapat dibuka"),
        (hostile_pdfs.page_tree_loop, "rusak dan tidak dapat dibuka"),
        (lambda: hostile_pdfs.encrypted("rahasia"), "terenkripsi"),
        (lambda: hostile_pdfs.JPEG_BYTES, "bukan PDF"),
    ],
    ids=["truncated", "page-tree-loop", "encrypted", "jpeg-named-pdf"],
)
def test_unreadable_pdfs_are_refused_at_upload(db, build, message):
    with pytest.raises(ValidationError, match=message):
        PDF_ONLY.check(SimpleUploadedFile("surat.pdf", build()))


@pytest.mark.parametrize("build", [hostile_pdfs.broken_xref, lambda: hostile_pdfs.decompression_bomb(64 * 1024 * 1024)])
def test_damaged_but_readable_pdfs_are_accepted_at_upload(db, build):
    assert PDF_ONLY.check(SimpleUploadedFile("surat.pdf", build()))[1] >= 1


SCANNED_LINES = [
    "PEMERINTAH KOTA BALIKPAPAN",
    "DINAS PEKERJAAN UMUM",
    "Nomor: 600.1.2/345/DPU",
    "Perihal: Permohonan audiensi",
    "Dengan hormat, kami mohon audiensi",
    "tentang pembangunan drainase",
    "di Kelurahan Sepinggan.",
]


def test_scanned_letter_is_read_by_ocr(org, letter, settings):
    ocr.unavailable_reason.cache_clear()
    tool_or_skip(ocr.unavailable_reason() is None, "tesseract-ocr-ind / poppler-utils")
    version = stored(org, letter, hostile_pdfs.scanned_letter(SCANNED_LINES), "pindaian.pdf")
    assert process_version(version) == TextStatus.DONE
    page = version.pages.get(number=1)
    assert page.source == PageText.Source.OCR
    text = " ".join(page.text.split()).lower()
    for phrase in ["pekerjaan umum", "permohonan audiensi", "drainase", "sepinggan"]:
        assert phrase in text, text


def test_without_ocr_a_scan_keeps_no_text_and_says_why(org, letter, settings, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda program: None)
    ocr.unavailable_reason.cache_clear()
    try:
        version = stored(org, letter, hostile_pdfs.scanned_letter(["Surat"]), "pindaian.pdf")
        assert process_version(version) == TextStatus.EMPTY
        version.refresh_from_db()
        assert version.pages.count() == 0
        assert version.text_problems == [{"code": "ocr_unavailable", "what": "tesseract"}]
        assert version.get_text_status_display() == "Tanpa teks"
    finally:
        ocr.unavailable_reason.cache_clear()


def test_stamp_makes_a_new_version_and_keeps_the_original(org, register):
    letter = register(subject="Undangan rapat kerja")
    original = letter.scan.current
    original_bytes = original.blob.file.open("rb").read()
    process_version(original)
    stamped = services.stamp_scan(letter)
    assert stamped.number == 2 and stamped.note == services.STAMP_NOTE
    original.refresh_from_db()
    assert original.blob.file.open("rb").read() == original_bytes, "v1 untouched"
    assert stamped.sha256 != original.sha256
    page1 = stamped.pages.get(number=1).text
    assert f"No. Agenda {letter.agenda_label}" in page1 and "Undangan rapat kerja" in page1
    # the stamp is really on the page: read it back from the stamped file
    process_version(stamped)
    assert letter.agenda_label in stamped.pages.get(number=1).text
    assert services.stamp_scan(letter) is None, "stamped once"


def test_extract_text_command_rebuilds_with_progress(org, letter, capsys):
    call_command("extract_text", "--all")
    captured = capsys.readouterr()
    assert "Ekstraksi teks" in captured.err and "1/1" in captured.err
    assert "done: 1" in captured.out
    assert letter.scan.current.pages.count() == 1


def test_document_page_shows_text_status_and_is_refused_to_outsiders(org, register, dispose):
    letter = register()
    process_version(letter.scan.current)
    dispose(letter, [org.komisi1])
    url = reverse("documents:detail", args=[letter.scan.pk])
    insider = Client()
    insider.login(username="komisi1", password=PASSWORD)
    page = insider.get(url).content.decode()
    assert "Teks tersedia" in page and "Permohonan audiensi" in page
    outsider = Client()
    outsider.login(username="komisi2", password=PASSWORD)
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("documents:download", args=[letter.scan.pk, 1])).status_code == 404


def test_memory_limit_applies_to_the_reading_child(org, letter, settings, caplog):
    """At 100 MiB the bomb's page runs out of memory inside the child; the page is recorded, the worker lives."""
    caplog.set_level("INFO", logger="documents.text")
    settings.SIAP_PDF_MEMORY_BYTES = 100 * 1024 * 1024
    settings.SIAP_OCR_ENABLED = False
    ocr.unavailable_reason.cache_clear()
    try:
        version = stored(org, letter, hostile_pdfs.decompression_bomb(256 * 1024 * 1024))
        assert process_version(version) == TextStatus.EMPTY
        version.refresh_from_db()
        assert {"code": "page_unreadable", "page": 1} in version.text_problems, version.text_problems
        assert "MemoryError" in caplog.text, "the technical detail goes to the log"
    finally:
        ocr.unavailable_reason.cache_clear()
