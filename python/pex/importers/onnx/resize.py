"""Resize and Upsample of the spatial axes of a 4-D tensor (nearest or linear).

Each output row (column) reads input rows i0 and i1 with weights 1 - w and w (nearest:
one row), computed here from ONNX's coordinate transformation and rounding modes; the
graph's `resize` op carries these index maps.
"""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES
from pex.importers import limits
from pex.importers.onnx.layout import TO_NHWC


def _decoded(attrs: dict, name: str, default: str) -> str:
    value = attrs.get(name, default)
    return value.decode() if isinstance(value, bytes) else value


def source_coordinate(mode: str, out_index: int, scale: float, size_in: int,
                      size_out: int) -> float:
    if mode == "half_pixel":
        return (out_index + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (out_index + 0.5) / scale - 0.5 if size_out > 1 else 0.0
    if mode == "align_corners":  # the resized length is the scaled one, not rounded down
        resized = size_in * scale
        return 0.0 if resized == 1 else out_index * (size_in - 1) / (resized - 1)
    if mode == "asymmetric":
        return out_index / scale
    if mode == "tf_half_pixel_for_nn":
        return (out_index + 0.5) / scale
    raise ModelError(f"coordinate_transformation_mode {mode} is not supported")


_NEAREST = {
    "round_prefer_floor": lambda x: math.ceil(x - 0.5),
    "round_prefer_ceil": lambda x: math.floor(x + 0.5),
    "floor": math.floor,
    "ceil": math.ceil,
}


def index_map(mode: str, nearest_mode: str, transform: str, scale: float, size_in: int,
              size_out: int) -> tuple[tuple, tuple, tuple]:
    """(i0, i1, w) per output index: the output is x[i0] (1 - w) + x[i1] w."""
    first, second, weights = [], [], []
    for out_index in range(size_out):
        x = source_coordinate(transform, out_index, scale, size_in, size_out)
        if mode == "nearest":
            index = min(max(_NEAREST[nearest_mode](x), 0), size_in - 1)
            first.append(index)
            second.append(index)
            weights.append(0.0)
        else:
            x = min(max(x, 0.0), size_in - 1)
            low = int(math.floor(x))
            first.append(low)
            second.append(min(low + 1, size_in - 1))
            weights.append(x - low)
    return tuple(first), tuple(second), tuple(weights)


def _scales_and_sizes(r, node, attrs, shape) -> tuple[list[float], list[int]]:
    if node.op_type == "Upsample":
        scales = attrs.get("scales") if r.opset < 9 else r.constant(node.input[1], "scales")
    elif r.opset < 11:
        scales = r.constant(node.input[1], "scales")
    else:
        scales = r.optional_constant(node, 2, "scales")
        if scales is not None and np.size(scales) == 0:
            scales = None
        sizes = r.optional_constant(node, 3, "sizes")
        if scales is None:
            if sizes is None:
                raise ModelError("Resize without scales or sizes")
            sizes = [int(s) for s in np.asarray(sizes).reshape(-1)]
            if len(sizes) != len(shape):
                raise ModelError(f"{len(sizes)} sizes for a tensor of rank {len(shape)}")
            if min(sizes) < 1:
                raise ModelError(f"sizes {sizes} are not all positive")
            return [s / d for s, d in zip(sizes, shape)], sizes
    scales = [float(s) for s in np.asarray(scales).reshape(-1)]
    if len(scales) != len(shape) or not all(0 < s < math.inf for s in scales):
        raise ModelError(f"scales {scales} do not fit a tensor of rank {len(shape)}")
    sizes = [int(math.floor(d * s)) for d, s in zip(shape, scales)]
    if min(sizes) < 1:
        raise ModelError(f"scales {scales} make {list(shape)} empty ({sizes})")
    return scales, sizes


def resize(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    if x.form == "requantized" or not x.quantized:
        x = r.float_activation(node.input[0])
    if x.rank != 4:
        raise ModelError(f"input of rank {x.rank}; only 4-D (NCHW) tensors are resized")
    for unsupported in ("axes", "antialias", "keep_aspect_ratio_policy"):
        if attrs.get(unsupported):
            raise ModelError(f"Resize with {unsupported} is not supported")
    mode = _decoded(attrs, "mode", "nearest")
    if mode not in ("nearest", "linear", "bilinear"):
        raise ModelError(f"Resize mode {mode} is not supported")
    mode = "nearest" if mode == "nearest" else "linear"
    legacy = node.op_type == "Upsample" or r.opset < 11
    transform = "asymmetric" if legacy else _decoded(attrs, "coordinate_transformation_mode",
                                                     "half_pixel")
    nearest_mode = "floor" if legacy else _decoded(attrs, "nearest_mode", "round_prefer_floor")
    if nearest_mode not in _NEAREST:
        raise ModelError(f"nearest_mode {nearest_mode} is not supported")
    scales, sizes = _scales_and_sizes(r, node, attrs, x.shape)
    if sizes[:2] != list(x.shape[:2]):
        raise ModelError(f"Resize of the batch or channel axes (output {sizes}) is not "
                         f"supported")
    if mode == "linear" and x.quantized:
        x = r.float_activation(node.input[0])
    tensor = r.nhwc(x)
    out_shape = (sizes[0], sizes[2], sizes[3], sizes[1])
    # Before the index maps, whose length is the output's height and width.
    limits.check_shape(f"output '{node.output[0]}'", out_shape,
                       np.dtype(NUMPY_TYPES[tensor.dtype]).itemsize)
    rows = index_map(mode, nearest_mode, transform, scales[2], x.shape[2], sizes[2])
    columns = index_map(mode, nearest_mode, transform, scales[3], x.shape[3], sizes[3])
    out = r.emit("resize", [tensor], out_shape, like=tensor, name=node.output[0],
                 mode="nearest" if mode == "nearest" else "bilinear", rows=rows,
                 columns=columns)
    r.define(node.output[0], out, TO_NHWC, x.form, x.unsigned)


OPERATORS = {
    "Resize": resize,
    "Upsample": resize,
}
