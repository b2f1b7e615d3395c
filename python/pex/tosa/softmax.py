"""softmax over the last axis.

float: exp(beta * (x - max)) * reciprocal(sum), TFLite's formula with the division as a
reciprocal. int8: the same in float on the dequantised row, then quantised with the
output scale (1/256) and zero point (-128). TFLite Micro's fixed-point kernel is not
expressible in TOSA; importers.md bounds the difference (measured with
`pex.tflm_reference.softmax_int8`). int16: TFLite Micro's SoftmaxInt16 exactly, in
integer ops (`pex.tosa.int16_functions`).
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder
from pex.tosa.int16_functions import softmax_int16
from pex.tosa.text import TensorType


def lower_softmax(b: FunctionBuilder, op: Op) -> None:
    x, out = op.inputs[0], op.output
    if x.dtype == "i16":
        b.bind(out, softmax_int16(b, b.value(x), x.scale(), op.attrs["beta"]))
        return
    shape = out.shape
    ones = (1,) * len(shape)
    last = len(shape) - 1
    value = b.value(x)
    # The zero point cancels in x - max, so the input scale folds into beta.
    beta = op.attrs["beta"] * (x.scale() if x.dtype == "i8" else 1.0)
    if x.dtype == "i8":
        value = b.cast(value, "f32")
    shifted = b.elementwise("sub", value, b.reduce("reduce_max", value, last), shape)
    if beta != 1.0:
        shifted = b.mul(shifted, b.const(np.full(ones, beta), "f32"), shape)
    exps = b.op("exp", [shifted], TensorType(shape, "f32"))
    inverse = b.op("reciprocal", [b.reduce("reduce_sum", exps, last)],
                   TensorType(shape[:-1] + (1,), "f32"))
    probabilities = b.mul(exps, inverse, shape)
    if out.dtype == "f32":
        b.bind(out, probabilities)
        return
    scaled = b.mul(probabilities, b.const(np.full(ones, 1.0 / out.scale()), "f32"), shape)
    shifted_to_zero_point = b.elementwise(
        "add", scaled, b.const(np.full(ones, out.zero_point()), "f32"), shape)
    b.bind(out, b.cast(shifted_to_zero_point, "i8"))
