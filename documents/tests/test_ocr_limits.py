"""The renderer and Tesseract under SIAP's limits, and each document's OCR budget.

The limits are shown biting on the real programs: a program that prints
without end is stopped at the cap, one that asks for too much memory or time
is stopped and named so, a crafted page too large to render is rendered at a
lower resolution, and a document whose pages would take too long stops at its
budget with the text already read kept and a status that says so.
"""

import io
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from documents import ocr
from documents.models import PageText, TextStatus
from documents.services import add_document
from documents.text import process_version
from project.sandbox import SandboxFailure, run_program
from tests import hostile_pdfs
from tests.pdf_corpus.generated import error_flood

from .test_text import SCANNED_LINES, tool_or_skip


@pytest.fixture
def tools():
    ocr.unavailable_reason.cache_clear()
    tool_or_skip(ocr.unavailable_reason() is None, "tesseract-ocr-ind / poppler-utils / prlimit")
    yield
    ocr.unavailable_reason.cache_clear()


def stored(org, letter, content):
    document = add_document(letter, role="attachment", file=SimpleUploadedFile("pindaian.pdf", content),
                            media_type="application/pdf", user=org.registrar)
    return document.current


def scans(pages):
    """An image-only PDF of ``pages`` scanned pages (each the same letter)."""
    page = PdfReader(io.BytesIO(hostile_pdfs.scanned_letter(SCANNED_LINES))).pages[0]
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_program_that_prints_without_end_is_stopped_at_the_cap():
    with pytest.raises(SandboxFailure) as stopped:
        run_program(["yes", "Syntax Error: Unknown operator"], timeout=30, memory_bytes=256 * 1024 * 1024,
                    max_output=1024 * 1024)
    assert stopped.value.reason == "output"


def test_error_text_counts_against_the_cap_too():
    script = "import sys\nwhile True: sys.stderr.write('Syntax Error (12): Illegal character\\n' * 1000)"
    with pytest.raises(SandboxFailure) as stopped:
        run_program([sys.executable, "-c", script], timeout=30, memory_bytes=512 * 1024 * 1024, max_output=1024 * 1024)
    assert stopped.value.reason == "output"
    assert "Illegal character" in stopped.value.detail and len(stopped.value.detail) <= 2000


def test_a_program_is_held_to_its_memory_and_time():
    with pytest.raises(SandboxFailure) as stopped:
        run_program([sys.executable, "-c", "bytearray(2 * 1024 ** 3)"], timeout=30,
                    memory_bytes=300 * 1024 * 1024, max_output=1024)
    assert stopped.value.reason == "memory"
    with pytest.raises(SandboxFailure) as stopped:
        run_program(["sleep", "30"], timeout=1, memory_bytes=64 * 1024 * 1024, max_output=1024)
    assert stopped.value.reason == "timeout"
    with pytest.raises(SandboxFailure) as stopped:  # CPU time, not only the wall clock
        run_program([sys.executable, "-c", "while True: pass"], timeout=1, memory_bytes=300 * 1024 * 1024,
                    max_output=1024)
    assert stopped.value.reason == "timeout"


def test_what_a_program_prints_within_its_limits_comes_back():
    assert run_program(["printf", "halaman 1"], timeout=5, memory_bytes=64 * 1024 * 1024, max_output=100) == b"halaman 1"


def test_a_crafted_page_that_makes_poppler_print_without_end_is_stopped_at_the_cap(tools, tmp_path):
    """A few kilobytes of nested forms make poppler print about 350 MB of errors; it is stopped at 4 MiB."""
    path = tmp_path / "banjir.pdf"
    path.write_bytes(error_flood())
    with pytest.raises(SandboxFailure) as stopped:
        ocr.ocr_pdf_page(path, 1, timeout=60, size=(595, 842))
    assert stopped.value.reason == "output" and "Syntax Error" in stopped.value.detail
    with pytest.raises(SandboxFailure) as stopped:
        ocr.poppler_texts(path, 1, 1, timeout=60)
    assert stopped.value.reason == "output"


