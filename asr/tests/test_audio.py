"""Recordings in, 16 kHz mono WAV out — and every bad file ends in a clear problem."""

import wave

import numpy as np
import pytest

from asr.audio import AudioProblem, normalise_audio, probe_audio
from tests.audio import RATE, bursts_signal, resample, write_wav


def test_stereo_44k_recording_is_normalised_to_16k_mono(tmp_path):
    signal = bursts_signal([0.5], 3)
    source = write_wav(tmp_path / "stereo.wav", resample(signal, 44100), rate=44100, channels=2)
    facts = probe_audio(source)
    assert (facts["rate"], facts["channels"]) == (44100, 2)

    answer = normalise_audio(source, tmp_path / "out.wav")
    with wave.open(str(tmp_path / "out.wav")) as out:
        assert (out.getframerate(), out.getnchannels(), out.getsampwidth()) == (16000, 1, 2)
        frames = out.getnframes()
        samples = np.frombuffer(out.readframes(frames), dtype="<i2")
    assert answer["seconds"] == pytest.approx(3.0, abs=0.05)
    assert frames == pytest.approx(3 * RATE, abs=800)
    assert not answer.get("truncated")
    # the burst is still where it was: loud at 0.6 s, quiet at 2.5 s
    assert np.abs(samples[int(0.6 * RATE):int(0.7 * RATE)]).mean() > 20 * np.abs(samples[int(2.5 * RATE):int(2.6 * RATE)]).mean()


def test_a_pdf_is_not_audio(tmp_path):
    path = tmp_path / "rapat.wav"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with pytest.raises(AudioProblem) as problem:
        probe_audio(path)
    assert "rekaman" in str(problem.value).lower()


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "kosong.mp3"
    path.write_bytes(b"")
    with pytest.raises(AudioProblem):
        normalise_audio(path, tmp_path / "out.wav")


def test_a_wav_with_a_header_and_no_sound_is_empty(tmp_path):
    path = write_wav(tmp_path / "header-only.wav", np.zeros(0))
    with pytest.raises(AudioProblem) as problem:
        normalise_audio(path, tmp_path / "out.wav")
    assert "kosong" in str(problem.value)


def test_a_truncated_recording_is_read_as_far_as_it_goes_and_flagged(tmp_path):
    whole = write_wav(tmp_path / "whole.wav", bursts_signal([1, 5], 10))
    cut = tmp_path / "cut.wav"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 4 // 10])  # the header still promises 10 s
    answer = normalise_audio(cut, tmp_path / "out.wav")
    assert answer["truncated"]
    assert answer["seconds"] == pytest.approx(4.0, abs=0.1)
    assert answer["declared_seconds"] == pytest.approx(10.0, abs=0.1)
