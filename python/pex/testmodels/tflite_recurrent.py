"""TFLite models with SVDF (issue 15), written with the writer's low-level API: SVDF alone
(float; int8 with an int16 or an int8 state) and a keyword model shaped like TFLite Micro's
SVDF keyword spotters, one int16 filterbank frame in:

    int16 [1, 40] -> QUANTIZE -> int8 -> SVDF (64 filters, rank 2, memory 8, int16 state)
                  -> SVDF (16 filters, rank 1, memory 4) -> FULLY_CONNECTED -> SOFTMAX

Each SVDF's state is a variable tensor, as TFLite's converter writes it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.graph import Quantization, Tensor
from pex.importers.tflite import schema
from pex.importers.tflite.writer import TfliteWriter

_CODES = schema.BUILTIN_OPERATOR_CODES
_NUMPY = {"f32": np.float32, "i8": np.int8, "i16": np.int16, "i32": np.int32}


def q(scale: float, zero_point: int = 0) -> Quantization:
    return Quantization.per_tensor(scale, zero_point)


def _constant(name: str, values, dtype: str, quant: Quantization | None = None) -> Tensor:
    values = np.asarray(values).astype(_NUMPY[dtype])
    return Tensor(name, values.shape, dtype, quant, values)


def _svdf(writer: TfliteWriter, rng: np.random.Generator, x: Tensor, name: str, units: int,
          rank: int, memory: int, state_dtype: str | None, out_quant: Quantization | None,
          activation: int = 0) -> Tensor:
    """An SVDF reading x [N, K]; int8 weights and state scales keep the projection and
    the time sums inside their types' ranges for the reference inputs."""
    batch, depth = x.shape
    filters = units * rank
    if x.dtype == "f32":
        weights_feature = _constant(f"{name}/weights_feature",
                                    rng.uniform(-0.3, 0.3, (filters, depth)), "f32")
        weights_time = _constant(f"{name}/weights_time", rng.uniform(-0.5, 0.5, (filters, memory)),
                                 "f32")
        bias = _constant(f"{name}/bias", rng.uniform(-0.2, 0.2, units), "f32")
        state = Tensor(f"{name}/state", (batch, filters * memory), "f32")
        out = Tensor(name, (batch, units), "f32")
    else:
        state_quant = q(0.004) if state_dtype == "i16" else q(0.5, 5)
        time_quant = q(1 / 16384) if state_dtype == "i16" else q(0.01)
        time_limit = np.iinfo(_NUMPY[state_dtype]).max // 2
        weights_feature = _constant(f"{name}/weights_feature",
                                    rng.integers(-127, 128, (filters, depth)), "i8", q(0.002))
        weights_time = _constant(f"{name}/weights_time",
                                 rng.integers(-time_limit, time_limit, (filters, memory)),
                                 state_dtype, time_quant)
        bias_scale = float(np.float32(state_quant.scale[0]) * np.float32(time_quant.scale[0]))
        bias = _constant(f"{name}/bias", rng.integers(-5000, 5000, units), "i32", q(bias_scale))
        state = Tensor(f"{name}/state", (batch, filters * memory), state_dtype, state_quant)
        out = Tensor(name, (batch, units), "i8", out_quant)
    writer.variable(state)
    writer.operator(_CODES["SVDF"], [x, weights_feature, weights_time, bias, state], [out],
                    schema.SVDFOptions, rank=rank, fused_activation_function=activation)
    return out


def _single_svdf(dtype: str, state_dtype: str | None, name: str,
                 out_quant: Quantization | None = None, batch: int = 1,
                 memory: int = 4) -> Callable[[], bytes]:
    def make() -> bytes:
        rng = np.random.default_rng(27)
        writer = TfliteWriter()
        x = Tensor("x", (batch, 16), dtype, q(0.05, 3) if dtype == "i8" else None)
        out = _svdf(writer, rng, x, "svdf", units=4, rank=2, memory=memory,
                    state_dtype=state_dtype, out_quant=out_quant, activation=1)
        return writer.finish(name, [x], [out])
    return make


