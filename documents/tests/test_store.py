"""The store: content-addressed blobs, versions that never overwrite, integrity checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from documents.models import Blob, DocumentVersion
from documents.services import add_document, add_version, files_rolled_back_on_error
from documents.validation import AUDIO, IMAGES, PDF, UploadPolicy, policies
from tests import hostile_pdfs


def upload(content, name="berkas.pdf"):
    return SimpleUploadedFile(name, content)


def test_same_content_is_stored_once(org, register):
    first, second = register(), register()
    content = hostile_pdfs.text_pdf()
    add_document(first, role="attachment", file=upload(content), media_type="application/pdf", user=org.registrar)
    add_document(second, role="attachment", file=upload(content, "salinan.pdf"), media_type="application/pdf",
                 user=org.registrar)
    blob = Blob.objects.get(sha256=DocumentVersion.objects.filter(original_name="salinan.pdf").get().sha256)
    assert blob.versions.count() == 2
    assert blob.size == len(content)


def test_new_version_leaves_the_old_one_intact(org, register, private_media):
    letter = register()
    document = letter.scan
    old = document.current
    old_bytes = old.blob.file.open("rb").read()
    new = add_version(document, file=upload(hostile_pdfs.text_pdf(pages=2), "koreksi.pdf"),
                      media_type="application/pdf", user=org.registrar, note="pindaian ulang")
    assert (old.number, new.number) == (1, 2)
    assert document.current == new
    old.refresh_from_db()
    assert old.blob.file.open("rb").read() == old_bytes
    assert old.blob_id != new.blob_id


def test_failure_after_writing_removes_the_new_file(org, register, private_media):
    letter = register()
    files_before = {path for path in private_media.rglob("*") if path.is_file()}
    with pytest.raises(RuntimeError):
        with files_rolled_back_on_error():
            add_document(letter, role="attachment", file=upload(hostile_pdfs.text_pdf(pages=4)),
                         media_type="application/pdf", user=org.registrar)
            raise RuntimeError("crash after the file was written")
    assert {path for path in private_media.rglob("*") if path.is_file()} == files_before


def test_integrity_command_reports_altered_and_missing_files(org, register, capsys):
    first, second = register(subject="Surat satu"), register(subject="Surat dua")
    call_command("verify_files")
    assert "0 bermasalah" in capsys.readouterr().out

    altered = first.scan.current.blob
    with open(altered.file.path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"X")
    missing = second.scan.current.blob
    missing.file.storage.delete(missing.file.name)

    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_files")
    assert exit_info.value.code == 1
    report = capsys.readouterr().out
    assert f"BERUBAH\t{altered.sha256}" in report
    assert f"HILANG\t{missing.sha256}" in report
    assert "2 bermasalah" in report


AUDIO_POLICY = UploadPolicy("test_audio", AUDIO, "audio", max_bytes_setting="SIAP_MAX_AUDIO_BYTES")
PHOTO_POLICY = UploadPolicy("test_photo", IMAGES | {"image/webp"}, "photo")
ATTACHMENT_POLICY = UploadPolicy("test_attachment", frozenset({PDF}) | IMAGES, "PDF or image")
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\x3e\x00\x00\x00\x7d\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


@pytest.mark.parametrize(
    "policy, content, name, accepted",
    [
        (AUDIO_POLICY, WAV, "rapat.wav", "audio/x-wav"),
        (AUDIO_POLICY, hostile_pdfs.text_pdf(), "rapat.wav", None),
        (PHOTO_POLICY, PNG, "foto.png", "image/png"),
        (PHOTO_POLICY, WAV, "foto.jpg", None),
        (ATTACHMENT_POLICY, hostile_pdfs.JPEG_BYTES, "lampiran.pdf", "image/jpeg"),
        (ATTACHMENT_POLICY, b"#!/bin/sh\necho pwned\n", "lampiran.pdf", None),
    ],
)
def test_upload_policies_decide_by_the_bytes(db, policy, content, name, accepted):
    from django.core.exceptions import ValidationError

    file = upload(content, name)
    if accepted:
        assert policy.check(file)[0] == accepted
    else:
        with pytest.raises(ValidationError, match="Jenis berkas tidak diizinkan"):
            policy.check(file)


def test_audio_has_its_own_size_limit(db, settings):
    from django.core.exceptions import ValidationError

    settings.SIAP_MAX_UPLOAD_BYTES = 10
    assert AUDIO_POLICY.check(upload(WAV, "rapat.wav"))[0] == "audio/x-wav"
    settings.SIAP_MAX_AUDIO_BYTES = 10
    with pytest.raises(ValidationError, match="terlalu besar"):
        AUDIO_POLICY.check(upload(WAV, "rapat.wav"))


def test_every_registered_policy_refuses_empty_files_and_scripts(db):
    """Whatever a process declares, an empty upload and a shell script are refused with a message."""
    from django.core.exceptions import ValidationError

    assert policies(), "the processes register their upload policies"
    for policy in policies():
        with pytest.raises(ValidationError, match="kosong"):
            policy.check(upload(b"", "kosong.pdf"))
        with pytest.raises(ValidationError):
            policy.check(upload(b"#!/bin/sh\necho pwned\n", "surat.pdf"))
