"""Transcribe one audio file at a terminal, the way the worker would."""

import json
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from asr.audio import AudioProblem, normalise_audio
from asr.engines import ModelUnavailable, load_engine
from project.progress import ProgressBar


def _clock(seconds):
    minutes, seconds = divmod(seconds, 60)
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}:{seconds:06.3f}"


class Command(BaseCommand):
    help = "Transkripsikan berkas audio dan cetak segmen beserta waktu kata."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--engine", choices=["whisper", "nemo"])
        parser.add_argument("--model", help="path of a CTranslate2 Whisper directory or a .nemo file")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file, engine, model, as_json, **options):
        if not Path(file).is_file():
            raise CommandError(f"no such file: {file}")
        try:
            with tempfile.TemporaryDirectory(prefix="siap-asr-") as folder:
                wav = Path(folder) / "audio.wav"
                normalise_audio(file, wav)
                loaded = load_engine(engine, model)
                bar = ProgressBar(sys.stderr, 100, label="transcribing (%)")
                transcript = loaded.transcribe(wav, progress=lambda fraction: bar.show(round(fraction * 100)))
                bar.finish()
        except (AudioProblem, ModelUnavailable) as problem:
            raise CommandError(str(problem))
        if as_json:
            self.stdout.write(json.dumps(transcript.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"# {transcript.engine} · {transcript.model} · {transcript.duration:.1f} s")
        for segment in transcript.segments:
            self.stdout.write(f"[{_clock(segment.start)} → {_clock(segment.end)}] {segment.text}")
            self.stdout.write("    " + " ".join(f"{w.text.strip()}@{w.start:.2f}" for w in segment.words))
