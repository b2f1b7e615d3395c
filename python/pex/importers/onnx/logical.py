"""Comparisons, boolean logic, Where and OneHot on activations (float operands, or int32
indices; constants fold before they get here): masks such as PyTorch's hardshrink,
torch.where(x > t, x, y) or a padding mask (ids != 0)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers import limits
from pex.importers.onnx.elementwise import binary, index_operands, int32_constant, operand
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation
from pex.importers.onnx.shape_ops import reshape_activation

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
        operands = index_operands(r, node.input) or [operand(r, name) for name in node.input]
        r.alias(node.output[0], binary(r, "compare", operands[::-1] if swapped else operands,
                                       node.output[0], "i1", predicate=predicate))
    return convert


def _logical(kind: str):
    def convert(r, node, attrs) -> None:
        r.alias(node.output[0], binary(r, kind, [_boolean(r, name) for name in node.input],
                                       node.output[0], "i1"))
    return convert


def where(r, node, attrs) -> None:
    """condition ? a : b, broadcast, of float values or int32 indices; the condition
    computed, or a constant (masked_fill by a causal mask)."""
    condition = np.asarray(r.constants[node.input[0]]).astype(bool) \
        if r.is_constant(node.input[0]) else _boolean(r, node.input[0])
    indices = index_operands(r, node.input[1:])
    if indices is None and all(r.is_constant(name) and np.issubdtype(
            np.asarray(r.constants[name]).dtype, np.integer) for name in node.input[1:]):
        indices = [int32_constant(r, name) for name in node.input[1:]]  # where(m, 1, 0)
    values = indices or [operand(r, name) for name in node.input[1:]]
    r.alias(node.output[0], binary(r, "select", [condition] + values, node.output[0],
                                   "i32" if indices else "f32"))


# Where a boolean cast to these types is held, and its dtype there (int64 counts are int32
# on the device, as indices are).
_BOOLEAN_CASTS = {"FLOAT": (np.float32, "f32"), "INT64": (np.int32, "i32"),
                  "INT32": (np.int32, "i32")}


def cast_boolean(r, node, target: str) -> None:
    """A boolean tensor kept boolean, or as 1 / 0 (a select: TOSA casts booleans to
    integers only): float, or int32 (`mask.long()`, summed to a length)."""
    condition = _boolean(r, node.input[0])
    if target == "BOOL":
        r.alias(node.output[0], condition)
        return
    if target not in _BOOLEAN_CASTS:
        raise ModelError(f"Cast of a boolean tensor to {target.lower()} is not supported")
    numpy_type, dtype = _BOOLEAN_CASTS[target]
    ones = np.ones((1,) * condition.rank, numpy_type)
    r.alias(node.output[0], binary(r, "select", [condition, ones, np.zeros_like(ones)],
                                   node.output[0], dtype))


def one_hot(r, node, attrs) -> None:
    """values[1] where an index equals its position along a new axis `axis`, values[0]
    elsewhere: a comparison of the indices with the positions (a negative index counts
    from the end, as ONNX says; one out of range matches none), then a select."""
    indices = index_operands(r, node.input[:1])
    if indices is None:
        raise ModelError(f"'{node.input[0]}' is not an integer tensor; OneHot takes indices")
    depth = np.asarray(r.constant(node.input[1], "depth")).reshape(-1)
    if depth.size != 1 or depth[0] < 1:
        raise ModelError(f"OneHot depth must be one positive number, got {depth.tolist()}")
    depth = int(depth[0])
    values = np.asarray(r.constant(node.input[2], "values")).reshape(-1)
    if values.size != 2:
        raise ModelError(f"OneHot values must be [off, on], got {values.size} values")
    ids = indices[0]
    axis = normalized_axis(attrs.get("axis", -1), ids.rank + 1)
    limits.check_shape("the one-hot result", ids.shape[:axis] + (depth,) + ids.shape[axis:],
                       4)
    positions_shape = [1] * (ids.rank + 1)
    positions_shape[axis] = depth
    positions = np.arange(depth, dtype=np.int32).reshape(positions_shape)
    name = node.output[0]
    ids = reshape_activation(r, ids, ids.shape[:axis] + (1,) + ids.shape[axis:],
                             f"{name}/ids")
    hits = binary(r, "compare", [ids, positions], f"{name}/hits", "i1", predicate="equal")
    from_end = binary(r, "compare", [ids, positions - depth], f"{name}/from_end", "i1",
                      predicate="equal")
    hits = binary(r, "logical_or", [hits, from_end], f"{name}/any", "i1")
    off, on = values
    if np.issubdtype(values.dtype, np.integer):
        choice, dtype = np.array([on, off], np.int32), "i32"
    else:
        choice, dtype = np.array([on, off], np.float32), "f32"
    unit = (1,) * ids.rank
    r.alias(name, binary(r, "select", [hits, choice[:1].reshape(unit),
                                       choice[1:].reshape(unit)], name, dtype))


def xor(r, node, attrs) -> None:
    """a != b of booleans: a ? not b : b."""
    a, b = (_boolean(r, name) for name in node.input)
    name = node.output[0]
    not_b = binary(r, "logical_not", [b], f"{name}/not", "i1")
    r.alias(name, binary(r, "select", [a, not_b, b], name, "i1"))


def is_nan(r, node, attrs) -> None:
    """NaN is the one value not equal to itself."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    equal = binary(r, "compare", [x, x], f"{name}/equal", "i1", predicate="equal")
    r.alias(name, binary(r, "logical_not", [equal], name, "i1"))


def sign(r, node, attrs) -> None:
    """1 above zero, -1 below, x itself otherwise (a zero keeps its sign, NaN stays NaN)."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    unit = (1,) * x.rank
    zero = np.zeros(unit, np.float32)
    above = binary(r, "compare", [x, zero], f"{name}/above", "i1", predicate="greater")
    below = binary(r, "compare", [zero, x], f"{name}/below", "i1", predicate="greater")
    rest = binary(r, "select", [below, np.full(unit, -1, np.float32), x], f"{name}/below_one")
    r.alias(name, binary(r, "select", [above, np.ones(unit, np.float32), rest], name))


OPERATORS = {
    **{op_type: _comparison(op_type) for op_type in _COMPARISONS},
    "Not": _logical("logical_not"),
    "And": _logical("logical_and"),
    "Or": _logical("logical_or"),
    "Xor": xor,
    "IsNaN": is_nan,
    "Sign": sign,
    "Where": where,
    "OneHot": one_hot,
}
