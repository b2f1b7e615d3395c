"""reduce_sum, reduce_max and reduce_min over a set of axes (one TOSA reduction each)."""

from __future__ import annotations

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder


def _reduction(name: str):
    def lower(b: FunctionBuilder, op: Op) -> None:
        value = b.value(op.inputs[0])
        for axis in op.attrs["axes"]:
            value = b.reduce(name, value, axis)
        b.bind(op.output, b.reshape(value, op.output.shape))
    return lower


lower_reduce_sum = _reduction("reduce_sum")
lower_reduce_max = _reduction("reduce_max")
lower_reduce_min = _reduction("reduce_min")
