"""Upload checks: the bytes decide what a file is, not its name.

Every refusal is a ``ValidationError`` with an Indonesian message (English
through the translation catalogue) so a form shows it next to the field.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


def check_size(file, max_bytes=None):
    max_bytes = max_bytes or settings.SIAP_MAX_UPLOAD_BYTES
    if file.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if file.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def validate_pdf(file, max_bytes=None):
    """Refuse anything but a readable, unencrypted PDF; return its page count."""
    check_size(file, max_bytes)
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if PDF_MAGIC not in head:
        raise ValidationError(_("Berkas ini bukan PDF (isinya tidak diawali penanda PDF)."), code="not_pdf")
    try:
        reader = PdfReader(io.BytesIO(file.read()), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("PDF ini terenkripsi. Unggah salinan tanpa kata sandi."), code="encrypted"
            )
        pages = len(reader.pages)
        if pages == 0:
            raise ValidationError(_("PDF ini tidak berisi halaman."), code="no_pages")
        # Touch every page's content so a broken stream fails here, not in the archive.
        for page in reader.pages:
            page.get_contents()
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        logger.info("Refused corrupt PDF %s: %s", getattr(file, "name", "?"), exc)
        raise ValidationError(_("PDF ini rusak atau tidak dapat dibaca."), code="corrupt") from exc
    finally:
        file.seek(0)
    return pages


ATTACHMENT_MAGIC = {
    PDF_MAGIC: "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def validate_attachment(file, max_bytes=None):
    """Attachments may be PDF, PNG or JPEG, recognised by their first bytes."""
    check_size(file, max_bytes)
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for magic, media_type in ATTACHMENT_MAGIC.items():
        if head.startswith(magic):
            if media_type == "application/pdf":
                validate_pdf(file, max_bytes)
            return media_type
    raise ValidationError(_("Jenis berkas tidak diizinkan; lampiran harus PDF, PNG atau JPEG."), code="bad_type")
