"""log_softmax and l2_normalization over the last axis (float)."""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder
from pex.tosa.text import TensorType

# TFLite's L2_NORMALIZATION divides by max(norm, 1e-6).
_L2_EPSILON = 1e-6


def lower_log_softmax(b: FunctionBuilder, op: Op) -> None:
    """(x - max) - log(sum(exp(x - max)))."""
    value = b.value(op.inputs[0])
    shape = value.shape
    last = len(shape) - 1
    shifted = b.elementwise("sub", value, b.reduce("reduce_max", value, last), shape)
    exps = b.op("exp", [shifted], TensorType(shape, "f32"))
    total = b.reduce("reduce_sum", exps, last)
    b.bind(op.output, b.elementwise("sub", shifted, b.op("log", [total], total.type), shape))


def lower_l2_normalization(b: FunctionBuilder, op: Op) -> None:
    """x * min(rsqrt(sum(x^2)), 1 / epsilon)."""
    value = b.value(op.inputs[0])
    shape = value.shape
    squares = b.reduce("reduce_sum", b.mul(value, value, shape), len(shape) - 1)
    inverse = b.elementwise("minimum", b.op("rsqrt", [squares], squares.type),
                            b.const(np.full((1,) * len(shape), 1 / _L2_EPSILON), "f32"),
                            squares.shape)
    b.bind(op.output, b.mul(value, inverse, shape))
