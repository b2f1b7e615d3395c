"""Evaluation at import of nodes whose inputs are all known: the shape arithmetic exporters
emit (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, ConstantOfShape pads, ...).

Inputs are numpy arrays (None for an omitted optional input); ONNX's semantics are
followed where numpy's differ (integer Div truncates, Slice clamps its bounds).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers import limits
from pex.importers.onnx.validation import tensor_array


def numpy_type(onnx_type: int):
    from onnx import mapping
    if onnx_type not in mapping.TENSOR_TYPE_TO_NP_TYPE:
        raise ModelError(f"unknown ONNX element type {onnx_type}")
    return mapping.TENSOR_TYPE_TO_NP_TYPE[onnx_type]


def normalized_axis(axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ModelError(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def axes_operand(node, attrs, inputs, position: int, opset_moved: int, opset: int):
    """An `axes` list that moved from an attribute to input `position` at `opset_moved`
    (Squeeze, Unsqueeze, ReduceSum at 13, the other reductions at 18). None if absent."""
    if opset < opset_moved:
        return list(attrs["axes"]) if "axes" in attrs else None
    if len(inputs) > position and inputs[position] is not None:
        return [int(a) for a in np.atleast_1d(inputs[position])]
    return None


def slice_range(dim: int, start: int, end: int, step: int) -> range:
    """The indices ONNX's Slice takes along one axis (bounds clamped as the spec says)."""
    if step == 0:
        raise ModelError("Slice with step 0")
    start, end = int(start), int(end)
    if start < 0:
        start += dim
    if end < 0:
        end += dim
    if step > 0:
        start, end = min(max(start, 0), dim), min(max(end, 0), dim)
    else:
        start, end = min(max(start, 0), dim - 1), min(max(end, -1), dim - 1)
    return range(start, end, step)


def slice_arguments(node, attrs, inputs, rank: int, opset: int) -> dict[int, range]:
    """Axis -> the indices kept, for the axes Slice touches."""
    if opset < 10:
        starts, ends = attrs["starts"], attrs["ends"]
        axes, steps = attrs.get("axes"), None
    else:
        starts, ends = inputs[1], inputs[2]
        axes = inputs[3] if len(inputs) > 3 else None
        steps = inputs[4] if len(inputs) > 4 else None
    starts = [int(v) for v in np.atleast_1d(starts)]
    ends = [int(v) for v in np.atleast_1d(ends)]
    axes = list(range(len(starts))) if axes is None else [int(a) for a in np.atleast_1d(axes)]
    steps = [1] * len(starts) if steps is None else [int(s) for s in np.atleast_1d(steps)]
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise ModelError("Slice starts, ends, axes and steps differ in length")
    return {normalized_axis(a, rank): (s, e, st) for a, s, e, st in zip(axes, starts, ends, steps)}


def _slice(node, attrs, inputs, opset):
    data = inputs[0]
    index = [slice(None)] * data.ndim
    for axis, (start, end, step) in slice_arguments(node, attrs, inputs, data.ndim, opset).items():
        kept = slice_range(data.shape[axis], start, end, step)
        index[axis] = slice(kept.start, kept.stop if kept.stop >= 0 else None, kept.step)
    return data[tuple(index)]


def _div(a, b):
    if np.issubdtype(a.dtype, np.integer):
        if np.any(b == 0):
            raise ModelError("integer division by zero")
        return (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)
    return (a / b).astype(a.dtype)


def _modulo(fmod: bool):
    """Mod: the remainder with the dividend's sign (fmod 1, C's fmod) or the divisor's
    (fmod 0, integers)."""
    def remainder(a, b):
        if np.issubdtype(np.asarray(b).dtype, np.integer) and np.any(np.asarray(b) == 0):
            raise ModelError("integer modulo by zero")
        return np.fmod(a, b) if fmod else np.mod(a, b)
    return remainder


def _squeeze(node, attrs, inputs, opset):
    axes = axes_operand(node, attrs, inputs, 1, 13, opset)
    data = inputs[0]
    if axes is None:
        return data.reshape([d for d in data.shape if d != 1])
    return np.squeeze(data, tuple(normalized_axis(a, data.ndim) for a in axes))


def _unsqueeze(node, attrs, inputs, opset):
    axes = axes_operand(node, attrs, inputs, 1, 13, opset)
    data = inputs[0]
    rank = data.ndim + len(axes)
    return np.expand_dims(data, tuple(sorted(normalized_axis(a, rank) for a in axes)))


