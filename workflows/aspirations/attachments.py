"""What residents attach, from any channel: sniffed, size-capped, and cleaned before it is stored.

A PDF is kept as it is once the PDF sandbox has opened it; a photo is
re-encoded in the sandboxed photo worker with no metadata at all (the
location a phone records never reaches the store). Anything else is refused
with a message the channel passes on to the resident.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.validation import IMAGES, PDF, UploadPolicy
from workflows.reses.photos import clean_photo

ASPIRATION_ATTACHMENT = UploadPolicy(
    "aspiration_attachment", frozenset({PDF}) | IMAGES, gettext_lazy("PDF, JPEG atau PNG"),
    "SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES",
)


def clean_attachment(upload):
    """``(file, media_type)`` ready for ``services.receive``; ``ValidationError`` with a clear message otherwise."""
    media_type, _pages = ASPIRATION_ATTACHMENT.check(upload)
    if media_type == PDF:
        upload.seek(0)
        return upload, PDF
    photo = clean_photo(upload, ASPIRATION_ATTACHMENT)
    return photo.as_file(), "image/jpeg"


def clean_attachments(uploads):
    """Every upload cleaned, or a ``ValidationError`` naming the file that was refused (nothing is kept then)."""
    uploads = list(uploads)
    if len(uploads) > settings.SIAP_ASPIRATION_MAX_ATTACHMENTS:
        raise ValidationError(_("Paling banyak %(count)d lampiran.") % {"count": settings.SIAP_ASPIRATION_MAX_ATTACHMENTS},
                              code="too_many")
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_attachment(upload))
        except ValidationError as refused:
            name = getattr(upload, "name", "") or _("lampiran")
            raise ValidationError(_("%(name)s: %(reason)s") % {"name": name, "reason": " ".join(refused.messages)},
                                  code=refused.code) from refused
    return cleaned
