"""Move letters' files into the document store.

Each letter's scan and attachments, and each branch's report file, become
documents owned by the letter (version 1, stored under their SHA-256); then
the old file fields and the attachment table go.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def _blob(apps, storage, name, media_type):
    Blob = apps.get_model("documents", "Blob")
    with storage.open(name, "rb") as handle:
        content = handle.read()
    digest = hashlib.sha256(content).hexdigest()
    blob = Blob.objects.filter(sha256=digest).first()
    if blob is None:
        path = f"blobs/{digest[:2]}/{digest[2:4]}/{digest}"
        if not storage.exists(path):
            from django.core.files.base import ContentFile

            path = storage.save(path, ContentFile(content))
        blob = Blob.objects.create(sha256=digest, size=len(content), media_type=media_type, file=path)
    return blob


def _document(apps, owner_type, letter, role, title, blob, name, user_id):
    Document = apps.get_model("documents", "Document")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    document = Document.objects.create(
        owner_type=owner_type, owner_id=str(letter.pk), role=role, title=title, created_by_id=user_id
    )
    DocumentVersion.objects.create(
        document=document, number=1, blob=blob, original_name=name[:255], uploaded_by_id=user_id, text_status="pending"
    )
    return document


def forwards(apps, schema_editor):
    from documents.storage import private_storage

    ContentType = apps.get_model("contenttypes", "ContentType")
    Letter = apps.get_model("letters", "Letter")
    owner_type, _created = ContentType.objects.get_or_create(app_label="letters", model="letter")
    for letter in Letter.objects.all():
        user_id = letter.registered_by_id
        if letter.scan and private_storage.exists(letter.scan.name):
            blob = _blob(apps, private_storage, letter.scan.name, "application/pdf")
            _document(apps, owner_type, letter, "scan", f"Surat {letter.agenda_number:04d}/{letter.agenda_year}",
                      blob, letter.scan.name.rsplit("/", 1)[-1], user_id)
        for attachment in letter.attachments.all():
            if private_storage.exists(attachment.file.name):
                blob = _blob(apps, private_storage, attachment.file.name, attachment.media_type)
                _document(apps, owner_type, letter, "attachment", attachment.original_name, blob,
                          attachment.original_name, user_id)
        for disposition in letter.dispositions.all():
            for branch in disposition.branches.all():
                if branch.report_file and private_storage.exists(branch.report_file.name):
                    blob = _blob(apps, private_storage, branch.report_file.name, "application/octet-stream")
                    branch.report_document = _document(
                        apps, owner_type, letter, "report", f"Laporan {branch.unit.name}", blob,
                        branch.report_file_name or "laporan", branch.closed_by_id or user_id,
                    )
                    branch.save(update_fields=["report_document"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_store"),
        ("letters", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispositionbranch",
            name="report_document",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="documents.document",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="dispositionbranch", name="report_file"),
        migrations.RemoveField(model_name="dispositionbranch", name="report_file_name"),
        migrations.RemoveField(model_name="dispositionbranch", name="sha256"),
        migrations.RemoveField(model_name="letter", name="page_count"),
        migrations.RemoveField(model_name="letter", name="scan"),
        migrations.RemoveField(model_name="letter", name="sha256"),
        migrations.DeleteModel(name="LetterAttachment"),
    ]
