"""Upload policies: what each use accepts, decided by the bytes, not the name.

The processes declare their policies (a letter's scan, a meeting's audio)
where their forms are, and register them; this module knows no process.

Every refusal is a ``ValidationError`` with an Indonesian message (English
through the catalogue) so the form shows it next to the field, and nothing
is stored before a file has passed.
"""

import contextlib
import logging
import os
import tempfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .ocr import rendered_page_count
from .sandbox import SandboxFailure, run_pdf_worker

logger = logging.getLogger(__name__)

PDF = "application/pdf"
PDF_MAGIC = b"%PDF-"
IMAGES = frozenset({"image/png", "image/jpeg"})
AUDIO = frozenset({"audio/x-wav", "audio/mpeg", "audio/ogg", "audio/x-flac", "audio/mp4", "audio/m4a", "video/mp4"})


def sniff(file):
    """The media type read from the first bytes.

    A PDF must start with its ``%PDF-`` marker. The PDF specification lets readers accept up to 1 KiB of other bytes
    before it, and that is how polyglots are made: a file that is a PDF to a PDF reader and an HTML page, a ZIP or a
    script to other programs. SIAP stores and serves files as what they were accepted as, so it refuses them.
    """
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(PDF_MAGIC):
        return PDF
    kind = filetype.guess(head)
    return kind.mime if kind else "application/octet-stream"


@dataclass(frozen=True)
class UploadPolicy:
    name: str
    media_types: frozenset
    description: str
    max_bytes_setting: str = "SIAP_MAX_UPLOAD_BYTES"

    @property
    def max_bytes(self):
        return getattr(settings, self.max_bytes_setting)

    def check(self, file):
        """Return the file's media type and (for PDFs) page count, or refuse it."""
        if file.size == 0:
            raise ValidationError(_("Berkas kosong."), code="empty")
        if file.size > self.max_bytes:
            raise ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )
        media_type = sniff(file)
        if media_type not in self.media_types:
            if self.media_types == {PDF}:
                raise ValidationError(_("Berkas ini bukan PDF (isinya tidak diawali penanda PDF)."), code="not_pdf")
            raise ValidationError(
                _("Jenis berkas tidak diizinkan; yang diterima: %(allowed)s.") % {"allowed": self.description},
                code="bad_type",
            )
        pages = check_pdf(file) if media_type == PDF else None
        return media_type, pages


_POLICIES = {}


def register_policy(policy):
    """Processes declare their policies (``workflows.registry``); a name means one policy."""
    if _POLICIES.get(policy.name, policy) != policy:
        raise ValueError(f"upload policy {policy.name!r} is declared twice")
    _POLICIES[policy.name] = policy


def policies():
    return list(_POLICIES.values())


def check_pdf(file):
    """Open the PDF in the sandbox; refuse it when nothing can read it; return its page count.

    A file whose structure pypdf cannot read (no ``startxref``, a broken
    cross-reference table) is still accepted when poppler renders its pages,
    as every PDF viewer would show it: its text will come from OCR.
    """
    with temporary_path_of(file) as path:
        try:
            answer = run_pdf_worker("probe", path, timeout=30)
        except SandboxFailure as failure:
            logger.warning("Checking an uploaded PDF stopped (%s): %s", failure.reason, failure.detail[-300:])
            answer = {"error": failure.reason}
        if answer.get("error"):
            pages = rendered_page_count(path)
            if not pages:
                raise ValidationError(
                    _("PDF ini rusak dan tidak dapat dibuka oleh program mana pun di server. Minta salinan baru "
                      "dari pengirim atau pindai ulang dokumennya."),
                    code="corrupt",
                )
            return pages
    if not answer["readable"]:
        raise ValidationError(_("PDF ini terenkripsi dengan kata sandi. Unggah salinan tanpa kata sandi."), code="encrypted")
    if not answer["pages"]:
        raise ValidationError(_("PDF ini tidak berisi halaman."), code="no_pages")
    return answer["pages"]


@contextlib.contextmanager
def temporary_path_of(file):
    """A path a child process can read: the upload's temporary file, or a copy of an in-memory one."""
    if hasattr(file, "temporary_file_path"):
        try:
            yield file.temporary_file_path()
        finally:
            file.seek(0)
        return
    handle, path = tempfile.mkstemp(suffix=os.path.splitext(getattr(file, "name", "") or "")[1][:10])
    try:
        with os.fdopen(handle, "wb") as out:
            file.seek(0)
            for chunk in iter(lambda: file.read(1024 * 1024), b""):
                out.write(chunk)
        file.seek(0)
        yield path
    finally:
        os.unlink(path)
        file.seek(0)
