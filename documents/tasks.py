from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from project.jobs import pending_work

from .models import DocumentVersion
from .services import versions_needing_text
from .text import process_version
from .validation import PDF


@shared_task
def extract_version_text(version_pk):
    """Build a version's text layer (pypdf, then OCR for scanned pages)."""
    return extract_text_once(version_pk)


def extract_text_once(version_pk):
    """The version's text layer, built once however often its job is delivered; returns its status.

    The version's row stays locked until the text and its final status are
    committed together: a second delivery waits, then finds the work done; a
    worker killed half-way commits nothing and the next delivery starts afresh.
    A caller's transaction (stamping a scan) keeps the lock until it commits.
    """
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().filter(pk=version_pk).first()
        if version is None:
            return None
        if not versions_needing_text().filter(pk=version.pk).exists():
            return version.text_status
        return process_version(version)


@receiver(pending_work, dispatch_uid="documents.pending_text_layers")
def queue_lost_text_jobs(sender, waiting_since, **kwargs):
    """PDF versions still waiting for their text layer since before ``waiting_since``: queue their job again.

    Only PDFs: a photo stored without a text layer (``extract_text=False``)
    is not read unless asked. ``text_updated_at`` marks when a version was
    last queued, so a long queue gets one more job per version and interval,
    not one per beat.
    """
    waiting = versions_needing_text().filter(blob__media_type=PDF).filter(
        Q(text_updated_at__lt=waiting_since) | Q(text_updated_at__isnull=True, uploaded_at__lt=waiting_since)
    )
    pks = list(waiting.values_list("pk", flat=True))
    DocumentVersion.objects.filter(pk__in=pks).update(text_updated_at=timezone.now())
    for pk in pks:
        extract_version_text.delay(pk)
    return len(pks)
