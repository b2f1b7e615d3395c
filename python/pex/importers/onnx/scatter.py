"""ScatterND with indices known at import: PyTorch's export of an assignment to a slice
(`y[:, 0:2] = torch.sigmoid(y[:, 0:2])`, a detector head's decoded boxes). The indices
must address a box (a range along each indexed axis, listed in row-major order): the
result is the data with that box replaced, joined by concats of the data's slices around
it and the updates, with no copy of the data beyond the join."""

from __future__ import annotations

import itertools

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.shape_ops import (concat_activations, reshape_activation,
                                          slice_activation)


def _box(positions: np.ndarray) -> tuple[list[int], list[int]] | None:
    """(starts, sizes) when the index tuples `positions` ([count, k]) list a box of the
    first k axes in row-major order; None otherwise."""
    starts, sizes = [], []
    for axis in range(positions.shape[1]):
        values = np.unique(positions[:, axis])
        if values[-1] - values[0] + 1 != len(values):
            return None
        starts.append(int(values[0]))
        sizes.append(len(values))
    listed = np.array(list(itertools.product(
        *(range(start, start + size) for start, size in zip(starts, sizes)))))
    return (starts, sizes) if np.array_equal(listed.reshape(positions.shape), positions) \
        else None


def _replaced(r, data, updates, starts: list[int], sizes: list[int], axis: int, name: str):
    """`data` with its box (from `axis` on) replaced by `updates` (shaped like the box)."""
    while axis < len(starts) and starts[axis] == 0 and sizes[axis] == data.shape[axis]:
        axis += 1
    if axis == len(starts):
        return updates
    start, stop = starts[axis], starts[axis] + sizes[axis]
    parts = [slice_activation(r, data, {axis: (0, start)}, f"{name}/before{axis}")] \
        if start > 0 else []
    if any(starts[a] != 0 or sizes[a] != data.shape[a] for a in range(axis + 1, len(starts))):
        inside = slice_activation(r, data, {axis: (start, stop)}, f"{name}/inside{axis}")
        parts.append(_replaced(r, inside, updates, starts, sizes, axis + 1, f"{name}/{axis}"))
    else:
        parts.append(updates)
    if stop < data.shape[axis]:
        parts.append(slice_activation(r, data, {axis: (stop, data.shape[axis])},
                                      f"{name}/after{axis}"))
    return concat_activations(r, parts, axis, name)


def scatter_nd(r, node, attrs) -> None:
    if attrs.get("reduction", b"none") not in (b"none", "none"):
        raise ModelError(f"reduction {attrs['reduction']!r} is not supported (only none)")
    data = r.raw(node.input[0])
    updates = r.raw(node.input[2])
    indices = np.asarray(r.constant(node.input[1], "indices")).astype(np.int64)
    if indices.ndim < 1 or not 1 <= indices.shape[-1] <= data.rank:
        raise ModelError(f"indices of shape {list(indices.shape)} for data of rank "
                         f"{data.rank}")
    depth = indices.shape[-1]
    expected = indices.shape[:-1] + data.shape[depth:]
    if tuple(updates.shape) != tuple(expected):
        raise ModelError(f"updates of shape {list(updates.shape)}; the indices address "
                         f"{list(expected)}")
    bounds = np.array(data.shape[:depth])
    positions = indices.reshape(-1, depth)
    if np.any(positions < -bounds) or np.any(positions >= bounds):
        raise ModelError("an index is out of range")
    box = _box(positions % bounds)
    if box is None:
        raise ModelError("the indices do not address a box (a range along each indexed "
                         "axis, in row-major order); only such assignments to a slice are "
                         "supported")
    starts, sizes = box
    starts += [0] * (data.rank - depth)
    sizes += list(data.shape[depth:])
    name = node.output[0]
    shaped = reshape_activation(r, updates, tuple(sizes), f"{name}/updates")
    r.alias(name, _replaced(r, data, shaped, starts, sizes, 0, name))


OPERATORS = {"ScatterND": scatter_nd}