def _keyword_int16() -> bytes:
    rng = np.random.default_rng(1027)
    writer = TfliteWriter()
    frame = Tensor("frame", (1, 40), "i16", q(1 / 1024))
    x = Tensor("frame/int8", (1, 40), "i8", q(0.3, -2))
    writer.operator(_CODES["QUANTIZE"], [frame], [x])
    first = _svdf(writer, rng, x, "svdf1", units=32, rank=2, memory=8, state_dtype="i16",
                  out_quant=q(0.3, -10))
    second = _svdf(writer, rng, first, "svdf2", units=16, rank=1, memory=4, state_dtype="i16",
                   out_quant=q(0.15, 4))
    weights = _constant("logits/weights", rng.integers(-127, 128, (4, 16)), "i8", q(0.003))
    bias = _constant("logits/bias", rng.integers(-300, 300, 4), "i32",
                     q(float(np.float32(0.15) * np.float32(0.003))))
    logits = Tensor("logits", (1, 4), "i8", q(0.05, 0))
    writer.operator(_CODES["FULLY_CONNECTED"], [second, weights, bias], [logits],
                    schema.FullyConnectedOptions)
    probabilities = Tensor("probabilities", (1, 4), "i8", q(1 / 256, -128))
    writer.operator(_CODES["SOFTMAX"], [logits], [probabilities], schema.SoftmaxOptions,
                    beta=1.0)
    return writer.finish("svdf_keyword_int16", [frame], [probabilities])


def _lstm(writer: TfliteWriter, rng: np.random.Generator, x: Tensor, name: str, units: int,
          time_major: bool = False, cell_clip: float = 0.0, dtype: str = "f32") -> Tensor:
    """A float UNIDIRECTIONAL_SEQUENCE_LSTM (TANH) reading x, TFLite's 24 operands: the
    gate tensors, the two state variables; no peepholes, projection or layer norm."""
    depth = x.shape[2]
    batch = x.shape[1] if time_major else x.shape[0]

    def weights(kind: str, gate: str, shape) -> Tensor:
        return _constant(f"{name}/{kind}_{gate}", rng.uniform(-0.6, 0.6, shape), dtype)

    gates = ("input", "forget", "cell", "output")
    inputs = ([x] + [weights("input_weights", g, (units, depth)) for g in gates]
              + [weights("recurrent_weights", g, (units, units)) for g in gates]
              + [None] * 3 + [weights("bias", g, (units,)) for g in gates] + [None] * 2)
    states = [Tensor(f"{name}/{kind}_state", (batch, units), dtype) for kind in ("output", "cell")]
    inputs += [writer.variable(state) for state in states] + [None] * 4
    out = Tensor(name, x.shape[:2] + (units,), dtype)
    writer.operator(_CODES["UNIDIRECTIONAL_SEQUENCE_LSTM"], inputs, [out],
                    schema.UnidirectionalSequenceLSTMOptions, fused_activation_function=4,
                    cell_clip=cell_clip, time_major=time_major)
    return out


def _single_lstm(name: str, shape, units: int, time_major: bool = False,
                 cell_clip: float = 0.0, dtype: str = "f32") -> Callable[[], bytes]:
    def make() -> bytes:
        rng = np.random.default_rng(44)
        writer = TfliteWriter()
        x = Tensor("x", shape, dtype)
        out = _lstm(writer, rng, x, "lstm", units, time_major, cell_clip, dtype)
        return writer.finish(name, [x], [out])
    return make


def _lstm_mnist_f32() -> bytes:
    """TFLite Micro's LSTM MNIST example's shape: 28 rows of 28 pixels, an LSTM of 20
    units, its last step, FULLY_CONNECTED to 10 classes, SOFTMAX."""
    rng = np.random.default_rng(2828)
    writer = TfliteWriter()
    image = Tensor("image", (1, 28, 28), "f32")
    sequence = _lstm(writer, rng, image, "lstm", 20)
    last = Tensor("lstm/last", (1, 20), "f32")
    writer.operator(_CODES["STRIDED_SLICE"],
                    [sequence, writer.constant("begin", [0, -1, 0]),
                     writer.constant("end", [1, 0, 20]), writer.constant("strides", [1, 1, 1])],
                    [last], schema.StridedSliceOptions, end_mask=0b010, shrink_axis_mask=0b010)
    logits = Tensor("logits", (1, 10), "f32")
    writer.operator(_CODES["FULLY_CONNECTED"],
                    [last, _constant("logits/weights", rng.uniform(-1, 1, (10, 20)), "f32"),
                     _constant("logits/bias", rng.uniform(-0.1, 0.1, 10), "f32")], [logits],
                    schema.FullyConnectedOptions)
    probabilities = Tensor("probabilities", (1, 10), "f32")
    writer.operator(_CODES["SOFTMAX"], [logits], [probabilities], schema.SoftmaxOptions, beta=1.0)
    return writer.finish("lstm_mnist_f32", [image], [probabilities])