def test_a_page_too_large_for_the_memory_limit_is_rendered_smaller(tools, settings, tmp_path):
    """At 3,000 dpi an A4 scan needs 870 million pixels; the renderer gets the resolution that fits the cap."""
    path = tmp_path / "pindaian.pdf"
    path.write_bytes(hostile_pdfs.scanned_letter(SCANNED_LINES))
    settings.SIAP_OCR_DPI = 3000
    settings.SIAP_OCR_MEMORY_BYTES = 512 * 1024 * 1024
    size = ocr.page_sizes(path, 1, 1)[1]
    dpi = ocr.resolution_for(size)
    assert dpi < 3000 and (size[0] / 72 * dpi) * (size[1] / 72 * dpi) <= settings.SIAP_OCR_MAX_PIXELS
    assert "drainase" in ocr.ocr_pdf_page(path, 1, timeout=120, size=size)
    settings.SIAP_OCR_MAX_PIXELS = 10 ** 10  # without the lower resolution the memory limit stops the renderer
    with pytest.raises(SandboxFailure) as stopped:
        ocr.ocr_pdf_page(path, 1, timeout=120, size=size)
    assert stopped.value.reason == "memory" and "Out of memory" in stopped.value.detail


def test_the_document_budget_in_pages_keeps_what_was_read(tools, org, register, settings):
    settings.SIAP_OCR_DOCUMENT_PAGES = 2
    version = stored(org, register(), scans(4))
    assert process_version(version) == TextStatus.PARTIAL
    version.refresh_from_db()
    assert list(version.pages.values_list("number", "source")) == [(1, PageText.Source.OCR), (2, PageText.Source.OCR)]
    assert "drainase" in version.text()
    assert {"code": "ocr_budget_pages", "limit": 2, "unread": 2} in version.text_problems
    assert "Batas OCR per dokumen (2 halaman) tercapai; 2 halaman lagi belum dibaca." in version.problem_messages()


def test_the_document_budget_in_seconds_stops_the_rest(tools, org, register, settings):
    settings.SIAP_OCR_DOCUMENT_SECONDS = 1
    version = stored(org, register(), scans(6))
    status = process_version(version)
    version.refresh_from_db()
    budget = [record for record in version.text_problems if record["code"] == "ocr_budget_seconds"]
    assert budget and budget[0]["unread"] >= 1, version.text_problems
    tried = version.pages.count() + sum(record["code"] == "ocr_failed" for record in version.text_problems)
    assert tried + budget[0]["unread"] == 6, "the pages after the budget are not tried"
    assert status == (TextStatus.PARTIAL if version.pages.exists() else TextStatus.EMPTY)


def test_a_page_whose_programs_fail_is_named_and_the_rest_is_read(tools, org, register, settings):
    """Page 2 is the scan blown up six times; at 600 dpi without a pixel cap its bitmap does not fit the memory limit."""
    settings.SIAP_OCR_DPI = 600
    settings.SIAP_OCR_MAX_PIXELS = 10 ** 10
    settings.SIAP_OCR_MEMORY_BYTES = 768 * 1024 * 1024
    scanned = PdfReader(io.BytesIO(scans(2))).pages
    large = PdfReader(io.BytesIO(hostile_pdfs.scanned_letter(["Lampiran"]))).pages[0]  # its own image and content
    writer = PdfWriter()
    for page in (scanned[0], large, scanned[1]):
        writer.add_page(page)
    writer.pages[1].scale_by(6)
    buffer = io.BytesIO()
    writer.write(buffer)
    version = stored(org, register(), buffer.getvalue())
    assert process_version(version) == TextStatus.PARTIAL
    version.refresh_from_db()
    assert sorted(version.pages.values_list("number", flat=True)) == [1, 3]
    assert [record for record in version.text_problems if record["code"] == "ocr_failed"] == [
        {"code": "ocr_failed", "page": 2, "why": "memory"}]
    assert "OCR halaman 2 gagal (memori tidak cukup); halaman itu tanpa teks." in version.problem_messages()
