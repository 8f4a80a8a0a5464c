"""The text layer of a version: pypdf page by page, OCR for pages without usable text.

Runs in the worker (``documents.tasks``). The PDF is parsed in a sandboxed
child process (a long one by ``SIAP_PDF_PROCESSES`` processes forked from
it); the renderer and Tesseract run under the same kind of limits
(``documents.ocr``). Whatever a file does, it ends as a status on its
version and plain reasons (``documents.outcomes``), never as a dead worker:

- a page whose text pypdf cannot use (glyph names, symbol garbage, words
  run together: ``documents.textquality``; a page it cannot parse) is read
  again by poppler, and by OCR when that is no better or the page is a scan;
- a file whose structure pypdf cannot read but poppler can render is read
  entirely by OCR; only a file nothing can read ends "gagal dibaca";
- OCR stops when the document's budget (``SIAP_OCR_DOCUMENT_PAGES``,
  ``SIAP_OCR_DOCUMENT_SECONDS``) is spent, keeping what it read;
- the final status says what was stored: "teks tersedia" (every page
  read), "teks sebagian" (some pages could not be), "tanpa teks" (nothing).
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import ocr
from .models import DocumentVersion, PageText, TextStatus
from .outcomes import page_ranges, problem
from .sandbox import SandboxFailure, run_pdf_worker
from .signals import text_layer_ready
from .textquality import assess
from .validation import IMAGES, PDF

logger = logging.getLogger(__name__)


def _set_status(version, status, problems=None):
    version.text_status = status
    if problems is not None:
        version.text_problems = problems
    version.text_updated_at = timezone.now()
    version.save(update_fields=["text_status", "text_problems", "text_updated_at"])


def process_version(version):
    """(Re)build the text layer of ``version``; returns its final status."""
    version = DocumentVersion.objects.select_related("blob").get(pk=version.pk)
    media_type = version.blob.media_type
    if media_type not in ({PDF} | IMAGES):
        _set_status(version, TextStatus.NOT_APPLICABLE, [])
        return version.text_status
    PageText.objects.filter(version=version).delete()
    _set_status(version, TextStatus.RUNNING, [])
    path = version.blob.file.path
    if media_type in IMAGES:
        return _ocr_and_finish(version, path, [1], unread=[], problems=[], image=True)
    try:
        answer = run_pdf_worker("extract", path, settings.SIAP_PDF_MAX_PAGES, settings.SIAP_PDF_PROCESSES)
    except SandboxFailure as failure:
        logger.warning("Reading %s stopped (%s): %s", version, failure.reason, failure.detail[:500])
        return _read_by_rendering(version, path, why=failure.reason)
    if answer.get("error"):
        logger.warning("pypdf cannot read %s: %s; %s", version, answer["error"], answer.get("problems", []))
        return _read_by_rendering(version, path, why="unreadable")
    problems = []
    if answer["problems"]:
        logger.info("Reading %s: %s", version, answer["problems"])
    if answer["encrypted"] and not answer["readable"]:
        _set_status(version, TextStatus.ENCRYPTED, [problem("password_required")])
        return version.text_status
    if answer["encrypted"]:
        problems.append(problem("encrypted_empty_password"))
    if answer.get("repaired"):
        problems.append(problem("repaired"))
    version.page_count = answer["pages"]
    version.save(update_fields=["page_count"])
    if answer["pages"] > len(answer["texts"]):
        problems.append(problem("too_many_pages", count=answer["pages"], limit=len(answer["texts"])))
    faults = {}  # page number → why pypdf's text of it cannot be used ("error": pypdf could not parse the page)
    with transaction.atomic():
        for number, text in enumerate(answer["texts"], start=1):
            quality = assess(text) if text is not None else None
            if quality is not None and quality.usable:
                PageText.objects.create(version=version, number=number, text=text, source=PageText.Source.PDF)
            else:
                faults[number] = quality.reason if quality is not None else "error"
        to_ocr = _read_again_with_poppler(version, path, faults, problems)
    unread = list(range(len(answer["texts"]) + 1, answer["pages"] + 1))
    return _ocr_and_finish(version, path, to_ocr, unread=unread, problems=problems)


def _read_again_with_poppler(version, path, faults, problems, *, whole_file=False):
    """Read the pages pypdf could not use with poppler's text reader; returns the pages left for OCR.

    pypdf runs the words of some PDFs together (TeX output: most pages of
    the Debian Reference) or fails on a page; poppler reads most such pages
    cleanly in milliseconds, where OCR would take seconds a page and
    misread some words. Pages poppler cannot read usefully either (glyph
    names, Type3 garbage, scans) go on to OCR. ``whole_file``: pypdf read no
    page at all, which the version's problems already say once.
    """
    if not faults:
        return []
    try:
        texts = ocr.poppler_texts(path, min(faults), max(faults), timeout=settings.SIAP_OCR_PAGE_TIMEOUT_SECONDS)
    except SandboxFailure as failure:
        logger.warning("pdftotext could not read %s (%s): %s", version, failure.reason, failure.detail[-300:])
        texts = {}
    to_ocr = []
    for number, why in faults.items():
        text = texts.get(number)
        reread = text is not None and assess(text).usable
        if reread:
            PageText.objects.create(version=version, number=number, text=text, source=PageText.Source.PDF)
        else:
            to_ocr.append(number)
        if whole_file:
            continue
        if reread:
            problems.append(problem("text_layer_reread", page=number, why=why))
        elif why == "error":
            problems.append(problem("page_unreadable", page=number))
        elif why != "empty":
            problems.append(problem("text_layer_unusable", page=number, why=why))
    return to_ocr


def _read_by_rendering(version, path, *, why):
    """pypdf could not read the file at all: read what poppler can (its text, else OCR), or say nothing can."""
    pages = ocr.rendered_page_count(path)
    if not pages:
        _set_status(version, TextStatus.FAILED, [problem("unreadable", why=why)])
        return version.text_status
    version.page_count = pages
    version.save(update_fields=["page_count"])
    readable = range(1, min(pages, settings.SIAP_PDF_MAX_PAGES) + 1)
    problems = [problem("structure_unreadable", why=why)]
    if pages > len(readable):
        problems.append(problem("too_many_pages", count=pages, limit=len(readable)))
    with transaction.atomic():
        to_ocr = _read_again_with_poppler(version, path, dict.fromkeys(readable, "error"), problems, whole_file=True)
    return _ocr_and_finish(version, path, to_ocr, unread=list(range(len(readable) + 1, pages + 1)), problems=problems)


def _ocr_and_finish(version, path, numbers, *, unread, problems, image=False):
    """OCR ``numbers`` within the document's budget, then record the status that matches what was stored.

    ``unread``: pages already known to stay without text (beyond the page limit).
    """
    unread = list(unread)
    if numbers:
        reason = ocr.unavailable_reason()
        if reason:
            code, _sep, what = reason.partition(":")
            problems.append(problem(code, what=what) if what else problem(code))
            unread += numbers
        else:
            _set_status(version, TextStatus.OCR, problems)
            unread += _ocr_pages(version, path, numbers, problems, image=image)
    stored = version.pages.exclude(text="").exists()
    blank = sorted(set(numbers) - set(unread) - set(version.pages.values_list("number", flat=True)))
    if blank:
        problems.append(problem("no_text_found", pages=page_ranges(blank)))
    if not stored:
        status = TextStatus.EMPTY
    elif unread:
        status = TextStatus.PARTIAL
    else:
        status = TextStatus.DONE
    _set_status(version, status, problems)
    text_layer_ready.send(sender=DocumentVersion, version=version)
    return version.text_status


def _ocr_pages(version, path, numbers, problems, *, image):
    """Read ``numbers`` by OCR until the budget is spent; returns the pages left without text."""
    deadline = time.monotonic() + settings.SIAP_OCR_DOCUMENT_SECONDS
    sizes = {} if image else _page_sizes(path, numbers)
    unread = []
    for index, number in enumerate(numbers):
        remaining, left = deadline - time.monotonic(), len(numbers) - index
        if index >= settings.SIAP_OCR_DOCUMENT_PAGES:
            problems.append(problem("ocr_budget_pages", limit=settings.SIAP_OCR_DOCUMENT_PAGES, unread=left))
            return unread + numbers[index:]
        if remaining <= 0:
            problems.append(problem("ocr_budget_seconds", limit=settings.SIAP_OCR_DOCUMENT_SECONDS, unread=left))
            return unread + numbers[index:]
        timeout = min(settings.SIAP_OCR_PAGE_TIMEOUT_SECONDS, remaining)
        try:
            if image:
                text = ocr.ocr_image(path, timeout=timeout)
            else:
                text = ocr.ocr_pdf_page(path, number, timeout=timeout, size=sizes.get(number))
        except SandboxFailure as failure:  # one unreadable page must not stop the rest
            logger.warning("OCR of %s page %s stopped (%s): %s", version, number, failure.reason, failure.detail[-500:])
            problems.append(problem("ocr_failed", page=number, why=failure.reason))
            unread.append(number)
            continue
        if text:
            PageText.objects.update_or_create(
                version=version, number=number, defaults={"text": text, "source": PageText.Source.OCR}
            )
    return unread


def _page_sizes(path, numbers):
    try:
        return ocr.page_sizes(path, min(numbers), max(numbers))
    except SandboxFailure as failure:
        logger.warning("pdfinfo could not size the pages of %s (%s)", path, failure.reason)
        return {}
