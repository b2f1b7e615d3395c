"""ONNX models as users export them, with the reference runtime's outputs.

- torchvision classifiers exported by `torch.onnx.export` the way users call it
  (dynamic batch axis, default opset 14, some at opsets 11, 13 and 17), at MCU
  resolutions with small width multipliers and 10 classes; random weights from the seed,
  BatchNormalization statistics calibrated on random images (so activations keep their
  scale through the depth), `model.eval()`. `expected` is PyTorch's own output.
- Audio networks (`torch_signals`: torchaudio's M5 on raw waveforms, TC-ResNet8 on MFCCs,
  LSTM keyword spotters), attention networks (`torch_attention`: a Keyword Transformer,
  a tiny ViT) and networks of layers with ONNX operators of their own (`torch_layers`:
  ESPCN super-resolution, a speaker embedder) exported the same way, and their QDQ
  versions.
- Graphs in the styles of published models (`onnx_graphs`): keyword spotting with
  LeakyRelu and a Max/Div normalisation, a detector head with Resize and Concat, pads
  computed from ConstantOfShape/Concat, a text recogniser with a dynamic height and width
  (resolved by --input-shape). `expected`: `pex.reference.onnx_check`'s evaluator.
- QDQ int8 versions of some of them (`onnx_qdq`: our own calibration), and a QLinearConv
  network; `expected`: the evaluator's int8 semantics (ONNX Runtime's rounding).
- PyTorch's own int8 models: torchvision networks quantised by FX graph mode
  (`prepare_fx`/`convert_fx`, the qnnpack engine's default configuration: uint8
  activations, per-tensor int8 weights), exported by `torch.onnx.export` (each
  QuantizeLinear cast to its own type, zero points built by ConstantOfShape and Cast, a
  float input and output); `expected`: the evaluator's int8 semantics.

Inputs are seeded uniform [0, 1) images (uint8 bytes for the QLinearConv network), in
the imported function's layout (NHWC; signals a window reads NLC). Names ending in `_big`
take long to compile and run; quick runs skip them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pex.corpus import CorpusModel, onnx_graphs

FLOAT_TOLERANCE = 1e-4
TO_NHWC = (0, 2, 3, 1)

# name, torchvision constructor and its arguments, resolution, opset (None: the default)
TORCHVISION = (
    ("mobilenet_v2_035_96", "mobilenet_v2", dict(width_mult=0.35), 96, None),
    ("mobilenet_v3_small_96", "mobilenet_v3_small", {}, 96, 17),
    ("mnasnet0_5_96", "mnasnet0_5", {}, 96, 11),
    ("shufflenet_v2_x0_5_96", "shufflenet_v2_x0_5", {}, 96, None),
    ("squeezenet1_1_96", "squeezenet1_1", {}, 96, 11),
    ("efficientnet_b0_96", "efficientnet_b0", {}, 96, 13),
    ("resnet18_96_big", "resnet18", {}, 96, None),
    ("regnet_x_400mf_96_big", "regnet_x_400mf", {}, 96, None),
)

# name, torchvision constructor and its arguments, resolution, opset: quantised by PyTorch
TORCH_QUANTIZED = (
    ("mobilenet_v2_035_96_torch_int8", "mobilenet_v2", dict(width_mult=0.35), 96, 13),
    ("mobilenet_v3_small_96_torch_int8", "mobilenet_v3_small", {}, 96, 17),
    ("resnet18_64_torch_int8_big", "resnet18", {}, 64, 13),
    # Where ONNX Runtime's float32 requantisation first parted from TOSA's (stop 55).
    ("mnasnet0_5_64_torch_int8", "mnasnet0_5", {}, 64, 13),
    ("mobilenet_v3_large_050_64_torch_int8", "mobilenet_v3_large", dict(width_mult=0.5), 64,
     17),
    # Grouped convolutions quantised by PyTorch.
    ("regnet_x_400mf_64_torch_int8_big", "regnet_x_400mf", {}, 64, 13),
)


# Networks whose QDQ version is not in the corpus: the int8 comparison is exact, and in
# these the quantiser leaves long float segments between QuantizeLinear nodes (vit_tiny:
# pre-norm LayerNorms, GELU's Erf, Softmax), computed in float32 by Pex and in float64 by
# the reference, so a few values land on the other side of a rounding boundary (4 of 10
# outputs, by up to 4 LSB). See docs/corpus.md.
FLOAT_SEGMENT_QDQ = {"vit_tiny"}


def _nhwc_bytes(nchw: np.ndarray) -> bytes:
    return np.ascontiguousarray(nchw.transpose(TO_NHWC)).tobytes()


def _signal_bytes(model, ncl: np.ndarray) -> bytes:
    """A rank-3 input's bytes as the imported function takes them: NLC when a window reads
    it (`lines.signal_inputs`), else in ONNX's order."""
    from pex.importers.onnx.lines import CHANNELS_LAST_1D, signal_inputs
    if signal_inputs(model.graph):
        ncl = ncl.transpose(CHANNELS_LAST_1D)
    return np.ascontiguousarray(ncl).tobytes()


