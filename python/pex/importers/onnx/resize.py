"""Resize and Upsample of the spatial axes of a 4-D tensor (nearest, linear or cubic).

Each output row (column) reads input rows i0 and i1 with weights 1 - w and w (nearest:
one row; cubic: four rows, each with its weight), computed here from ONNX's coordinate
transformation and rounding modes; the graph's `resize` op carries these index maps.
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


def cubic_taps(transform: str, scale: float, size_in: int, size_out: int, a: float,
               exclude_outside: bool) -> tuple[tuple[tuple, tuple], ...]:
    """Four (indices, weights) taps per output index: rows floor(x) - 1 to floor(x) + 2
    weighted by the cubic convolution kernel with coefficient `a` (ONNX's cubic_coeff_a;
    PyTorch's bicubic: -0.75), indices clamped to the input, or with `exclude_outside`
    rows outside it weighted 0 and the rest renormalised."""
    taps = [([], []) for _ in range(4)]
    for out_index in range(size_out):
        x = source_coordinate(transform, out_index, scale, size_in, size_out)
        base = math.floor(x)
        t = x - base
        weights = [((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
                   ((a + 2) * t - (a + 3)) * t * t + 1,
                   ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
                   ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a]
        rows = [base - 1 + k for k in range(4)]
        if exclude_outside:
            weights = [w if 0 <= row < size_in else 0.0 for w, row in zip(weights, rows)]
            total = sum(weights)
            weights = [w / total for w in weights]
        for (indices, tap_weights), row, w in zip(taps, rows, weights):
            indices.append(min(max(row, 0), size_in - 1))
            tap_weights.append(w)
    return tuple((tuple(indices), tuple(w)) for indices, w in taps)


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
    if mode not in ("nearest", "linear", "bilinear", "cubic"):
        raise ModelError(f"Resize mode {mode} is not supported")
    mode = {"bilinear": "linear"}.get(mode, mode)
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
    if mode != "nearest" and x.quantized:
        x = r.float_activation(node.input[0])
    tensor = r.nhwc(x)
    out_shape = (sizes[0], sizes[2], sizes[3], sizes[1])
    # Before the index maps, whose length is the output's height and width.
    limits.check_shape(f"output '{node.output[0]}'", out_shape,
                       np.dtype(NUMPY_TYPES[tensor.dtype]).itemsize)
    if mode == "cubic":
        a = float(attrs.get("cubic_coeff_a", -0.75))
        exclude = bool(attrs.get("exclude_outside", 0))
        rows = cubic_taps(transform, scales[2], x.shape[2], sizes[2], a, exclude)
        columns = cubic_taps(transform, scales[3], x.shape[3], sizes[3], a, exclude)
    else:
        rows = index_map(mode, nearest_mode, transform, scales[2], x.shape[2], sizes[2])
        columns = index_map(mode, nearest_mode, transform, scales[3], x.shape[3], sizes[3])
    out = r.emit("resize", [tensor], out_shape, like=tensor, name=node.output[0],
                 mode={"linear": "bilinear"}.get(mode, mode), rows=rows, columns=columns)
    r.define(node.output[0], out, TO_NHWC, x.form, x.unsigned)


OPERATORS = {
    "Resize": resize,
    "Upsample": resize,
}
