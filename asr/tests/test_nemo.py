"""The NeMo engine's load-time settings, on a FastConformer small enough to build in a test."""

import importlib.util

import pytest

from asr.engines import load_engine
from tests.audio import bursts_signal, write_wav
from tests.bench.nemo_models import fastconformer_ctc
from tests.support import require_tool


@pytest.fixture(scope="module")
def fastconformer(tmp_path_factory):
    """A one-layer FastConformer-CTC saved with full attention, as NVIDIA's checkpoints are."""
    require_tool(importlib.util.find_spec("nemo") is not None, "NeMo (requirements-nemo.txt)")
    path = tmp_path_factory.mktemp("fastconformer") / "fc.nemo"
    fastconformer_ctc(path, (16, 2, 1))
    return str(path)


@pytest.fixture
def fresh_engines():
    load_engine.cache_clear()
    yield
    load_engine.cache_clear()


def test_a_conformer_checkpoint_is_switched_to_local_attention_on_load(fastconformer, fresh_engines, settings,
                                                                      tmp_path):
    settings.ASR_NEMO_ATTENTION_CONTEXT = [4, 4]
    engine = load_engine("nemo", fastconformer)
    assert engine.model.encoder.self_attention_model == "rel_pos_local_attn"
    assert list(engine.model.encoder.att_context_size) == [4, 4]
    assert list(engine.model.cfg.encoder.att_context_size) == [4, 4]
    # and it still transcribes, through the local-attention layers
    transcript = engine.transcribe(write_wav(tmp_path / "a.wav", bursts_signal([1.0], 3)))
    assert transcript.duration == pytest.approx(3.0, abs=0.01)


def test_an_empty_attention_context_keeps_the_checkpoints_own_attention(fastconformer, fresh_engines, settings):
    settings.ASR_NEMO_ATTENTION_CONTEXT = []
    engine = load_engine("nemo", fastconformer)
    assert engine.model.encoder.self_attention_model == "rel_pos"