def _calibrate_batch_norms(model, shape, generator) -> None:
    """BatchNormalization statistics of random inputs of `shape` without the batch (train
    mode, cumulative average)."""
    import torch
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None
    model.train()
    with torch.no_grad():
        model(torch.rand(8, *shape, generator=generator))
    model.eval()


def _torchvision(out_dir: Path, seed: int, index: int, spec) -> CorpusModel:
    import torch
    import torchvision
    name, constructor, arguments, resolution, opset = spec
    torch.manual_seed(seed * 1000 + index)
    generator = torch.Generator().manual_seed(seed * 1000 + index)
    model = getattr(torchvision.models, constructor)(num_classes=10, **arguments)
    _calibrate_batch_norms(model, (3, resolution, resolution), generator)
    image = torch.rand(1, 3, resolution, resolution, generator=generator)
    with torch.no_grad():
        expected = model(image).numpy().astype(np.float32)
    path = out_dir / f"{name}.onnx"
    extra = {} if opset is None else {"opset_version": opset}
    torch.onnx.export(model, image, str(path), input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch_size"}, "output": {0: "batch_size"}},
                      **extra)
    return CorpusModel(f"onnx/{name}", path, _nhwc_bytes(image.numpy()), expected.tobytes(),
                       "f32", FLOAT_TOLERANCE, "pytorch")


def _torch_quantized(out_dir: Path, seed: int, index: int, spec) -> CorpusModel:
    """A torchvision network quantised by PyTorch (FX graph mode, qnnpack) and exported."""
    import onnx
    import torch
    import torchvision
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    name, constructor, arguments, resolution, opset = spec
    torch.manual_seed(seed * 1000 + 200 + index)
    generator = torch.Generator().manual_seed(seed * 1000 + 200 + index)
    model = getattr(torchvision.models, constructor)(num_classes=10, **arguments)
    shape = (1, 3, resolution, resolution)
    _calibrate_batch_norms(model, shape[1:], generator)
    torch.backends.quantized.engine = "qnnpack"
    prepared = prepare_fx(model, get_default_qconfig_mapping("qnnpack"),
                          example_inputs=(torch.rand(*shape),))
    with torch.no_grad():
        for _ in range(4):
            prepared(torch.rand(*shape, generator=generator))
    quantized = convert_fx(prepared)
    image = torch.rand(*shape, generator=generator)
    path = out_dir / f"{name}.onnx"
    torch.onnx.export(quantized, image, str(path), input_names=["input"],
                      output_names=["output"], opset_version=opset,
                      dynamic_axes={"input": {0: "batch_size"}, "output": {0: "batch_size"}})
    input_bytes = _nhwc_bytes(image.numpy())
    expected, dtype = _evaluated(onnx.load(str(path)), input_bytes)
    return CorpusModel(f"onnx/{name}", path, input_bytes, expected, dtype, FLOAT_TOLERANCE,
                       "onnx-int8")


