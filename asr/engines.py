"""The engine interface: a 16 kHz mono WAV in, a ``Transcript`` with segment and word times out.

Engines differ in what they load and how they decode one window of audio;
everything else lives here once: reading the WAV window by window (memory
stays bounded however long the paripurna), overlapping windows so no word
is cut in two, keeping each word once, and reporting progress.

``windows`` hands over each window's segments as soon as that window is
decoded, so the job can store them and the notulis can start correcting the
first minutes of a three-hour paripurna while the rest is still decoded;
it can also start where an earlier run stopped (``Window.until``).

Speaker labels: ``Segment.speaker`` stays empty; the notulis assigns speakers
from the attendance list. A diarization model, when one is configured, fills
it in as an extra pass over the transcript without changing engines.
"""

import wave
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from .audio import AudioProblem
from .audioworker import RATE


@dataclass
class Word:
    text: str
    start: float
    end: float


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list = field(default_factory=list)
    speaker: str = ""


@dataclass
class Transcript:
    engine: str
    model: str
    language: str
    duration: float
    segments: list

    def as_dict(self):
        return asdict(self)


@dataclass
class Window:
    """One decoded window: the segments it keeps, and how far into the recording the transcript now reaches."""

    segments: list
    until: float  # seconds: the end of what this window answers for, where a later run resumes
    duration: float  # seconds of the whole recording

    @property
    def last(self):
        return self.until >= self.duration


class ModelUnavailable(Exception):
    """The configured model is missing or cannot be loaded; ``str()`` is for people."""


class Engine:
    name = ""

    def __init__(self, model_path, device="cpu"):
        self.model_path, self.device = str(model_path), device

    def window_seconds(self):
        return settings.ASR_WINDOW_SECONDS[self.name]

    def transcribe_window(self, samples, offset, progress_within):
        """Segments (times relative to ``samples``) of one window of float32 samples.

        Engines that decode piece by piece call ``progress_within(seconds)`` as
        they go, so a slow model on a long window still reports (the job's
        heartbeat) instead of looking dead.
        """
        raise NotImplementedError

    def transcribe(self, wav_path, progress=None):
        """The whole transcript at once (the ``transcribe`` command, the benchmark)."""
        segments, duration = [], 0.0
        for window in self.windows(wav_path, progress):
            segments += window.segments
            duration = window.duration
        return Transcript(self.name, self.model_path, settings.ASR_LANGUAGE, duration, segments)

    def windows(self, wav_path, progress=None, start=0.0):
        """Yield each ``Window`` as soon as it is decoded, from ``start`` seconds on; the last has ``last`` set.

        ``start`` is an earlier run's last ``Window.until``: the first window
        then begins where an uninterrupted run's next window would have begun
        and answers from ``start`` on, so a resumed transcript has no word twice
        and none missing.
        """
        with wave.open(str(wav_path), "rb") as source:
            if (source.getframerate(), source.getnchannels(), source.getsampwidth()) != (RATE, 1, 2):
                raise AudioProblem(_("Audio harus dinormalkan ke 16 kHz mono lebih dahulu."))
            total = source.getnframes()
            window = int(self.window_seconds() * RATE)
            overlap = int(settings.ASR_WINDOW_OVERLAP_SECONDS * RATE)
            step = max(window - overlap, RATE)
            begin = max(0, round(start * RATE - overlap / 2)) if start else 0
            while True:
                source.setpos(begin)
                frames = source.readframes(window)
                samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
                owned = _owned_span(begin, window, overlap, total)
                kept = []
                if samples.size:

                    def within(seconds, begin=begin):
                        if progress and total:
                            progress(min(1.0, (begin + seconds * RATE) / total))

                    for segment in self.transcribe_window(samples, begin / RATE, within):
                        segment = _keep_owned(segment, begin / RATE, owned)
                        if segment is not None:
                            kept.append(segment)
                if progress:
                    progress(min(1.0, (begin + window) / total) if total else 1.0)
                yield Window(kept, owned[1], total / RATE)
                if begin + window >= total:
                    return
                begin += step


def _owned_span(begin, window, overlap, total):
    """The seconds this window answers for: its middle, up to the middle of each overlap."""
    start = 0 if begin == 0 else (begin + overlap / 2)
    end = total if begin + window >= total else (begin + window - overlap / 2)
    return start / RATE, end / RATE


def _keep_owned(segment, offset, owned):
    """The segment shifted to absolute times, with only the words whose end this window owns.

    A word's end, not its start, decides: a CTC model may stretch a word's
    start back over the silence before it, which can lie in the previous window.
    """
    start, end = owned
    words = [
        Word(word.text, round(word.start + offset, 3), round(word.end + offset, 3))
        for word in segment.words
        if start <= word.end + offset < end
    ]
    if segment.words and not words:
        return None
    if not segment.words and not start <= segment.end + offset < end:
        return None
    text = " ".join(word.text.strip() for word in words) if segment.words else segment.text.strip()
    if not text:
        return None
    return Segment(
        start=words[0].start if words else round(segment.start + offset, 3),
        end=words[-1].end if words else round(segment.end + offset, 3),
        text=text,
        words=words,
        speaker=segment.speaker,
    )


ENGINES = {}


def engine_class(name):
    def register(cls):
        ENGINES[name] = cls
        cls.name = name
        return cls

    return register


@lru_cache(maxsize=4)
def load_engine(name=None, model_path=None):
    """The engine, loaded once per process: a worker keeps its model between jobs."""
    from . import nemo, whisper  # noqa: F401 - they register their engine classes

    name = name or settings.ASR_ENGINE
    if name not in ENGINES:
        raise ModelUnavailable(_("Mesin pengenal ucapan tidak dikenal: %(name)s.") % {"name": name})
    default_model = settings.ASR_WHISPER_MODEL if name == "whisper" else settings.ASR_NEMO_MODEL
    return ENGINES[name](model_path or default_model, device=settings.ASR_DEVICE)
