"""Comparisons, boolean logic and Where on activations (float operands; constants fold
before they get here): masks such as PyTorch's hardshrink or torch.where(x > t, x, y)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.elementwise import broadcast, operand
from pex.importers.onnx.layout import Activation, stored_shape

# ONNX comparison -> (the graph's predicate, whether the operands are swapped)
_COMPARISONS = {
    "Greater": ("greater", False), "GreaterOrEqual": ("greater_equal", False),
    "Less": ("greater", True), "LessOrEqual": ("greater_equal", True),
    "Equal": ("equal", False),
}


def _boolean(r, name: str) -> Activation:
    act = r.raw(name)
    if act.tensor.dtype != "i1":
        raise ModelError(f"'{name}' is not a boolean tensor")
    return act


def _emit(r, kind: str, operands: list, dtype: str, name: str, **attrs) -> None:
    tensors, shape, perm = broadcast(r, operands)
    out = r.emit(kind, tensors, stored_shape(shape, perm), dtype, name=name, **attrs)
    r.define(name, out, perm)


def _comparison(op_type: str):
    predicate, swapped = _COMPARISONS[op_type]

    def convert(r, node, attrs) -> None:
        operands = [operand(r, name) for name in node.input]
        _emit(r, "compare", operands[::-1] if swapped else operands, "i1", node.output[0],
              predicate=predicate)
    return convert


def _logical(kind: str):
    def convert(r, node, attrs) -> None:
        _emit(r, kind, [_boolean(r, name) for name in node.input], "i1", node.output[0])
    return convert


def where(r, node, attrs) -> None:
    """condition ? a : b, broadcast; a computed condition, float values."""
    if r.is_constant(node.input[0]):
        raise ModelError("a constant condition with computed values is not supported")
    condition = _boolean(r, node.input[0])
    values = [operand(r, name) for name in node.input[1:]]
    _emit(r, "select", [condition] + values, "f32", node.output[0])


def cast_boolean(r, node, target: str) -> None:
    """A boolean tensor kept boolean, or as float 1.0 / 0.0 (a select: TOSA casts booleans
    to integers only)."""
    condition = _boolean(r, node.input[0])
    if target == "BOOL":
        r.alias(node.output[0], condition)
    elif target == "FLOAT":
        ones = np.ones((1,) * condition.rank, np.float32)
        _emit(r, "select", [condition, ones, np.zeros_like(ones)], "f32", node.output[0])
    else:
        raise ModelError(f"Cast of a boolean tensor to {target.lower()} is not supported")


OPERATORS = {
    **{op_type: _comparison(op_type) for op_type in _COMPARISONS},
    "Not": _logical("logical_not"),
    "And": _logical("logical_and"),
    "Or": _logical("logical_or"),
    "Where": where,
}
