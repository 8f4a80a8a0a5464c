"""Photos and scans from phones: checked, cleaned in a sandboxed child, then stored.

What is stored and served is never the phone's file: ``photoworker`` reads
the location the camera recorded, turns the picture upright and writes a
new JPEG with no metadata at all. The location survives only as the
item's coordinates when the item has none (``services.save_item``).
"""

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.validation import IMAGES, PDF, UploadPolicy, temporary_path_of
from project.sandbox import SandboxFailure, run_child

MAX_SIDE = 2560  # pixels on the long side of a stored photo: sharp on any screen and in a report
RESES_PHOTO = UploadPolicy("reses_photo", IMAGES, gettext_lazy("foto JPEG atau PNG"), "SIAP_RESES_PHOTO_MAX_BYTES")
RESES_ATTENDANCE = UploadPolicy("reses_attendance", frozenset({PDF}) | IMAGES, gettext_lazy("PDF, JPEG atau PNG"))


@dataclass
class CleanPhoto:
    """A photo as SIAP stores it: a metadata-free JPEG, and where the camera said it was taken."""

    content: bytes
    width: int
    height: int
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    name: str = field(default_factory=lambda: f"foto-{uuid.uuid4().hex[:10]}.jpg")

    def as_file(self):
        return ContentFile(self.content, name=self.name)

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None


def clean_photo(upload, policy=RESES_PHOTO):
    """Check ``upload`` against ``policy`` and return it cleaned; ``ValidationError`` with a clear message otherwise."""
    policy.check(upload)
    handle, out_path = tempfile.mkstemp(suffix=".jpg")
    os.close(handle)
    try:
        with temporary_path_of(upload) as in_path:
            try:
                answer = run_child(
                    "workflows.reses.photoworker", "clean", in_path, out_path, MAX_SIDE,
                    timeout=settings.SIAP_RESES_PHOTO_TIMEOUT_SECONDS,
                    memory_bytes=settings.SIAP_RESES_PHOTO_MEMORY_BYTES,
                )
            except SandboxFailure as failure:
                raise ValidationError(
                    _("Foto ini tidak dapat diproses (%(reason)s); mungkin rusak atau terlalu besar resolusinya.")
                    % {"reason": failure.reason}, code="unprocessable")
        if answer.get("error") == "too_many_pixels":
            raise ValidationError(_("Resolusi foto ini terlalu besar; kirim foto dengan resolusi lebih kecil."), code="too_many_pixels")
        if answer.get("error"):
            raise ValidationError(_("Berkas ini bukan foto yang dapat dibaca (JPEG atau PNG)."), code="not_an_image")
        with open(out_path, "rb") as cleaned:
            content = cleaned.read()
    finally:
        os.unlink(out_path)
    return CleanPhoto(
        content=content, width=answer["width"], height=answer["height"],
        latitude=_decimal(answer.get("latitude")), longitude=_decimal(answer.get("longitude")),
    )


def clean_attendance(upload):
    """An attendance sheet: a PDF as it is (checked in the PDF sandbox), an image cleaned like a photo.

    Returns (file, media type, page count).
    """
    media_type, pages = RESES_ATTENDANCE.check(upload)
    if media_type == PDF:
        upload.seek(0)
        return upload, PDF, pages
    photo = clean_photo(upload, RESES_ATTENDANCE)
    return photo.as_file(), "image/jpeg", 1


def _decimal(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))
