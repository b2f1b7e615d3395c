"""svdf and lstm, TFLite's recurrent operators, and gru (ONNX's).

TFLite's SVDF memory and LSTM h and c are variable tensors, which TFLite Micro keeps from
one invocation to the next: they are state kept between runs (`FunctionBuilder.state`,
a mutable ml_program global loaded where a run starts from it and stored where the run
leaves its new value). ONNX's recurrent operators start from their initial states
(constants: zeros when the model gives none) every run.

svdf's M - 1 older steps [N, M - 1, F] are that state (reset: the state's zero point);
the filters are the channels, so the partitioner can run the time filter in slices of
them. int8 follows TFLite Micro's integer kernel: the projection accumulates in int32, is
rescaled to the state's type (int16 or int8) with its zero point and saturated (the
newest step); the time filter multiplies each centred step by its time weights in int32,
the older steps' products summed first; the bias and the rank reduction are int32 sums;
one rescale gives the int8 output.

lstm keeps its time loop: an `scf.for` whose body is TOSA on the step's slice of the
input, carrying the states h and c and the output being assembled row by row; an optional
last result is the last step's h [batch, units] (ONNX's Y_h), and with `sequence` false
(ONNX's Y unread) it is the only one: no step writes an output row. int8 is
TFLite Micro's integer step (see pex.reference.tflm_lstm): the gates' two convolutions
accumulate in int32 and are rescaled per gate to int16 Q3.12, summed and saturated, and
stored as int16 (TFLite Micro's gate scratch buffers' bytes); sigmoid and tanh are
TFLite's int16 ones (`pex.tosa.int16_functions`); the cell and
hidden updates are `mul`s in int32 rescaled as TFLite's MulElementwise requantises.
h (int8) and c (int16) are carried.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.errors import ModelError
from pex.graph import Op, Tensor
from pex.quantization import INT16_MAX, INT16_MIN, quantize_multiplier, tosa_shift
from pex.tflm_reference import cell_state_scale_power, tanh_parameters
from pex.tosa import text
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.int16_functions import clamp_int32, logistic_int16, tanh_int16
from pex.tosa.text import TensorType

# Rescaling by 2^30 / 2^30 widens exactly (TOSA rescale has no plain "subtract zp").
_UNIT_MULTIPLIER, _UNIT_SHIFT = 1 << 30, 30


def _effective_scale(a: float, b: float, c: float) -> tuple[int, int]:
    """TFLite Micro's a * b / c in float32, quantised as a TOSA multiplier and shift."""
    real = float(np.float32(np.float32(a) * np.float32(b)) / np.float32(c))
    multiplier, shift = quantize_multiplier(real)
    try:
        return multiplier, tosa_shift(shift)
    except ModelError as error:
        raise ModelError(f"scale {real:g}: {error}") from None


def _projection(b: FunctionBuilder, x: Value, kernel: Value, bias: Value,
                zero_point: int = 0) -> Value:
    """x [N, K] times kernel [F, 1, 1, K]^T plus bias, as a 1x1 convolution: [N, 1, 1, F],
    accumulated in int32 (int8) or float."""
    batch, depth = x.shape
    filters = kernel.shape[0]
    acc = "i32" if x.dtype == "i8" else "f32"
    operands = [b.reshape(x, (batch, 1, 1, depth)), kernel, bias,
                b.scalar(zero_point, x.dtype), b.scalar(0, kernel.dtype)]
    attributes = (f"acc_type = {acc}, dilation = {text.i64_array((1, 1))}, "
                  f"pad = {text.i64_array((0, 0, 0, 0))}, stride = {text.i64_array((1, 1))}")
    return b.op("conv2d", operands, TensorType((batch, 1, 1, filters), acc), attributes)


def _kernel(b: FunctionBuilder, weights: np.ndarray, dtype: str) -> Value:
    """Weights [F, K] as a 1x1 convolution kernel [F, 1, 1, K]."""
    filters, depth = weights.shape
    return b.const(weights.reshape(filters, 1, 1, depth), dtype)


