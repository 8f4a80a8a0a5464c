"""The notulis corrects the first lines of a recording while the rest is still being transcribed.

The test is the worker here: it decodes the recording with the real (tiny NeMo) engine and stores one
window when it says so, through the job's own ``_store``, so each step can be looked at in between.
"""

import contextlib

import pytest
from django.core.exceptions import ValidationError

from asr import jobs
from asr.audio import normalise_audio
from asr.engines import load_engine
from asr.models import TranscriptionJob
from asr.sources import audio_path_of
from project.audit.models import AuditEvent
from tests.support import make_user
from workflows.minutes import services
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import Meeting

from .conftest import token_form
from .test_flow import submit_for_approval, task_of

ONSETS = (1.0, 3.0, 5.5, 8.0, 11.0)


class StepwiseWorker:
    """Runs a queued job's real engine, storing one decoded window per ``store()``.

    ``around`` wraps each stored window (the capture of on-commit callbacks in
    a test that runs inside one transaction; nothing where commits are real).
    """

    def __init__(self, job, folder, around=contextlib.nullcontext):
        self.job, self.around = jobs._start(job.pk), around
        wav = folder / f"job-{job.pk}.wav"
        normalise_audio(audio_path_of(self.job), wav)
        self.windows = load_engine(self.job.engine).windows(wav, start=self.job.transcribed_seconds)

    def store(self):
        with self.around():
            self.job = jobs._store(self.job, self.job.attempts, next(self.windows), model="tiny", note="", spent=0.0)
        return self.job

    def finish(self):
        while self.job.status == TranscriptionJob.Status.RUNNING:
            self.store()
        return self.job


def start_transcription(meeting, notulis, upload):
    """The notulis uploads a 13 s recording and starts transcription; the job waits for its worker."""
    services.add_recording(meeting, file=upload(onsets=ONSETS, length=13), media_type="audio/x-wav", user=notulis)
    services.start_transcription(task_of(meeting, MinutesFlow.record), user=notulis)
    return meeting.recordings.get().job()


