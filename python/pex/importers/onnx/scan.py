"""CumSum: running sums along one axis (PyTorch's torch.cumsum)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.elementwise import binary
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.shape_ops import concat_activations, slice_activation


def cumsum(r, node, attrs) -> None:
    """One slice per position and one add per step, out[i] = out[i - 1] + x[i] (from the
    end with reverse), joined: ONNX Runtime's summation order, so float results match
    closely. A MatMul by a triangular constant would be one op, but N x N weights in flash
    and N^2 multiplications, and its kernel's accumulation order differs. exclusive: the
    sums shifted by one position, zeros first."""
    x = r.float_activation(node.input[0])
    axis_input = np.asarray(r.constant(node.input[1], "axis input"))
    if axis_input.size != 1:
        raise ModelError(f"the axis input has shape {list(axis_input.shape)}, not a scalar")
    axis = normalized_axis(int(axis_input.reshape(-1)[0]), x.rank)
    name = node.output[0]
    exclusive, reverse = bool(attrs.get("exclusive", 0)), bool(attrs.get("reverse", 0))
    order = list(range(x.shape[axis]))
    if reverse:
        order.reverse()
    running, sums = None, []
    # Exclusive sums never include the last term of the order.
    for position in order[:-1] if exclusive else order:
        term = slice_activation(r, x, {axis: (position, position + 1)}, f"{name}/term{position}")
        running = term if running is None else \
            binary(r, "add", [running, term], f"{name}/sum{position}", activation="NONE")
        sums.append(running)
    if exclusive:
        zeros_shape = tuple(1 if a == axis else d for a, d in enumerate(x.shape))
        sums.insert(0, r.constant_activation(np.zeros(zeros_shape, np.float32),
                                             f"{name}/zeros", x.perm))
    if reverse:
        sums.reverse()
    # Along an axis of one an exclusive sum is the zeros constant; the concat computes it.
    r.alias(name, sums[0] if len(sums) == 1 and not exclusive
            else concat_activations(r, sums, axis, name))


OPERATORS = {
    "CumSum": cumsum,
}
