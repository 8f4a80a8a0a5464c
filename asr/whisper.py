"""Whisper through faster-whisper (CTranslate2): transcribes real Indonesian out of the box.

Decoding is made repeatable: language forced (``ASR_LANGUAGE``), CTranslate2's
random seed fixed for the sampling fallbacks Whisper uses when a 30 s piece
comes out as a repetition loop, and no conditioning on the previous piece's
text (which is how such loops spread).

Speed on 2 CPU cores (issue 14), measured on the benchmark's Indonesian speech
(``tests/bench/bench_asr.py`` prints real-time factor and character error
rate; processor seconds per audio second below, the figure a shared machine
disturbs least):

- greedy decoding (``ASR_WHISPER_BEAM_SIZE`` 1) rather than a beam of 5. The
  beam's output tripped the repetition and log-probability checks on about
  half of the 30 s pieces (13 of 24 in 10 minutes), and each such piece was
  decoded again by sampling at up to five temperatures, five candidates each:
  that, not the length, made long recordings slow. Greedy: 0.29 against
  0.48 CPU s/s on 10 minutes (4 fallbacks of 28), CER 29.5 % against 34.8 %;
  on 2 minutes 0.14 against 0.50-0.60, CER 18 % against 38-44 %. On the
  1-minute clip (three pieces) it reads worse, 27 % against 17 %, where the
  beam's sampling fallbacks happened to land well (RTF 0.14 against 0.73).
- the voice-activity filter (Silero, shipped inside faster-whisper: nothing
  is fetched) is off by default (``ASR_WHISPER_VAD``). It drops silences of
  ``ASR_WHISPER_VAD_MIN_SILENCE_MS`` or more before decoding, so a long break
  in a meeting costs nothing and Whisper invents no text over it; but on the
  test speech it cut pieces where two of the 1-minute clip's three looped
  and fell back (RTF 0.48-0.67 and CER 46 %, against 0.13-0.15 and 27 %
  without it, alternated on a quiet machine), and on 10 minutes it read the
  same for 5 % more time. Turn it on for recordings with long breaks.
- faster-whisper's batched pipeline (batch 8) used a fifth less processor
  time but read worse (CER 25 % against 18 %; 45-53 % without its timestamp
  tokens, which also leave one segment per 30 s): not used.
- int8 and int8_float32 are the same computation on CPU (same text, same
  time); word timestamps cost too little to measure and the engine needs
  them to keep each word of overlapping windows once.
"""

import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .engines import Engine, ModelUnavailable, Segment, Word, engine_class

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")


@engine_class("whisper")
class WhisperEngine(Engine):
    def __init__(self, model_path, device="cpu"):
        super().__init__(model_path, device)
        missing = [name for name in MODEL_FILES if not (Path(model_path) / name).is_file()]
        if missing:
            raise ModelUnavailable(
                _("Model Whisper tidak ditemukan di %(path)s (tidak ada %(files)s). Jalankan `make install`.")
                % {"path": model_path, "files": ", ".join(missing)}
            )
        import ctranslate2
        from faster_whisper import WhisperModel

        ctranslate2.set_random_seed(settings.ASR_SEED)
        try:
            self.model = WhisperModel(
                str(model_path), device=device, compute_type="int8" if device == "cpu" else "float16",
                cpu_threads=_threads(), local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelUnavailable(_("Model Whisper rusak atau tidak dapat dimuat: %(error)s") % {"error": exc}) from exc

    def transcribe_window(self, samples, offset, progress_within):
        segments, _info = self.model.transcribe(
            samples, language=settings.ASR_LANGUAGE, task="transcribe", beam_size=settings.ASR_WHISPER_BEAM_SIZE,
            word_timestamps=True, condition_on_previous_text=False, **_voice_activity_filter(),
        )
        decoded = []
        for segment in segments:  # a generator: Whisper decodes 30 s at a time
            decoded.append(Segment(
                start=segment.start, end=segment.end, text=segment.text,
                words=[Word(word.word, word.start, word.end) for word in segment.words or []],
            ))
            progress_within(segment.end)
        return decoded


def _threads():
    """``ASR_THREADS``, else CTranslate2's own default of 4 but never more than the cores:
    4 threads on 2 cores spent a fifth more processor time for the same work."""
    return settings.ASR_THREADS or min(4, os.cpu_count() or 1)


def _voice_activity_filter():
    """faster-whisper's arguments for skipping long silences, or for decoding everything."""
    if not settings.ASR_WHISPER_VAD:
        return {"vad_filter": False}
    from faster_whisper.vad import VadOptions

    return {"vad_filter": True, "vad_parameters": VadOptions(min_silence_duration_ms=settings.ASR_WHISPER_VAD_MIN_SILENCE_MS)}
