"""LayerNormalization, InstanceNormalization and GroupNormalization (float): statistics
over some axes, then an affine map; LpNormalization and LRN (float)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.elementwise import binary, unary
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation
from pex.importers.onnx.pooling import reduce


def standardized(r, x: Activation, axes, epsilon: float, name: str) -> Activation:
    """(x - mean) / sqrt(variance + epsilon) over `axes`, as PyTorch's decomposition
    computes it: the centred values squared and averaged (the biased variance), one rsqrt."""
    mean = reduce(r, x, "mean", axes, True, f"{name}/mean")
    centred = binary(r, "sub", [x, mean], f"{name}/centred")
    squares = binary(r, "mul", [centred, centred], f"{name}/squares", activation="NONE")
    variance = reduce(r, squares, "mean", axes, True, f"{name}/variance")
    shifted = binary(r, "add", [variance, np.float32(epsilon)], f"{name}/shifted",
                     activation="NONE")
    inverse = unary(r, None, "rsqrt", f"{name}/inverse", shifted)
    return binary(r, "mul", [centred, inverse], f"{name}/normalized", activation="NONE")


def _affine(r, x: Activation, scale, bias, name: str) -> Activation:
    """x * scale (+ bias), numpy-broadcast constants."""
    scaled = binary(r, "mul", [x, np.asarray(scale, np.float32)],
                    name if bias is None else f"{name}/scaled", activation="NONE")
    if bias is None:
        return scaled
    return binary(r, "add", [scaled, np.asarray(bias, np.float32)], name, activation="NONE")


def _broadcasts_to(shape, target) -> bool:
    try:
        return np.broadcast_shapes(tuple(shape), tuple(target)) == tuple(target)
    except ValueError:
        return False


def layer_normalization(r, node, attrs) -> None:
    """Over the axes from `axis` on; scale and B broadcast to those axes. Only Y."""
    if any(name and (r.consumers_of(name) or name in r.graph_outputs)
           for name in node.output[1:]):
        raise ModelError("the Mean and InvStdDev outputs are read; only Y is supported")
    if attrs.get("stash_type", 1) != 1:
        raise ModelError("only stash_type 1 (statistics in float32) is supported")
    x = r.float_activation(node.input[0])
    axis = normalized_axis(attrs.get("axis", -1), x.rank)
    normalized_shape = tuple(x.shape[axis:])
    scale = r.constant(node.input[1], "scale")
    bias = r.optional_constant(node, 2, "B")
    for what, value in (("scale", scale), ("B", bias)):
        if value is not None and not _broadcasts_to(np.shape(value), normalized_shape):
            raise ModelError(f"{what} of shape {list(np.shape(value))} does not broadcast "
                             f"to the normalised axes {list(normalized_shape)}")
    name = node.output[0]
    normalized = standardized(r, x, range(axis, x.rank), attrs.get("epsilon", 1e-5), name)
    r.alias(name, _affine(r, normalized, scale, bias, name))


def instance_normalization(r, node, attrs) -> None:
    """Per sample and channel over the spatial axes (PyTorch's InstanceNorm and GroupNorm,
    which reshapes the groups into channels first); scale and B per channel."""
    x = r.float_activation(node.input[0])
    if x.rank < 3:
        raise ModelError(f"input of rank {x.rank}; InstanceNormalization needs spatial axes")
    channels = x.shape[1]
    per_channel = (channels,) + (1,) * (x.rank - 2)
    parameters = []
    for position, what in ((1, "scale"), (2, "B")):
        value = np.asarray(r.constant(node.input[position], what), np.float32)
        if value.size != channels:
            raise ModelError(f"{what} has {value.size} values for {channels} channels")
        parameters.append(value.reshape(per_channel))
    name = node.output[0]
    normalized = standardized(r, x, range(2, x.rank), attrs.get("epsilon", 1e-5), name)
    r.alias(name, _affine(r, normalized, *parameters, name))


def group_normalization(r, node, attrs) -> None:
    """Per sample and group of channels over the group's channels and spatial axes: the
    groups reshaped into channels of their own, standardized over the rest, reshaped back.
    scale and bias per group (opset 18) or per channel (opset 21)."""
    x = r.float_activation(node.input[0])
    if x.rank < 3:
        raise ModelError(f"input of rank {x.rank}; GroupNormalization needs spatial axes")
    if attrs.get("stash_type", 1) != 1:
        raise ModelError("only stash_type 1 (statistics in float32) is supported")
    channels, groups = x.shape[1], int(attrs["num_groups"])
    if groups <= 0 or channels % groups:
        raise ModelError(f"{channels} channels are not {groups} groups")
    per_group = channels // groups
    parameters = []
    for position, what in ((1, "scale"), (2, "bias")):
        value = np.asarray(r.constant(node.input[position], what), np.float32).reshape(-1)
        expected = channels if r.opset >= 21 else groups
        if value.size != expected:
            raise ModelError(f"{what} has {value.size} values; opset {r.opset} takes one per "
                             f"{'channel' if r.opset >= 21 else 'group'} ({expected})")
        if r.opset < 21:
            value = np.repeat(value, per_group)
        parameters.append(value.reshape((channels,) + (1,) * (x.rank - 2)))
    name = node.output[0]
    # Channels last, [N, spatial, groups, channels per group] is a plain reshape: the
    # statistics are over its axes 1 and 3, and no transposed copy is made.
    channels_last = (0,) + tuple(range(2, x.rank)) + (1,)
    stored = r.stored(x, channels_last)
    spatial = int(np.prod(x.shape[2:]))
    grouped = r.emit("reshape", [stored], (x.shape[0], spatial, groups, per_group),
                     like=stored, name=f"{name}/groups")
    normalized = standardized(r, Activation(grouped, (0, 1, 2, 3)), [1, 3],
                              attrs.get("epsilon", 1e-5), name)
    restored = r.emit("reshape", [normalized.tensor], stored.shape, like=normalized.tensor,
                      name=f"{name}/channels")
    r.alias(name, _affine(r, Activation(restored, channels_last), *parameters, name))


def lp_normalization(r, node, attrs) -> None:
    """x / sum(|x|) (p 1) or x * rsqrt(sum(x^2)) (p 2) along `axis`, no epsilon; a zero
    norm gives 0 (ONNX's reference and ONNX Runtime), by the inverse norm clamped to the
    largest float32."""
    x = r.float_activation(node.input[0])
    p = attrs.get("p", 2)
    if p not in (1, 2):
        raise ModelError(f"LpNormalization p {p} is not supported (1 or 2)")
    axis = normalized_axis(attrs.get("axis", -1), x.rank)
    name = node.output[0]
    terms = unary(r, None, "abs", f"{name}/terms", x) if p == 1 else \
        binary(r, "mul", [x, x], f"{name}/terms", activation="NONE")
    total = reduce(r, terms, "reduce_sum", [axis], True, f"{name}/sum")
    inverse = unary(r, None, "rsqrt", f"{name}/rsqrt", total) if p == 2 else \
        binary(r, "div", [np.ones((1,) * x.rank, np.float32), total], f"{name}/reciprocal")
    finite = unary(r, None, "clamp", f"{name}/inverse", inverse, low=0.0,
                   high=float(np.finfo(np.float32).max))
    r.alias(name, binary(r, "mul", [x, finite], name, activation="NONE"))


def local_response_normalization(r, node, attrs) -> None:
    """x (bias + alpha / size * sum of x^2 over the channels c - floor((size - 1) / 2)
    to c + ceil((size - 1) / 2))^-beta: the squares channels last, viewed as
    [1, N * spatial, C, 1], padded with zeros along C and averaged over windows of 1 x
    size (an avg_pool2d: the sum / size), then bias + alpha times that; the power as
    exp(-beta log(.))."""
    x = r.float_activation(node.input[0])
    if x.rank < 3:
        raise ModelError(f"input of rank {x.rank}; LRN needs [N, C, spatial ...]")
    size = int(attrs["size"])
    if size < 1:
        raise ModelError(f"LRN size {size} is not positive")
    alpha = float(attrs.get("alpha", 1e-4))
    beta = float(attrs.get("beta", 0.75))
    bias = float(attrs.get("bias", 1.0))
    name = node.output[0]
    squares = binary(r, "mul", [x, x], f"{name}/squares", activation="NONE")
    channels_last = (0,) + tuple(range(2, x.rank)) + (1,)
    stored = r.stored(squares, channels_last)
    channels = x.shape[1]
    rows = int(np.prod(stored.shape[:-1]))
    column = r.emit("reshape", [stored], (1, rows, channels, 1), like=stored,
                    name=f"{name}/column")
    before, after = (size - 1) // 2, size - 1 - (size - 1) // 2
    padded = r.emit("pad", [column], (1, rows, channels + size - 1, 1), like=stored,
                    name=f"{name}/padded", pads=((0, 0), (0, 0), (before, after), (0, 0)))
    averaged = r.emit("avg_pool2d", [padded], (1, rows, channels, 1), like=stored,
                      name=f"{name}/average", kernel=(1, size), stride=(1, 1),
                      pad=(0, 0, 0, 0), activation="NONE")
    sums = r.emit("reshape", [averaged], stored.shape, like=stored, name=f"{name}/sums")
    scaled = binary(r, "mul", [Activation(sums, channels_last), np.float32(alpha)],
                    f"{name}/scaled", activation="NONE")
    base = binary(r, "add", [scaled, np.float32(bias)], f"{name}/base", activation="NONE")
    logarithm = unary(r, None, "log", f"{name}/log", base)
    exponent = binary(r, "mul", [logarithm, np.float32(-beta)], f"{name}/exponent",
                      activation="NONE")
    factor = unary(r, None, "exp", f"{name}/factor", exponent)
    r.alias(name, binary(r, "mul", [x, factor], name, activation="NONE"))


OPERATORS = {
    "LpNormalization": lp_normalization,
    "LRN": local_response_normalization,
    "LayerNormalization": layer_normalization,
    "InstanceNormalization": instance_normalization,
    "GroupNormalization": group_normalization,
}
