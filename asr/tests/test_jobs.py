"""Transcription jobs: run once, fail clearly, retry in place, survive a killed worker."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from asr import jobs, sources
from asr.engines import Segment, Window, load_engine
from asr.models import TranscriptionJob, TranscriptSegment
from asr.signals import segments_transcribed
from documents.models import Document
from documents.services import add_document
from tests.audio import bursts_signal, write_wav
from tests.support import requires_postgresql

ONSETS = [1.0, 3.0, 5.5, 8.0, 11.0]


@pytest.fixture
def recording(org, tmp_path, monkeypatch):
    """Any document can own a recording here; the minutes service registers its own model."""
    monkeypatch.setitem(sources._AUDIO, Document, lambda document: document.current.blob.file.path)

    def make(content=None, name="rapat.wav"):
        if content is None:
            content = write_wav(tmp_path / name, bursts_signal([1.0, 3.0], 5)).read_bytes()
        return add_document(org.komisi1, role="audio", file=ContentFile(content, name=name), media_type="audio/x-wav",
                            user=org.registrar, extract_text=False)

    return make


def test_a_job_transcribes_and_stores_segments_with_word_times(recording, nemo_engine):
    job = jobs.queue_transcription(recording())
    finished = jobs.run_job(job.pk)
    assert finished.status == TranscriptionJob.Status.DONE
    assert finished.progress == 1.0 and finished.audio_seconds == pytest.approx(5.0, abs=0.01)
    assert finished.real_time_factor > 0
    [segment] = finished.segments.all()
    assert segment.text == "a a"
    assert [word["text"] for word in segment.words] == ["a", "a"]
    assert segment.words[0]["end"] == pytest.approx(1.0, abs=0.05)


def test_a_file_that_is_not_audio_fails_clearly(recording, nemo_engine):
    job = jobs.queue_transcription(recording(b"%PDF-1.4 not a recording", name="risalah.mp3"))
    failed = jobs.run_job(job.pk)
    assert failed.status == TranscriptionJob.Status.FAILED
    assert "bukan rekaman audio" in failed.message or "rusak" in failed.message
    assert not failed.segments.exists()


def test_a_missing_model_fails_and_retry_succeeds_once_it_is_there(recording, nemo_engine, settings):
    document = recording()
    settings.ASR_NEMO_MODEL = "/nonexistent/model.nemo"
    load_engine.cache_clear()
    job = jobs.queue_transcription(document)
    failed = jobs.run_job(job.pk)
    assert failed.status == TranscriptionJob.Status.FAILED and "Model NeMo tidak ditemukan" in failed.message

    settings.ASR_NEMO_MODEL = nemo_engine
    load_engine.cache_clear()
    assert jobs.retry(failed)
    assert not jobs.retry(failed), "a second click retries nothing"
    done = jobs.run_job(job.pk)
    assert done.status == TranscriptionJob.Status.DONE and done.attempts == 2
    assert done.segments.count() == 1
    assert TranscriptionJob.objects.count() == 1


def test_a_message_delivered_twice_runs_once(recording, nemo_engine):
    job = jobs.queue_transcription(recording())
    assert jobs.queue_transcription(Document.objects.get(pk=job.owner_id)) == job, "one job per recording"
    jobs.run_job(job.pk)
    assert jobs.run_job(job.pk) is None
    assert TranscriptionJob.objects.get(pk=job.pk).segments.count() == 1


def test_a_result_from_a_superseded_attempt_is_discarded(recording, nemo_engine, settings):
    job = jobs.queue_transcription(recording())
    started = jobs._start(job.pk)
    settings.ASR_STALLED_AFTER_SECONDS = -1  # the worker is presumed dead
    assert jobs.recover_stalled_jobs() == 1
    assert jobs.retry(TranscriptionJob.objects.get(pk=job.pk))
    current = jobs.run_job(job.pk)
    # the first worker was alive after all and finishes late: its result goes nowhere
    late = Window([Segment(0, 1, "late", [])], until=5.0, duration=5.0)
    jobs._store(started, started.attempts, late, model="x", note="", spent=1.0)
    assert [segment.text for segment in current.segments.all()] == ["a a"]


@pytest.fixture
def small_windows(settings):
    """Windows of 4 s overlapping by 1.5 s: the 13 s recording below is decoded in five."""
    settings.ASR_WINDOW_SECONDS = {**settings.ASR_WINDOW_SECONDS, "nemo": 4}
    settings.ASR_WINDOW_OVERLAP_SECONDS = 1.5


@pytest.fixture
def long_recording(recording, tmp_path):
    return recording(write_wav(tmp_path / "panjang.wav", bursts_signal(ONSETS, 13)).read_bytes())


def _word_ends(job):
    return [word["end"] for segment in job.segments.order_by("position") for word in segment.words]


@pytest.mark.django_db(transaction=True)
def test_each_window_is_committed_as_soon_as_it_is_decoded(long_recording, nemo_engine, small_windows):
    job = jobs.queue_transcription(long_recording)
    committed = []

    def note_commit(sender, job, **kwargs):
        # runs once the window's transaction has committed, before the engine decodes the next window
        transaction.on_commit(lambda: committed.append(TranscriptionJob.objects.values_list(
            "status", "transcribed_seconds").get(pk=job.pk) + (TranscriptSegment.objects.count(),)))

    segments_transcribed.connect(note_commit, sender=Document)
    try:
        done = jobs.run_job(job.pk)
    finally:
        segments_transcribed.disconnect(note_commit, sender=Document)
    assert done.status == TranscriptionJob.Status.DONE and len(committed) == 5
    assert all(status == TranscriptionJob.Status.RUNNING for status, _until, _count in committed[:-1])
    assert committed[0][2] >= 1, "the first window's words are stored while the job still runs"
    assert [until for _status, until, _count in committed] == sorted(until for _status, until, _count in committed)
    assert committed[-1] == (TranscriptionJob.Status.DONE, 13.0, done.segments.count())
    assert list(done.segments.values_list("position", flat=True)) == list(range(done.segments.count()))
    assert len(_word_ends(done)) == len(ONSETS)


def test_a_worker_presumed_dead_stops_and_the_retry_resumes_after_the_stored_windows(
        long_recording, nemo_engine, small_windows, settings):
    job = jobs.queue_transcription(long_recording)
    stored = []

    def presume_dead_after_the_first_window(sender, job, segments, **kwargs):
        stored.append(job.attempts)
        if len(stored) == 1:  # the beat finds the worker silent, and the notulis retries at once
            settings.ASR_STALLED_AFTER_SECONDS = -1
            assert jobs.recover_stalled_jobs() == 1
            assert jobs.retry(TranscriptionJob.objects.get(pk=job.pk))

    segments_transcribed.connect(presume_dead_after_the_first_window, sender=Document)
    try:
        superseded = jobs.run_job(job.pk)
        first = list(TranscriptionJob.objects.get(pk=job.pk).segments.values_list("pk", "end"))
        assert superseded.status == TranscriptionJob.Status.QUEUED and superseded.attempts == 2
        assert stored == [1], "the first worker stopped at its next window; that window was not stored"
        done = jobs.run_job(job.pk)
    finally:
        segments_transcribed.disconnect(presume_dead_after_the_first_window, sender=Document)
    assert done.status == TranscriptionJob.Status.DONE and stored == [1, 2, 2, 2, 2]
    assert list(done.segments.values_list("pk", "end")[:len(first)]) == first, "what was stored stays"
    ends = _word_ends(done)
    assert len(ends) == len(ONSETS) and ends == sorted(ends), "each word once, in order"


WORKER = """
from asr import jobs, sources
from documents.models import Document
sources.register(Document, audio_path=lambda document: document.current.blob.file.path)
jobs.run_job({pk})
"""


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_ends_failed_and_the_retry_completes(org, recording, nemo_engine, settings):
    job = jobs.queue_transcription(recording())
    database = settings.DATABASES["default"]
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT), "ASR_ENGINE": "nemo", "ASR_NEMO_MODEL": nemo_engine,
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", WORKER.format(pk=job.pk)],
        cwd=settings.BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while TranscriptionJob.objects.get(pk=job.pk).status != TranscriptionJob.Status.RUNNING:
        assert time.monotonic() < deadline and worker.poll() is None, (worker.stdout.read(), TranscriptionJob.objects.values().get(pk=job.pk))
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    assert jobs.recover_stalled_jobs() == 0, "a fresh heartbeat is not stalled yet"
    settings.ASR_STALLED_AFTER_SECONDS = 0
    assert jobs.recover_stalled_jobs() == 1
    stalled = TranscriptionJob.objects.get(pk=job.pk)
    assert stalled.status == TranscriptionJob.Status.FAILED and "Pekerja berhenti" in stalled.message

    assert jobs.retry(stalled)
    done = jobs.run_job(job.pk)
    assert done.status == TranscriptionJob.Status.DONE
    assert done.segments.count() == 1
