"""Checks on an imported graph before TOSA is emitted from it, whatever the format: every
operator reads values that exist by then, no tensor exceeds `limits`, and each operator's
output has the shape its inputs and attributes give. A corrupt file whose operators are
individually plausible (an output index pointing at a tensor that a later operator
computes, a shape of 10^9 elements, weights for another channel count) is refused here,
naming the operator, instead of reaching the TOSA verifier in pexc."""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES, Graph, Op
from pex.importers import limits


def _where(op: Op, index: int) -> str:
    if op.loc is None:
        return f"operation {index} ({op.kind})"
    return f"operator {op.loc.line} ({op.kind} '{op.loc.name}')"


# Operators whose output has their (first) input's shape.
_SAME_SHAPE = ("softmax", "logistic", "relu", "relu6", "relu_n1_to_1", "leaky_relu",
               "quantize", "dequantize", "clamp", "tanh", "rescale", "table")


def _shape(tensor) -> str:
    return str(list(tensor.shape))


def _window_output(op: Op) -> tuple[int, int]:
    """(rows, columns) a window operator computes from its input and attributes."""
    if op.kind == "conv2d":
        kernel = op.inputs[1].shape[1:3]
    elif op.kind == "depthwise_conv2d":
        kernel = op.inputs[1].shape[0:2]
    else:
        kernel = op.attrs["kernel"]
    stride, pad = op.attrs["stride"], op.attrs["pad"]
    dilation = op.attrs.get("dilation", (1, 1))
    sizes = op.inputs[0].shape[1:3]
    return tuple((sizes[i] + pad[2 * i] + pad[2 * i + 1] - (kernel[i] - 1) * dilation[i] - 1)
                 // stride[i] + 1 for i in range(2))


def _window_channels(op: Op) -> tuple[int, int, int] | None:
    """(input channels, output channels, bias length) the weights of a convolution
    imply."""
    if op.kind == "conv2d":  # [O, KH, KW, I]
        out_channels, _, _, in_channels = op.inputs[1].shape
        return in_channels, out_channels, out_channels
    if op.kind == "depthwise_conv2d":  # [KH, KW, C, M]
        _, _, in_channels, multiplier = op.inputs[1].shape
        return in_channels, in_channels * multiplier, in_channels * multiplier
    return None


def _check_window(op: Op, where: str) -> None:
    x, out = op.inputs[0], op.outputs[0]
    if len(x.shape) != 4 or len(out.shape) != 4:
        raise ModelError(f"{where}: takes and gives 4-D tensors (NHWC)")
    if op.kind in ("conv2d", "depthwise_conv2d") and len(op.inputs[1].shape) != 4:
        raise ModelError(f"{where}: weights '{op.inputs[1].name}' of shape "
                         f"{_shape(op.inputs[1])} are not 4-D")
    if min(op.attrs["stride"]) < 1:
        raise ModelError(f"{where}: strides {list(op.attrs['stride'])} must be positive")
    expected = _window_output(op)
    if tuple(out.shape[1:3]) != expected:
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}, but its "
                         f"input and window give {list(expected)} rows and columns")
    channels = _window_channels(op)
    if channels is None:
        if out.shape[3] != x.shape[3]:
            raise ModelError(f"{where}: output '{out.name}' of shape {_shape(out)} has other "
                             f"channels than its input {_shape(x)}")
        return
    taken, given, bias_length = channels
    weights, bias = op.inputs[1], op.inputs[2]
    # A conv2d's weights may take a group of the input's channels (TFLite's grouped
    # CONV_2D); each group then gives as many outputs.
    grouped = op.kind == "conv2d" and taken > 0 and x.shape[3] % taken == 0 and \
        given % (x.shape[3] // taken) == 0
    if taken != x.shape[3] and not grouped:
        raise ModelError(f"{where}: weights '{weights.name}' take {taken} input channels, "
                         f"the input '{x.name}' has {x.shape[3]}" +
                         (" (not a whole number of groups)" if op.kind == "conv2d" else ""))
    if given != out.shape[3]:
        raise ModelError(f"{where}: weights '{weights.name}' give {given} channels, the "
                         f"output '{out.name}' has {out.shape[3]}")
    if bias is not None and tuple(bias.shape) != (bias_length,):
        raise ModelError(f"{where}: bias '{bias.name}' of shape {_shape(bias)} for "
                         f"{bias_length} channels")


def _check_fully_connected(op: Op, where: str) -> None:
    """The input is flattened to [N, K] for weights [M, K]; the output holds N x M."""
    x, weights, bias = op.inputs[:3]
    out = op.outputs[0]
    if len(weights.shape) != 2 or weights.shape[1] < 1 or x.num_elements % weights.shape[1]:
        raise ModelError(f"{where}: weights '{weights.name}' of shape {_shape(weights)} do "
                         f"not fit the input {_shape(x)}")
    units, depth = weights.shape
    if out.num_elements != x.num_elements // depth * units:
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}; input "
                         f"{_shape(x)} and weights {_shape(weights)} give "
                         f"{x.num_elements // depth} x {units} values")
    if bias is not None and tuple(bias.shape) != (units,):
        raise ModelError(f"{where}: bias '{bias.name}' of shape {_shape(bias)} for "
                         f"{units} units")


