"""LayerNormalization (float): statistics over the axes from `axis` on."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.elementwise import binary, unary
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.pooling import reduce


def layer_normalization(r, node, attrs) -> None:
    """(x - mean) / sqrt(variance + epsilon) * scale + B, mean and (biased) variance over
    the axes from `axis` on, as the decomposition PyTorch exports before opset 17 computes
    it: the centred values squared and averaged, then one rsqrt. Only Y is produced."""
    if any(name for name in node.output[1:]):
        raise ModelError("the Mean and InvStdDev outputs are not supported")
    if attrs.get("stash_type", 1) != 1:
        raise ModelError("only stash_type 1 (statistics in float32) is supported")
    x = r.float_activation(node.input[0])
    axis = normalized_axis(attrs.get("axis", -1), x.rank)
    axes = list(range(axis, x.rank))
    name = node.output[0]
    normalized_shape = tuple(x.shape[axis:])
    scale = r.constant(node.input[1], "scale")
    bias = r.optional_constant(node, 2, "B")
    for what, value in (("scale", scale), ("B", bias)):
        if value is not None and np.ndim(value) > 0 and \
                np.broadcast_shapes(np.shape(value), normalized_shape) != normalized_shape:
            raise ModelError(f"{what} of shape {list(np.shape(value))} does not broadcast "
                             f"to the normalised axes {list(normalized_shape)}")
    mean = reduce(r, x, "mean", axes, True, f"{name}/mean")
    centred = binary(r, "sub", [x, mean], f"{name}/centred")
    squares = binary(r, "mul", [centred, centred], f"{name}/squares", activation="NONE")
    variance = reduce(r, squares, "mean", axes, True, f"{name}/variance")
    epsilon = np.float32(attrs.get("epsilon", 1e-5))
    shifted = binary(r, "add", [variance, epsilon], f"{name}/shifted", activation="NONE")
    inverse = unary(r, None, "rsqrt", f"{name}/inverse", shifted)
    result = binary(r, "mul", [centred, inverse], f"{name}/normalized", activation="NONE")
    result = binary(r, "mul", [result, np.asarray(scale, np.float32)],
                    name if bias is None else f"{name}/scaled", activation="NONE")
    if bias is not None:
        result = binary(r, "add", [result, np.asarray(bias, np.float32)], name,
                        activation="NONE")
    r.alias(name, result)


OPERATORS = {
    "LayerNormalization": layer_normalization,
}
