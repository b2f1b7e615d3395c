"""reduce_sum, reduce_max and reduce_min over a set of axes (one TOSA reduction each),
and argmax / argmin along one axis."""

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


def _arg(reduction: str):
    def lower(b: FunctionBuilder, op: Op) -> None:
        """The first index holding the extreme value (TFLite's strict comparison): the
        smallest index where x equals its reduction, from a select and a reduce_min;
        with attribute `last` (ONNX's select_last_index) the largest, by reduce_max."""
        value = b.value(op.inputs[0])
        if value.dtype == "i8":  # TOSA compares integers as i32 only
            value = b.cast(value, "i32")
        axis = op.attrs["axis"]
        last = op.attrs.get("last", False)
        extreme = b.reduce(reduction, value, axis)
        shape = value.shape
        hits = b.op("equal", [value, extreme], TensorType(shape, "i1"))
        positions = np.arange(shape[axis], dtype=np.int64).reshape(
            [-1 if d == axis else 1 for d in range(len(shape))])
        missed = b.const(np.full((1,) * len(shape), -1 if last else shape[axis]), "i32")
        indices = b.op("select", [hits, b.const(positions, "i32"), missed],
                       TensorType(shape, "i32"))
        chosen = b.reduce("reduce_max" if last else "reduce_min", indices, axis)
        b.bind(op.output, b.reshape(chosen, op.output.shape))
    return lower


lower_argmax = _arg("reduce_max")
lower_argmin = _arg("reduce_min")
