"""Every file of the real-world and hostile PDF corpus (``tests/pdf_corpus``) through the whole pipeline.

Upload check → text layer (pypdf, poppler's reader, OCR) → stamp, as a
letter's scan goes. Each file ends read (its words found, from the pages the
manifest says), or refused at upload with the reason the manifest names;
every reason a person sees is plain words; stamping either makes a stamped
version or says why not; and the worker's own memory does not grow with any
file (what the programs print is read only up to a cap).

The manifest says for each file where it came from and under which licence
(``tests/pdf_corpus/SOURCES.md``).
"""

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import ocr
from documents.models import PageText, TextStatus
from documents.services import add_document
from documents.stamping import stamp_failure_messages, stamp_first_page
from documents.text import process_version
from documents.validation import PDF, UploadPolicy
from tests.pdf_corpus.generated import GENERATORS

from .support import require_tool

CORPUS = Path(__file__).parent / "pdf_corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
PDF_ONLY = UploadPolicy("corpus_pdf", frozenset({PDF}), "PDF")
# What the worker may grow by while one file goes through (it holds the file's text; the programs hold the rest).
WORKER_GROWTH_LIMIT_BYTES = 64 * 1024 * 1024
# Words of exception texts and programs that must never reach a person.
TECHNICAL = re.compile(r"Error|Exception|Traceback|NoneType|pypdf|CalledProcess|errno|\bstream\b", re.I)


def content_of(item):
    return (CORPUS / item["file"]).read_bytes() if item.get("file") else GENERATORS[item["generator"]]()


def resident_peak_reset():
    """Forget this process's peak resident memory so far (Linux: ``clear_refs`` 5); returns the current one."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status_bytes("VmHWM")


def _status_bytes(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)


def assert_plain(messages):
    for message in messages:
        assert message and not TECHNICAL.search(message), message


@pytest.fixture(scope="module")
def tools():
    ocr.unavailable_reason.cache_clear()
    require_tool(ocr.unavailable_reason() is None, "tesseract-ocr-ind, poppler-utils and prlimit")
    yield


@pytest.mark.parametrize("item", MANIFEST, ids=[item["name"] for item in MANIFEST])
def test_every_corpus_file_ends_read_or_refused_with_a_plain_reason(tools, org, register, item):
    content = content_of(item)
    before = resident_peak_reset()
    upload = SimpleUploadedFile(f"{item['name']}.pdf", content)
    if item["expected"] == "refused":
        with pytest.raises(ValidationError) as refused:
            PDF_ONLY.check(upload)
        assert refused.value.code == item["refusal"], refused.value
        assert_plain(refused.value.messages)
        return
    PDF_ONLY.check(upload)
    letter = register()
    version = add_document(letter, role="attachment", file=upload, media_type=PDF, user=org.registrar).current
    status = process_version(version)
    version.refresh_from_db()
    assert status in (TextStatus.DONE, TextStatus.PARTIAL, TextStatus.EMPTY), (status, version.text_problems)
    assert_plain(version.problem_messages())
    stored = version.pages.exclude(text="")
    assert (status == TextStatus.EMPTY) == (not stored.exists()), "the status says what was stored"
    text = " ".join(version.text().split()).lower()
    for word in item["words"]:
        assert word in text, (word, text[:500], version.text_problems)
    ocr_pages = set(version.pages.filter(source=PageText.Source.OCR).values_list("number", flat=True))
    expected_ocr = set(item["ocr_pages"] or [])
    if item["expected"] == "ocr":
        assert expected_ocr <= ocr_pages | blank_pages(version), (ocr_pages, version.text_problems)
    else:
        assert ocr_pages <= expected_ocr, f"read from its own text layer, yet pages {ocr_pages} went to OCR"

    stamped = stamp_first_page(version, lines=["DPRD KOTA BALIKPAPAN  No. Agenda 2026/0001"], note="Stempel")
    version.refresh_from_db()
    if stamped is None:
        assert_plain(stamp_failure_messages(version))
        assert stamp_failure_messages(version), "a missing stamp says why"
    elif status != TextStatus.EMPTY:
        assert "No. Agenda 2026/0001" in stamped.pages.get(number=1).text
    grown = _status_bytes("VmHWM") - before
    assert grown < WORKER_GROWTH_LIMIT_BYTES, f"the worker grew by {grown // 2**20} MiB on this file"


def blank_pages(version):
    """Pages OCR read and found nothing on (an image with no text): recorded, not stored."""
    blank = set()
    for record in version.text_problems:
        if record.get("code") == "no_text_found":
            for part in record["pages"].split(", "):
                first, _dash, last = part.partition("–")
                blank.update(range(int(first), int(last or first) + 1))
    return blank
