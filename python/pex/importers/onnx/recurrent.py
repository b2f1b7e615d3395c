"""LSTM, GRU and RNN (float; forward, reverse or bidirectional), each run from its initial
states (constants: zeros, or a learned h0 and c0): the graph's lstm (TFLite's UNIDIRECTIONAL_SEQUENCE_LSTM) and gru, one op per
direction, which the MLIR builder keeps as loops over the time steps.

torch.onnx.export writes nn.LSTM as one LSTM node per layer (batch_first inputs are
transposed to [seq, batch, input] first), its initial states computed by ConstantOfShape
or Expand of zeros (folded at import), Y squeezed and Y_h gathered afterwards. The graph's
lstm computes the same recurrence: per time step the four gates x W^T + h R^T + bias,
sigmoid for the input, forget and output gates, tanh for the cell gate, c = f c + i g,
h = o tanh(c). nn.GRU exports the same way as GRU nodes with linear_before_reset 1; the
graph's gru takes ONNX's gates (update, reset, candidate) and biases as they are.
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor

# Gate blocks of W, R and B in ONNX's order (input, output, forget, cell), taken in the
# graph's (TFLite's) order: input, forget, cell, output.
_GRAPH_GATE_ORDER = (0, 2, 3, 1)
# ONNX's default activations, the only ones the graph's ops compute.
_LSTM_ACTIVATIONS = ["Sigmoid", "Tanh", "Tanh"]
_GRU_ACTIVATIONS = ["Sigmoid", "Tanh"]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


# Per ONNX direction, whether each of its directions runs from the last step.
_DIRECTIONS = {"forward": (False,), "reverse": (True,), "bidirectional": (False, True)}


def _directions(attrs) -> tuple[bool, ...]:
    return _DIRECTIONS[_text(attrs.get("direction", "forward"))]


def _check_common(node, attrs, default_activations: list[str]) -> None:
    """Refuses, by name, what neither recurrent op computes."""
    kind = node.op_type
    direction = _text(attrs.get("direction", "forward"))
    if direction not in _DIRECTIONS:
        raise ModelError(f"{kind} direction {direction} is not supported")
    activations = [_text(a) for a in attrs.get("activations",
                                                default_activations * len(_directions(attrs)))]
    if activations != default_activations * len(_directions(attrs)):
        raise ModelError(f"{kind} activations {activations} are not supported (only "
                         f"{default_activations})")
    if "clip" in attrs:
        raise ModelError(f"{kind} clip is not supported")


def _check_lstm(r, node, attrs) -> None:
    """Refuses what the graph's lstm does not compute, by name."""
    _check_common(node, attrs, _LSTM_ACTIVATIONS)
    if attrs.get("input_forget", 0):
        raise ModelError("LSTM input_forget (coupled input and forget gates) is not supported")
    if r.has_input(node, 7):
        raise ModelError("LSTM peepholes (input P) are not supported")


