"""TFLite Micro's UNIDIRECTIONAL_SEQUENCE_LSTM (`lstm_eval.h`'s LstmStep), written from its
arithmetic. h and c are variable tensors, which TFLite Micro keeps from one invocation to
the next: `lstm_step` continues from the (h, c) the previous invocation left, `lstm` starts
from the reset state (below).

Float (h = c = 0): per time step and gate (input, forget, cell, output), the input weights
times x_t plus the bias plus the recurrent weights times h; sigmoid for the input, forget
and output gates, the fused activation for the cell gate; c = f c + i g, clipped to the
cell clip when it is set; h = o activation(c), which is also the step's output. All in
float32.

int8 (TFLite's 8x8_16 form: int8 x, h and weights, int32 biases, int16 cell state; h
resets to its zero point, c to 0), as `PrepareGateParametersInteger` and the integer
`LstmStep` compute it:
- each gate's two FullyConnected: sum(w (x - x_zp)) + bias, and sum(w (h - h_zp)) without
  bias, each MultiplyByQuantizedMultiplier'd by double(float32(in_scale * w_scale)) / 2^-12
  and saturated to int16 (Q3.12); their sum saturated to int16;
- sigmoid (input, forget, output gates) and tanh (cell gate) of that Q3.12 value by
  reference_integer_ops' int16 Logistic and Tanh: 3 x, |.| split into a 256-entry index
  and a fraction interpolating `sigmoid_table_uint16`, output Q0.15;
- c = sat16(MulElementwise(f, c) + MulElementwise(i, g)), the products requantised by
  2^-15 (f c) and 2^-30 / cell_scale (i g), each saturated to int16; then clipped to
  +-int16(cell_clip / cell_scale) when the clip is set;
- h = MulElementwise(tanh(c), o): requantised by 2^-30 / h_scale, plus h's zero point,
  saturated to int8; tanh reads c with the input shift of its power-of-two scale
  (cell_scale = 2^p: 3 x 2^(p + 12), or a rounding right shift when p < -12).
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.quantization import (float_activation_range, multiply_by_quantized_multiplier,
                              quantize_multiplier, wrap_int32)
from pex.tflm_reference import SIGMOID_TABLE_UINT16, cell_state_scale_power, tanh_parameters

INT16_MIN, INT16_MAX = -32768, 32767
# The fixed scales of the integer kernel: gate pre-activations Q3.12, gate outputs Q0.15.
GATE_INPUT_SCALE, GATE_OUTPUT_SCALE = 2.0 ** -12, 2.0 ** -15


def _activation(name: str, x: np.ndarray) -> np.ndarray:
    if name == "TANH":
        return np.tanh(x)
    low, high = float_activation_range(name)
    return np.clip(x, low, high)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return (1 / (1 + np.exp(-x))).astype(np.float32)


def lstm(op: Op, x: np.ndarray) -> np.ndarray:
    """One invocation from the reset state."""
    return lstm_step(op, x, None)[0]


def lstm_step(op: Op, x: np.ndarray, previous: tuple[np.ndarray, np.ndarray] | None
              ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One invocation continuing from the (h, c) `previous` left (None: after
    ResetVariableTensors): (the output sequence, the last step's (h, c))."""
    if op.inputs[0].dtype == "i8":
        return _lstm_int8(op, x, previous)
    steps = list(float_steps(
        _sequence(op, x.astype(np.float32)), [t.data for t in op.inputs[1:5]],
        [t.data for t in op.inputs[5:9]], [t.data for t in op.inputs[9:13]],
        op.attrs["activation"], op.attrs["cell_clip"], previous))
    result = np.stack([h for h, _ in steps])
    return (result if op.attrs["time_major"] else result.transpose(1, 0, 2)), steps[-1]


def float_steps(sequence: np.ndarray, input_weights, recurrent_weights, biases, activation: str,
                clip: float, previous: tuple[np.ndarray, np.ndarray] | None = None):
    """Each step's (h, c) for a sequence [T, N, K], in float32, from `previous` (None:
    zeros)."""
    input_weights = [w.astype(np.float32) for w in input_weights]
    recurrent_weights = [w.astype(np.float32) for w in recurrent_weights]
    biases = [b.astype(np.float32) for b in biases]
    batch, units = sequence.shape[1], biases[0].shape[0]
    h, c = previous if previous is not None else (np.zeros((batch, units), np.float32),
                                                  np.zeros((batch, units), np.float32))
    for x_t in sequence.astype(np.float32):
        i, f, g, o = (x_t @ w.T + bias + h @ r.T
                      for w, r, bias in zip(input_weights, recurrent_weights, biases))
        i, f, o = _sigmoid(i), _sigmoid(f), _sigmoid(o)
        c = (f * c + i * _activation(activation, g)).astype(np.float32)
        if clip > 0:
            c = np.clip(c, -clip, clip)
        h = (o * _activation(activation, c)).astype(np.float32)
        yield h, c


def _sequence(op: Op, x: np.ndarray) -> np.ndarray:
    """x as [T, N, K]."""
    return x if op.attrs["time_major"] else x.transpose(1, 0, 2)