def _constant_of_shape(node, attrs, inputs, opset):
    fill = tensor_array(attrs["value"], "its value").reshape(-1) if "value" in attrs \
        else np.zeros(1, np.float32)
    if fill.size != 1:
        raise ModelError(f"ConstantOfShape's value has {fill.size} elements, not one")
    shape = [int(d) for d in np.atleast_1d(inputs[0])]
    limits.check_shape("the constant", shape, fill.dtype.itemsize)
    return np.full(shape, fill[0], fill.dtype)


def _range(node, attrs, inputs, opset):
    start, limit, delta = (np.asarray(x).reshape(()) for x in inputs)
    if delta == 0:
        raise ModelError("Range with delta 0")
    count = max(0, int(np.ceil((float(limit) - float(start)) / float(delta))))
    limits.check_shape("the range", [count], start.dtype.itemsize)
    return np.arange(start, limit, delta).astype(start.dtype)


def _broadcast(function):
    """An element-wise fold whose operands broadcast to a shape within the limits."""
    def fold(node, attrs, inputs, opset):
        arrays = [np.asarray(x) for x in inputs]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        limits.check_shape("the result", shape, max(a.dtype.itemsize for a in arrays))
        return function(*arrays)
    return fold


def _gather(node, attrs, inputs, opset):
    data, indices = np.asarray(inputs[0]), np.asarray(inputs[1])
    axis = normalized_axis(attrs.get("axis", 0), data.ndim)
    limits.check_shape("the result", data.shape[:axis] + indices.shape + data.shape[axis + 1:],
                       data.dtype.itemsize)
    return np.take(data, indices, axis=axis)


def _expand(node, attrs, inputs, opset):
    data = np.asarray(inputs[0])
    shape = np.broadcast_shapes(data.shape, tuple(int(d) for d in np.atleast_1d(inputs[1])))
    limits.check_shape("the result", shape, data.dtype.itemsize)
    return np.broadcast_to(data, shape).copy()


def _tile(node, attrs, inputs, opset):
    data = np.asarray(inputs[0])
    repeats = tile_repeats(inputs[1], data.ndim)
    limits.check_shape("the result", [d * k for d, k in zip(data.shape, repeats)],
                       data.dtype.itemsize)
    return np.tile(data, repeats)


def tile_repeats(repeats, rank: int) -> list[int]:
    """Tile's repeats: one positive count per axis."""
    repeats = np.asarray(repeats)
    if repeats.ndim != 1 or repeats.size != rank or np.any(repeats < 1):
        raise ModelError(f"repeats {repeats.reshape(-1).tolist()} are not one positive count "
                         f"per axis of a rank-{rank} input")
    return [int(k) for k in repeats]


def _reshape(node, attrs, inputs, opset):
    data, shape = inputs[0], [int(d) for d in inputs[1]]
    if not attrs.get("allowzero", 0):
        shape = [data.shape[i] if d == 0 else d for i, d in enumerate(shape)]
    return data.reshape(shape)


def _reduce(function, moved):
    def fold(node, attrs, inputs, opset):
        axes = axes_operand(node, attrs, inputs, 1, moved, opset)
        data = inputs[0]
        if not axes and attrs.get("noop_with_empty_axes", 0):
            return data
        axes = tuple(range(data.ndim)) if not axes else tuple(
            normalized_axis(a, data.ndim) for a in axes)
        return function(data, axis=axes, keepdims=bool(attrs.get("keepdims", 1)))
    return fold


def _l2_norm(data, axis, keepdims):
    return np.sqrt(np.sum(np.square(data), axis=axis, keepdims=keepdims)).astype(data.dtype)


def _matmul(node, attrs, inputs, opset):
    """A product of constants: a weight normalised in the graph (spectral_norm's
    u^T W v), numpy's matmul as ONNX's, in the operands' type."""
    a, b = (np.asarray(x) for x in inputs[:2])
    rows, columns = a.shape[-2] if a.ndim > 1 else 1, b.shape[-1] if b.ndim > 1 else 1
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (rows, columns)
    limits.check_shape("the product", shape, a.dtype.itemsize)
    return np.matmul(a, b)


def _cast(node, attrs, inputs, opset):
    return inputs[0].astype(numpy_type(attrs["to"]))


def _trilu(node, attrs, inputs, opset):
    """The upper (or lower) triangle of the last two axes, from diagonal k: an attention
    mask built from constants (torch.triu)."""
    data = np.asarray(inputs[0])
    if data.ndim < 2:
        raise ModelError(f"Trilu of a rank-{data.ndim} input")
    k = int(np.asarray(inputs[1]).reshape(-1)[0]) if len(inputs) > 1 and inputs[1] is not None \
        else 0
    return np.triu(data, k) if attrs.get("upper", 1) else np.tril(data, k)