def _sequence_operands(r, node, attrs, gates: int):
    """The input in ONNX's order, (steps, batch, depth, units), W [D, G units, depth],
    R [D, G units, units] and B [D, 2 G units] (zeros when absent) of the D directions,
    for a recurrent node of `gates` gates; checks sequence_lens."""
    kind = node.op_type
    x = r.float_activation(node.input[0])
    if x.rank != 3:
        raise ModelError(f"{kind} input of rank {x.rank}; expected [seq, batch, input]")
    layout = attrs.get("layout", 0)
    steps, batch, depth = x.shape if layout == 0 else (x.shape[1], x.shape[0], x.shape[2])
    weights = np.asarray(r.constant(node.input[1], "weight"), np.float32)
    recurrent = np.asarray(r.constant(node.input[2], "weight"), np.float32)
    units = attrs.get("hidden_size", weights.shape[1] // gates if weights.ndim == 3 else 0)
    count = len(_directions(attrs))
    if weights.shape != (count, gates * units, depth) or \
            recurrent.shape != (count, gates * units, units):
        raise ModelError(f"{kind} weights W {list(weights.shape)} and R "
                         f"{list(recurrent.shape)} do not fit hidden_size {units} and an "
                         f"input of {depth} features")
    bias = np.zeros((count, 2 * gates * units), np.float64)
    if r.has_input(node, 3):
        bias = np.asarray(r.constant(node.input[3], "bias"), np.float64)
        if bias.shape != (count, 2 * gates * units):
            raise ModelError(f"{kind} bias B of shape {list(bias.shape)}, expected "
                             f"[{count}, {2 * gates * units}]")
    if r.has_input(node, 4):
        lengths = np.asarray(r.constant(node.input[4], "sequence_lens"))
        if np.any(lengths != steps):
            raise ModelError(f"{kind} sequence_lens {lengths.tolist()} shorter than the "
                             f"{steps} steps are not supported")
    return r.stored(x, (0, 1, 2)), (steps, batch, depth, units), weights, recurrent, bias


def _gate_blocks(name: str, matrix: np.ndarray, what: str, units: int, order) -> list[Tensor]:
    """Rows [g units, (g + 1) units) of `matrix` for each gate g of `order`."""
    return [Tensor(f"{name}/{what}{g}", (units,) + matrix.shape[1:], "f32", None,
                   np.ascontiguousarray(matrix[g * units:(g + 1) * units]))
            for g in order]


def _is_read(r, name: str) -> bool:
    return bool(name) and (bool(r.consumers_of(name)) or name in r.graph_outputs)


def _constant_ints(r, node, position: int, attribute: str):
    """An operand given as a constant input (newer opsets) or an attribute (older)."""
    if r.has_input(node, position):
        value = r.constant_ahead(node.input[position])
        return None if value is None else [int(v) for v in value.reshape(-1)]
    from onnx import helper
    for attr in node.attribute:
        if attr.name == attribute:
            return [int(v) for v in np.atleast_1d(helper.get_attribute_value(attr))]
    return None


# Operators through which Y may reach the Gather of its last step: they keep each step's
# values apart (quantisation is element-wise; views move axes).
_STEPWISE = ("QuantizeLinear", "DequantizeLinear", "Identity", "Squeeze", "Transpose")
# At most this many of them (a QDQ model quantises after the Squeeze and the Transpose too).
_MAX_STEPWISE_READERS = 16


def _read_only_at_last_step(r, node, attrs) -> bool:
    """Whether all that is read of Y is its last step, as PyTorch writes `y[:, -1, :]`
    (batch first) or `y[-1]`: a chain of single readers through Squeeze of the direction
    axis, Transpose, QuantizeLinear/DequantizeLinear (QDQ models), ending in a Gather of
    index -1 along time. Y can then be the last step alone, a sequence of one step, and
    the chain reads it unchanged (index -1 of one step is that step)."""
    from onnx import helper
    layout = attrs.get("layout", 0)
    # Y: [seq, 1, batch, units], or [batch, seq, 1, units]
    axes = ["time", "direction", "batch", "units"] if layout == 0 else \
        ["batch", "time", "direction", "units"]
    current = node.output[0]
    for _ in range(_MAX_STEPWISE_READERS + 1):
        readers = r.consumers_of(current)
        if len(readers) != 1 or current in r.graph_outputs:
            return False
        reader = readers[0]
        if reader.op_type == "Gather":
            index = r.constant_ahead(reader.input[1])
            axis = next((int(helper.get_attribute_value(a)) for a in reader.attribute
                         if a.name == "axis"), 0)
            return index is not None and index.ndim == 0 and int(index) == -1 and \
                axes[axis % len(axes)] == "time"
        if reader.op_type not in _STEPWISE or reader.input[0] != current:
            return False
        if reader.op_type == "Squeeze":
            squeezed = _constant_ints(r, reader, 1, "axes")
            if squeezed is None or [axes[a % len(axes)] for a in squeezed] != ["direction"]:
                return False
            axes = [a for a in axes if a != "direction"]
        elif reader.op_type == "Transpose":
            perm = next((list(helper.get_attribute_value(a)) for a in reader.attribute
                         if a.name == "perm"), list(range(len(axes)))[::-1])
            axes = [axes[p] for p in perm]
        current = reader.output[0]
    return False


def _emit_recurrent(r, node, attrs, kind: str, inputs, shape, initial: tuple,
                    **op_attrs) -> None:
    """The recurrent op of each direction (`inputs(d)` its operands; `initial` the
    initial states by name, [D, batch, units] each: constants, then those computed at
    run time, such as a streaming model's h and c inputs, which become each direction's
    last operands, named by `initial_inputs`) and the ONNX values they define. An op's
    results are the output sequence, only when Y is read other than at its last step
    (otherwise no step writes one: nn.GRU's `_, h = gru(x)`, `y[:, -1, :]`), the last h,
    its own buffer (a slice of the sequence would keep the whole sequence live as long
    as Y_h is read), and an LSTM's last c when Y_c is read; Y read only at its last step
    is that step alone. A reverse direction runs from the last step; bidirectional
    results are joined along the direction axis."""
    steps, batch, _, units = shape
    layout = attrs.get("layout", 0)
    directions = _directions(attrs)
    read = _is_read(r, node.output[0])
    last_step_only = read and directions == (False,) and \
        _read_only_at_last_step(r, node, attrs)
    sequence = read and not last_step_only
    cell = kind == "lstm" and len(node.output) > 2 and _is_read(r, node.output[2])
    shapes = ([(steps, batch, units) if layout == 0 else (batch, steps, units)]
              if sequence else []) + [(batch, units)] * (2 if cell else 1)
    name = node.output[0] or node.name
    constants, computed = initial

    def initial_operands(d: int) -> list[Tensor]:
        """Direction d's initial states computed at run time, each [batch, units]."""
        return [r.emit("reshape", [r.emit("slice", [state], (1, batch, units), like=state,
                                          name=f"{name}/{what}/{d}", begin=(d, 0, 0),
                                          size=(1, batch, units))],
                       (batch, units), like=state, name=f"{name}/{what}/{d}/rows")
                for what, state in computed.items()]

    results = [r.emit_results(kind, inputs(d) + initial_operands(d), shapes,
                              name=name + ("/reverse" if reverse else ""),
                              time_major=layout == 0, sequence=sequence, reverse=reverse,
                              initial_inputs=tuple(computed),
                              **{what: state[d] for what, state in constants.items()},
                              **op_attrs)
               for d, reverse in enumerate(directions)]
    last_h = int(sequence)

    def joined(values: list[Tensor], shape_one, axis: int, value_name: str) -> Tensor:
        """Each direction's value with a unit direction axis, joined along it."""
        parts = [r.emit("reshape", [v], shape_one, like=v, name=f"{value_name}/{d}")
                 for d, v in enumerate(values)]
        if len(parts) == 1:
            return parts[0]
        joined_shape = list(shape_one)
        joined_shape[axis] = len(parts)
        return r.emit("concat", parts, tuple(joined_shape), like=parts[0], name=value_name,
                      axis=axis, activation="NONE")

    if sequence:  # Y: [seq, D, batch, units]; layout 1: [batch, seq, D, units]
        y_one = (steps, 1, batch, units) if layout == 0 else (batch, steps, 1, units)
        r.define(node.output[0], joined([out[0] for out in results], y_one, 1 + layout,
                                        f"{name}/Y"), tuple(range(4)))
    elif last_step_only:  # Y as its last step alone: a sequence of one step
        y_one = (1, 1, batch, units) if layout == 0 else (batch, 1, 1, units)
        r.define(node.output[0], r.emit("reshape", [results[0][last_h]], y_one,
                                        like=results[0][last_h], name=f"{name}/Y"),
                 tuple(range(4)))
    if len(node.output) > 1 and _is_read(r, node.output[1]):
        # Y_h: [D, batch, units]; layout 1: [batch, D, units]
        h_one = (1, batch, units) if layout == 0 else (batch, 1, units)
        r.define(node.output[1], joined([out[last_h] for out in results], h_one, layout,
                                        node.output[1]), (0, 1, 2))
    if cell:  # Y_c, as Y_h
        c_one = (1, batch, units) if layout == 0 else (batch, 1, units)
        r.define(node.output[2], joined([out[last_h + 1] for out in results], c_one, layout,
                                        node.output[2]), (0, 1, 2))


def _initial_states(r, node, attrs, shape, **positions) -> tuple[dict, dict]:
    """The initial states (initial_h, initial_c) the node has, by name, each [D, batch,
    units], one per direction (absent: zeros, the reset state); ONNX gives them [batch, D,
    units] with layout 1. Constants (arrays), and those computed at run time (a streaming
    model's state inputs: graph tensors, in [D, batch, units] order)."""
    count, batch, units = shape
    layout = attrs.get("layout", 0)
    given = (count, batch, units) if layout == 0 else (batch, count, units)
    constants, computed = {}, {}
    for what, position in positions.items():
        if not r.has_input(node, position):
            continue
        name = node.input[position]
        if r.is_constant(name):
            state = np.asarray(r.constant(name, what), np.float32)
        else:
            state = r.float_activation(name)
        if tuple(state.shape) != given:
            raise ModelError(f"{node.op_type} {what} of shape {list(state.shape)}, expected "
                             f"{list(given)}")
        if isinstance(state, np.ndarray):
            constants[what] = state if layout == 0 else state.transpose(1, 0, 2)
        else:
            computed[what] = r.stored(state, (0, 1, 2) if layout == 0 else (1, 0, 2))
    return constants, computed


def lstm(r, node, attrs) -> None:
    _check_lstm(r, node, attrs)
    sequence, shape, weights, recurrent, bias = _sequence_operands(r, node, attrs, 4)
    units = shape[3]
    initial = _initial_states(r, node, attrs, (len(weights), shape[1], units), initial_h=5,
                              initial_c=6)
    name = node.output[0] or node.name

    def operands(d: int) -> list:
        # The input and recurrent biases of each gate are added once, into one bias.
        summed = (bias[d, :4 * units] + bias[d, 4 * units:]).astype(np.float32)
        prefix = f"{name}/{d}"
        return [sequence, *_gate_blocks(prefix, weights[d], "W", units, _GRAPH_GATE_ORDER),
                *_gate_blocks(prefix, recurrent[d], "R", units, _GRAPH_GATE_ORDER),
                *_gate_blocks(prefix, summed, "B", units, _GRAPH_GATE_ORDER)]

    _emit_recurrent(r, node, attrs, "lstm", operands, shape, initial, activation="TANH",
                    cell_clip=0.0)


def gru(r, node, attrs) -> None:
    """z, r and the candidate n of ONNX's gate order, each with its input and recurrent
    bias (the candidate's recurrent bias sits inside the reset gate's product with
    linear_before_reset, PyTorch's form, so the biases stay apart)."""
    _check_common(node, attrs, _GRU_ACTIVATIONS)
    sequence, shape, weights, recurrent, bias = _sequence_operands(r, node, attrs, 3)
    units = shape[3]
    name = node.output[0] or node.name
    order = (0, 1, 2)

    def operands(d: int) -> list:
        prefix = f"{name}/{d}"
        return [sequence, *_gate_blocks(prefix, weights[d], "W", units, order),
                *_gate_blocks(prefix, recurrent[d], "R", units, order),
                *_gate_blocks(prefix, bias[d, :3 * units].astype(np.float32), "Wb", units,
                              order),
                *_gate_blocks(prefix, bias[d, 3 * units:].astype(np.float32), "Rb", units,
                              order)]

    _emit_recurrent(r, node, attrs, "gru", operands, shape,
                    _initial_states(r, node, attrs, (len(weights), shape[1], units),
                                    initial_h=5),
                    linear_before_reset=bool(attrs.get("linear_before_reset", 0)))


def rnn(r, node, attrs) -> None:
    """h = f(x W + h R + Wb + Rb) per step, f Tanh (ONNX's default) or Relu (PyTorch's
    nonlinearity='relu'), the same in every direction; the two biases summed."""
    named = {_text(a) for a in attrs.get("activations", ["Tanh"])}
    function = named.pop() if len(named) == 1 else None
    if function not in ("Tanh", "Relu"):
        raise ModelError(f"RNN activations {[_text(a) for a in attrs['activations']]} are not "
                         f"supported (Tanh or Relu, the same in every direction)")
    _check_common(node, attrs, [function])
    sequence, shape, weights, recurrent, bias = _sequence_operands(r, node, attrs, 1)
    units = shape[3]
    name = node.output[0] or node.name

    def operands(d: int) -> list:
        prefix = f"{name}/{d}"
        summed = (bias[d, :units] + bias[d, units:]).astype(np.float32)
        return [sequence, *_gate_blocks(prefix, weights[d], "W", units, (0,)),
                *_gate_blocks(prefix, recurrent[d], "R", units, (0,)),
                *_gate_blocks(prefix, summed, "B", units, (0,))]

    _emit_recurrent(r, node, attrs, "rnn", operands, shape,
                    _initial_states(r, node, attrs, (len(weights), shape[1], units),
                                    initial_h=5),
                    activation=function.lower())


OPERATORS = {"LSTM": lstm, "GRU": gru, "RNN": rnn}
