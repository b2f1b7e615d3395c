"""LSTM (float) as the graph's lstm: TFLite's UNIDIRECTIONAL_SEQUENCE_LSTM, one invocation
from the reset state, which the MLIR builder keeps as a loop over the time steps.

torch.onnx.export writes nn.LSTM as one LSTM node per layer (batch_first inputs are
transposed to [seq, batch, input] first), its initial states computed by ConstantOfShape
or Expand of zeros (folded at import), Y squeezed and Y_h gathered afterwards. The graph's
lstm computes the same recurrence: per time step the four gates x W^T + h R^T + bias,
sigmoid for the input, forget and output gates, tanh for the cell gate, c = f c + i g,
h = o tanh(c).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor

# Gate blocks of W, R and B in ONNX's order (input, output, forget, cell), taken in the
# graph's (TFLite's) order: input, forget, cell, output.
_GRAPH_GATE_ORDER = (0, 2, 3, 1)
_DEFAULT_ACTIVATIONS = ["Sigmoid", "Tanh", "Tanh"]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _check_variant(r, node, attrs) -> None:
    """Refuses what the graph's lstm does not compute, by name."""
    direction = _text(attrs.get("direction", "forward"))
    if direction != "forward":
        raise ModelError(f"LSTM direction {direction} is not supported (only forward)")
    activations = [_text(a) for a in attrs.get("activations", _DEFAULT_ACTIVATIONS)]
    if activations != _DEFAULT_ACTIVATIONS:
        raise ModelError(f"LSTM activations {activations} are not supported (only "
                         f"{_DEFAULT_ACTIVATIONS})")
    if "clip" in attrs:
        raise ModelError("LSTM clip is not supported")
    if attrs.get("input_forget", 0):
        raise ModelError("LSTM input_forget (coupled input and forget gates) is not supported")
    if r.has_input(node, 7):
        raise ModelError("LSTM peepholes (input P) are not supported")
    if len(node.output) > 2 and node.output[2] and (
            r.consumers_of(node.output[2]) or node.output[2] in r.graph_outputs):
        raise ModelError("LSTM's cell state output Y_c is read; only Y and Y_h are supported")


def _check_reset_state(r, node, position: int, what: str, shape) -> None:
    if not r.has_input(node, position):
        return
    state = np.asarray(r.constant(node.input[position], what))
    if state.shape != tuple(shape) or np.any(state != 0):
        raise ModelError(f"LSTM {what} of shape {list(state.shape)} is not all zeros "
                         f"(only the reset state, zeros of {list(shape)}, is supported)")


def lstm(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    if x.rank != 3:
        raise ModelError(f"LSTM input of rank {x.rank}; expected [seq, batch, input]")
    _check_variant(r, node, attrs)
    layout = attrs.get("layout", 0)
    steps, batch, depth = x.shape if layout == 0 else (x.shape[1], x.shape[0], x.shape[2])
    weights = np.asarray(r.constant(node.input[1], "weight"), np.float32)
    recurrent = np.asarray(r.constant(node.input[2], "weight"), np.float32)
    units = attrs.get("hidden_size", weights.shape[1] // 4 if weights.ndim == 3 else 0)
    if weights.shape != (1, 4 * units, depth) or recurrent.shape != (1, 4 * units, units):
        raise ModelError(f"LSTM weights W {list(weights.shape)} and R "
                         f"{list(recurrent.shape)} do not fit hidden_size {units} and an "
                         f"input of {depth} features")
    bias = np.zeros(8 * units, np.float64)
    if r.has_input(node, 3):
        given = np.asarray(r.constant(node.input[3], "bias"), np.float64)
        if given.shape != (1, 8 * units):
            raise ModelError(f"LSTM bias B of shape {list(given.shape)}, expected "
                             f"[1, {8 * units}]")
        bias = given[0]
    if r.has_input(node, 4):
        lengths = np.asarray(r.constant(node.input[4], "sequence_lens"))
        if np.any(lengths != steps):
            raise ModelError(f"LSTM sequence_lens {lengths.tolist()} shorter than the "
                             f"{steps} steps are not supported")
    _check_reset_state(r, node, 5, "initial_h", (1, batch, units))
    _check_reset_state(r, node, 6, "initial_c", (1, batch, units))

    name = node.output[0] or node.name
    def gate_blocks(matrix: np.ndarray, what: str) -> list[Tensor]:
        return [Tensor(f"{name}/{what}{g}", (units,) + matrix.shape[1:], "f32", None,
                       np.ascontiguousarray(matrix[g * units:(g + 1) * units]))
                for g in _GRAPH_GATE_ORDER]
    # The input and recurrent biases of each gate are added once, into one bias.
    summed = (bias[:4 * units] + bias[4 * units:]).astype(np.float32)
    sequence = r.stored(x, (0, 1, 2))
    out_shape = (steps, batch, units) if layout == 0 else (batch, steps, units)
    # The second result is the last step's h, its own buffer: a slice of the sequence
    # would keep the whole sequence live as long as Y_h is read.
    out, last = r.emit_results(
        "lstm", [sequence, *gate_blocks(weights[0], "W"), *gate_blocks(recurrent[0], "R"),
                 *gate_blocks(summed, "B")],
        [out_shape, (batch, units)], name=name, time_major=layout == 0, activation="TANH",
        cell_clip=0.0)
    # Y: [seq, num_directions, batch, units] (layout 1: [batch, seq, num_directions, units]).
    if node.output[0]:
        y_shape = (steps, 1, batch, units) if layout == 0 else (batch, steps, 1, units)
        y = r.emit("reshape", [out], y_shape, like=out, name=f"{name}/Y")
        r.define(node.output[0], y, tuple(range(4)))
    # Y_h: [num_directions, batch, units] (layout 1: [batch, num_directions, units]).
    if len(node.output) > 1 and node.output[1]:
        h_shape = (1, batch, units) if layout == 0 else (batch, 1, units)
        r.define(node.output[1], r.emit("reshape", [last], h_shape, like=last,
                                        name=node.output[1]), (0, 1, 2))


OPERATORS = {"LSTM": lstm}
