"""read_state and write_state: a model's variables (TFLite's resource variables), state
kept between runs. Each variable is one mutable global of the module (shared by its reads
and its write), starting at its initial value; pex-thread-variables makes its value before
and after a run an argument and a result of the model function (docs/memory-model.md)."""

from __future__ import annotations

from pex.graph import Op
from pex.tosa.builder import FunctionBuilder
from pex.tosa.text import TensorType


def _symbol(b: FunctionBuilder, op: Op, value) -> str:
    initial = op.attrs.get("initial")
    first = initial.reshape(-1)[0] if initial is not None and initial.size else 0
    return b.state(op.attrs["state"], value.shape, value.dtype, first, shared=True)


def lower_read_state(b: FunctionBuilder, op: Op) -> None:
    symbol = _symbol(b, op, op.output)
    b.bind(op.output, b.load_state(symbol, TensorType(op.output.shape, op.output.dtype)))


def lower_write_state(b: FunctionBuilder, op: Op) -> None:
    (value,) = op.inputs
    b.store_state(_symbol(b, op, value), b.value(value))
