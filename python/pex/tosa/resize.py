"""resize of the spatial axes of an NHWC tensor, from the index maps the importer computed.

Where TOSA's resize computes the same maps (its rational scale, offset and border: the
asymmetric, align_corners and half_pixel transforms of float bilinear resizes, and
nearest ones whose rounding agrees), it is a `tosa.resize`: one kernel reading at most
four input elements per output element, no intermediate tensor. Otherwise the maps
become data movement: an axis whose map repeats each input row k times is a tile (both
axes in one rank-6 tile when both are), any other map slices of runs of consecutive rows,
concatenated. Bilinear maps read two such gathers and blend them with constant weights
per row (column): float weights, or for int8 TFLite's 10-bit fixed-point ones in int32,
rounded once at the end. Cubic maps (TOSA has no cubic resize) read four gathers per
axis, summed with their float weights.
"""

from __future__ import annotations

import math

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


def _weighted_sum(b: FunctionBuilder, x: Value, axis: int, taps) -> Value:
    """sum over taps of x[indices] w along `axis` (cubic: four taps), in float."""
    shape = [1] * len(x.shape)
    shape[axis] = len(taps[0][0])
    total = None
    for indices, weights in taps:
        if not any(weights):
            continue
        term = _gather(b, x, axis, indices)
        term = b.mul(term, b.const(np.asarray(weights, np.float64).reshape(shape), "f32"),
                     term.shape)
        total = term if total is None else b.elementwise("add", total, term, term.shape)
    return total


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


# tosa-validate's limits at level 8k: scale_n up to 2^11, at most 256x up, offset and
# border within 16 rows (in 1/scale_n units).
_MAX_SCALE_N = 1 << 11
_MAX_SCALE = 256


def _coefficients(first, second, weights, size_in: int) -> np.ndarray:
    """The map as a matrix: output i = sum over j of m[i, j] x[j]."""
    m = np.zeros((len(first), size_in))
    for i, (a, c, w) in enumerate(zip(first, second, weights)):
        m[i, a] += 1.0 - w
        m[i, c] += w
    return m


def _tosa_map(nearest: bool, scale_n: int, scale_d: int, offset: int, size_in: int,
              size_out: int) -> tuple[list, list, list]:
    """TOSA resize's (first, second, weight) per output index along one axis."""
    first, second, weights = [], [], []
    for out_index in range(size_out):
        y = out_index * scale_d + offset
        position, remainder = y // scale_n, y % scale_n
        low = min(max(position, 0), size_in - 1)
        high = min(max(position + 1, 0), size_in - 1)
        if nearest:
            low = high if 2 * remainder >= scale_n else low
            first.append(low), second.append(low), weights.append(0.0)
        else:
            first.append(low), second.append(high), weights.append(remainder / scale_n)
    return first, second, weights


def _tosa_parameters(nearest: bool, axis_map, size_in: int, size_out: int):
    """(scale_n, scale_d, offset, border) of a TOSA resize computing `axis_map`, or None.
    The candidates are the asymmetric, align_corners and half_pixel transforms (for nearest
    also with halves rounded down, and asymmetric with floor: PyTorch's); one is taken only
    if its map has the same coefficients."""
    wanted = _coefficients(*axis_map, size_in)
    # TFLite's maps are computed in float32: their coordinates err by a few ulps of the
    # input size. Another transform differs by at least about 1 / size_out.
    tolerance = max(1e-6, size_in * 2.0 ** -20)
    candidates = [(size_out, size_in, 0), (2 * size_out, 2 * size_in, size_in - size_out)]
    if size_out > 1 and size_in > 1:
        candidates.append((size_out - 1, size_in - 1, 0))
    if nearest:
        # TOSA rounds halves up. Rounding halves down (ONNX's round_prefer_floor) is
        # TOSA's rounding of c less half a unit; floor(c) (PyTorch's) of c - 1/2.
        candidates += [(2 * n, 2 * d, 2 * offset - 1) for n, d, offset in candidates]
        candidates.append((2 * size_out, 2 * size_in, -size_out))
    for scale_n, scale_d, offset in candidates:
        divisor = math.gcd(math.gcd(scale_n, scale_d), abs(offset))
        scale_n, scale_d, offset = scale_n // divisor, scale_d // divisor, offset // divisor
        border = (size_out - 1) * scale_d - (size_in - 1) * scale_n + offset
        if not (scale_n <= _MAX_SCALE_N and scale_n <= _MAX_SCALE * scale_d
                and scale_d < 16 * scale_n and -scale_n <= offset < 16 * scale_n
                and -16 * scale_n <= border < scale_n):
            continue
        got = _coefficients(*_tosa_map(nearest, scale_n, scale_d, offset, size_in,
                                       size_out), size_in)
        if np.allclose(got, wanted, rtol=0, atol=tolerance):
            return scale_n, scale_d, offset, border
    return None


