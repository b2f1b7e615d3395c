"""TopK: the k largest (or smallest) values along one axis and their indices (PyTorch's
torch.topk on a classification head)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation
from pex.importers.onnx.shape_ops import concat_activations


def _k(r, node, attrs) -> int:
    """k: an attribute before opset 10, a constant input from it."""
    if r.opset < 10:
        return int(attrs["k"])
    k = np.asarray(r.constant(node.input[1], "k input"))
    if k.size != 1:
        raise ModelError(f"the k input has shape {list(k.shape)}, not one element")
    return int(k.reshape(-1)[0])


def top_k(r, node, attrs) -> None:
    """k rounds, each ArgMax's lowering (the extreme, then the first position holding it:
    ONNX's order, lower indices first among equal values) and then that position taken
    out: its value replaced by -inf (+inf for the smallest), its index by one past the
    axis so that a value equal to that fill cannot select it again. The rounds' results
    are joined, sorted; sorted 0 allows any order, so it is the same. Indices are int32
    (TOSA has no int64), as ArgMax's."""
    x = r.float_activation(node.input[0])
    axis = normalized_axis(attrs.get("axis", -1), x.rank)
    size, k = x.shape[axis], _k(r, node, attrs)
    if not 1 <= k <= size:
        raise ModelError(f"k {k} is out of range for an axis of {size} (1 to {size})")
    largest = bool(attrs.get("largest", 1))
    extreme = "reduce_max" if largest else "reduce_min"
    name = node.output[0]
    stored_axis = x.stored_axis(axis)
    shape = x.tensor.shape
    reduced = tuple(1 if i == stored_axis else d for i, d in enumerate(shape))
    unit = (1,) * len(shape)
    positions = np.arange(size, dtype=np.int32).reshape(
        [-1 if i == stored_axis else 1 for i in range(len(shape))])
    candidates = Tensor(f"{name}/positions", positions.shape, "i32", None, positions)
    past_end = Tensor(f"{name}/past_end", unit, "i32", None, np.full(unit, size, np.int32))
    fill = np.full(unit, -np.inf if largest else np.inf, np.float32)
    taken_value = Tensor(f"{name}/taken_value", unit, "f32", None, fill)
    remaining = x.tensor
    values, indices = [], []
    for step in range(k):
        at = f"{name}/{step}"
        best = r.emit(extreme, [remaining], reduced, name=f"{at}/value", axes=(stored_axis,),
                      keep_dims=True)
        hits = r.emit("compare", [remaining, best], shape, "i1", name=f"{at}/hits",
                      predicate="equal")
        hit_positions = r.emit("select", [hits, candidates, past_end], shape, "i32",
                               name=f"{at}/hit_positions")
        first = r.emit("reduce_min", [hit_positions], reduced, "i32", name=f"{at}/index",
                       axes=(stored_axis,), keep_dims=True)
        values.append(Activation(best, x.perm))
        indices.append(Activation(first, x.perm))
        if step == k - 1:
            break
        taken = r.emit("compare", [hit_positions, first], shape, "i1", name=f"{at}/taken",
                       predicate="equal")
        remaining = r.emit("select", [taken, taken_value, remaining], shape,
                           name=f"{at}/remaining")
        candidates = r.emit("select", [taken, past_end, candidates], shape, "i32",
                            name=f"{at}/candidates")
    for output, parts in zip(node.output, (values, indices)):
        if output:
            r.alias(output, parts[0] if k == 1 else concat_activations(r, parts, axis, output))


OPERATORS = {
    "TopK": top_k,
}
