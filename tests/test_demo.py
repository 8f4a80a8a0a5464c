"""`make run`'s demo data loads, and its meeting recording is transcribed out of the box by Whisper."""

from io import StringIO

from django.core.management import call_command

from asr import jobs
from asr.engines import load_engine
from asr.models import TranscriptionJob
from fixtures.meetings import SCRIPT
from tests.audio import character_error_rate
from tests.support import whisper_model
from workflows.letters.models import Letter
from workflows.minutes.models import Meeting


def test_demo_loads_and_its_recording_is_transcribed_by_whisper(db, settings):
    settings.ASR_ENGINE, settings.ASR_WHISPER_MODEL = "whisper", whisper_model()
    load_engine.cache_clear()
    call_command("load_demo", "--if-empty", count=3, stdout=StringIO())
    assert Letter.objects.count() == 3
    assert Meeting.objects.count() == 2
    job = TranscriptionJob.objects.get()
    assert job.status == TranscriptionJob.Status.QUEUED, "the worker of make run picks it up"

    done = jobs.run_job(job.pk)
    assert done.status == TranscriptionJob.Status.DONE
    meeting = Meeting.objects.get(is_closed=True)
    heard = " ".join(meeting.lines.values_list("text", flat=True))
    assert character_error_rate(" ".join(SCRIPT), heard) < 0.35, heard

    call_command("load_demo", "--if-empty", stdout=StringIO())
    assert Meeting.objects.count() == 2, "loading again changes nothing"
