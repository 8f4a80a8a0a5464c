"""Benchmark: speech-to-text real-time factor and peak memory, Whisper and NeMo, 1/10/60 minutes.

Run on demand (not part of the test suite)::

    make bench            # or: .venv/bin/python tests/bench/bench_asr.py [--minutes 1 10 60]

Each (engine, length) runs in a fresh child process the way the worker runs
a job: normalise the recording to 16 kHz mono (in its sandboxed decoder),
load the model, transcribe window by window. The audio is Indonesian speech
from espeak-ng (the budget-meeting script of the browser test), repeated to
length. Printed per run: model load time, transcription time, real-time
factor (transcription seconds per audio second) and the child's peak RSS;
flat memory from 10 to 60 minutes is what the windowing is for.

Engines: Whisper base (the model `make install` assembles, int8 on CPU) and
NeMo with a Conformer-CTC of the "small" size (16 layers, d_model 176, about
13 M parameters) built from a config with untrained weights: its output is
meaningless but it computes exactly what a trained checkpoint of that size
computes, so its speed and memory are those of a real model (no Indonesian
NeMo checkpoint is downloaded here).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

SCRIPT = [
    "Rapat komisi dua membahas anggaran pendapatan dan belanja daerah tahun depan.",
    "Ketua komisi meminta dinas pekerjaan umum menjelaskan rencana pembangunan drainase.",
    "Anggaran untuk perbaikan jalan naik menjadi dua puluh miliar rupiah.",
    "Rapat ditutup pada pukul dua belas siang.",
]


def conformer_small(path):
    import torch  # noqa: F401 - NeMo needs it loaded first
    from nemo.collections.asr.models import EncDecCTCModel
    from omegaconf import OmegaConf

    labels = list(" abcdefghijklmnopqrstuvwxyz'")
    config = OmegaConf.create({
        "sample_rate": 16000, "labels": labels,
        "preprocessor": {"_target_": "nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor",
                         "sample_rate": 16000, "normalize": "per_feature", "window_size": 0.025,
                         "window_stride": 0.01, "features": 80, "n_fft": 512, "dither": 0.0},
        "encoder": {"_target_": "nemo.collections.asr.modules.ConformerEncoder", "feat_in": 80, "n_layers": 16,
                    "d_model": 176, "subsampling": "striding", "subsampling_factor": 4,
                    "subsampling_conv_channels": 176, "ff_expansion_factor": 4, "self_attention_model": "rel_pos",
                    "n_heads": 4, "conv_kernel_size": 31, "dropout": 0.0, "dropout_emb": 0.0, "dropout_att": 0.0},
        "decoder": {"_target_": "nemo.collections.asr.modules.ConvASRDecoder", "feat_in": 176,
                    "num_classes": len(labels), "vocabulary": labels},
    })
    model = EncDecCTCModel(cfg=config)
    model.save_to(str(path))
    return sum(parameter.numel() for parameter in model.parameters())


def long_speech(folder, minutes):
    """espeak-ng's script, said once and repeated to ``minutes`` (16-bit samples, never as floats)."""
    import wave

    import numpy as np

    from tests.audio import speak

    once = folder / "script.wav"
    if not once.exists():
        speak(once, SCRIPT)
    with wave.open(str(once)) as spoken:
        rate = spoken.getframerate()
        samples = np.frombuffer(spoken.readframes(spoken.getnframes()), dtype="<i2")
    wanted = int(minutes * 60 * rate)
    path = folder / f"speech-{minutes}min.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        while wanted > 0:
            out.writeframes(samples[:wanted].tobytes())
            wanted -= len(samples)
    return path


def _peak_rss_mib():
    """This process's peak resident memory since it was started (VmHWM).

    Not ``getrusage``: Linux carries a forked child's maxrss over from its
    parent, and the parent here has held 60 minutes of audio.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run(engine, model, wav):
    """In the child: what the worker does for one job, timed."""
    import django

    django.setup()
    from asr.audio import normalise_audio
    from asr.engines import load_engine

    with tempfile.TemporaryDirectory() as folder:
        normalised = Path(folder) / "audio.wav"
        started = time.perf_counter()
        audio = normalise_audio(wav, normalised)
        decoded = time.perf_counter()
        loaded_engine = load_engine(engine, model)
        loaded = time.perf_counter()
        transcript = loaded_engine.transcribe(normalised)
        done = time.perf_counter()
    peak = _peak_rss_mib()
    print(json.dumps({
        "audio_s": audio["seconds"], "decode_s": decoded - started, "load_s": loaded - decoded,
        "transcribe_s": done - loaded, "rtf": (done - loaded) / audio["seconds"], "peak_mib": peak,
        "segments": len(transcript.segments),
    }))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, nargs="*", default=[1, 10, 60])
    parser.add_argument("--engines", nargs="*", default=["whisper", "nemo"])
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "MODEL", "WAV"))
    arguments = parser.parse_args()
    if arguments.one:
        return one_run(*arguments.one)

    import django

    django.setup()
    from django.conf import settings

    print(f"ASR benchmark on {os.cpu_count()} CPU cores, device {settings.ASR_DEVICE}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        models = {"whisper": settings.ASR_WHISPER_MODEL}
        if "nemo" in arguments.engines:
            parameters = conformer_small(folder / "conformer-small.nemo")
            models["nemo"] = str(folder / "conformer-small.nemo")
            print(f"NeMo Conformer-CTC small from config: {parameters / 1e6:.1f} M parameters (untrained)")
        print(f"{'engine':8} {'audio':>7} {'decode s':>9} {'load s':>7} {'transcribe s':>13} {'RTF':>6} "
              f"{'peak MiB':>9} {'segments':>9}")
        for engine in arguments.engines:
            for minutes in arguments.minutes:
                wav = long_speech(folder, minutes)
                completed = subprocess.run(
                    [sys.executable, __file__, "--one", engine, models[engine], str(wav)],
                    capture_output=True, text=True, cwd=ROOT, check=False,
                )
                if completed.returncode != 0:
                    print(f"{engine:8} {minutes:>5g} m  failed: {completed.stderr.strip()[-300:]}")
                    continue
                row = json.loads(completed.stdout.strip().splitlines()[-1])
                print(f"{engine:8} {minutes:>5g} m {row['decode_s']:9.1f} {row['load_s']:7.1f} "
                      f"{row['transcribe_s']:13.1f} {row['rtf']:6.3f} {row['peak_mib']:9.0f} {row['segments']:9d}",
                      flush=True)


if __name__ == "__main__":
    main()
