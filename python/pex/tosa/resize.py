"""resize of the spatial axes of an NHWC tensor, from the index maps the importer computed.

pexc has no tosa.resize, so the maps become data movement: an axis whose map repeats each
input row k times is a tile (both axes in one rank-6 tile when both are), any other map
slices of runs of consecutive rows, concatenated. Bilinear maps read two such gathers
and blend them with constant weights per row (column): float weights, or for int8
TFLite's 10-bit fixed-point ones in int32, rounded once at the end.
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.shape import gather
from pex.tosa.text import TensorType


def _repeat_factor(indices, size: int) -> int | None:
    """k when `indices` is 0 (k times), 1 (k times), ... size - 1 (k times)."""
    if len(indices) % size:
        return None
    factor = len(indices) // size
    return factor if tuple(indices) == tuple(i // factor for i in range(len(indices))) else None


def _tile(b: FunctionBuilder, x: Value, factors) -> Value:
    """Each row repeated factors[0] times and each column factors[1] times."""
    n, h, w, c = x.shape
    spread = b.reshape(x, (n, h, 1, w, 1, c))
    tiled_shape = (n, h, factors[0], w, factors[1], c)
    multiples = b.const_shape((1, 1, factors[0], 1, factors[1], 1))
    tiled = b.op("tile", [spread, multiples], TensorType(tiled_shape, x.dtype))
    return b.reshape(tiled, (n, h * factors[0], w * factors[1], c))


def _gather(b: FunctionBuilder, x: Value, axis: int, indices) -> Value:
    size = x.shape[axis]
    if tuple(indices) == tuple(range(size)):
        return x
    factor = _repeat_factor(indices, size)
    if factor is not None:
        return _tile(b, x, (factor, 1) if axis == 1 else (1, factor))
    return gather(b, x, axis, indices)


def _blend(b: FunctionBuilder, x: Value, axis: int, first, second, weights) -> Value:
    """x[first] (1 - w) + x[second] w along `axis`."""
    low = _gather(b, x, axis, first)
    if not any(weights):
        return low
    high = _gather(b, x, axis, second)
    shape = [1, 1, 1, 1]
    shape[axis] = len(weights)
    w = np.asarray(weights, np.float64)
    low = b.mul(low, b.const((1.0 - w).reshape(shape), "f32"), low.shape)
    high = b.mul(high, b.const(w.reshape(shape), "f32"), high.shape)
    return b.elementwise("add", low, high, low.shape)


def _blend_int8(b: FunctionBuilder, x: Value, axis: int, first, second, weights) -> Value:
    """x[first] (1024 - w) + x[second] w along `axis`, in int32 (w in 1/1024ths)."""
    shape = [1] * len(x.shape)
    shape[axis] = len(weights)
    w = np.asarray(weights, np.int64).reshape(shape)
    low = _gather(b, x, axis, first)
    high = _gather(b, x, axis, second)
    low = b.mul(low, b.const((1 << 10) - w, "i32"), low.shape)
    high = b.mul(high, b.const(w, "i32"), high.shape)
    return b.elementwise("add", low, high, low.shape)


def _round_int8(b: FunctionBuilder, total: Value) -> Value:
    """TFLite's (total +- 2^19) / 2^20, halves away from zero: the magnitude rounded by a
    shift, its sign restored."""
    ones = (1,) * len(total.shape)
    magnitude = b.op("abs", [total], total.type)
    shifted = b.op("arithmetic_right_shift",
                   [b.elementwise("add", magnitude, b.const(np.full(ones, 1 << 19), "i32"),
                                  total.shape), b.const(np.full(ones, 20), "i32")],
                   total.type, "round = false")
    negative = b.op("greater", [b.const(np.zeros(ones), "i32"), total],
                    TensorType(total.shape, "i1"))
    negated = b.elementwise("sub", b.const(np.zeros(ones), "i32"), shifted, total.shape)
    signed = b.op("select", [negative, negated, shifted], total.type)
    return b.cast(signed, "i8")


def lower_resize(b: FunctionBuilder, op: Op) -> None:
    x = b.value(op.inputs[0])
    rows, columns = op.attrs["rows"], op.attrs["columns"]
    if op.attrs["mode"] == "nearest":
        row_factor = _repeat_factor(rows[0], x.shape[1])
        column_factor = _repeat_factor(columns[0], x.shape[2])
        if row_factor and column_factor:
            b.bind(op.output, _tile(b, x, (row_factor, column_factor)))
            return
        b.bind(op.output, _gather(b, _gather(b, x, 1, rows[0]), 2, columns[0]))
        return
    if x.dtype == "i8":
        wide = b.cast(x, "i32")
        total = _blend_int8(b, _blend_int8(b, wide, 1, *rows), 2, *columns)
        b.bind(op.output, _round_int8(b, total))
        return
    b.bind(op.output, _blend(b, _blend(b, x, 1, *rows), 2, *columns))
