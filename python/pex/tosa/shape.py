"""reshape, transpose, concat, slice, gather and pad: data movement without arithmetic
(a gather at run-time indices wraps negative indices)."""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError
from pex.graph import Op, same_quantization
from pex.tosa import text
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType

# tosa-validate's level check limits a pad's !tosa.shape<2 * rank> to rank 6.
_MAX_PAD_RANK = 3


def lower_reshape(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, b.reshape(b.value(op.inputs[0]), op.output.shape))


def lower_transpose(b: FunctionBuilder, op: Op) -> None:
    out = op.output
    b.bind(out, b.op("transpose", [b.value(op.inputs[0])], TensorType(out.shape, out.dtype),
                     f"perms = {text.i32_array(op.attrs['perm'])}"))


def lower_concat(b: FunctionBuilder, op: Op) -> None:
    """Inputs quantised differently from the output are requantised to it first."""
    out = op.output
    values = []
    for x in op.inputs:
        value = b.value(x)
        if out.dtype == "i8" and not same_quantization(x, out):
            value = b.requantize(value, x.scale() / out.scale(), x.zero_point(),
                                out.zero_point(), "i8")
        values.append(value)
    joined = b.op("concat", values, TensorType(out.shape, out.dtype),
                  f"axis = {op.attrs['axis']} : i32")
    b.bind(out, fused_activation(b, joined, op.attrs["activation"], out))


def lower_slice(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, b.slice(b.value(op.inputs[0]), op.attrs["begin"], op.attrs["size"]))


def lower_pad(b: FunctionBuilder, op: Op) -> None:
    """Pads with attribute `value` if the op has one, else the zero point (real 0);
    unpadded leading unit dimensions are dropped around it."""
    x, out = op.inputs[0], op.output
    pads = [tuple(p) for p in op.attrs["pads"]]
    kept = 0
    while len(x.shape) - kept > _MAX_PAD_RANK and x.shape[kept] == 1 and pads[kept] == (0, 0):
        kept += 1
    if len(x.shape) - kept > _MAX_PAD_RANK:
        raise ModelError(f"pad of '{x.name}': TOSA validation allows padding at most "
                         f"{_MAX_PAD_RANK} non-unit dimensions")
    inner_shape = x.shape[kept:]
    padded_shape = tuple(d + lo + hi for d, (lo, hi) in zip(inner_shape, pads[kept:]))
    value = b.reshape(b.value(x), inner_shape)
    if "value" in op.attrs:
        pad_value = b.scalar(op.attrs["value"], out.dtype)
    else:
        pad_value = b.scalar(out.zero_point() if out.quant else 0, out.dtype)
    flat_pads = b.const_shape([p for pair in pads[kept:] for p in pair])
    padded = b.op("pad", [value, flat_pads, pad_value], TensorType(padded_shape, out.dtype))
    b.bind(out, b.reshape(padded, out.shape))


def is_descending_run(indices) -> bool:
    """Whether `indices` are consecutive and descending: gather lowers them to a reversed
    slice (tosa.reverse)."""
    indices = list(indices)
    return len(indices) > 1 and indices == list(range(indices[0], indices[-1] - 1, -1))


def gather(b: FunctionBuilder, x: Value, axis: int, indices) -> Value:
    """x[indices] along `axis`. Consecutive descending indices are a reversed slice; else
    each run of consecutive ascending indices is a slice (a view), concatenated. (A
    reversed part inside a concatenation would be a buffer of its own; slices of single
    elements are views.)"""
    indices = list(indices)
    start = [0] * len(x.shape)
    shape = list(x.shape)
    if is_descending_run(indices):
        start[axis], shape[axis] = indices[-1], len(indices)
        part = x if tuple(shape) == tuple(x.shape) else b.slice(x, start, shape)
        return b.op("reverse", [part], TensorType(tuple(shape), x.dtype),
                    f"axis = {axis} : i32")
    runs: list[list[int]] = []
    for index in indices:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        start[axis], shape[axis] = run[0], len(run)
        parts.append(b.slice(x, start, shape))
    if len(parts) == 1:
        return parts[0]
    shape[axis] = len(indices)
    return b.op("concat", parts, TensorType(tuple(shape), x.dtype), f"axis = {axis} : i32")


def lower_gather_indexed(b: FunctionBuilder, op: Op) -> None:
    """x's slices along `axis` at run-time indices: tosa.gather of x viewed as [N, K, C]
    (N the dimensions before the axis, K the axis, C those after) with the indices as
    [N, W], the same W indices for every n. A negative index counts from the axis's end
    (ONNX); an index out of range is clamped by the kernel, never read outside x."""
    table, indices = op.inputs
    axis = op.attrs["axis"]
    batch = math.prod(table.shape[:axis])
    rows = table.shape[axis]
    count = indices.num_elements
    flat = b.reshape(b.value(indices), (1, count))
    negative = b.op("greater", [b.const(np.zeros((1, 1)), "i32"), flat],
                    TensorType((1, count), "i1"))
    from_end = b.elementwise("add", flat, b.const(np.full((1, 1), rows), "i32"), (1, count))
    wrapped = b.op("select", [negative, from_end, flat], flat.type)
    if batch > 1:
        wrapped = b.op("tile", [wrapped, b.const_shape([batch, 1])],
                       TensorType((batch, count), "i32"))
    values = b.reshape(b.value(table), (batch, rows, table.num_elements // (batch * rows)))
    taken = b.op("gather", [values, wrapped],
                 TensorType((batch, count, values.shape[2]), table.dtype))
    b.bind(op.output, b.reshape(taken, op.output.shape))


def lower_gather(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, gather(b, b.value(op.inputs[0]), op.attrs["axis"], op.attrs["indices"]))
