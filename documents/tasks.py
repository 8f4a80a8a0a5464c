from celery import shared_task

from .models import DocumentVersion
from .text import process_version


@shared_task(acks_late=True)
def extract_version_text(version_pk):
    """Build a version's text layer (pypdf, then OCR for scanned pages)."""
    version = DocumentVersion.objects.filter(pk=version_pk).first()
    if version is not None:
        return process_version(version)
