"""Bad input ends in a clear, translated message and loses nothing."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.audio import bursts_signal, resample, write_wav
from tests.support import pdf_upload
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import Meeting, Recording

from .conftest import token_form
from .test_flow import submit_for_approval, task_of


@pytest.fixture
def record_page(meeting, notulis, login):
    meeting = meeting()
    client = login(notulis)
    page = f"/tugas/{task_of(meeting, MinutesFlow.record).pk}/"
    return meeting, client, page


def upload(client, meeting, page, file):
    response = client.post(f"/rapat/{meeting.pk}/rekaman/", {
        "audio": file, "submission_token": token_form(client, page), "next": page,
    }, follow=True)
    return response.content.decode()


@pytest.mark.parametrize("file, message", [
    (lambda: pdf_upload("rekaman.wav"), "Jenis berkas tidak diizinkan"),
    (lambda: SimpleUploadedFile("kosong.mp3", b""), "kosong"),
    (lambda: SimpleUploadedFile("rusak.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00garbage" * 500),
     "Rekaman ini rusak dan tidak dapat dibaca"),
])
def test_files_that_are_not_usable_recordings_are_refused(record_page, file, message):
    meeting, client, page = record_page
    assert message in upload(client, meeting, page, file())
    assert not Recording.objects.exists()


def test_a_refused_file_is_explained_in_english_too(record_page):
    meeting, client, page = record_page
    client.cookies["django_language"] = "en"
    assert "File type not allowed" in upload(client, meeting, page, pdf_upload("rekaman.wav"))


def test_stereo_44k_recordings_are_accepted(record_page, tmp_path):
    meeting, client, page = record_page
    path = write_wav(tmp_path / "stereo.wav", resample(bursts_signal([1.0], 3), 44100), rate=44100, channels=2)
    assert "Rekaman diunggah" in upload(client, meeting, page, SimpleUploadedFile("stereo.wav", path.read_bytes()))
    assert Recording.objects.count() == 1


def test_an_upload_sent_twice_is_stored_once(record_page, wav_upload):
    meeting, client, page = record_page
    token = token_form(client, page)
    for _attempt in range(2):
        client.post(f"/rapat/{meeting.pk}/rekaman/", {"audio": wav_upload(), "submission_token": token, "next": page})
    assert Recording.objects.count() == 1


def test_starting_transcription_without_a_recording_is_refused(record_page):
    meeting, client, page = record_page
    response = client.post(page, {"submission_token": token_form(client, page)}, follow=True)
    assert "Unggah sedikitnya satu rekaman" in response.content.decode()
    assert task_of(meeting, MinutesFlow.record).status == "ASSIGNED"


def test_script_in_a_line_is_kept_as_typed_and_shown_escaped(meeting, notulis, login, transcribed):
    meeting = meeting()
    line = transcribed(meeting)
    client = login(notulis)
    client.post(f"/rapat/baris/{line.pk}/", {"text": "<script>alert('x')</script> Setuju\u0007"})
    line.refresh_from_db()
    assert line.text == "<script>alert('x')</script> Setuju"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Setuju" in page


def test_a_speaker_from_another_meeting_is_refused(meeting, notulis, login, transcribed, org):
    first, other = meeting(), meeting(title="Rapat lain")
    line = transcribed(first)
    stranger = other.participants.get(user=org.member)
    response = login(notulis).post(f"/rapat/baris/{line.pk}/", {"text": "x", "speaker": stranger.pk},
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.speaker is None


def test_two_tabs_submitting_the_minutes_submit_once(meeting, notulis, login, transcribed):
    meeting = meeting()
    transcribed(meeting)
    first, second = login(notulis), login(notulis)
    page = f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/"
    token_second = token_form(second, page)
    submit_for_approval(first, meeting)
    response = second.post(page, {"opened_at": "09:00", "closed_at": "10:00", "conclusions": "Lain",
                                  "submission_token": token_second}, follow=True)
    assert "Tugas tidak ditemukan atau sudah dikerjakan" in response.content.decode() or response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.conclusions == "Komisi II menyetujui anggaran drainase."


def test_nothing_changes_once_approved(meeting, notulis, login, transcribed, org, wav_upload,
                                      django_capture_on_commit_callbacks):
    meeting = meeting()
    line = transcribed(meeting)
    client = login(notulis)
    submit_for_approval(client, meeting)
    chair = login(org.k2)
    page = f"/tugas/{task_of(meeting, MinutesFlow.approve).pk}/"
    chair.post(page, {"decision": "setujui", "confirm": "on", "submission_token": token_form(chair, page)})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PRINTING

    def refused():
        response = client.post(f"/rapat/baris/{line.pk}/", {"text": "diubah"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 403
        # the page no longer offers the upload form; a hand-made request is refused too
        upload = client.post(f"/rapat/{meeting.pk}/rekaman/", {"audio": wav_upload(), "submission_token": uuid.uuid4().hex},
                             follow=True)
        assert "sudah disetujui" in upload.content.decode()
        line.refresh_from_db()
        assert line.text != "diubah" and meeting.recordings.count() == 1

    refused()
    from workflows.minutes.services import complete_publication

    assert complete_publication(meeting.pk)
    assert not complete_publication(meeting.pk), "a second delivery prints nothing twice"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.documents("risalah").count() == 1
    refused()