def _time_filtered(b: FunctionBuilder, newest: Value, weights_time: Tensor,
                   reset_value, widen: Callable[[Value], Value]) -> Value:
    """sum over the memory M of state * time weights, [N, 1, F] (the filters last, as
    channels, so the filter is channel-local), `newest` [N, 1, F] the state's last step
    and `widen` what makes a step of the state the filter's operand. The M - 1 older steps
    are state kept between runs, as TFLite Micro keeps the SVDF's variable tensor: they
    start at `reset_value` (ResetVariableTensors), and each run leaves its M - 1 newest
    steps for the next. The state is never assembled: the older steps' sum, in memory
    order, then the newest step's product (TFLite Micro's order of additions)."""
    batch, _, filters = newest.shape
    memory = weights_time.shape[1]
    weights = weights_time.data.T.reshape(1, memory, filters)
    wide_newest = widen(newest)
    newest_term = b.mul(wide_newest, b.const(weights[:, memory - 1:], wide_newest.dtype),
                        newest.shape)
    if memory == 1:
        return newest_term
    kept = (batch, memory - 1, filters)
    symbol = b.state("svdf_state", kept, newest.dtype, reset_value)
    older = b.load_state(symbol, TensorType(kept, newest.dtype))
    wide_older = widen(older)
    older_sum = b.reduce("reduce_sum", b.mul(wide_older, b.const(weights[:, :memory - 1],
                                                                 wide_older.dtype), kept), 1)
    if memory == 2:
        b.store_state(symbol, newest)
    else:
        shifted = b.slice(older, (0, 1, 0), (batch, memory - 2, filters))
        b.store_state(symbol, b.op("concat", [shifted, newest],
                                   TensorType(kept, newest.dtype), "axis = 1 : i32"))
    return b.elementwise("add", older_sum, newest_term, newest_term.shape)


