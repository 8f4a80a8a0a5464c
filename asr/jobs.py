"""Queueing, running, retrying and recovering transcription jobs.

The rules that keep a recording's transcript single and complete:
- a job moves QUEUED → RUNNING under a row lock, so a message delivered
  twice runs once;
- segments are written window by window, as the engine decodes them, each
  window in a transaction that first locks the job and checks that this
  attempt is still the running one; the last window is written in the same
  transaction that marks the job DONE. A worker that was presumed dead (and
  whose job was retried) cannot add a second transcript later: its next
  window is discarded and it stops;
- a retry resumes where the stored segments end (``transcribed_seconds``,
  the end of the last stored window), at the window an uninterrupted run
  would have decoded next: what is stored stays, nothing is stored twice,
  and the lines the notulis already corrected are never touched;
- a RUNNING job whose worker stops reporting is marked FAILED by
  ``recover_stalled_jobs`` (the beat), so someone can retry it;
- a job still QUEUED long after it was handed to the broker (whose data was
  lost) is handed over again by ``requeue_lost_jobs`` (the beat).
"""

import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audio import AudioProblem, normalise_audio
from .engines import ModelUnavailable, load_engine
from .models import TranscriptionJob, TranscriptSegment
from .signals import segments_transcribed, transcription_finished
from .sources import audio_path_of, content_type_of

log = logging.getLogger(__name__)
NORMALISING_SHARE = 0.05  # of the progress bar
HEARTBEAT_EVERY_SECONDS = 5


def job_of(owner):
    return TranscriptionJob.objects.filter(owner_type=content_type_of(owner), owner_id=str(owner.pk)).first()


def queue_transcription(owner, engine=None):
    """Create the owner's job (once) and hand it to the worker after the commit."""
    job, _created = TranscriptionJob.objects.get_or_create(
        owner_type=content_type_of(owner), owner_id=str(owner.pk),
        defaults={"engine": engine or settings.ASR_ENGINE},
    )
    if _created:
        transaction.on_commit(lambda: _send(job.pk))
    return job


def retry(job):
    """Queue a failed job again, to resume after its stored segments; refuse when it is not failed.

    A double click retries once.
    """
    with transaction.atomic():
        job = TranscriptionJob.objects.select_for_update().get(pk=job.pk)
        if job.status != TranscriptionJob.Status.FAILED:
            return False
        job.status = TranscriptionJob.Status.QUEUED
        job.attempts += 1
        job.progress = 0.0
        job.message = job.detail = ""
        job.engine = settings.ASR_ENGINE
        job.queued_at = timezone.now()
        job.save()
        transaction.on_commit(lambda: _send(job.pk))
    return True


def _send(job_pk):
    from .tasks import transcribe

    transcribe.delay(job_pk)


def _start(job_pk):
    with transaction.atomic():
        job = TranscriptionJob.objects.select_for_update().filter(pk=job_pk).first()
        if job is None or job.status != TranscriptionJob.Status.QUEUED:
            return None
        now = timezone.now()
        job.status = TranscriptionJob.Status.RUNNING
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
    return job


def run_job(job_pk):
    """Transcribe one job (in the worker); returns the job as it ended, or None if someone else runs it."""
    job = _start(job_pk)
    if job is None:
        return None
    attempt, began, spent_before = job.attempts, time.monotonic(), job.processing_seconds or 0.0
    last_beat = [0.0]

    def report(fraction):
        if time.monotonic() - last_beat[0] >= HEARTBEAT_EVERY_SECONDS or fraction >= 1.0:
            last_beat[0] = time.monotonic()
            TranscriptionJob.objects.filter(pk=job.pk, attempts=attempt, status=TranscriptionJob.Status.RUNNING).update(
                progress=fraction, heartbeat_at=timezone.now()
            )

    try:
        with tempfile.TemporaryDirectory(prefix="siap-asr-") as folder:
            wav = Path(folder) / "audio.wav"
            audio = normalise_audio(audio_path_of(job), wav)
            report(NORMALISING_SHARE)
            engine = load_engine(job.engine)
            note = _truncation_note(audio)
            windows = engine.windows(
                wav, progress=lambda f: report(NORMALISING_SHARE + f * (1 - NORMALISING_SHARE)),
                start=job.transcribed_seconds,
            )
            for window in windows:
                job = _store(job, attempt, window, model=engine.model_path, note=note,
                             spent=spent_before + time.monotonic() - began)
                if not _running(job, attempt):  # the last window ended the job, or another attempt runs it now
                    return job
    except (AudioProblem, ModelUnavailable) as problem:
        return _fail(job, attempt, str(problem), repr(problem))
    except Exception as exc:  # noqa: BLE001 - any engine failure ends as a FAILED job that can be retried
        log.exception("transcription job %s failed", job.pk)
        return _fail(job, attempt, _("Transkripsi gagal karena kesalahan mesin pengenal ucapan."), repr(exc)[:2000])
    return job