def _interpolated_sigmoid(x: np.ndarray, multiplier: int, left_shift: int,
                          fraction_bits: int, saturated: int) -> tuple[np.ndarray, np.ndarray]:
    """What TFLite's int16 Logistic and Tanh share: the input scaled (a power of two when
    multiplier is 0), and sigmoid_table_uint16 interpolated at its magnitude (index above
    fraction_bits, `saturated` from the last entry on). Returns (scaled input, r)."""
    if multiplier == 0:  # the power-of-two case
        multiplier, left_shift = 3 << left_shift, 0
    rounding = (1 << (left_shift - 1)) if left_shift > 0 else 0
    value = (np.asarray(x, np.int64) * multiplier + rounding) >> left_shift
    magnitude = np.abs(value)
    index = np.minimum(magnitude >> fraction_bits, 255)
    fraction = magnitude & ((1 << fraction_bits) - 1)
    low = SIGMOID_TABLE_UINT16[np.minimum(index, 254)]
    high = SIGMOID_TABLE_UINT16[np.minimum(index, 254) + 1]
    return value, np.where(index >= 255, saturated,
                           (low << fraction_bits) + fraction * (high - low))


def logistic_int16(x: np.ndarray, multiplier: int, left_shift: int) -> np.ndarray:
    """reference_integer_ops::Logistic for int16 (Q3.12 in, Q0.15 out)."""
    value, result = _interpolated_sigmoid(x, multiplier, left_shift, 9, 0x7FFF << 10)
    result = np.where(value >= 0, result + (1 << 9), (1 << (16 + 9)) - result + (1 << 9) - 1)
    return result >> 10


def tanh_int16(x: np.ndarray, multiplier: int, left_shift: int) -> np.ndarray:
    """reference_integer_ops::Tanh for int16 (Q0.15 out)."""
    value, result = _interpolated_sigmoid(x, multiplier, left_shift, 8, 0xFFFF << 8)
    result = np.where(value >= 0, result - (1 << (14 + 9)) + (1 << (9 - 2)),
                      -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1)
    return result >> (9 - 1)


def _fully_connected_int16(x: np.ndarray, zero_point: int, weights, bias,
                           input_scale: float) -> np.ndarray:
    """reference_integer_ops::FullyConnected, int8 in, int16 Q3.12 out (no activation)."""
    accumulator = (x - zero_point) @ weights.data.astype(np.int64).T
    if bias is not None:
        accumulator = accumulator + bias.data.astype(np.int64)
    real = float(np.float32(input_scale) * np.float32(weights.scale())) / GATE_INPUT_SCALE
    scaled = multiply_by_quantized_multiplier(wrap_int32(accumulator), *quantize_multiplier(real))
    return np.clip(scaled, INT16_MIN, INT16_MAX)


def _mul(a: np.ndarray, b: np.ndarray, scale_a: float, scale_b: float, scale_out: float,
         zero_point: int, low: int, high: int) -> np.ndarray:
    """reference_integer_ops::MulElementwise with CreateInterGateMulParams (symmetric
    inputs; the effective scale in double)."""
    multiplier = quantize_multiplier(float(scale_a) * float(scale_b) / float(scale_out))
    return np.clip(multiply_by_quantized_multiplier(a * b, *multiplier) + zero_point, low, high)


def _lstm_int8(op: Op, x: np.ndarray, previous: tuple[np.ndarray, np.ndarray] | None
               ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    source = op.inputs[0]
    input_weights, recurrent_weights, biases = op.inputs[1:5], op.inputs[5:9], op.inputs[9:13]
    hidden = op.attrs["hidden_quant"]
    hidden_scale, hidden_zp = float(hidden.scale[0]), int(hidden.zero_point[0])
    cell_scale = float(np.float32(op.attrs["cell_scale"]))
    power = cell_state_scale_power(cell_scale)
    clip = op.attrs["cell_clip"]
    quantized_clip = int(np.clip(float(clip) / cell_scale, INT16_MIN, INT16_MAX))
    sequence = _sequence(op, np.asarray(x, np.int64))
    batch, units = sequence.shape[1], biases[0].shape[0]
    h, c = previous if previous is not None else (np.full((batch, units), hidden_zp, np.int64),
                                                  np.zeros((batch, units), np.int64))
    outputs = []
    for x_t in sequence:
        def gate(k: int) -> np.ndarray:
            from_input = _fully_connected_int16(x_t, source.zero_point(), input_weights[k],
                                                biases[k], source.scale())
            from_hidden = _fully_connected_int16(h, hidden_zp, recurrent_weights[k], None,
                                                 hidden_scale)
            return np.clip(from_input + from_hidden, INT16_MIN, INT16_MAX)

        i, f, o = (logistic_int16(gate(k), 0, 0) for k in (0, 1, 3))
        g = tanh_int16(gate(2), *tanh_parameters(-12))
        forget = _mul(f, c, GATE_OUTPUT_SCALE, cell_scale, cell_scale, 0, INT16_MIN, INT16_MAX)
        update = _mul(i, g, GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cell_scale, 0, INT16_MIN,
                      INT16_MAX)
        c = np.clip(forget + update, INT16_MIN, INT16_MAX)
        if clip > 0:
            c = np.clip(c, -quantized_clip, quantized_clip)
        h = _mul(tanh_int16(c, *tanh_parameters(power)), o, GATE_OUTPUT_SCALE,
                 GATE_OUTPUT_SCALE, hidden_scale, hidden_zp, -128, 127)
        outputs.append(h)
    result = np.stack(outputs)
    return (result if op.attrs["time_major"] else result.transpose(1, 0, 2)), (h, c)
