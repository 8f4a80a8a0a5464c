"""Audio the tests make themselves: tones and noise bursts, and Indonesian speech from espeak-ng.

Nothing is downloaded. ``burst_wav`` writes the signal the tiny NeMo model
(``tests.tiny_nemo``) reads exactly: a noise burst is the letter "a", a
low tone a word boundary, near-silence nothing.
"""

import shutil
import subprocess
import wave

import numpy as np

RATE = 16000


def silence(seconds, rng):
    return rng.standard_normal(int(seconds * RATE)) * 0.003


def burst(seconds, rng):
    return rng.standard_normal(int(seconds * RATE)) * 0.3


def tone(seconds, frequency=200.0):
    t = np.arange(int(seconds * RATE)) / RATE
    return 0.5 * np.sin(2 * np.pi * frequency * t)


def bursts_signal(onsets, length, seed=0):
    """Noise bursts (0.5 s) at ``onsets`` seconds, each followed by a boundary tone, in ``length`` seconds."""
    rng = np.random.default_rng(seed)
    signal = silence(length, rng)
    for onset in onsets:
        begin = int(onset * RATE)
        piece = np.concatenate([burst(0.5, rng), silence(0.5, rng), tone(0.3)])
        signal[begin:begin + len(piece)] = piece[: len(signal) - begin]
    return signal


def write_wav(path, signal, rate=RATE, channels=1):
    data = np.clip(signal, -1, 1)
    if channels > 1:
        data = np.repeat(data[:, None], channels, axis=1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((data * 32767).astype("<i2").tobytes())
    return path


def resample(signal, rate):
    """Linear resampling, good enough to make a 44.1 kHz test file from a 16 kHz signal."""
    positions = np.arange(int(len(signal) * rate / RATE)) * RATE / rate
    return np.interp(positions, np.arange(len(signal)), signal)


ESPEAK = shutil.which("espeak-ng")


def speak(path, sentences, speed=150, pause=0.8):
    """Indonesian speech from espeak-ng's ``id`` voice, one sentence after another with a pause
    between them as people make; returns each sentence's (start, end) in seconds."""
    pieces, times, position, rate = [], [], 0.0, None
    for index, sentence in enumerate(sentences):
        part = f"{path}.{index}.wav"
        subprocess.run([ESPEAK, "-v", "id", "-s", str(speed), "-w", part, sentence], check=True, capture_output=True)
        with wave.open(part) as spoken:
            rate = spoken.getframerate()
            samples = np.frombuffer(spoken.readframes(spoken.getnframes()), dtype="<i2").astype(np.float64) / 32768
        gap = np.zeros(int(pause * rate))
        pieces += [gap, samples]
        times.append((position + pause, position + pause + len(samples) / rate))
        position += pause + len(samples) / rate
    pieces.append(np.zeros(int(pause * rate)))
    write_wav(path, np.concatenate(pieces), rate=rate)
    return times


def character_error_rate(reference, hypothesis):
    """Levenshtein distance over characters / reference length, after lower-casing and dropping punctuation."""
    def normal(text):
        kept = "".join(ch if ch.isalnum() else " " for ch in text.lower())
        return " ".join(kept.split())

    reference, hypothesis = normal(reference), normal(hypothesis)
    previous = list(range(len(hypothesis) + 1))
    for i, r in enumerate(reference, 1):
        current = [i]
        for j, h in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(len(reference), 1)