def _one_hot(node, attrs, inputs, opset):
    """Constant indices as rows of a one-hot table (the positions of a new axis)."""
    indices, depth, values = (np.asarray(x) for x in inputs[:3])
    depth = int(depth.reshape(-1)[0])
    axis = normalized_axis(attrs.get("axis", -1), indices.ndim + 1)
    limits.check_shape("the one-hot result",
                       indices.shape[:axis] + (depth,) + indices.shape[axis:],
                       values.dtype.itemsize)
    indices = np.where(indices < 0, indices + depth, indices)
    positions = np.arange(depth).reshape([depth if a == axis else 1
                                          for a in range(indices.ndim + 1)])
    off, on = values.reshape(-1)
    return np.where(np.expand_dims(indices, axis) == positions, on, off).astype(values.dtype)


def _scatter_nd(node, attrs, inputs, opset):
    """The data with the slices the index tuples address replaced by the updates."""
    data, indices, updates = (np.asarray(x) for x in inputs[:3])
    if attrs.get("reduction", b"none") not in (b"none", "none"):
        raise ModelError("ScatterND with a reduction")
    result = data.copy()
    depth = indices.shape[-1]
    tuples = indices.reshape(-1, depth)
    rows = updates.reshape((len(tuples),) + data.shape[depth:])
    for position, row in zip(tuples, rows):
        result[tuple(int(i) for i in position)] = row
    return result


def _float_function(function):
    """A function of float constants, in float32 as ONNX Runtime computes it (positional
    encodings built in `forward`); integers stay integers (a Pow of shape arithmetic)."""
    def fold(node, attrs, inputs, opset):
        arrays = [np.asarray(x) for x in inputs]
        if all(a.dtype.kind in "iu" for a in arrays):
            return function(*arrays)
        return function(*(a.astype(np.float32) for a in arrays)).astype(np.float32)
    return fold


FOLDERS = {
    "Identity": lambda n, a, i, o: i[0],
    "Dropout": lambda n, a, i, o: i[0],
    "Shape": lambda n, a, i, o: np.array(i[0].shape[a.get("start", 0):a.get("end")], np.int64),
    "Size": lambda n, a, i, o: np.array(i[0].size, np.int64),
    "Cast": _cast,
    "Gather": _gather,
    "Unsqueeze": _unsqueeze,
    "Squeeze": _squeeze,
    "Concat": lambda n, a, i, o: np.concatenate([np.atleast_1d(x) for x in i], axis=a["axis"]),
    "ConstantOfShape": _constant_of_shape,
    "Range": _range,
    "Slice": _slice,
    "Reshape": _reshape,
    "Flatten": lambda n, a, i, o: i[0].reshape(int(np.prod(i[0].shape[:a.get("axis", 1)])), -1),
    "Transpose": lambda n, a, i, o: i[0].transpose(a.get("perm")),
    "Expand": _expand,
    "Tile": _tile,
    "Add": _broadcast(np.add),
    "Sub": _broadcast(np.subtract),
    "Mul": _broadcast(np.multiply),
    "Div": _broadcast(_div),
    "Neg": lambda n, a, i, o: -i[0],
    "Floor": lambda n, a, i, o: np.floor(i[0]),
    "Ceil": lambda n, a, i, o: np.ceil(i[0]),
    "Sqrt": lambda n, a, i, o: np.sqrt(i[0]),
    "Equal": _broadcast(np.equal),
    "Less": _broadcast(np.less),
    "Greater": _broadcast(np.greater),
    "Not": lambda n, a, i, o: np.logical_not(i[0]),
    "Where": _broadcast(np.where),
    "Min": _broadcast(lambda *operands: np.minimum.reduce(np.broadcast_arrays(*operands))),
    "Max": _broadcast(lambda *operands: np.maximum.reduce(np.broadcast_arrays(*operands))),
    "ReduceProd": _reduce(np.prod, 18),
    "ReduceSum": _reduce(np.sum, 13),
    "ReduceL2": _reduce(_l2_norm, 18),
    "MatMul": _matmul,
    "Trilu": _trilu,
    "OneHot": _one_hot,
    "ScatterND": _scatter_nd,
    "Sin": _float_function(np.sin),
    "Cos": _float_function(np.cos),
    "Pow": _float_function(np.power),
    "Mod": lambda n, a, i, o: _broadcast(_modulo(bool(a.get("fmod", 0))))(n, a, i, o),
}


def fold(node, attrs, inputs: list, opset: int) -> list[np.ndarray]:
    """The outputs of `node` evaluated on constant inputs (first output only, the others
    of Dropout and the like are not computed)."""
    result = np.asarray(FOLDERS[node.op_type](node, attrs, inputs, opset))
    limits.check_shape("the result", result.shape, result.dtype.itemsize)
    return [result]
