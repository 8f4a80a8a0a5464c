"""A meeting from scheduling to published minutes, through the pages people use."""

import pytest
from viewflow.workflow.status import STATUS

from asr.models import TranscriptionJob
from documents.models import Document
from project.audit.models import AuditEvent
from tests.support import pdf_text
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import CATATAN, LAPORAN, RISALAH, Meeting

from .conftest import token_form


def task_of(meeting, node):
    return meeting.process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get(flow_task=node)


def transcribe_through_the_record_step(meeting, notulis, login, wav_upload, capture):
    client = login(notulis)
    task = task_of(meeting, MinutesFlow.record)
    assert task.owner == notulis
    page = f"/tugas/{task.pk}/"
    response = client.post(f"/rapat/{meeting.pk}/rekaman/", {
        "audio": wav_upload(), "submission_token": token_form(client, page), "next": page,
    })
    assert response.status_code == 302 and response.url == page
    with capture(execute=True):
        response = client.post(page, {"submission_token": token_form(client, page)})
    assert response.status_code == 302
    meeting.refresh_from_db()
    return client


def submit_for_approval(client, meeting):
    """Submit the catatan rapat, confirming whatever lines are left unreviewed (``test_review`` covers the refusal)."""
    page = f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/"
    response = client.post(page, {
        "opened_at": "09:05", "closed_at": "11:40", "main_points": "Drainase Sepinggan.",
        "conclusions": "Komisi II menyetujui anggaran drainase.", "decisions": "Dinas PU menyusun jadwal.",
        "confirm": "on", "submission_token": token_form(client, page),
    })
    assert response.status_code == 302


@pytest.mark.usefixtures("eager_jobs")
def test_meeting_audio_becomes_approved_published_minutes(org, notulis, meeting, login, wav_upload, nemo_engine,
                                                          django_capture_on_commit_callbacks):
    meeting = meeting()
    client = transcribe_through_the_record_step(meeting, notulis, login, wav_upload, django_capture_on_commit_callbacks)
    assert meeting.status == Meeting.Status.CORRECTING
    job = TranscriptionJob.objects.get()
    assert job.status == TranscriptionJob.Status.DONE and job.engine == "nemo"
    [line] = meeting.lines.all()
    assert line.text == line.machine_text == "a a"
    assert line.end > line.start > 0.5

    # the notulis corrects the line and names its speaker
    correct = task_of(meeting, MinutesFlow.correct)
    speaker = meeting.participants.get(user=org.member)
    response = client.post(f"/rapat/baris/{line.pk}/", {
        "text": "Anggaran drainase Sepinggan disetujui.", "speaker": speaker.pk,
        "agenda_item": meeting.agenda.last().pk,
    }, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True, "message": "Tersimpan."}
    line.refresh_from_db()
    assert (line.text, line.speaker, line.machine_text) == ("Anggaran drainase Sepinggan disetujui.", speaker, "a a")

    assert correct.owner == notulis
    submit_for_approval(client, meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVING

    # the meeting's chair approves; the three printouts are published
    chair = login(org.k2)
    approve = task_of(meeting, MinutesFlow.approve)
    assert approve.owner == org.k2
    page = f"/tugas/{approve.pk}/"
    token = token_form(chair, page)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = chair.post(page, {"decision": "setujui", "note": "", "submission_token": token})
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.PRINTING, "the worker prints, not the chair's request"
        assert meeting.document_number.startswith("RIS/KOM/0001/DPRD/")
    assert callbacks, "publication was queued for the worker"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.process.status == STATUS.DONE
    outputs = {document.role: document for document in meeting.documents() if document.role != "audio"}
    assert set(outputs) == {RISALAH, CATATAN, LAPORAN}
    risalah = pdf_text(outputs[RISALAH].current.blob.file.read())
    for expected in ("RISALAH RAPAT", "Anggaran drainase Sepinggan disetujui.", "Member", "Tertutup",
                     "Ruang Rapat Komisi II", "09.05 WITA", "11.40 WITA", "Pembahasan anggaran drainase",
                     "Kepala Dinas PU", "Nurul"):
        assert expected in risalah, expected
    laporan = pdf_text(outputs[LAPORAN].current.blob.file.read())
    assert "Komisi II menyetujui anggaran drainase." in laporan and "Anggaran drainase Sepinggan" not in laporan
    catatan = pdf_text(outputs[CATATAN].current.blob.file.read())
    assert "Drainase Sepinggan." in catatan
    actions = list(AuditEvent.objects.for_object(meeting).values_list("action", flat=True))
    assert actions == [
        "meeting.scheduled", "meeting.recording_added", "meeting.transcription_started", "meeting.transcribed",
        "meeting.submitted", "meeting.approved", "meeting.published",
    ]


@pytest.mark.usefixtures("eager_jobs")
def test_the_chair_returns_the_minutes_with_a_note(org, notulis, meeting, login, wav_upload, nemo_engine,
                                                   django_capture_on_commit_callbacks):
    meeting = meeting()
    client = transcribe_through_the_record_step(meeting, notulis, login, wav_upload, django_capture_on_commit_callbacks)
    submit_for_approval(client, meeting)
    chair = login(org.k2)
    page = f"/tugas/{task_of(meeting, MinutesFlow.approve).pk}/"
    refused = chair.post(page, {"decision": "kembalikan", "note": "", "submission_token": token_form(chair, page)})
    assert refused.status_code == 200 and "Tuliskan apa yang harus diperbaiki" in refused.content.decode()
    chair.post(page, {"decision": "kembalikan", "note": "Nama pembicara segmen 1 salah.",
                      "submission_token": token_form(chair, page)})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CORRECTING and meeting.return_note == "Nama pembicara segmen 1 salah."
    assert task_of(meeting, MinutesFlow.correct).owner == notulis
    assert notulis.notifications.filter(message__contains="dikembalikan").exists()


@pytest.mark.usefixtures("eager_jobs")
def test_a_failed_transcription_waits_for_a_retry_then_the_flow_moves_on(org, notulis, meeting, login, wav_upload,
                                                                        nemo_engine, settings,
                                                                        django_capture_on_commit_callbacks):
    from asr.engines import load_engine

    settings.ASR_NEMO_MODEL = "/missing/model.nemo"
    load_engine.cache_clear()
    meeting = meeting()
    client = transcribe_through_the_record_step(meeting, notulis, login, wav_upload, django_capture_on_commit_callbacks)
    job = TranscriptionJob.objects.get()
    assert job.status == TranscriptionJob.Status.FAILED
    assert meeting.status == Meeting.Status.TRANSCRIBING
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Model NeMo tidak ditemukan" in page and "Ulangi transkripsi" in page

    settings.ASR_NEMO_MODEL = nemo_engine
    load_engine.cache_clear()
    recording = meeting.recordings.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rapat/rekaman/{recording.pk}/ulangi/")
        client.post(f"/rapat/rekaman/{recording.pk}/ulangi/")  # a second click does nothing
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CORRECTING
    assert TranscriptionJob.objects.get().attempts == 2
    assert meeting.lines.count() == 1
    assert Document.objects.filter(role="audio").count() == 1