def _lstm_noise_suppression_f32() -> bytes:
    """The shape of TFLite Micro's noise suppression mask, in float: one 257-bin frame,
    two LSTMs, FULLY_CONNECTED back to 257 bins, LOGISTIC."""
    rng = np.random.default_rng(257)
    writer = TfliteWriter()
    frame = Tensor("frame", (1, 1, 257), "f32")
    first = _lstm(writer, rng, frame, "lstm1", 32)
    second = _lstm(writer, rng, first, "lstm2", 32)
    logits = Tensor("mask/logits", (1, 257), "f32")
    writer.operator(_CODES["FULLY_CONNECTED"],
                    [second, _constant("mask/weights", rng.uniform(-0.5, 0.5, (257, 32)), "f32"),
                     _constant("mask/bias", rng.uniform(-0.1, 0.1, 257), "f32")], [logits],
                    schema.FullyConnectedOptions)
    mask = Tensor("mask", (1, 257), "f32")
    writer.operator(_CODES["LOGISTIC"], [logits], [mask])
    return writer.finish("lstm_noise_suppression_f32", [frame], [mask])


def _svdf_constant_state() -> bytes:
    """Refused: the state must be the variable tensor TFLite Micro resets, not data."""
    writer = TfliteWriter()
    x = Tensor("x", (1, 4), "f32")
    inputs = [x, _constant("weights_feature", np.ones((2, 4)), "f32"),
              _constant("weights_time", np.ones((2, 3)), "f32"), None,
              _constant("state", np.zeros((1, 6)), "f32")]
    out = Tensor("svdf", (1, 2), "f32")
    writer.operator(_CODES["SVDF"], inputs, [out], schema.SVDFOptions, rank=1)
    return writer.finish("svdf_constant_state", [x], [out])


def _add_int16() -> bytes:
    """Refused: TFLite's 16x8 kernels are not imported; only QUANTIZE and SVDF read int16."""
    writer = TfliteWriter()
    x = Tensor("x", (1, 8), "i16", q(0.001))
    out = Tensor("sum", (1, 8), "i16", q(0.002))
    writer.operator(_CODES["ADD"], [x, x], [out], schema.AddOptions)
    return writer.finish("add_int16", [x], [out])


MODELS: dict[str, Callable[[], bytes]] = {
    "svdf_f32": _single_svdf("f32", None, "svdf_f32"),
    "svdf_int8": _single_svdf("i8", "i16", "svdf_int8", q(0.08, -3)),
    "svdf_int8_state8": _single_svdf("i8", "i8", "svdf_int8_state8", q(0.3, -3)),
    "svdf_batch2_memory1_int8": _single_svdf("i8", "i16", "svdf_batch2_memory1_int8",
                                             q(0.08, -3), batch=2, memory=1),
    "svdf_keyword_int16": _keyword_int16,
    "lstm_f32": _single_lstm("lstm_f32", (1, 6, 5), 4),
    "lstm_time_major_f32": _single_lstm("lstm_time_major_f32", (4, 2, 3), 5, time_major=True,
                                        cell_clip=0.5),
    "lstm_mnist_f32": _lstm_mnist_f32,
    "lstm_noise_suppression_f32": _lstm_noise_suppression_f32,
}
# Models the importer refuses, each with a one-line error.
REFUSED: dict[str, Callable[[], bytes]] = {
    "svdf_constant_state": _svdf_constant_state,
    "add_int16": _add_int16,
    "lstm_int8": _single_lstm("lstm_int8", (1, 3, 4), 2, dtype="i8"),
}
