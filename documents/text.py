"""The text layer of a version: pypdf page by page, OCR for pages without text.

Runs in the worker (``documents.tasks``). The PDF is parsed in a sandboxed
child process (a long one by ``SIAP_PDF_PROCESSES`` processes forked from
it), so a hostile file ends as a status on its version ("terenkripsi",
"gagal dibaca" with the problems found), never as a dead worker.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import ocr
from .models import DocumentVersion, PageText, TextStatus
from .sandbox import SandboxFailure, run_pdf_worker
from .signals import text_layer_ready
from .validation import IMAGES, PDF

logger = logging.getLogger(__name__)

# A page with fewer visible characters than this is treated as a scan (a stray
# page number or scanner mark is not a text layer).
MIN_TEXT_CHARS = 3


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
        return _ocr_pages(version, [(1, lambda: ocr.ocr_image(path))], [])
    try:
        answer = run_pdf_worker("extract", path, settings.SIAP_PDF_MAX_PAGES, settings.SIAP_PDF_PROCESSES)
    except SandboxFailure as failure:
        _set_status(version, TextStatus.FAILED, [f"{failure.reason}: {failure.detail[:300]}"])
        return version.text_status
    if answer.get("error"):
        _set_status(version, TextStatus.FAILED, [answer["error"], *answer.get("problems", [])])
        return version.text_status
    problems = list(answer["problems"])
    if answer["encrypted"] and not answer["readable"]:
        _set_status(version, TextStatus.ENCRYPTED, problems)
        return version.text_status
    if answer["encrypted"]:
        problems.append("encrypted_empty_password")
    version.page_count = answer["pages"]
    version.save(update_fields=["page_count"])
    scans = []
    with transaction.atomic():
        for number, text in enumerate(answer["texts"], start=1):
            if text is not None and len("".join(text.split())) >= MIN_TEXT_CHARS:
                PageText.objects.create(version=version, number=number, text=text, source=PageText.Source.PDF)
            else:
                scans.append((number, lambda number=number: ocr.ocr_pdf_page(path, number)))
    return _ocr_pages(version, scans, problems)


def _ocr_pages(version, pages, problems):
    if pages:
        reason = ocr.unavailable_reason()
        if reason:
            problems.append(reason)
        else:
            _set_status(version, TextStatus.OCR, problems)
            for number, read in pages:
                try:
                    text = read()
                except Exception as exc:  # noqa: BLE001 - one unreadable page must not stop the rest
                    logger.warning("OCR failed on %s page %s: %s", version, number, exc)
                    problems.append(f"ocr page {number}: {type(exc).__name__}")
                    continue
                PageText.objects.update_or_create(
                    version=version, number=number, defaults={"text": text, "source": PageText.Source.OCR}
                )
    _set_status(version, TextStatus.DONE, problems)
    text_layer_ready.send(sender=DocumentVersion, version=version)
    return version.text_status
