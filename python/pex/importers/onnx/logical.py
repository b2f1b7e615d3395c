"""Comparisons, boolean logic and Where on activations (float operands; constants fold
before they get here): masks such as PyTorch's hardshrink or torch.where(x > t, x, y)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.elementwise import binary, operand
from pex.importers.onnx.layout import Activation

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


def _comparison(op_type: str):
    predicate, swapped = _COMPARISONS[op_type]

    def convert(r, node, attrs) -> None:
        operands = [operand(r, name) for name in node.input]
        r.alias(node.output[0], binary(r, "compare", operands[::-1] if swapped else operands,
                                       node.output[0], "i1", predicate=predicate))
    return convert


def _logical(kind: str):
    def convert(r, node, attrs) -> None:
        r.alias(node.output[0], binary(r, kind, [_boolean(r, name) for name in node.input],
                                       node.output[0], "i1"))
    return convert


def where(r, node, attrs) -> None:
    """condition ? a : b, broadcast, of float values; the condition computed, or a
    constant (masked_fill by a causal mask)."""
    condition = np.asarray(r.constants[node.input[0]]).astype(bool) \
        if r.is_constant(node.input[0]) else _boolean(r, node.input[0])
    values = [operand(r, name) for name in node.input[1:]]
    r.alias(node.output[0], binary(r, "select", [condition] + values, node.output[0]))


def cast_boolean(r, node, target: str) -> None:
    """A boolean tensor kept boolean, or as float 1.0 / 0.0 (a select: TOSA casts booleans
    to integers only)."""
    condition = _boolean(r, node.input[0])
    if target == "BOOL":
        r.alias(node.output[0], condition)
    elif target == "FLOAT":
        ones = np.ones((1,) * condition.rank, np.float32)
        r.alias(node.output[0], binary(r, "select", [condition, ones, np.zeros_like(ones)],
                                       node.output[0]))
    else:
        raise ModelError(f"Cast of a boolean tensor to {target.lower()} is not supported")


OPERATORS = {
    **{op_type: _comparison(op_type) for op_type in _COMPARISONS},
    "Not": _logical("logical_not"),
    "And": _logical("logical_and"),
    "Or": _logical("logical_or"),
    "Where": where,
}
