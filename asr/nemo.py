"""NVIDIA NeMo: the production engine, from a local ``.nemo`` checkpoint.

``restore_from`` reads the checkpoint from ``ASR_NEMO_MODEL`` and nothing is
ever downloaded. Any NeMo CTC or RNN-T model whose ``transcribe`` returns
hypotheses with timestamps fits (Conformer/FastConformer CTC or hybrid
models fine-tuned on Indonesian; see the README). Windows of
``ASR_WINDOW_SECONDS["nemo"]`` keep memory bounded on long recordings.

Speed on CPU (issue 14): a Conformer's full self-attention costs the square
of the window's length, so a Conformer-family checkpoint is switched on load
to local attention of ``ASR_NEMO_ATTENTION_CONTEXT`` frames each side
(NeMo's ``rel_pos_local_attn``, what NVIDIA uses for long audio): the cost
per second of audio no longer grows with the window. PyTorch runs on
``ASR_THREADS`` threads when that is set.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .audioworker import RATE
from .engines import Engine, ModelUnavailable, Segment, Word, engine_class


@engine_class("nemo")
class NemoEngine(Engine):
    def __init__(self, model_path, device="cpu"):
        super().__init__(model_path, device)
        if not model_path or not Path(model_path).is_file():
            raise ModelUnavailable(
                _("Model NeMo tidak ditemukan: %(path)s. Atur ASR_NEMO_MODEL ke berkas .nemo lokal.")
                % {"path": model_path or "-"}
            )
        try:
            import torch
            from nemo.collections.asr.models import ASRModel
            from nemo.utils import logging as nemo_logging
        except ImportError as exc:
            raise ModelUnavailable(_("NeMo belum terpasang (requirements-nemo.txt).")) from exc
        nemo_logging.setLevel(logging.ERROR)  # NeMo logs every restore and call to stdout
        if settings.ASR_THREADS > 0:
            torch.set_num_threads(settings.ASR_THREADS)
        try:
            self.model = ASRModel.restore_from(str(model_path), map_location=torch.device(device))
        except Exception as exc:  # noqa: BLE001 - a corrupt archive raises anything from tarfile to torch
            raise ModelUnavailable(
                _("Model NeMo rusak atau tidak dapat dimuat: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:300]}
            ) from exc
        self.model.eval()
        use_local_attention(self.model, settings.ASR_NEMO_ATTENTION_CONTEXT)
        self._torch = torch

    def transcribe_window(self, samples, offset, progress_within):
        with self._torch.inference_mode():
            hypothesis = self.model.transcribe([samples], batch_size=1, timestamps=True, verbose=False)[0]
        if isinstance(hypothesis, list):  # RNN-T models return (best, all) lists
            hypothesis = hypothesis[0]
        stamps = hypothesis.timestamp or {}
        words = [Word(item["word"], float(item["start"]), float(item["end"])) for item in stamps.get("word", [])]
        segments = []
        for item in stamps.get("segment", []) or [{"start": 0.0, "end": len(samples) / RATE}]:
            start, end = float(item["start"]), float(item["end"])
            inside = [word for word in words if start <= word.start and word.end <= end]
            segments.append(Segment(start=start, end=end, text=item.get("segment", hypothesis.text), words=inside))
        return segments


def use_local_attention(model, context):
    """Switch a Conformer-family encoder to local attention of ``context`` (left, right) frames.

    Does nothing for an empty ``context`` or an encoder without attention
    (the tests' tiny convolutional model). The FastConformer paper (arXiv
    2305.05084) makes this switch after training, on checkpoints trained with
    full attention, to transcribe hour-long audio: time and memory then grow
    linearly with the window instead of with its square. 128 frames each side
    is about 10 s of audio at FastConformer's 80 ms per frame.
    """
    if context and hasattr(model.encoder, "change_attention_model"):
        model.change_attention_model("rel_pos_local_attn", list(context))
