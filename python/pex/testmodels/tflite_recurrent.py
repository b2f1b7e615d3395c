"""TFLite models with SVDF and UNIDIRECTIONAL_SEQUENCE_LSTM (issue 15), written with the
writer's low-level API: SVDF alone (float; int8 with an int16 or an int8 state) and a
keyword model shaped like TFLite Micro's SVDF keyword spotters, one int16 filterbank frame
in:

    int16 [1, 40] -> QUANTIZE -> int8 -> SVDF (64 filters, rank 2, memory 8, int16 state)
                  -> SVDF (16 filters, rank 1, memory 4) -> FULLY_CONNECTED -> SOFTMAX

LSTMs alone, and shaped like TFLite Micro's LSTM examples (an MNIST row classifier, a
noise suppression mask, a keyword spotter), in float and int8. The int8 models are
quantised as TFLite's converter does it from the float model run on a seeded calibration
input: activations asymmetric from their ranges, weights symmetric per tensor, biases
int32 in input x weight scale units, the LSTM's cell state int16 with the power-of-two
scale covering its range, its output the hidden state's quantisation.

Each SVDF's and LSTM's state is a variable tensor, as TFLite's converter writes it.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.graph import Quantization, Tensor
from pex.importers.tflite import schema
from pex.importers.tflite.writer import TfliteWriter
from pex.reference.tflm_lstm import float_steps
from pex.zoo.quantize import activation_quantization

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
          time_major: bool = False, cell_clip: float = 0.0) -> Tensor:
    """A float UNIDIRECTIONAL_SEQUENCE_LSTM (TANH) reading x, TFLite's 24 operands: the
    gate tensors, the two state variables; no peepholes, projection or layer norm."""
    depth = x.shape[2]
    batch = x.shape[1] if time_major else x.shape[0]

    def weights(kind: str, gate: str, shape) -> Tensor:
        return _constant(f"{name}/{kind}_{gate}", rng.uniform(-0.6, 0.6, shape), "f32")

    gates = ("input", "forget", "cell", "output")
    inputs = ([x] + [weights("input_weights", g, (units, depth)) for g in gates]
              + [weights("recurrent_weights", g, (units, units)) for g in gates]
              + [None] * 3 + [weights("bias", g, (units,)) for g in gates] + [None] * 2)
    states = [Tensor(f"{name}/{kind}_state", (batch, units), "f32")
              for kind in ("output", "cell")]
    inputs += [writer.variable(state) for state in states] + [None] * 4
    out = Tensor(name, x.shape[:2] + (units,), "f32")
    writer.operator(_CODES["UNIDIRECTIONAL_SEQUENCE_LSTM"], inputs, [out],
                    schema.UnidirectionalSequenceLSTMOptions, fused_activation_function=4,
                    cell_clip=cell_clip, time_major=time_major)
    return out


def _single_lstm(name: str, shape, units: int, time_major: bool = False,
                 cell_clip: float = 0.0) -> Callable[[], bytes]:
    def make() -> bytes:
        rng = np.random.default_rng(44)
        writer = TfliteWriter()
        x = Tensor("x", shape, "f32")
        out = _lstm(writer, rng, x, "lstm", units, time_major, cell_clip)
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


_GATES = ("input", "forget", "cell", "output")


class _FloatLstm:
    """A float LSTM's parameters (TANH, the gates in TFLite's order) and its run on a
    calibration sequence [T, N, K]: every step's h and c."""

    def __init__(self, rng: np.random.Generator, depth: int, units: int,
                 limit: float | None = None):
        # Glorot-like ranges keep the gates of wide inputs from saturating.
        limit = limit or min(0.6, 2 / np.sqrt(depth + units))
        self.input_weights = [rng.uniform(-limit, limit, (units, depth)) for _ in _GATES]
        self.recurrent_weights = [rng.uniform(-limit, limit, (units, units)) for _ in _GATES]
        # Keras's unit_forget_bias: the forget gate's bias starts at 1.
        self.biases = [rng.uniform(-0.3, 0.3, units) + (gate == "forget") for gate in _GATES]
        self.cell_clip = 0.0

    def run(self, sequence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        steps = list(float_steps(sequence, self.input_weights, self.recurrent_weights,
                                 self.biases, "TANH", self.cell_clip))
        return np.stack([h for h, _ in steps]), np.stack([c for _, c in steps])


def _symmetric_int8(name: str, values: np.ndarray) -> Tensor:
    """Per-tensor symmetric int8 weights, as the converter quantises LSTM and FC weights."""
    scale = float(np.float32(max(np.abs(values).max(), 1e-8) / 127))
    return _constant(name, np.clip(np.round(values / scale), -127, 127), "i8", q(scale))


def _bias_int32(name: str, values: np.ndarray, input_quant: Quantization,
                weights: Tensor) -> Tensor:
    scale = float(input_quant.scale[0]) * weights.scale()
    return _constant(name, np.round(values / scale), "i32", q(scale))


def _cell_quantization(cell: np.ndarray) -> Quantization:
    """int16, symmetric, the power-of-two scale whose range covers the cell's values."""
    exponent = int(np.ceil(np.log2(max(float(np.abs(cell).max()), 2.0 ** -15))))
    return q(2.0 ** (exponent - 15))


def _lstm_int8(writer: TfliteWriter, model: _FloatLstm, x: Tensor, name: str,
               calibration: np.ndarray, time_major: bool = False, cell_dtype: str = "i16",
               layer_norm: bool = False) -> tuple[Tensor, np.ndarray]:
    """The int8 UNIDIRECTIONAL_SEQUENCE_LSTM of `model` reading x (its hidden state and
    output of x's type), quantised from its run on `calibration` (x's float values,
    [N, T, K] or [T, N, K]); returns the output and its float values on the calibration
    input. `cell_dtype` and `layer_norm` write variants TFLite Micro refuses."""
    sequence = calibration if time_major else calibration.transpose(1, 0, 2)
    hidden, cell = model.run(sequence)
    hidden_quant, cell_quant = activation_quantization(hidden), _cell_quantization(cell)
    batch, units = hidden.shape[1:]
    input_weights = [_symmetric_int8(f"{name}/input_weights_{g}", w)
                     for g, w in zip(_GATES, model.input_weights)]
    recurrent_weights = [_symmetric_int8(f"{name}/recurrent_weights_{g}", w)
                         for g, w in zip(_GATES, model.recurrent_weights)]
    biases = [_bias_int32(f"{name}/bias_{g}", bias, x.quant, weights)
              for g, bias, weights in zip(_GATES, model.biases, input_weights)]
    states = [Tensor(f"{name}/output_state", (batch, units), x.dtype, hidden_quant),
              Tensor(f"{name}/cell_state", (batch, units), cell_dtype, cell_quant)]
    norms = ([_constant(f"{name}/layer_norm_{g}", np.full(units, 16384), "i16", q(2.0 ** -14))
              for g in _GATES] if layer_norm else [None] * 4)
    inputs = ([x] + input_weights + recurrent_weights + [None] * 3 + biases + [None] * 2
              + [writer.variable(state) for state in states] + norms)
    out = Tensor(name, x.shape[:2] + (units,), x.dtype, hidden_quant)
    writer.operator(_CODES["UNIDIRECTIONAL_SEQUENCE_LSTM"], inputs, [out],
                    schema.UnidirectionalSequenceLSTMOptions, fused_activation_function=4,
                    cell_clip=model.cell_clip, time_major=time_major)
    return out, hidden if time_major else hidden.transpose(1, 0, 2)


def _single_lstm_int8(name: str, shape, units: int, time_major: bool = False,
                      clip_fraction: float = 0.0,
                      limit: float | None = None) -> Callable[[], bytes]:
    """An int8 LSTM alone; `clip_fraction` of the calibrated cell range as its cell clip
    (so the clip acts); weights up to `limit`."""
    def make() -> bytes:
        rng = np.random.default_rng(45)
        calibration = rng.uniform(-1, 1, shape)
        model = _FloatLstm(rng, shape[2], units, limit=limit)
        if clip_fraction:
            sequence = calibration if time_major else calibration.transpose(1, 0, 2)
            cell = model.run(sequence)[1]
            model.cell_clip = float(np.float32(clip_fraction * np.abs(cell).max()))
        writer = TfliteWriter()
        x = Tensor("x", shape, "i8", activation_quantization(calibration))
        out, _ = _lstm_int8(writer, model, x, "lstm", calibration, time_major)
        return writer.finish(name, [x], [out])
    return make


def _fully_connected_int8(writer: TfliteWriter, rng: np.random.Generator, x: Tensor,
                          values: np.ndarray, name: str, outputs: int,
                          limit: float) -> Tensor:
    """FULLY_CONNECTED of int8 x (float values `values` [N, K]) to `outputs` units, its
    output quantised from the float result."""
    weights = rng.uniform(-limit, limit, (outputs, values.shape[1]))
    bias = rng.uniform(-0.1, 0.1, outputs)
    result = values @ weights.T + bias
    quantized_weights = _symmetric_int8(f"{name}/weights", weights)
    out = Tensor(name, (x.shape[0], outputs), "i8", activation_quantization(result))
    writer.operator(_CODES["FULLY_CONNECTED"],
                    [x, quantized_weights, _bias_int32(f"{name}/bias", bias, x.quant,
                                                       quantized_weights)],
                    [out], schema.FullyConnectedOptions)
    return out


def _last_step(writer: TfliteWriter, sequence: Tensor) -> Tensor:
    """STRIDED_SLICE of the last time step of [1, T, U] to [1, U]."""
    units = sequence.shape[2]
    last = Tensor(f"{sequence.name}/last", (1, units), sequence.dtype, sequence.quant)
    writer.operator(_CODES["STRIDED_SLICE"],
                    [sequence, writer.constant(f"{sequence.name}/begin", [0, -1, 0]),
                     writer.constant(f"{sequence.name}/end", [1, 0, units]),
                     writer.constant(f"{sequence.name}/strides", [1, 1, 1])],
                    [last], schema.StridedSliceOptions, end_mask=0b010, shrink_axis_mask=0b010)
    return last


def _lstm_classifier_int8(name: str, seed: int, shape, units: int, classes: int,
                          calibration: Callable[[np.random.Generator], np.ndarray],
                          limit: float | None = None):
    """[1, T, K] int8 -> LSTM (weights up to `limit`) -> last step -> FULLY_CONNECTED ->
    SOFTMAX (1/256, -128)."""
    def make() -> bytes:
        rng = np.random.default_rng(seed)
        values = calibration(rng)
        writer = TfliteWriter()
        x = Tensor("x", shape, "i8", activation_quantization(values))
        model = _FloatLstm(rng, shape[2], units, limit=limit)
        sequence, hidden = _lstm_int8(writer, model, x, "lstm", values)
        logits = _fully_connected_int8(writer, rng, _last_step(writer, sequence),
                                       hidden[:, -1], "logits", classes, 1.0)
        probabilities = Tensor("probabilities", (1, classes), "i8", q(1 / 256, -128))
        writer.operator(_CODES["SOFTMAX"], [logits], [probabilities], schema.SoftmaxOptions,
                        beta=1.0)
        return writer.finish(name, [x], [probabilities])
    return make


def _lstm_noise_suppression_int8() -> bytes:
    """TFLite Micro's noise suppression mask's shape in int8: one 257-bin frame, two LSTMs
    of 32 units, FULLY_CONNECTED back to 257 bins, LOGISTIC (1/256, -128)."""
    rng = np.random.default_rng(258)
    values = rng.uniform(-1, 1, (1, 1, 257))
    writer = TfliteWriter()
    frame = Tensor("frame", (1, 1, 257), "i8", activation_quantization(values))
    first, hidden = _lstm_int8(writer, _FloatLstm(rng, 257, 32), frame, "lstm1", values)
    second, hidden = _lstm_int8(writer, _FloatLstm(rng, 32, 32), first, "lstm2", hidden)
    logits = _fully_connected_int8(writer, rng, second, hidden[:, 0], "mask/logits", 257, 0.5)
    mask = Tensor("mask", (1, 257), "i8", q(1 / 256, -128))
    writer.operator(_CODES["LOGISTIC"], [logits], [mask])
    return writer.finish("lstm_noise_suppression_int8", [frame], [mask])


def _refused_lstm_int8(name: str, dtype: str = "i8", **variant) -> Callable[[], bytes]:
    """Refused: an LSTM variant TFLite Micro's integer kernel does not compute."""
    def make() -> bytes:
        rng = np.random.default_rng(46)
        calibration = rng.uniform(-1, 1, (1, 3, 4))
        writer = TfliteWriter()
        x = Tensor("x", calibration.shape, dtype, activation_quantization(calibration))
        out, _ = _lstm_int8(writer, _FloatLstm(rng, 4, 2), x, "lstm", calibration, **variant)
        return writer.finish(name, [x], [out])
    return make


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


def _streaming_buffer(dtype: str, name: str, initial: float = 0.0,
                      init_ops: Callable | None = None,
                      late_init: bool = False) -> Callable[[], bytes]:
    """A streaming model as TensorFlow's converter writes `tf.Variable` state (resource
    variables): each invocation gets one frame x [1, 1, 10]; the variable `buffer`
    [1, 2, 10] holds the two frames before it (initialised by a CALL_ONCE subgraph to
    `initial`), READ_VARIABLE; the window of three frames (CONCATENATION) feeds a
    FULLY_CONNECTED of 4 units; ASSIGN_VARIABLE keeps the window's last two frames (SLICE)
    for the next invocation. int8: all activations one quantisation (CONCATENATION and
    SLICE keep it). `init_ops(writer, handle, buffer_value)` replaces the initialisation's
    ASSIGN_VARIABLE, `late_init` puts CALL_ONCE after the VAR_HANDLE (refusal tests)."""
    def build() -> bytes:
        rng = np.random.default_rng(77)
        quant = q(0.05, 3) if dtype == "i8" else None
        writer, init = TfliteWriter(), TfliteWriter()
        handle_options = {"shared_name": "buffer"}
        init_handle = Tensor("init/buffer", (), "resource")
        init.operator(_CODES["VAR_HANDLE"], [], [init_handle], schema.VarHandleOptions,
                      **handle_options)
        stored = np.round(initial / quant.scale[0]) + quant.zero_point[0] if quant else initial
        start = _constant("init/zeros", np.full((1, 2, 10), stored), dtype, quant)
        if init_ops is None:
            init.operator(_CODES["ASSIGN_VARIABLE"], [init_handle, start], [])
        else:
            init_ops(init, init_handle, start)
        def call_once() -> None:
            writer.operator(_CODES["CALL_ONCE"], [], [], schema.CallOnceOptions,
                            init_subgraph_index=1)
        if not late_init:
            call_once()
        handle = Tensor("buffer", (), "resource")
        writer.operator(_CODES["VAR_HANDLE"], [], [handle], schema.VarHandleOptions,
                        **handle_options)
        if late_init:
            call_once()
        x = Tensor("frame", (1, 1, 10), dtype, quant)
        before = Tensor("buffer/read", (1, 2, 10), dtype, quant)
        writer.operator(_CODES["READ_VARIABLE"], [handle], [before])
        window = Tensor("window", (1, 3, 10), dtype, quant)
        writer.operator(_CODES["CONCATENATION"], [before, x], [window],
                        schema.ConcatenationOptions, axis=1)
        after = Tensor("buffer/next", (1, 2, 10), dtype, quant)
        writer.operator(_CODES["SLICE"], [window, _constant("begin", [0, 1, 0], "i32"),
                                          _constant("size", [1, 2, 10], "i32")], [after])
        writer.operator(_CODES["ASSIGN_VARIABLE"], [handle, after], [])
        flat = Tensor("window/flat", (1, 30), dtype, quant)
        writer.operator(_CODES["RESHAPE"], [window, _constant("shape", [1, 30], "i32")], [flat])
        if dtype == "i8":
            weights = _constant("fc/weights", rng.integers(-127, 128, (4, 30)), "i8", q(0.01))
            bias = _constant("fc/bias", rng.integers(-500, 500, 4), "i32",
                             q(float(np.float32(0.05) * np.float32(0.01))))
            out = Tensor("units", (1, 4), "i8", q(0.1, -5))
        else:
            weights = _constant("fc/weights", rng.normal(0, 0.3, (4, 30)), "f32")
            bias = _constant("fc/bias", rng.normal(0, 0.1, 4), "f32")
            out = Tensor("units", (1, 4), "f32")
        writer.operator(_CODES["FULLY_CONNECTED"], [flat, weights, bias], [out],
                        schema.FullyConnectedOptions)
        return writer.finish(name, [x], [out], subgraphs=[("init", init)])
    return build


def _assign_computed(init: TfliteWriter, handle: Tensor, start: Tensor) -> None:
    """An initialisation that computes the initial value (NEG of a constant)."""
    computed = Tensor("init/computed", start.shape, start.dtype, start.quant)
    init.operator(_CODES["NEG"], [start], [computed])
    init.operator(_CODES["ASSIGN_VARIABLE"], [handle, computed], [])


def _assign_nothing(init: TfliteWriter, handle: Tensor, start: Tensor) -> None:
    """An initialisation that leaves the variable unassigned."""


def _assign_other_shape(init: TfliteWriter, handle: Tensor, start: Tensor) -> None:
    """An initialisation with a constant of three frames where the model uses two."""
    wider = _constant("init/wider", np.zeros((1, 3, 10)), start.dtype, start.quant)
    init.operator(_CODES["ASSIGN_VARIABLE"], [handle, wider], [])


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
    "lstm_int8": _single_lstm_int8("lstm_int8", (1, 6, 5), 4, limit=3.5),
    "lstm_time_major_int8": _single_lstm_int8("lstm_time_major_int8", (4, 2, 3), 5,
                                              time_major=True, clip_fraction=0.5),
    "lstm_mnist_int8": _lstm_classifier_int8(
        "lstm_mnist_int8", 2829, (1, 28, 28), 20, 10,
        lambda rng: rng.uniform(0, 1, (1, 28, 28)), limit=0.9),
    "lstm_noise_suppression_int8": _lstm_noise_suppression_int8,
    "lstm_keyword_int8": _lstm_classifier_int8(
        "lstm_keyword_int8", 4925, (1, 49, 257), 32, 12,
        lambda rng: rng.uniform(-1, 1, (1, 49, 257))),
    "streaming_buffer_f32": _streaming_buffer("f32", "streaming_buffer_f32", initial=0.5),
    "streaming_buffer_int8": _streaming_buffer("i8", "streaming_buffer_int8"),
}
# Models the importer refuses, each with a one-line error.
REFUSED: dict[str, Callable[[], bytes]] = {
    "svdf_constant_state": _svdf_constant_state,
    "lstm_int8_layer_norm": _refused_lstm_int8("lstm_int8_layer_norm", layer_norm=True),
    "lstm_int8_cell_int8": _refused_lstm_int8("lstm_int8_cell_int8", cell_dtype="i8"),
    "lstm_int16": _refused_lstm_int8("lstm_int16", dtype="i16"),
    "streaming_buffer_computed_init": _streaming_buffer(
        "f32", "streaming_buffer_computed_init", init_ops=_assign_computed),
    "streaming_buffer_uninitialised": _streaming_buffer(
        "f32", "streaming_buffer_uninitialised", init_ops=_assign_nothing),
    "streaming_buffer_other_shape": _streaming_buffer(
        "f32", "streaming_buffer_other_shape", init_ops=_assign_other_shape),
    "streaming_buffer_late_init": _streaming_buffer(
        "f32", "streaming_buffer_late_init", late_init=True),
}
