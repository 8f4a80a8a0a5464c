"""OCR with Tesseract (Debian: tesseract-ocr + tesseract-ocr-ind) and pdftoppm (poppler-utils).

Both are optional on the embedded default: without them a scanned page keeps
no text and the version records why.
"""

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

OCR_TIMEOUT_SECONDS = 180


@functools.cache
def unavailable_reason():
    """None when OCR can run; otherwise what is missing."""
    if not settings.SIAP_OCR_ENABLED:
        return "ocr_disabled"
    for program in ("tesseract", "pdftoppm"):
        if shutil.which(program) is None:
            return f"ocr_unavailable:{program}"
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    if settings.SIAP_OCR_LANGUAGE not in languages:
        return f"ocr_unavailable:tesseract-{settings.SIAP_OCR_LANGUAGE}"
    return None


def _tesseract(image_bytes):
    result = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", settings.SIAP_OCR_LANGUAGE, "--psm", "3"],
        input=image_bytes,
        capture_output=True,
        timeout=OCR_TIMEOUT_SECONDS,
        check=True,
    )
    return result.stdout.decode("utf-8", errors="replace").strip()


def ocr_pdf_page(path, page_number):
    """Render one page at SIAP_OCR_DPI in grey and read it."""
    with tempfile.TemporaryDirectory(prefix="siap-ocr-") as folder:
        prefix = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-r", str(settings.SIAP_OCR_DPI), "-gray", "-png", "-f", str(page_number),
             "-l", str(page_number), "-singlefile", str(path), str(prefix)],
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=True,
        )
        return ocr_image(prefix.with_suffix(".png"))


def ocr_image(path):
    with open(path, "rb") as handle:
        return _tesseract(handle.read())
