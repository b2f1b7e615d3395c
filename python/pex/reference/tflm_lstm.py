"""TFLite Micro's float UNIDIRECTIONAL_SEQUENCE_LSTM (`lstm_eval`'s float step), one
invocation from the reset state (h = c = 0), written from its arithmetic: per time step
and gate (input, forget, cell, output), the input weights times x_t plus the bias plus the
recurrent weights times h; sigmoid for the input, forget and output gates, the fused
activation for the cell gate; c = f c + i g, clipped to the cell clip when it is set;
h = o activation(c), which is also the step's output. All in float32.
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.quantization import float_activation_range


def _activation(name: str, x: np.ndarray) -> np.ndarray:
    if name == "TANH":
        return np.tanh(x)
    low, high = float_activation_range(name)
    return np.clip(x, low, high)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return (1 / (1 + np.exp(-x))).astype(np.float32)


def lstm(op: Op, x: np.ndarray) -> np.ndarray:
    input_weights = [t.data.astype(np.float32) for t in op.inputs[1:5]]
    recurrent_weights = [t.data.astype(np.float32) for t in op.inputs[5:9]]
    biases = [t.data.astype(np.float32) for t in op.inputs[9:13]]
    activation, clip = op.attrs["activation"], op.attrs["cell_clip"]
    sequence = x.astype(np.float32)
    if not op.attrs["time_major"]:
        sequence = sequence.transpose(1, 0, 2)  # [T, N, K]
    batch, units = sequence.shape[1], biases[0].shape[0]
    h = np.zeros((batch, units), np.float32)
    c = np.zeros((batch, units), np.float32)
    outputs = []
    for x_t in sequence:
        i, f, g, o = (x_t @ w.T + bias + h @ r.T
                      for w, r, bias in zip(input_weights, recurrent_weights, biases))
        i, f, o = _sigmoid(i), _sigmoid(f), _sigmoid(o)
        c = (f * c + i * _activation(activation, g)).astype(np.float32)
        if clip > 0:
            c = np.clip(c, -clip, clip)
        h = (o * _activation(activation, c)).astype(np.float32)
        outputs.append(h)
    result = np.stack(outputs)
    return result if op.attrs["time_major"] else result.transpose(1, 0, 2)
