"""Stamping: a registered scan gets a copy with a stamp on page 1, as a new version.

The original version stays untouched. The stamped version's text layer is
the original's (plus the stamp's lines on page 1): re-reading it would find
the stamp's text on a scanned page and skip that page's OCR.
"""

import json
import logging
import os
import tempfile

from django.core.files import File

from . import ocr
from .models import PageText, TextStatus
from .outcomes import describe, problem
from .sandbox import SandboxFailure, run_pdf_worker
from .services import add_version
from .signals import text_layer_ready
from .validation import PDF

logger = logging.getLogger(__name__)
STAMP_FAILED = "stamp_failed"


def _is_stamp_failure(record):
    return isinstance(record, dict) and record.get("code") == STAMP_FAILED


def stamp_failed(version):
    """Whether stamping ``version`` was tried and failed (the reason is among its problems)."""
    return any(map(_is_stamp_failure, version.text_problems))


def stamp_failure_messages(version):
    """Why stamping ``version`` failed, in plain words; empty when it did not."""
    return describe(list(filter(_is_stamp_failure, version.text_problems)))


def forget_stamp_failure(problems):
    """``problems`` without the record of a failed stamp: before another try."""
    return [record for record in problems if not _is_stamp_failure(record)]


def stamp_first_page(version, *, lines, note, user=None):
    """The new stamped version, or None when the PDF cannot be stamped (the reason is recorded).

    A file pypdf cannot open (a broken cross-reference table, no
    ``startxref``: accepted because poppler shows it) is stamped on a copy
    poppler writes again (``pdftocairo``); version 1 stays the file as received.
    """
    with tempfile.TemporaryDirectory(prefix="siap-stamp-") as folder:
        out_path = os.path.join(folder, "stamped.pdf")
        answer = _stamp(version.blob.file.path, out_path, lines)
        if answer.get("error") == "unreadable":
            repaired = os.path.join(folder, "repaired.pdf")
            if ocr.rewrite_pdf(version.blob.file.path, repaired):
                answer = _stamp(repaired, out_path, lines)
        if answer.get("error"):
            logger.warning("%s cannot be stamped: %s", version, answer.get("detail") or answer["error"])
            version.text_problems = [*forget_stamp_failure(version.text_problems),
                                     problem("stamp_failed", why=answer["error"])]
            version.save(update_fields=["text_problems"])
            return None
        with open(out_path, "rb") as stamped:
            new = add_version(
                version.document,
                file=File(stamped, name=version.original_name),
                media_type=PDF,
                user=user,
                note=note,
                page_count=answer["pages"],
                extract_text=False,
            )
    _copy_text(version, new, prefix="\n".join(lines))
    return new


def _stamp(path, out_path, lines):
    """The stamping child's answer; ``error`` is a reason code ("encrypted", "unreadable", "timeout", …)."""
    try:
        answer = run_pdf_worker("stamp", path, out_path, json.dumps(lines))
    except SandboxFailure as failure:
        return {"error": failure.reason, "detail": failure.detail[-500:]}
    if answer.get("error") and answer["error"] != "encrypted":
        return {"error": "unreadable", "detail": answer["error"]}
    return answer


def _copy_text(source, target, prefix):
    pages = {page.number: page for page in source.pages.all()}
    if 1 not in pages and source.text_status in (TextStatus.DONE, TextStatus.PARTIAL):
        pages[1] = PageText(number=1, text="", source=PageText.Source.PDF)
    PageText.objects.bulk_create(
        PageText(
            version=target,
            number=number,
            text=f"{prefix}\n{page.text}" if number == 1 else page.text,
            source=page.source,
        )
        for number, page in sorted(pages.items())
    )
    target.text_status = source.text_status
    target.text_problems = source.text_problems
    target.text_updated_at = source.text_updated_at
    target.save(update_fields=["text_status", "text_problems", "text_updated_at"])
    text_layer_ready.send(sender=type(target), version=target)