def _tile_factors(op: Op) -> tuple[int, int] | None:
    """A nearest resize repeating each row and each column: a tile copies rows with fewer
    instructions than a resize kernel."""
    if op.attrs["mode"] != "nearest":
        return None
    _, height, width, _ = op.inputs[0].shape
    row_factor = _repeat_factor(op.attrs["rows"][0], height)
    column_factor = _repeat_factor(op.attrs["columns"][0], width)
    return (row_factor, column_factor) if row_factor and column_factor else None


def tosa_resize_parameters(op: Op):
    """(rows, columns), each TOSA's (scale_n, scale_d, offset, border), when the resize
    lowers to one tosa.resize: not a tile, TOSA's arithmetic computes the same maps, and
    float data for bilinear (TOSA's integer bilinear rounds unlike TFLite's); else None."""
    mode, x = op.attrs["mode"], op.inputs[0]
    if mode == "cubic" or (mode == "bilinear" and x.dtype != "f32") or _tile_factors(op):
        return None
    _, height, width, _ = x.shape
    _, out_height, out_width, _ = op.output.shape
    nearest = mode == "nearest"
    rows = _tosa_parameters(nearest, op.attrs["rows"], height, out_height)
    columns = _tosa_parameters(nearest, op.attrs["columns"], width, out_width)
    return None if rows is None or columns is None else (rows, columns)


def lower_resize(b: FunctionBuilder, op: Op) -> None:
    x = b.value(op.inputs[0])
    rows, columns = op.attrs["rows"], op.attrs["columns"]
    if factors := _tile_factors(op):
        b.bind(op.output, _tile(b, x, factors))
        return
    if parameters := tosa_resize_parameters(op):
        along_rows, along_columns = parameters
        scale = b.const_shape(along_rows[:2] + along_columns[:2])
        offset = b.const_shape((along_rows[2], along_columns[2]))
        border = b.const_shape((along_rows[3], along_columns[3]))
        mode = "NEAREST_NEIGHBOR" if op.attrs["mode"] == "nearest" else "BILINEAR"
        b.bind(op.output, b.op("resize", [x, scale, offset, border],
                               TensorType(op.output.shape, x.dtype), f"mode = {mode}"))
        return
    if op.attrs["mode"] == "nearest":
        b.bind(op.output, _gather(b, _gather(b, x, 1, rows[0]), 2, columns[0]))
        return
    if op.attrs["mode"] == "cubic":
        b.bind(op.output, _weighted_sum(b, _weighted_sum(b, x, 1, rows), 2, columns))
        return
    if x.dtype == "i8":
        wide = b.cast(x, "i32")
        total = _blend_int8(b, _blend_int8(b, wide, 1, *rows), 2, *columns)
        b.bind(op.output, _round_int8(b, total))
        return
    b.bind(op.output, _blend(b, _blend(b, x, 1, *rows), 2, *columns))