def _unit_sums(b: FunctionBuilder, filtered: Value, rank: int) -> Value:
    """sum over the rank of the time-filtered state [N, 1, F]: [N, U]."""
    batch, _, filters = filtered.shape
    per_unit = b.reshape(filtered, (batch, filters // rank, rank))
    return b.reshape(b.reduce("reduce_sum", per_unit, 2), (batch, filters // rank))


def _with_bias(b: FunctionBuilder, sums: Value, bias: Tensor | None) -> Value:
    if bias is None:
        return sums
    return b.elementwise("add", sums, b.const(bias.data.reshape(1, -1), sums.dtype), sums.shape)


def lower_svdf(b: FunctionBuilder, op: Op) -> None:
    x, weights_feature, weights_time, bias = op.inputs
    out, rank = op.output, op.attrs["rank"]
    batch, filters = x.shape[0], weights_feature.shape[0]
    accumulator = "i32" if x.dtype == "i8" else "f32"
    projection = _projection(b, b.value(x), _kernel(b, weights_feature.data, weights_feature.dtype),
                             b.const(np.zeros(filters), accumulator),
                             x.zero_point() if x.quant is not None else 0)
    if x.dtype == "f32":
        filtered = _time_filtered(b, b.reshape(projection, (batch, 1, filters)), weights_time,
                                  0.0, lambda step: step)
        sums = _with_bias(b, _unit_sums(b, filtered, rank), bias)
        b.bind(out, fused_activation(b, sums, op.attrs["activation"], out))
        return
    state_quant, state_dtype = op.attrs["state_quant"], op.attrs["state_dtype"]
    state_scale = float(state_quant.scale[0])
    state_zp = int(state_quant.zero_point[0])
    multiplier, shift = _effective_scale(x.scale(), weights_feature.scale(), state_scale)
    newest = b.rescale(projection, multiplier, shift, 0, state_zp, state_dtype)
    filtered = _time_filtered(
        b, b.reshape(newest, (batch, 1, filters)), weights_time, state_zp,
        lambda step: b.rescale(step, _UNIT_MULTIPLIER, _UNIT_SHIFT, state_zp, 0, "i32"))
    sums = _with_bias(b, _unit_sums(b, filtered, rank), bias)
    multiplier, shift = _effective_scale(state_scale, weights_time.scale(), out.scale())
    b.bind(out, b.rescale(sums, multiplier, shift, 0, out.zero_point(), "i8"))


def _lstm_activation(b: FunctionBuilder, x: Value, activation: str, output: Tensor) -> Value:
    if activation == "TANH":
        return b.op("tanh", [x], x.type)
    return fused_activation(b, x, activation, output)


def _gate_weights(b: FunctionBuilder, op: Op, weight_type: str,
                  bias_type: str) -> tuple[Value, Value, Value, Value]:
    """The four gates' (input, forget, cell, output) input and recurrent weights stacked
    as 1x1 kernels, their biases, and the zero bias of the recurrent convolution."""
    input_weights, recurrent_weights, biases = op.inputs[1:5], op.inputs[5:9], op.inputs[9:13]
    units = input_weights[0].shape[0]
    return (_kernel(b, np.concatenate([w.data for w in input_weights]), weight_type),
            _kernel(b, np.concatenate([w.data for w in recurrent_weights]), weight_type),
            b.const(np.concatenate([t.data for t in biases]), bias_type),
            b.const(np.zeros(4 * units), bias_type))


def _sequence_shape(op: Op) -> tuple[int, int, int, int]:
    """(steps, batch, depth, units) of an LSTM's input sequence and state."""
    x = op.inputs[0]
    steps, batch = (x.shape[0], x.shape[1]) if op.attrs["time_major"] else (x.shape[1], x.shape[0])
    return steps, batch, x.shape[2], op.inputs[1].shape[0]


def _step_rows(b: FunctionBuilder, op: Op,
               step: Value) -> tuple[Value, Callable[[Value, Value], Value]]:
    """The loop step's input row [batch, depth], and how the step's h is written into the
    output sequence: write_row(h, outputs). With `reverse` the loop's first step reads and
    writes the sequence's last row."""
    x, time_major = op.inputs[0], op.attrs["time_major"]
    steps, batch, depth, units = _sequence_shape(op)
    if op.attrs.get("reverse", False):  # ONNX's reverse direction: the last step first
        step = b.index_from_end(steps, step)
    offsets = [step, 0, 0] if time_major else [0, step, 0]
    row = (1, batch, units) if time_major else (batch, 1, units)
    window = (1, batch, depth) if time_major else (batch, 1, depth)
    x_t = b.reshape(b.extract_slice(b.value(x), offsets, window), (batch, depth))
    return x_t, lambda h, outputs: b.insert_slice(b.reshape(h, row), outputs, offsets)


def lower_lstm(b: FunctionBuilder, op: Op) -> None:
    if op.inputs[0].dtype == "i8":
        _lower_lstm_int8(b, op)
        return
    _lower_lstm_float(b, op)


def _lower_lstm_float(b: FunctionBuilder, op: Op) -> None:
    """An `scf.for` over the time steps carrying h, c and the output: per step, the four
    gates as two 1x1 convolutions (input and recurrent weights of the input, forget, cell
    and output gates stacked), sigmoid / activation, c = f c + i g (clipped), h = o act(c),
    h written at the step's row of the output."""
    out, activation = op.output, op.attrs["activation"]
    steps, batch, _, units = _sequence_shape(op)
    input_kernel, recurrent_kernel, bias, no_bias = _gate_weights(b, op, "f32", "f32")
    (h0, c0), kept = _initial_states(b, op, ("h", (batch, units), "f32", 0.0),
                                     ("c", (batch, units), "f32", 0.0))
    step, (h, c, *outputs) = b.begin_loop(steps, [h0, c0, *_assembled(b, op)])
    x_t, write_row = _step_rows(b, op, step)
    gates = b.elementwise("add", _projection(b, x_t, input_kernel, bias),
                          _projection(b, h, recurrent_kernel, no_bias), (batch, 1, 1, 4 * units))
    gates = b.reshape(gates, (batch, 4 * units))
    i, f, g, o = (b.slice(gates, (0, k * units), (batch, units)) for k in range(4))
    i, f, o = (b.op("sigmoid", [gate], gate.type) for gate in (i, f, o))
    g = _lstm_activation(b, g, activation, out)
    c = b.elementwise("add", b.mul(f, c, c.shape), b.mul(i, g, c.shape), c.shape)
    if op.attrs["cell_clip"] > 0:
        c = b.clamp(c, -op.attrs["cell_clip"], op.attrs["cell_clip"])
    h = b.mul(o, _lstm_activation(b, c, activation, out), c.shape)
    _bind_results(b, op, b.end_loop([h, c, *(write_row(h, o) for o in outputs)]), kept)


def _initial_states(b: FunctionBuilder, op: Op,
                    *states: tuple) -> tuple[list[Value], list[str]]:
    """The loop's initial states, each given as (name, shape, type, reset value), and the
    symbols of those kept between runs. With `kept_state` (TFLite: variable tensors) the
    state the previous run left, which starts at the reset value (ResetVariableTensors),
    `_bind_results` storing the last step's; else the op's last operands named by
    `initial_inputs` (ONNX's initial_h, initial_c computed at run time), the constant
    `initial_<name>` or the reset state, every run."""
    if not op.attrs.get("kept_state", False):
        names = op.attrs.get("initial_inputs", ())
        computed = dict(zip(names, op.inputs[len(op.inputs) - len(names):]))
        return [b.value(computed[f"initial_{name}"]) if f"initial_{name}" in computed
                else b.const(op.attrs[f"initial_{name}"], dtype) if f"initial_{name}" in op.attrs
                else b.const(np.full(shape, reset), dtype)
                for name, shape, dtype, reset in states], []
    symbols = [b.state(f"{op.kind}_{name}", shape, dtype, reset)
               for name, shape, dtype, reset in states]
    return [b.load_state(symbol, TensorType(shape, dtype))
            for symbol, (_, shape, dtype, _) in zip(symbols, states)], symbols


def _assembled(b: FunctionBuilder, op: Op) -> list[Value]:
    """The output sequence to assemble, carried by the loop: none without `sequence`."""
    if not op.attrs.get("sequence", True):
        return []
    return [b.empty(TensorType(op.outputs[0].shape, op.outputs[0].dtype))]


def _bind_results(b: FunctionBuilder, op: Op, carried: list[Value],
                  kept: list[str] = ()) -> None:
    """The output sequence (the last carried value) when there is one, then the last h
    (the first) and an LSTM's last c (the second) when they are results; the `kept`
    states (`_initial_states`) store the last h and c (the first two)."""
    for symbol, value in zip(kept, carried):
        b.store_state(symbol, value)
    sequence = op.attrs.get("sequence", True)
    if sequence:
        b.bind(op.outputs[0], carried[-1])
    for result, value in zip(op.outputs[int(sequence):], carried):
        b.bind(result, value)


def lower_gru(b: FunctionBuilder, op: Op) -> None:
    """ONNX's GRU (float, one direction, h from initial_h, zeros when absent): an
    `scf.for` over the time steps carrying h and the output. Per step the update and reset gates z and r and the
    candidate n from two 1x1 convolutions (input and recurrent weights of z, r and n
    stacked, with their biases), z = sigmoid, r = sigmoid, n = tanh(x Wn + bWn +
    r (h Rn + bRn)) with `linear_before_reset`, else tanh(x Wn + bWn + (r h) Rn + bRn), and
    h = (1 - z) n + z h. Inputs: x, then Wz, Wr, Wn, Rz, Rr, Rn, bWz, bWr, bWn, bRz, bRr,
    bRn; results as lstm's."""
    steps, batch, _, units = _sequence_shape(op)
    input_weights, recurrent_weights = op.inputs[1:4], op.inputs[4:7]
    input_biases, recurrent_biases = op.inputs[7:10], op.inputs[10:13]
    before_reset = op.attrs["linear_before_reset"]
    stacked = lambda tensors: np.concatenate([t.data for t in tensors])
    input_kernel = _kernel(b, stacked(input_weights), "f32")
    input_bias = b.const(stacked(input_biases), "f32")
    # Without linear_before_reset the candidate's recurrent product reads r h: its own.
    gated = recurrent_weights if before_reset else recurrent_weights[:2]
    recurrent_kernel = _kernel(b, stacked(gated), "f32")
    recurrent_bias = b.const(stacked(recurrent_biases[:len(gated)]), "f32")
    (h0,), _ = _initial_states(b, op, ("h", (batch, units), "f32", 0.0))
    step, (h, *outputs) = b.begin_loop(steps, [h0, *_assembled(b, op)])
    x_t, write_row = _step_rows(b, op, step)
    from_input = b.reshape(_projection(b, x_t, input_kernel, input_bias), (batch, 3 * units))
    from_hidden = b.reshape(_projection(b, h, recurrent_kernel, recurrent_bias),
                            (batch, len(gated) * units))
    part = lambda gates, k: b.slice(gates, (0, k * units), (batch, units))
    z, r = (b.op("sigmoid", [gate], gate.type) for gate in (
        b.elementwise("add", part(from_input, k), part(from_hidden, k), (batch, units))
        for k in (0, 1)))
    if before_reset:
        candidate = b.mul(r, part(from_hidden, 2), (batch, units))
    else:
        candidate = b.reshape(_projection(
            b, b.mul(r, h, (batch, units)), _kernel(b, recurrent_weights[2].data, "f32"),
            b.const(recurrent_biases[2].data, "f32")), (batch, units))
    n = b.op("tanh", [b.elementwise("add", part(from_input, 2), candidate, (batch, units))],
             candidate.type)
    # (1 - z) n + z h = n + z (h - n)
    h = b.elementwise("add", n, b.mul(z, b.elementwise("sub", h, n, (batch, units)),
                                      (batch, units)), (batch, units))
    _bind_results(b, op, b.end_loop([h, *(write_row(h, o) for o in outputs)]))


def lower_rnn(b: FunctionBuilder, op: Op) -> None:
    """ONNX's RNN (float, one direction, h from initial_h, zeros when absent): an
    `scf.for` over the time steps carrying h and the output; per step h = f(x W + h R + b) from two 1x1
    convolutions, f tanh or relu (`activation`). Inputs: x, W, R, b (the input and
    recurrent biases summed); results as lstm's."""
    steps, batch, _, units = _sequence_shape(op)
    input_kernel = _kernel(b, op.inputs[1].data, "f32")
    recurrent_kernel = _kernel(b, op.inputs[2].data, "f32")
    bias, no_bias = b.const(op.inputs[3].data, "f32"), b.const(np.zeros(units), "f32")
    (h0,), _ = _initial_states(b, op, ("h", (batch, units), "f32", 0.0))
    step, (h, *outputs) = b.begin_loop(steps, [h0, *_assembled(b, op)])
    x_t, write_row = _step_rows(b, op, step)
    total = b.reshape(b.elementwise("add", _projection(b, x_t, input_kernel, bias),
                                    _projection(b, h, recurrent_kernel, no_bias),
                                    (batch, 1, 1, units)), (batch, units))
    h = b.op("tanh", [total], total.type) if op.attrs["activation"] == "tanh" else \
        b.clamp(total, 0.0, float("inf"))
    _bind_results(b, op, b.end_loop([h, *(write_row(h, o) for o in outputs)]))


# The integer kernel's fixed scales: gate pre-activations Q3.12, gate outputs Q0.15.
_GATE_INPUT_SCALE, _GATE_OUTPUT_SCALE = 2.0 ** -12, 2.0 ** -15
def _requantize_product(b: FunctionBuilder, a: Value, c: Value, real: float, zero_point: int,
                        dtype: str) -> Value:
    """MulElementwise of two symmetric int16 values held in int32: the product
    requantised by `real` (QuantizeMultiplier of the double), offset, saturated."""
    multiplier, shift = quantize_multiplier(real)
    return b.rescale(b.mul(a, c, a.shape), multiplier, tosa_shift(shift), 0, zero_point, dtype)


def _gate_rescale(b: FunctionBuilder, accumulator: Value, input_scale: float,
                  weights: list[Tensor]) -> Value:
    """Each gate's FullyConnected requantisation to int16 Q3.12, per channel: the real
    multiplier double(float32(input scale * weight scale)) / 2^-12."""
    multipliers, shifts = [], []
    for tensor in weights:
        real = float(np.float32(input_scale) * np.float32(tensor.scale())) / _GATE_INPUT_SCALE
        multiplier, shift = quantize_multiplier(real)
        try:
            shift = tosa_shift(shift)
        except ModelError as error:
            raise ModelError(f"'{tensor.name}': {error}") from None
        multipliers += [multiplier] * tensor.shape[0]
        shifts += [shift] * tensor.shape[0]
    return b.cast(b.rescale(accumulator, multipliers, shifts, 0, 0, "i16"), "i32")


def _lower_lstm_int8(b: FunctionBuilder, op: Op) -> None:
    """The float loop's structure with TFLite Micro's integer step: gates as int32
    convolutions rescaled per gate to int16 and summed with saturation, integer sigmoid
    and tanh, c = sat16(f c + i g) (clipped), h = tanh(c) o requantised to int8."""
    x = op.inputs[0]
    input_weights, recurrent_weights = op.inputs[1:5], op.inputs[5:9]
    hidden = op.attrs["hidden_quant"]
    hidden_scale, hidden_zp = float(hidden.scale[0]), int(hidden.zero_point[0])
    cell_scale = float(np.float32(op.attrs["cell_scale"]))
    steps, batch, _, units = _sequence_shape(op)
    input_kernel, recurrent_kernel, bias, no_bias = _gate_weights(b, op, "i8", "i32")
    low, high = INT16_MIN, INT16_MAX
    if op.attrs["cell_clip"] > 0:
        clip = int(np.clip(op.attrs["cell_clip"] / cell_scale, INT16_MIN, INT16_MAX))
        low, high = -clip, clip
    (h0, c0), kept = _initial_states(b, op, ("h", (batch, units), "i8", hidden_zp),
                                     ("c", (batch, units), "i16", 0))
    step, (h, c, *outputs) = b.begin_loop(steps, [h0, c0, *_assembled(b, op)])
    x_t, write_row = _step_rows(b, op, step)
    from_input = _gate_rescale(b, _projection(b, x_t, input_kernel, bias, x.zero_point()),
                               x.scale(), input_weights)
    from_hidden = _gate_rescale(b, _projection(b, h, recurrent_kernel, no_bias, hidden_zp),
                                hidden_scale, recurrent_weights)
    # The saturated sums stored as int16, as TFLite Micro's gate scratch buffers: the
    # activations widen each gate per reader, and the sums can be written over the input
    # part (its type), which dies there.
    gates = b.cast(clamp_int32(b, b.elementwise("add", from_input, from_hidden,
                                                from_input.shape), INT16_MIN, INT16_MAX),
                   "i16")
    gates = b.reshape(gates, (batch, 4 * units))
    i, f, g, o = (b.slice(gates, (0, k * units), (batch, units)) for k in range(4))
    i, f, o = (logistic_int16(b, gate) for gate in (i, f, o))
    g = tanh_int16(b, g, tanh_parameters(-12))
    forget = b.cast(_requantize_product(b, f, b.cast(c, "i32"), _GATE_OUTPUT_SCALE, 0, "i16"),
                    "i32")
    update = b.cast(_requantize_product(b, i, g, _GATE_OUTPUT_SCALE ** 2 / cell_scale, 0,
                                        "i16"), "i32")
    c_next = b.cast(clamp_int32(b, b.elementwise("add", forget, update, forget.shape), low, high),
                    "i16")
    # tanh widens c_next per reader: one widened copy read by the whole tree would be
    # stored as an int32 tensor.
    h = _requantize_product(b, tanh_int16(b, c_next,
                                          tanh_parameters(cell_state_scale_power(cell_scale))),
                            o, _GATE_OUTPUT_SCALE ** 2 / hidden_scale, hidden_zp, "i8")
    _bind_results(b, op, b.end_loop([h, c_next, *(write_row(h, o) for o in outputs)]), kept)
