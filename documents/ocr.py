"""OCR with Tesseract (Debian: tesseract-ocr + tesseract-ocr-ind) and poppler (pdftoppm, pdfinfo, pdftotext, pdftocairo).

Both are optional on the embedded default: without them a scanned page keeps
no text and the version records why. They read files from outside, so they
run as the PDF child does (``project.sandbox.run_program``): memory, CPU and
wall time limited, what they print read only up to a cap, the image the
renderer writes limited in size. A page larger than ``SIAP_OCR_MAX_PIXELS``
at ``SIAP_OCR_DPI`` is rendered at a lower resolution instead of failing (a
crafted page a few metres wide would need gigabytes).
"""

import functools
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings

from project.sandbox import SandboxFailure, run_program

logger = logging.getLogger(__name__)

# Text Tesseract prints for one page, or pdfinfo for a whole document, stays far below this.
MAX_OUTPUT_BYTES = 4 * 1024 * 1024
# What pdftotext may print per page (a dense page is about 5 KB) and for a whole document.
MAX_PAGE_TEXT_BYTES = 256 * 1024
MAX_TEXT_BYTES = 64 * 1024 * 1024
# A copy poppler writes again may be larger than the file received (fonts embedded, images re-encoded).
REWRITE_GROWTH = 4
POINTS_PER_INCH = 72
# A PNG of a grey page is never larger than its pixels plus headers.
PNG_OVERHEAD_BYTES = 1024 * 1024
PAGE_SIZE_LINE = re.compile(rb"^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.M)
PAGES_LINE = re.compile(rb"^Pages:\s+(\d+)", re.M)
PROGRAMS = ("tesseract", "pdftoppm", "pdftotext", "pdfinfo", "prlimit")


@functools.cache
def unavailable_reason():
    """None when OCR can run; otherwise what is missing."""
    if not settings.SIAP_OCR_ENABLED:
        return "ocr_disabled"
    for program in PROGRAMS:
        if shutil.which(program) is None:
            return f"ocr_unavailable:{program}"
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    if settings.SIAP_OCR_LANGUAGE not in languages:
        return f"ocr_unavailable:tesseract-{settings.SIAP_OCR_LANGUAGE}"
    return None


def _run(command, *, timeout, **limits):
    return run_program(
        command, timeout=max(1, math.ceil(timeout)), memory_bytes=settings.SIAP_OCR_MEMORY_BYTES,
        max_output=MAX_OUTPUT_BYTES, **limits,
    )


def rendered_page_count(path, *, timeout=30):
    """How many pages poppler finds in the PDF, or None when it finds none it could draw.

    None too when poppler is missing or the file needs a password. A page of
    no size (a page tree that loops finds "pages" that are only tree nodes)
    is not a page.
    """
    if shutil.which("pdfinfo") is None or shutil.which("prlimit") is None:
        return None
    try:
        info = _run(["pdfinfo", "-f", "1", "-l", "1", str(path)], timeout=timeout)
    except SandboxFailure:
        return None
    count, first = PAGES_LINE.search(info), PAGE_SIZE_LINE.search(info)
    if count is None or first is None or not (float(first.group(2)) > 0 and float(first.group(3)) > 0):
        return None
    return int(count.group(1)) or None


def poppler_texts(path, first, last, *, timeout):
    """{page number: text} of pages ``first``…``last`` as poppler's pdftotext reads them ({} without poppler).

    The second reader of a text layer: pypdf runs the words of some PDFs
    together (TeX output) or cannot parse a page at all; poppler often reads
    the same layer cleanly, at a fraction of OCR's cost. Pages come separated
    by form feeds.
    """
    if shutil.which("pdftotext") is None or shutil.which("prlimit") is None:
        return {}
    pages = last - first + 1
    text = run_program(
        ["pdftotext", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(path), "-"],
        timeout=max(1, math.ceil(timeout)), memory_bytes=settings.SIAP_OCR_MEMORY_BYTES,
        max_output=min(MAX_PAGE_TEXT_BYTES * pages, MAX_TEXT_BYTES),
    ).decode("utf-8", errors="replace")
    return dict(zip(range(first, last + 1), text.split("\f")))


def rewrite_pdf(path, out_path, *, timeout=None):
    """Have poppler write the PDF again (``pdftocairo -pdf``): a copy pypdf can open. False when it cannot."""
    if shutil.which("pdftocairo") is None or shutil.which("prlimit") is None:
        return False
    try:
        _run(["pdftocairo", "-pdf", str(path), str(out_path)], timeout=timeout or settings.SIAP_PDF_TIMEOUT_SECONDS,
             file_bytes=settings.SIAP_MAX_UPLOAD_BYTES * REWRITE_GROWTH)
    except SandboxFailure as failure:
        logger.warning("pdftocairo could not rewrite %s (%s): %s", path, failure.reason, failure.detail[-300:])
        return False
    return os.path.exists(out_path) and os.path.getsize(out_path) > 0


def page_sizes(path, first, last, *, timeout=30):
    """{page number: (width, height) in points} of pages ``first``…``last``, as poppler reads them."""
    info = _run(["pdfinfo", "-f", str(first), "-l", str(last), str(path)], timeout=timeout)
    return {int(number): (float(width), float(height)) for number, width, height in PAGE_SIZE_LINE.findall(info)}


def resolution_for(size):
    """``SIAP_OCR_DPI``, lowered so that a page of ``size`` points has at most ``SIAP_OCR_MAX_PIXELS`` pixels."""
    dpi = settings.SIAP_OCR_DPI
    if size is None:
        return dpi
    width, height = (max(side, 1.0) / POINTS_PER_INCH for side in size)
    return max(1, min(dpi, int(math.sqrt(settings.SIAP_OCR_MAX_PIXELS / (width * height)))))


def ocr_pdf_page(path, page_number, *, timeout, size=None):
    """Render one page in grey and read it; ``SandboxFailure`` when a program breaks a limit or fails."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="siap-ocr-") as folder:
        prefix = Path(folder) / "page"
        _run(
            ["pdftoppm", "-r", str(resolution_for(size)), "-gray", "-png", "-f", str(page_number),
             "-l", str(page_number), "-singlefile", str(path), str(prefix)],
            timeout=timeout, file_bytes=settings.SIAP_OCR_MAX_PIXELS + PNG_OVERHEAD_BYTES,
        )
        return ocr_image(prefix.with_suffix(".png"), timeout=timeout - (time.monotonic() - started))


def ocr_image(path, *, timeout):
    """The text Tesseract reads in an image file (PNG or JPEG)."""
    if timeout <= 0:
        raise SandboxFailure("timeout", "no time left for Tesseract")
    text = _run(["tesseract", "stdin", "stdout", "-l", settings.SIAP_OCR_LANGUAGE, "--psm", "3"],
                timeout=timeout, input_path=path)
    return text.decode("utf-8", errors="replace").strip()
