"""Stamping: a registered scan gets a copy with a stamp on page 1, as a new version.

The original version stays untouched. The stamped version's text layer is
the original's (plus the stamp's lines on page 1): re-reading it would find
the stamp's text on a scanned page and skip that page's OCR.
"""

import json
import os
import tempfile

from django.core.files import File

from .models import PageText, TextStatus
from .sandbox import SandboxFailure, run_pdf_worker
from .services import add_version
from .signals import text_layer_ready
from .validation import PDF


def stamp_first_page(version, *, lines, note, user=None):
    """The new stamped version, or None when the PDF cannot be stamped (the reason is recorded)."""
    handle, out_path = tempfile.mkstemp(suffix=".pdf")
    os.close(handle)
    try:
        try:
            answer = run_pdf_worker("stamp", version.blob.file.path, out_path, json.dumps(lines))
        except SandboxFailure as failure:
            answer = {"error": failure.reason}
        if answer.get("error"):
            version.text_problems = [*version.text_problems, f"stamp: {answer['error']}"]
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
    finally:
        os.unlink(out_path)
    _copy_text(version, new, prefix="\n".join(lines))
    return new


def _copy_text(source, target, prefix):
    pages = {page.number: page for page in source.pages.all()}
    if 1 not in pages and source.text_status == TextStatus.DONE:
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
