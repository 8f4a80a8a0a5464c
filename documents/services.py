"""Storing files as documents and versions.

Call these inside the caller's transaction, within ``files_rolled_back_on_error``
so that a failure after a file was written removes it again: a rejected or
failed upload leaves nothing behind.
"""

import contextlib
import contextvars
import hashlib

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max

from .models import Blob, Document, DocumentVersion, TextStatus
from .owners import content_type_of
from .storage import private_storage, sha256_of

_written = contextvars.ContextVar("siap_written_blobs", default=None)


@contextlib.contextmanager
def files_rolled_back_on_error():
    """A transaction that also deletes the blob files it wrote if it fails."""
    written = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for name in written:
            private_storage.delete(name)
        raise
    finally:
        _written.reset(token)


def store_blob(file, media_type):
    """The blob holding this content; written once, whoever uploads it again."""
    digest = sha256_of(file)
    blob = Blob.objects.filter(sha256=digest).first()
    if blob is not None and private_storage.exists(blob.file.name):
        return blob
    blob = blob or Blob(sha256=digest, size=file.size, media_type=media_type)
    name = blob.file.field.generate_filename(blob, digest)
    if private_storage.exists(name):
        private_storage.delete(name)  # a leftover of a rolled-back upload, or a damaged copy
    blob.file.save(digest, File(file), save=False)
    written = _written.get()
    if written is not None:
        written.append(blob.file.name)
    blob.save()
    return blob


def add_document(owner, *, role, file, media_type, user, title=None, note="", page_count=None, extract_text=True):
    """A new document of ``owner`` with ``file`` as version 1."""
    document = Document.objects.create(
        owner_type=content_type_of(owner),
        owner_id=str(owner.pk),
        role=role,
        title=title or file.name,
        created_by=user,
    )
    add_version(
        document, file=file, media_type=media_type, user=user, note=note, page_count=page_count,
        extract_text=extract_text,
    )
    return document


def copy_document(source, owner, *, role, user, note=""):
    """``source``'s current version as a new document of ``owner`` (a file taken from the archive as an
    attachment): the same blob, stored once; the new document has its own versions and trail."""
    current = source.current
    document = Document.objects.create(
        owner_type=content_type_of(owner), owner_id=str(owner.pk), role=role, title=source.title, created_by=user,
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, blob=current.blob, original_name=current.original_name, note=note,
        uploaded_by=user, page_count=current.page_count,
    )
    transaction.on_commit(lambda: _queue_text(version.pk))
    return document


def add_version(
    document, *, file, media_type, user, note="", page_count=None, original_name=None, extract_text=True
):
    """Append a version; earlier versions and their files stay as they are.

    Its text layer is built by the worker after the commit, unless the caller
    builds it (``extract_text=False``).
    """
    number = (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        blob=store_blob(file, media_type),
        original_name=(original_name or getattr(file, "name", "") or document.title)[:255],
        note=note,
        uploaded_by=user,
        page_count=page_count,
    )
    if extract_text:
        transaction.on_commit(lambda: _queue_text(version.pk))
    return version


def _queue_text(version_pk):
    from .tasks import extract_version_text

    extract_version_text.delay(version_pk)


def documents_of(owner, role=None):
    documents = Document.objects.filter(owner_type=content_type_of(owner), owner_id=str(owner.pk))
    if role:
        documents = documents.filter(role=role)
    return documents.prefetch_related("versions__blob")


def verify_blob(blob):
    """'ok', 'missing' or 'altered': the stored bytes against the recorded SHA-256."""
    if not private_storage.exists(blob.file.name):
        return "missing"
    digest = hashlib.sha256()
    with private_storage.open(blob.file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return "ok" if digest.hexdigest() == blob.sha256 else "altered"


def versions_needing_text():
    return DocumentVersion.objects.filter(text_status__in=[TextStatus.PENDING, TextStatus.RUNNING, TextStatus.OCR])
