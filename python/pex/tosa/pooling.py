"""avg_pool2d, max_pool2d and mean."""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa import text
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType
from pex.tosa.window import fit_window


def _pool(b: FunctionBuilder, name: str, op: Op, operands: list, attrs: str = "") -> Value:
    x, out = op.inputs[0], op.output
    kernel, stride = op.attrs["kernel"], op.attrs["stride"]
    value, pad = fit_window(b, b.value(x), kernel, stride, (1, 1), op.attrs["pad"])
    window = (f"kernel = {text.i64_array(kernel)}, pad = {text.i64_array(pad)}, "
              f"stride = {text.i64_array(stride)}")
    pooled = b.op(name, [value] + operands, TensorType(out.shape, x.dtype),
                  f"{attrs}, {window}" if attrs else window)
    return fused_activation(b, pooled, op.attrs["activation"], out)


def lower_avg_pool2d(b: FunctionBuilder, op: Op) -> None:
    x = op.inputs[0]
    # TFLite averages the stored int8 (int16) values and rounds halves away from zero; with
    # zero points of 0, TOSA's reciprocal-multiply rounding does the same (see importers.md).
    zero = b.scalar(0, x.dtype)
    acc = "f32" if x.dtype == "f32" else "i32"
    b.bind(op.output, _pool(b, "avg_pool2d", op, [zero, zero], f"acc_type = {acc}"))


def lower_max_pool2d(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, _pool(b, "max_pool2d", op, []))


def lower_mean(b: FunctionBuilder, op: Op) -> None:
    """Sum over the axes one at a time, then scale by 1/count (and requantise for int8)."""
    x, out = op.inputs[0], op.output
    axes = op.attrs["axes"]
    count = int(np.prod([x.shape[a] for a in axes]))
    if x.dtype == "i8":
        total = b.rescale(b.value(x), 1 << 30, 30, x.zero_point(), 0, "i32")  # x - zp
    else:
        total = b.value(x)
    for axis in axes:
        total = b.reduce("reduce_sum", total, axis)
    if x.dtype == "i8":
        result = b.requantize(total, x.scale() / (out.scale() * count), 0, out.zero_point(),
                              "i8")
    else:
        result = b.mul(total, b.const(np.full((1,) * len(total.shape), 1.0 / count), "f32"),
                       total.shape)
    b.bind(out, b.reshape(result, out.shape))