def _truncation_note(audio):
    if not audio.get("truncated"):
        return ""
    return _("Rekaman tampaknya terpotong: hanya %(read)s dari %(declared)s detik yang dapat dibaca.") % {
        "read": round(audio["seconds"]), "declared": round(audio.get("declared_seconds") or 0)
    }


def _running(job, attempt):
    return job.attempts == attempt and job.status == TranscriptionJob.Status.RUNNING


def _fail(job, attempt, message, detail):
    updated = TranscriptionJob.objects.filter(pk=job.pk, attempts=attempt, status=TranscriptionJob.Status.RUNNING).update(
        status=TranscriptionJob.Status.FAILED, message=message, detail=detail, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if not updated:
        log.warning("job %s: attempt %s ended after it was superseded", job.pk, attempt)
    return job


def _store(job, attempt, window, *, model, note, spent):
    """Store one decoded window and tell the owner, if ``attempt`` still runs the job; the last window ends it.

    Returns the job as it is now: unchanged when the attempt was superseded.
    """
    with transaction.atomic():
        current = TranscriptionJob.objects.select_for_update().get(pk=job.pk)
        if not _running(current, attempt):
            log.warning("job %s: window of attempt %s discarded, the job moved on", job.pk, attempt)
            return current
        first = current.segments.count()
        segments = TranscriptSegment.objects.bulk_create(
            TranscriptSegment(
                job=current, position=index, start=segment.start, end=segment.end, text=segment.text,
                words=[{"text": w.text.strip(), "start": w.start, "end": w.end} for w in segment.words],
                speaker=segment.speaker,
            )
            for index, segment in enumerate(window.segments, start=first)
        )
        current.transcribed_seconds = window.until
        current.audio_seconds = window.duration
        current.processing_seconds = spent
        current.heartbeat_at = timezone.now()
        if window.last:
            current.status = TranscriptionJob.Status.DONE
            current.progress = 1.0
            current.message = note
            current.model = model
            current.finished_at = timezone.now()
        current.save()
        owner_model = current.owner_type.model_class()
        owner = owner_model.objects.get(pk=current.owner_id)
        segments_transcribed.send(sender=owner_model, job=current, owner=owner, segments=segments)
        if window.last:
            transcription_finished.send(sender=owner_model, job=current, owner=owner)
    return current


def requeue_lost_jobs(waiting_since):
    """Hand QUEUED jobs last queued before ``waiting_since`` to the broker again; returns how many.

    A second message for a job that was not lost is harmless: ``_start``
    runs the job once.
    """
    waiting = TranscriptionJob.objects.filter(status=TranscriptionJob.Status.QUEUED, queued_at__lt=waiting_since)
    pks = list(waiting.values_list("pk", flat=True))
    TranscriptionJob.objects.filter(pk__in=pks).update(queued_at=timezone.now())
    for pk in pks:
        _send(pk)
    return len(pks)


def recover_stalled_jobs():
    """Mark RUNNING jobs whose worker stopped reporting as FAILED; return how many."""
    limit = timezone.now() - timedelta(seconds=settings.ASR_STALLED_AFTER_SECONDS)
    return TranscriptionJob.objects.filter(status=TranscriptionJob.Status.RUNNING, heartbeat_at__lt=limit).update(
        status=TranscriptionJob.Status.FAILED,
        message=_("Pekerja berhenti di tengah transkripsi. Silakan coba lagi."),
        finished_at=timezone.now(),
    )
