from celery import shared_task
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from django.dispatch import receiver

from documents.models import Document
from documents.owners import content_type_of
from documents.stamping import stamp_failed
from documents.tasks import extract_text_once
from project.jobs import pending_work

from .models import SCAN, Letter
from .services import STAMP_NOTE, stamp_scan


def _locked_scan(letter):
    """The letter's scan, its row locked until the caller's transaction ends: one stamping at a time."""
    return Document.objects.select_for_update().get(pk=letter.scan.pk)


@shared_task
def prepare_scan(letter_pk):
    """Read a newly registered scan (OCR for scanned pages), then stamp it as version 2; once, however delivered.

    Text layer and stamped version commit together, under the scan's lock: a
    second delivery finds the stamp and does nothing; a worker killed half-way
    leaves no stamp, and the next delivery (or the beat's recovery) stamps it.
    """
    with transaction.atomic():
        letter = Letter.objects.filter(pk=letter_pk).first()
        if letter is None:
            return None
        scan = _locked_scan(letter)
        extract_text_once(scan.versions.order_by("number").values_list("pk", flat=True).first())
        version = stamp_scan(letter)
    return version.number if version else None


@shared_task
def restamp_scan(letter_pk):
    """The received date was corrected: stamp the scan again from version 1, as a new version."""
    with transaction.atomic():
        letter = Letter.objects.filter(pk=letter_pk).first()
        if letter is None:
            return None
        _locked_scan(letter)
        version = stamp_scan(letter, again=True)
    return version.number if version else None


@receiver(pending_work, dispatch_uid="letters.unstamped_scans")
def queue_lost_stamp_jobs(sender, waiting_since, **kwargs):
    """Letters registered before ``waiting_since`` whose scan is not stamped (and can be): stamp them."""
    registered_before = Letter.objects.filter(registered_at__lt=waiting_since).annotate(
        key=Cast("pk", CharField())).values("key")
    unstamped = (
        Document.objects.filter(owner_type=content_type_of(Letter), role=SCAN, owner_id__in=registered_before)
        .exclude(versions__note=STAMP_NOTE)
        .prefetch_related("versions")
    )
    pks = [
        int(scan.owner_id) for scan in unstamped
        if not any(stamp_failed(version) for version in scan.versions.all()[:1])  # the registrar retries those
    ]
    for pk in pks:
        prepare_scan.delay(pk)
    return len(pks)
