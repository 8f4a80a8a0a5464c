"""Recordings in, 16 kHz mono WAV out: the parent side of ``asr.audioworker``.

Every failure becomes an ``AudioProblem`` whose message a notulis can act on.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from project.sandbox import SandboxFailure, run_child

PROBE_TIMEOUT_SECONDS = 60


class AudioProblem(Exception):
    """A recording that cannot be transcribed; ``str()`` is the message for people."""


def _messages():
    return {
        "no_audio": _("Berkas ini bukan rekaman audio (tidak ada jalur suara di dalamnya)."),
        "empty": _("Rekaman ini kosong: tidak ada suara yang dapat dibaca."),
        "corrupt": _("Rekaman ini rusak dan tidak dapat dibaca."),
        "memory": _("Rekaman ini memerlukan memori lebih dari batas yang diizinkan."),
        "timeout": _("Membaca rekaman ini melebihi batas waktu."),
        "crash": _("Rekaman ini rusak dan tidak dapat dibaca."),
    }


def _run(mode, path, *args, timeout):
    try:
        answer = run_child(
            "asr.audioworker", mode, path, *args, timeout=timeout, memory_bytes=settings.ASR_DECODE_MEMORY_BYTES
        )
    except SandboxFailure as failure:
        raise AudioProblem(_messages()[failure.reason]) from failure
    if answer.get("error"):
        raise AudioProblem(_messages().get(answer["error"], _messages()["corrupt"]))
    return answer


def probe_audio(path):
    """Codec, rate, channels and declared length of a recording, or ``AudioProblem``."""
    return _run("probe", path, timeout=PROBE_TIMEOUT_SECONDS)


def normalise_audio(path, out_path):
    """Write ``out_path`` as 16 kHz mono 16-bit WAV; return seconds read and whether the file was cut short."""
    return _run("normalise", path, out_path, timeout=settings.ASR_DECODE_TIMEOUT_SECONDS)
