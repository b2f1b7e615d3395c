"""Comparisons, logical operators and select over i1 tensors.

pexc's kernels know TOSA's comparisons and select but not logical_and / or / not, so
those are selects: a and b = a ? b : false, a or b = a ? true : b, not a = a ? false :
true. int8 comparisons follow TFLite: each operand (x - zp) * 2^8 scaled by its own
scale (one rescale, MultiplyByQuantizedMultiplierSmallerThanOneExp), compared in i32.
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op, Tensor
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType

# TFLite's comparisons widen int8 operands by 2^8 before scaling them.
_COMPARISON_LEFT_SHIFT = 8


def _scaled(b: FunctionBuilder, tensor: Tensor) -> Value:
    value = b.value(tensor)
    if tensor.dtype != "i8":
        return value
    widened = b.rescale(value, 1 << 30, 30 - _COMPARISON_LEFT_SHIFT, tensor.zero_point(), 0,
                        "i32")
    return b.requantize(widened, tensor.scale(), 0, 0, "i32")


def _boolean(b: FunctionBuilder, value: bool, rank: int) -> Value:
    return b.const(np.full((1,) * rank, value), "i1")


def _not(b: FunctionBuilder, x: Value) -> Value:
    rank = len(x.shape)
    return b.op("select", [x, _boolean(b, False, rank), _boolean(b, True, rank)], x.type)


def lower_compare(b: FunctionBuilder, op: Op) -> None:
    predicate = op.attrs["predicate"]
    a, c = (_scaled(b, t) for t in op.inputs)
    result = TensorType(op.output.shape, "i1")
    compared = b.op("equal" if predicate == "not_equal" else predicate, [a, c], result)
    b.bind(op.output, _not(b, compared) if predicate == "not_equal" else compared)


def lower_logical_and(b: FunctionBuilder, op: Op) -> None:
    x, y = (b.value(t) for t in op.inputs)
    b.bind(op.output, b.op("select", [x, y, _boolean(b, False, len(op.output.shape))],
                           TensorType(op.output.shape, "i1")))


def lower_logical_or(b: FunctionBuilder, op: Op) -> None:
    x, y = (b.value(t) for t in op.inputs)
    b.bind(op.output, b.op("select", [x, _boolean(b, True, len(op.output.shape)), y],
                           TensorType(op.output.shape, "i1")))


def lower_logical_not(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, _not(b, b.value(op.inputs[0])))


def lower_select(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, b.op("select", [b.value(t) for t in op.inputs],
                           TensorType(op.output.shape, op.output.dtype)))
