"""TopK: the k largest (or smallest) values along one axis and their indices (PyTorch's
torch.topk on a classification head)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation


def _k(r, node, attrs) -> int:
    """k: an attribute before opset 10, a constant input from it."""
    if r.opset < 10:
        return int(attrs["k"])
    k = np.asarray(r.constant(node.input[1], "k input"))
    if k.size != 1:
        raise ModelError(f"the k input has shape {list(k.shape)}, not one element")
    return int(k.reshape(-1)[0])


def top_k(r, node, attrs) -> None:
    """The graph's top_k along one axis (float; a QDQ input dequantised): values and int32
    indices (TOSA has no int64), as ArgMax's. sorted 0 allows any order: sorted is one."""
    x = r.float_activation(node.input[0])
    axis = normalized_axis(attrs.get("axis", -1), x.rank)
    size, k = x.shape[axis], _k(r, node, attrs)
    if not 1 <= k <= size:
        raise ModelError(f"k {k} is out of range for an axis of {size} (1 to {size})")
    stored_axis = x.stored_axis(axis)
    shape = list(x.tensor.shape)
    shape[stored_axis] = k
    values, indices = r.emit_results("top_k", [x.tensor], [shape, shape], ["f32", "i32"],
                                     name=node.output[0], axis=stored_axis, k=k,
                                     largest=bool(attrs.get("largest", 1)))
    for output, result in zip(node.output, (values, indices)):
        if output:
            r.alias(output, Activation(result, x.perm))


OPERATORS = {
    "TopK": top_k,
}