def _check_concat(op: Op, where: str) -> None:
    out = op.outputs[0]
    axis = op.attrs["axis"]
    if not 0 <= axis < len(out.shape):
        raise ModelError(f"{where}: axis {axis} out of range for rank {len(out.shape)}")
    for tensor in op.inputs:
        if len(tensor.shape) != len(out.shape) or any(
                d != out.shape[i] for i, d in enumerate(tensor.shape) if i != axis):
            raise ModelError(f"{where}: input '{tensor.name}' of shape {_shape(tensor)} does "
                             f"not match the output {_shape(out)} outside axis {axis}")
    total = sum(tensor.shape[axis] for tensor in op.inputs)
    if total != out.shape[axis]:
        raise ModelError(f"{where}: the inputs' {total} entries along axis {axis} do not "
                         f"fill the output {_shape(out)}")


def _check_pad(op: Op, where: str) -> None:
    x, out = op.inputs[0], op.outputs[0]
    pads = [tuple(p) for p in op.attrs["pads"]]
    if len(pads) != len(x.shape) or any(min(p) < 0 for p in pads):
        raise ModelError(f"{where}: paddings {pads} do not fit input {_shape(x)}")
    padded = [d + lo + hi for d, (lo, hi) in zip(x.shape, pads)]
    if padded != list(out.shape):
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}; "
                         f"{_shape(x)} padded by {pads} is {padded}")


def _check_slice(op: Op, where: str) -> None:
    x, out = op.inputs[0], op.outputs[0]
    begin, size = list(op.attrs["begin"]), list(op.attrs["size"])
    if len(begin) != len(x.shape) or len(size) != len(x.shape) or any(
            b < 0 or n < 1 or b + n > d for b, n, d in zip(begin, size, x.shape)):
        raise ModelError(f"{where}: a slice of size {size} at {begin} does not fit input "
                         f"{_shape(x)}")
    if size != list(out.shape):
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}, the "
                         f"slice's size {size}")


def _check_reduction(op: Op, where: str) -> None:
    """The output keeps the element count of the input without its reduced axes (their
    layout, kept as ones or dropped, is a reshape)."""
    x, out = op.inputs[0], op.outputs[0]
    axes = list(op.attrs["axes"])
    if len(set(axes)) != len(axes) or any(not 0 <= a < len(x.shape) for a in axes):
        raise ModelError(f"{where}: axes {axes} do not fit input {_shape(x)}")
    reduced = math.prod(d for a, d in enumerate(x.shape) if a not in axes)
    if math.prod(out.shape) != reduced:
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}; "
                         f"reducing {_shape(x)} over axes {axes} leaves {reduced} values")


def _check_same_shape(op: Op, where: str) -> None:
    x, out = op.inputs[0], op.outputs[0]
    if tuple(x.shape) != tuple(out.shape):
        raise ModelError(f"{where}: output '{out.name}' is declared {_shape(out)}, its input "
                         f"{_shape(x)}")


def _check_element_count(op: Op, where: str) -> None:
    x, out = op.inputs[0], op.outputs[0]
    if math.prod(x.shape) != math.prod(out.shape):
        raise ModelError(f"{where}: {_shape(x)} and its output {_shape(out)} differ in "
                         f"element count")


def _check_broadcast(op: Op, where: str) -> None:
    out = op.outputs[0]
    try:
        shape = np.broadcast_shapes(*(t.shape for t in op.inputs))
    except ValueError:
        shape = None
    if shape != tuple(out.shape):
        raise ModelError(f"{where}: operands {' and '.join(_shape(t) for t in op.inputs)} "
                         f"do not broadcast to its output {_shape(out)}")


# The output shape each operator's inputs and attributes imply, where a corrupt file can
# make the two disagree (TOSA would reject the module).
_SHAPE_CHECKS = {
    **dict.fromkeys(("conv2d", "depthwise_conv2d", "avg_pool2d", "max_pool2d"), _check_window),
    "fully_connected": _check_fully_connected,
    "concat": _check_concat,
    "pad": _check_pad,
    "slice": _check_slice,
    **dict.fromkeys(("mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_product"),
                    _check_reduction),
    **dict.fromkeys(_SAME_SHAPE, _check_same_shape),
    **dict.fromkeys(("reshape", "transpose"), _check_element_count),
    **dict.fromkeys(("add", "mul", "sub", "div", "maximum", "minimum"), _check_broadcast),
}


def check_graph(graph: Graph) -> None:
    if not graph.outputs:
        raise ModelError("the model has no outputs")
    computed = {id(tensor) for tensor in graph.inputs}
    for index, op in enumerate(graph.ops):
        for tensor in op.inputs:
            if tensor is not None and not tensor.is_constant and id(tensor) not in computed:
                raise ModelError(f"{_where(op, index)}: reads '{tensor.name}' before any "
                                 f"operator computes it")
        for tensor in op.outputs:
            computed.add(id(tensor))
            limits.check_shape(f"{_where(op, index)}: output '{tensor.name}'", tensor.shape,
                               np.dtype(NUMPY_TYPES[tensor.dtype]).itemsize)
        if op.kind in _SHAPE_CHECKS and op.outputs:
            _SHAPE_CHECKS[op.kind](op, _where(op, index))
    for tensor in graph.outputs:
        if not tensor.is_constant and id(tensor) not in computed:
            raise ModelError(f"the model's output '{tensor.name}' is never computed")