def _torch_network(out_dir: Path, seed: int, index: int, name: str, constructor,
                   opset=None) -> CorpusModel:
    """A `torch_signals`, `torch_attention` or `torch_layers` network exported like the
    torchvision ones."""
    import onnx
    import torch
    from pex.importers.onnx.layout import channels_last_interface
    torch.manual_seed(seed * 1000 + 100 + index)
    generator = torch.Generator().manual_seed(seed * 1000 + 100 + index)
    model, shape = constructor()
    vocabulary = getattr(model, "vocabulary", None)
    if vocabulary is None:
        _calibrate_batch_norms(model, shape[1:], generator)
        signal = torch.rand(*shape, generator=generator)
    else:  # token ids
        model.eval()
        signal = torch.randint(0, vocabulary, shape, generator=generator)
    with torch.no_grad():
        expected = model(signal)
    # Several outputs (a detector's heads): one after another, as pexc's --run writes them.
    expected = [e.numpy().astype(np.float32)
                for e in (expected if isinstance(expected, tuple) else (expected,))]
    path = out_dir / f"{name}.onnx"
    # A dynamic batch where it leads (time-major sequences keep a static shape: the
    # importer fixes only a leading symbolic dimension).
    outputs = ["output"] if len(expected) == 1 else [f"output{i}" for i in range(len(expected))]
    dynamic = {name: {0: "batch_size"} for name in ["input", *outputs]} if shape[0] == 1 \
        else None
    extra = {} if opset is None else {"opset_version": opset}
    torch.onnx.export(model, signal, str(path), input_names=["input"], output_names=outputs,
                      dynamic_axes=dynamic, **extra)
    exported = onnx.load(str(path))
    # The function takes and returns images NHWC, those the network permutes from or to
    # NHWC itself as they are.
    channels_last_inputs, channels_last_outputs = channels_last_interface(exported.graph)
    if vocabulary is not None:  # ids are int32 on the device
        input_bytes = signal.numpy().astype(np.int32).tobytes()
    elif len(shape) != 4:
        input_bytes = _signal_bytes(exported, signal.numpy())
    elif "input" in channels_last_inputs:
        input_bytes = signal.numpy().tobytes()
    else:
        input_bytes = _nhwc_bytes(signal.numpy())
    expected_bytes = b"".join(
        _nhwc_bytes(e) if e.ndim == 4 and output not in channels_last_outputs else e.tobytes()
        for output, e in zip(outputs, expected))
    return CorpusModel(f"onnx/{name}", path, input_bytes, expected_bytes, "f32",
                       FLOAT_TOLERANCE, "pytorch")


def _torch_networks() -> dict:
    """name -> (constructor, opset) of the audio, attention and other PyTorch networks."""
    from pex.corpus import torch_attention, torch_layers, torch_signals, torch_text
    networks = {name: (network, None) for name, network in torch_signals.NETWORKS.items()}
    networks.update(torch_attention.NETWORKS)
    networks.update(torch_layers.NETWORKS)
    networks.update(torch_text.NETWORKS)
    return networks


def _evaluated(model, input_bytes: bytes, input_shapes=None) -> tuple[bytes, str]:
    """The onnx_check evaluator's output bytes for the model, and their element type."""
    from pex.reference.onnx_check import evaluate
    values, dtype, _ = evaluate(model, input_bytes, input_shapes)
    numpy_type = {"f32": np.float32, "i8": np.int8, "u8": np.uint8}[dtype]
    return values.astype(numpy_type).tobytes(), "f32" if dtype == "f32" else "i8"


def _written(out_dir: Path, name: str, model, input_bytes: bytes, reference: str,
             pexc_args=(), input_shapes=None) -> CorpusModel:
    import onnx
    path = out_dir / f"{name}.onnx"
    onnx.save(model, str(path))
    expected, dtype = _evaluated(model, input_bytes, input_shapes)
    return CorpusModel(f"onnx/{name}", path, input_bytes, expected, dtype,
                       FLOAT_TOLERANCE if dtype == "f32" else 0.0, reference, list(pexc_args))


