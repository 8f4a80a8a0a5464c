"""Whisper's decoding settings, observed through a transcription job (issue 14: speed on 2 cores)."""

import wave

import numpy as np
from django.core.files.base import ContentFile

from asr import jobs, sources
from asr.engines import load_engine
from asr.models import TranscriptionJob
from documents.models import Document
from documents.services import add_document
from tests.audio import ESPEAK, character_error_rate, speak, write_wav
from tests.support import require_tool, whisper_model

BEFORE = "Rapat komisi dua membahas anggaran pendapatan dan belanja daerah tahun depan."
AFTER = "Rapat ditutup pada pukul dua belas siang."
BREAK_SECONDS = 300


def _spoken(path, sentence):
    """espeak-ng's samples of one sentence (with its pauses), its rate, and when the sentence is said."""
    [(start, end)] = speak(path, [sentence])
    with wave.open(str(path)) as spoken:
        samples = np.frombuffer(spoken.readframes(spoken.getnframes()), dtype="<i2") / 32768
        return samples, spoken.getframerate(), (start, end)


def test_voice_activity_filter_skips_a_long_break_and_keeps_absolute_times(org, tmp_path, monkeypatch, settings):
    """Five minutes of room noise between two sentences (a break in the meeting): with the filter on,
    Whisper decodes only the speech, nothing is heard in the break, and the sentence after it is
    placed where it was said, across the engine's 300 s windows."""
    require_tool(ESPEAK is not None, "espeak-ng")
    settings.ASR_ENGINE, settings.ASR_WHISPER_MODEL, settings.ASR_WHISPER_VAD = "whisper", whisper_model(), True
    load_engine.cache_clear()
    first, rate, (first_start, first_end) = _spoken(tmp_path / "before.wav", BEFORE)
    second, _rate, (second_start, second_end) = _spoken(tmp_path / "after.wav", AFTER)
    room = np.random.default_rng(0).standard_normal(BREAK_SECONDS * rate) * 0.003
    shift = (len(first) + len(room)) / rate
    write_wav(tmp_path / "rapat.wav", np.concatenate([first, room, second]), rate=rate)
    monkeypatch.setitem(sources._AUDIO, Document, lambda document: document.current.blob.file.path)
    recording = add_document(org.komisi1, role="audio", file=ContentFile((tmp_path / "rapat.wav").read_bytes(),
                             name="rapat.wav"), media_type="audio/x-wav", user=org.registrar, extract_text=False)

    done = jobs.run_job(jobs.queue_transcription(recording).pk)

    assert done.status == TranscriptionJob.Status.DONE, done.message
    segments = list(done.segments.all())
    heard = " ".join(segment.text for segment in segments)
    assert character_error_rate(f"{BEFORE} {AFTER}", heard) < 0.35, heard
    said = [(first_start, first_end), (shift + second_start, shift + second_end)]
    for segment in segments:  # each line lies in a sentence (a second's slack), none in the break
        assert any(start - 1 <= segment.start and segment.end <= end + 1 for start, end in said), (segment, said)
    assert abs(segments[-1].start - said[1][0]) < 1.0, (segments[-1].start, said)
    assert all(said[1][0] - 1 <= word["start"] for word in segments[-1].words)