@pytest.fixture
def stepwise(notulis, wav_upload, nemo_engine, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """Start a meeting's transcription in windows of 4 s (five for 13 s); return its ``StepwiseWorker``."""
    settings.ASR_WINDOW_SECONDS = {**settings.ASR_WINDOW_SECONDS, "nemo": 4}
    settings.ASR_WINDOW_OVERLAP_SECONDS = 1.5
    monkeypatch.setattr(jobs, "_send", lambda job_pk: None)  # no broker: the test is the worker

    def _stepwise(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            job = start_transcription(meeting, notulis, wav_upload)
        return StepwiseWorker(job, tmp_path, lambda: django_capture_on_commit_callbacks(execute=True))

    return _stepwise


def store_until_new_lines(worker, meeting):
    before = meeting.lines.count()
    while meeting.lines.count() == before:
        job = worker.store()
    return job


def poll(client, meeting, known):
    response = client.get(f"/rapat/{meeting.pk}/transkrip-baru/?page=1&ada={','.join(map(str, known))}")
    assert response.status_code == 200, response.status_code
    return response.json()


def test_the_notulis_corrects_the_first_lines_while_the_rest_is_transcribed(notulis, meeting, login, stepwise):
    meeting = meeting()
    worker = stepwise(meeting)
    job = store_until_new_lines(worker, meeting)

    # the first lines are there before the job ends, and the flow has moved on to correction
    assert job.status == TranscriptionJob.Status.RUNNING and job.transcribed_seconds < job.audio_seconds
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CORRECTING
    first = meeting.lines.first()
    client = login(notulis)
    page = f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/"
    html = client.get(page).content.decode()
    assert f'id="baris-{first.pk}"' in html and "data-poll=" in html
    assert f"Transkripsi berjalan: {services.clock(job.transcribed_seconds)} dari 0:13" in html

    # the notulis corrects the first line; the page asks for news and there is none yet
    saved = client.post(f"/rapat/baris/{first.pk}/", {"text": "Rapat dibuka.", "speaker": "", "agenda_item": ""},
                        HTTP_ACCEPT="application/json")
    assert saved.json() == {"ok": True, "message": "Tersimpan."}
    known = list(meeting.lines.values_list("pk", flat=True))
    assert poll(client, meeting, known)["rows"] == []

    # the minutes wait for the whole transcript: the form keeps what was typed, the service refuses too
    refused = client.post(page, {
        "opened_at": "09:05", "closed_at": "11:40", "conclusions": "Disepakati.", "confirm": "on",
        "submission_token": token_form(client, page),
    })
    assert refused.status_code == 200 and "Transkrip belum lengkap" in refused.content.decode()
    assert "Disepakati." in refused.content.decode()
    with pytest.raises(ValidationError, match="Transkrip belum lengkap"):
        services.submit_for_approval(meeting, data={}, user=notulis, confirm=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CORRECTING

    # the next lines arrive, each with the line it follows on the page
    store_until_new_lines(worker, meeting)
    body = poll(client, meeting, known)
    new = list(meeting.lines.exclude(pk__in=known).values_list("pk", flat=True))
    assert [row["after"] for row in body["rows"]] == [known[-1], *new[:-1]]
    assert all(f'id="baris-{pk}"' in row["html"] for pk, row in zip(new, body["rows"]))
    assert body["running"] and "Transkripsi berjalan" in body["progress"]

    done = worker.finish()
    body = poll(client, meeting, known + new)
    assert not body["running"] and body["progress"].strip() == ""
    first.refresh_from_db()
    assert first.text == "Rapat dibuka.", "the correction made while the rest came in stays"
    segments = list(done.segments.values_list("position", "text"))
    assert list(meeting.lines.values_list("position", "machine_text")) == segments
    assert [action for action in AuditEvent.objects.for_object(meeting).values_list("action", flat=True)
            if action == "meeting.transcribed"] == ["meeting.transcribed"]
    submit_for_approval(client, meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVING


def test_a_retry_resumes_after_the_stored_lines_and_keeps_the_corrections(notulis, meeting, login, stepwise, settings,
                                                                         django_capture_on_commit_callbacks):
    meeting = meeting()
    worker = stepwise(meeting)
    store_until_new_lines(worker, meeting)
    first = meeting.lines.first()
    services.save_line(first, text="Rapat dibuka.", speaker=None, agenda_item=None, user=notulis)
    stored = list(meeting.lines.values_list("pk", "position"))

    # the worker goes silent; the beat gives up on it, and the correction page says so
    settings.ASR_STALLED_AFTER_SECONDS = -1
    assert jobs.recover_stalled_jobs() == 1
    client = login(notulis)
    page = client.get(f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/").content.decode()
    assert "Transkripsi gagal" in page and "Ulangi transkripsi" in page

    recording = meeting.recordings.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rapat/rekaman/{recording.pk}/ulangi/")
    # the first worker was alive after all: its next window is not stored
    assert worker.store().attempts == 2
    assert list(meeting.lines.values_list("pk", "position")) == stored

    with django_capture_on_commit_callbacks(execute=True):
        done = jobs.run_job(recording.job().pk)
    assert done.status == TranscriptionJob.Status.DONE and done.attempts == 2
    assert list(meeting.lines.values_list("pk", "position")[:len(stored)]) == stored, "the stored lines stay"
    assert list(meeting.lines.values_list("position", "machine_text")) == list(done.segments.values_list("position", "text"))
    words = [word["end"] for segment in done.segments.all() for word in segment.words]
    assert len(words) == len(ONSETS) and words == sorted(words), "each word once"
    first.refresh_from_db()
    assert first.text == "Rapat dibuka."


def test_only_the_notulis_during_correction_follows_the_transcription(org, notulis, meeting, login, stepwise):
    meeting = meeting()
    store_until_new_lines(stepwise(meeting), meeting)
    url = f"/rapat/{meeting.pk}/transkrip-baru/?page=1&ada="
    assert login(notulis).get(url).status_code == 200
    assert login(make_user("tamu")).get(url).status_code == 404, "a closed meeting is not revealed"
    assert login(org.k2).get(url).status_code == 403, "the chair sees the meeting but does not correct it"
