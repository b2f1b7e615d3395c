"""reduce_sum, reduce_max, reduce_min and reduce_product over a set of axes (one TOSA
reduction each), and argmax / argmin / top_k along one axis."""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType


def _reduce(b: FunctionBuilder, name: str, value: Value, axes) -> Value:
    for axis in axes:
        value = b.reduce(name, value, axis)
    return value


def _reduction(name: str):
    def lower(b: FunctionBuilder, op: Op) -> None:
        value = _reduce(b, name, b.value(op.inputs[0]), op.attrs["axes"])
        b.bind(op.output, b.reshape(value, op.output.shape))
    return lower


lower_reduce_max = _reduction("reduce_max")
lower_reduce_min = _reduction("reduce_min")
lower_reduce_product = _reduction("reduce_product")


def lower_reduce_sum(b: FunctionBuilder, op: Op) -> None:
    """int8 as TFLite Micro: the sum of x - input zp in int32, rescaled by input scale /
    output scale, plus the output zero point."""
    x, out = op.inputs[0], op.output
    value = b.value(x)
    if x.dtype != "i8":
        b.bind(out, b.reshape(_reduce(b, "reduce_sum", value, op.attrs["axes"]), out.shape))
        return
    centred = b.rescale(value, 1 << 30, 30, x.zero_point(), 0, "i32")
    total = _reduce(b, "reduce_sum", centred, op.attrs["axes"])
    result = b.requantize(total, x.scale() / out.scale(), 0, out.zero_point(), "i8")
    b.bind(out, b.reshape(result, out.shape))


def _positions(shape, axis: int) -> np.ndarray:
    """0, 1, ... along `axis`, broadcast along the others."""
    return np.arange(shape[axis], dtype=np.int64).reshape(
        [-1 if d == axis else 1 for d in range(len(shape))])


def _extreme_position(b: FunctionBuilder, value: Value, extreme: Value, candidates: Value,
                      missed: int, axis: int, last: bool = False) -> tuple[Value, Value]:
    """Where `value` equals its reduction `extreme` along `axis`, the candidate position
    (`missed` elsewhere), and the first of them (reduce_min; `last`: reduce_max)."""
    hits = b.op("equal", [value, extreme], TensorType(value.shape, "i1"))
    elsewhere = b.const(np.full((1,) * len(value.shape), missed), "i32")
    hit_positions = b.op("select", [hits, candidates, elsewhere],
                         TensorType(value.shape, "i32"))
    chosen = b.reduce("reduce_max" if last else "reduce_min", hit_positions, axis)
    return hit_positions, chosen


def _arg(reduction: str):
    def lower(b: FunctionBuilder, op: Op) -> None:
        """The first index holding the extreme value (TFLite's strict comparison): the
        smallest index where x equals its reduction; with attribute `last` (ONNX's
        select_last_index) the largest."""
        value = b.value(op.inputs[0])
        if value.dtype == "i8":  # TOSA compares integers as i32 only
            value = b.cast(value, "i32")
        axis = op.attrs["axis"]
        last = op.attrs.get("last", False)
        extreme = b.reduce(reduction, value, axis)
        positions = b.const(_positions(value.shape, axis), "i32")
        _, chosen = _extreme_position(b, value, extreme, positions,
                                      -1 if last else value.shape[axis], axis, last)
        b.bind(op.output, b.reshape(chosen, op.output.shape))
    return lower


lower_argmax = _arg("reduce_max")
lower_argmin = _arg("reduce_min")


def lower_top_k(b: FunctionBuilder, op: Op) -> None:
    """The k largest (`largest` false: smallest) float values along `axis` and their int32
    indices, sorted, lower indices first among equal values: k rounds of argmax's lowering,
    each taking its position out (its value replaced by -inf (+inf), its candidate index
    by one past the axis, so that a value equal to that fill cannot select it again)."""
    x = b.value(op.inputs[0])
    axis, k, largest = op.attrs["axis"], op.attrs["k"], op.attrs["largest"]
    ones = (1,) * len(x.shape)
    size = x.shape[axis]
    fill = b.const(np.full(ones, -np.inf if largest else np.inf), x.dtype)
    candidates = b.const(_positions(x.shape, axis), "i32")
    remaining, values, indices = x, [], []
    for step in range(k):
        best = b.reduce("reduce_max" if largest else "reduce_min", remaining, axis)
        hit_positions, first = _extreme_position(b, remaining, best, candidates, size, axis)
        values.append(best)
        indices.append(first)
        if step < k - 1:
            taken = b.op("equal", [hit_positions, first], TensorType(x.shape, "i1"))
            remaining = b.op("select", [taken, fill, remaining], remaining.type)
            past_end = b.const(np.full(ones, size), "i32")
            candidates = b.op("select", [taken, past_end, candidates], hit_positions.type)
    for output, parts in zip(op.outputs, (values, indices)):
        joined = parts[0] if k == 1 else b.op(
            "concat", parts, TensorType(output.shape, parts[0].dtype), f"axis = {axis} : i32")
        b.bind(output, joined)
