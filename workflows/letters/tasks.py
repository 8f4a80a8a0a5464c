from celery import shared_task

from documents.text import process_version

from .models import Letter
from .services import stamp_scan


@shared_task(acks_late=True)
def prepare_scan(letter_pk):
    """Read a newly registered scan (OCR for scanned pages), then stamp it as version 2."""
    letter = Letter.objects.filter(pk=letter_pk).first()
    if letter is None:
        return None
    process_version(letter.scan.versions.order_by("number").first())
    version = stamp_scan(letter)
    return version.number if version else None


@shared_task(acks_late=True)
def restamp_scan(letter_pk):
    """The received date was corrected: stamp the scan again from version 1, as a new version."""
    letter = Letter.objects.filter(pk=letter_pk).first()
    if letter is None:
        return None
    version = stamp_scan(letter, again=True)
    return version.number if version else None
