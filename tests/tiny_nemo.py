"""A tiny character-level NeMo CTC model, built from a config and saved as ``.nemo``.

It goes through the same ``ASRModel.restore_from`` and ``transcribe`` code as
a production checkpoint, builds in seconds on a CPU, and its weights are set
by hand so its output is exactly predictable: 16 mel features pass through
one identity convolution, and the decoder reads
- energy in the upper mel bands (a noise burst) as "a",
- energy in the lowest bands only (a 200 Hz tone) as a space,
- near-silence as the CTC blank.
So ``tests.audio.bursts_signal([1, 3])`` is transcribed "a a", each word
timed at its burst.
"""

FEATURES = 16
LABELS = [" ", "a", "b"]


def build_tiny_model(path):
    import torch
    from nemo.collections.asr.models import EncDecCTCModel
    from omegaconf import OmegaConf

    config = OmegaConf.create({
        "sample_rate": 16000,
        "labels": LABELS,
        "preprocessor": {
            "_target_": "nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor",
            "sample_rate": 16000, "normalize": "per_feature", "window_size": 0.02, "window_stride": 0.01,
            "features": FEATURES, "n_fft": 512, "dither": 0.0, "pad_to": 0,
        },
        "encoder": {
            "_target_": "nemo.collections.asr.modules.ConvASREncoder", "feat_in": FEATURES, "activation": "relu",
            "conv_mask": True,
            "jasper": [{"filters": FEATURES, "repeat": 1, "kernel": [1], "stride": [1], "dilation": [1],
                        "dropout": 0.0, "residual": False, "separable": False}],
        },
        "decoder": {
            "_target_": "nemo.collections.asr.modules.ConvASRDecoder", "feat_in": FEATURES,
            "num_classes": len(LABELS), "vocabulary": LABELS,
        },
    })
    model = EncDecCTCModel(cfg=config)
    with torch.no_grad():
        model.encoder.encoder[0].mconv[0].conv.weight.copy_(torch.eye(FEATURES).unsqueeze(-1))
        weights = torch.zeros(len(LABELS) + 1, FEATURES, 1)  # classes: space, a, b, blank
        weights[1, FEATURES // 2:, 0] = 2.0  # "a": the upper half of the bands
        weights[0, :4, 0] = 1.0  # space: the lowest bands...
        weights[0, FEATURES // 2:, 0] = -1.0  # ...without the upper ones
        model.decoder.decoder_layers[0].weight.copy_(weights)
        model.decoder.decoder_layers[0].bias.copy_(torch.tensor([0.0, -1.0, -10.0, 0.3]))
    model.save_to(str(path))
    return path
