"""Whisper through faster-whisper (CTranslate2): transcribes real Indonesian out of the box.

Decoding is made repeatable: language forced (``ASR_LANGUAGE``), beam search
at temperature 0 first, CTranslate2's random seed fixed for the sampling
fallbacks Whisper uses when a window comes out as a repetition loop, and
no conditioning on the previous window's text (which is how such loops
spread).
"""

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
                cpu_threads=settings.ASR_THREADS, local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelUnavailable(_("Model Whisper rusak atau tidak dapat dimuat: %(error)s") % {"error": exc}) from exc

    def transcribe_window(self, samples, offset, progress_within):
        segments, _info = self.model.transcribe(
            samples, language=settings.ASR_LANGUAGE, task="transcribe", beam_size=5,
            word_timestamps=True, condition_on_previous_text=False, vad_filter=False,
        )
        decoded = []
        for segment in segments:  # a generator: Whisper decodes 30 s at a time
            decoded.append(Segment(
                start=segment.start, end=segment.end, text=segment.text,
                words=[Word(word.word, word.start, word.end) for word in segment.words or []],
            ))
            progress_within(segment.end)
        return decoded