def _quantized(out_dir: Path, name: str, model, images: list[np.ndarray],
               input_bytes: bytes) -> CorpusModel:
    """The QDQ version of a float model, calibrated on `images` (NCHW, or token ids)."""
    import torch
    from pex.corpus.onnx_qdq import quantize_model
    input_name = next(v.name for v in model.graph.input
                      if v.name not in {i.name for i in model.graph.initializer})
    calibration = [{input_name: torch.from_numpy(image.astype(
        np.int64 if image.dtype.kind == "i" else np.float64))} for image in images]
    return _written(out_dir, name, quantize_model(model, calibration), input_bytes,
                    "onnx-int8")


def generate(out_dir: Path, seed: int) -> list[CorpusModel]:
    import onnx
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    models = [_torchvision(out_dir, seed, i, spec) for i, spec in enumerate(TORCHVISION)]
    networks = _torch_networks()
    models += [_torch_network(out_dir, seed, i, name, *network)
               for i, (name, network) in enumerate(networks.items())]

    def image(*shape) -> np.ndarray:
        return rng.random(shape, dtype=np.float32)

    written = {
        "kws_cnn": (onnx_graphs.keyword_spotting(seed), image(1, 1, 49, 10)),
        "detector_head": (onnx_graphs.detector(seed + 1), image(1, 3, 96, 96)),
        "pad_to_multiple": (onnx_graphs.padded_to_multiple(seed + 2), image(1, 3, 60, 60)),
    }
    for name, (model, x) in written.items():
        models.append(_written(out_dir, name, model, _nhwc_bytes(x), "onnx-check"))
    text = image(1, 3, 48, 192)
    models.append(_written(out_dir, "text_recognizer_dynamic_hw",
                           onnx_graphs.text_recognizer(seed + 3), _nhwc_bytes(text),
                           "onnx-check", ["--input-shape=1x3x48x192"],
                           {None: (1, 3, 48, 192)}))
    # int8: QDQ versions calibrated on other random inputs than the checked one.
    for name, (model, x) in written.items():
        if name == "pad_to_multiple":
            continue
        calibration = [image(*x.shape) for _ in range(4)]
        models.append(_quantized(out_dir, f"{name}_qdq", model, calibration, _nhwc_bytes(x)))
    for name in ("mobilenet_v2_035_96", "mobilenet_v3_small_96"):
        exported = onnx.load(str(out_dir / f"{name}.onnx"))
        models.append(_quantized(out_dir, f"{name}_qdq", exported,
                                 [image(1, 3, 96, 96) for _ in range(4)],
                                 _nhwc_bytes(image(1, 3, 96, 96))))
    for index, (name, (constructor, _)) in enumerate(networks.items()):
        network, shape = constructor()
        exported = onnx.load(str(out_dir / f"{name}.onnx"))
        vocabulary = getattr(network, "vocabulary", None)
        if vocabulary is not None:  # token ids, drawn apart: `rng` draws as before
            ids = np.random.default_rng(seed * 1000 + 300 + index)
            calibration = [ids.integers(0, vocabulary, shape) for _ in range(4)]
            checked = ids.integers(0, vocabulary, shape)
            models.append(_quantized(out_dir, f"{name}_qdq", exported, calibration,
                                     checked.astype(np.int32).tobytes()))
            continue
        calibration = [image(*shape) for _ in range(4)]
        checked = image(*shape)
        if name in FLOAT_SEGMENT_QDQ:
            continue
        models.append(_quantized(out_dir, f"{name}_qdq", exported, calibration,
                                 _nhwc_bytes(checked) if len(shape) == 4 else
                                 _signal_bytes(exported, checked)))
    models += [_torch_quantized(out_dir, seed, i, spec) for i, spec in enumerate(TORCH_QUANTIZED)]
    pixels = rng.integers(0, 256, (1, 3, 32, 32)).astype(np.uint8)
    models.append(_written(out_dir, "qlinear_conv", onnx_graphs.qlinear_network(seed + 4),
                           _nhwc_bytes(pixels), "onnx-int8"))
    return models
