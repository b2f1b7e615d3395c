"""Checks on an imported graph before TOSA is emitted from it, whatever the format: every
operator reads values that exist by then, and no tensor exceeds `limits`. A corrupt file
whose operators are individually plausible (an output index pointing at a tensor that a
later operator computes, a shape of 10^9 elements) is refused here, naming the operator."""

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


def _window_output(op: Op) -> tuple[int, int] | None:
    """(rows, columns) a window operator computes from its input and attributes."""
    if op.kind == "conv2d":
        kernel = op.inputs[1].shape[1:3]
    elif op.kind == "depthwise_conv2d":
        kernel = op.inputs[1].shape[0:2]
    elif op.kind in ("avg_pool2d", "max_pool2d"):
        kernel = op.attrs["kernel"]
    else:
        return None
    stride, pad = op.attrs["stride"], op.attrs["pad"]
    dilation = op.attrs.get("dilation", (1, 1))
    sizes = op.inputs[0].shape[1:3]
    return tuple((sizes[i] + pad[2 * i] + pad[2 * i + 1] - (kernel[i] - 1) * dilation[i] - 1)
                 // stride[i] + 1 for i in range(2))


def _check_shapes(op: Op, where: str) -> None:
    """The output shape an operator's inputs and attributes imply, where a corrupt file
    can make the two disagree (TOSA would reject the module)."""
    out = op.outputs[0].shape if op.outputs else None
    if op.kind in ("conv2d", "depthwise_conv2d", "avg_pool2d", "max_pool2d"):
        if len(op.inputs[0].shape) != 4 or out is None or len(out) != 4:
            raise ModelError(f"{where}: takes and gives 4-D tensors (NHWC)")
        if min(op.attrs["stride"]) < 1:
            raise ModelError(f"{where}: strides {list(op.attrs['stride'])} must be positive")
        expected = _window_output(op)
        if tuple(out[1:3]) != expected:
            raise ModelError(f"{where}: output '{op.outputs[0].name}' is declared "
                             f"{list(out)}, but its input and window give "
                             f"{list(expected)} rows and columns")
    elif op.kind in _SAME_SHAPE:
        if tuple(op.inputs[0].shape) != tuple(out):
            raise ModelError(f"{where}: output '{op.outputs[0].name}' is declared {list(out)}, "
                             f"its input {list(op.inputs[0].shape)}")
    elif op.kind in ("reshape", "transpose"):
        if math.prod(op.inputs[0].shape) != math.prod(out):
            raise ModelError(f"{where}: {list(op.inputs[0].shape)} and its output "
                             f"{list(out)} differ in element count")
    elif op.kind in ("add", "mul", "sub", "div", "maximum", "minimum"):
        try:
            shape = np.broadcast_shapes(*(t.shape for t in op.inputs))
        except ValueError:
            shape = None
        if shape != tuple(out):
            raise ModelError(f"{where}: operands {' and '.join(str(list(t.shape)) for t in op.inputs)} "
                             f"do not broadcast to its output {list(out)}")


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
        _check_shapes(op, _where(op, index))
    for tensor in graph.outputs:
        if not tensor.is_constant and id(tensor) not in computed:
            raise ModelError(f"the model's output '{tensor.name}' is never computed")
