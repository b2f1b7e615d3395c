"""TFLite's RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR as the graph's index maps: per
output row (column) the input indices i0, i1 and the weight w of x[i0] (1 - w) + x[i1] w,
computed as TFLite Micro's kernels compute them (float32 scales, or 10-bit fixed point
for int8 bilinear, where w counts 1/1024ths)."""

from __future__ import annotations

import numpy as np


def _scale(in_size: int, out_size: int, align_corners: bool) -> np.float32:
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def nearest(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool):
    """GetNearestNeighbor: floor (or, aligning corners, round) of the scaled position."""
    scale = _scale(in_size, out_size, align_corners)
    offset = np.float32(0.5 if half_pixel_centers else 0.0)
    indices = []
    for position in range(out_size):
        scaled = (np.float32(position) + offset) * scale
        index = int(np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))) \
            if align_corners else int(np.floor(scaled))
        index = min(index, in_size - 1)
        indices.append(max(index, 0) if half_pixel_centers else index)
    return tuple(indices), tuple(indices), (0.0,) * out_size


def bilinear(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool):
    """ComputeInterpolationValues in float32."""
    scale = _scale(in_size, out_size, align_corners)
    low, high, weights = [], [], []
    for position in range(out_size):
        if half_pixel_centers:
            scaled = (np.float32(position) + np.float32(0.5)) * scale - np.float32(0.5)
        else:
            scaled = np.float32(position) * scale
        i0 = max(int(np.floor(scaled)), 0)
        low.append(i0)
        high.append(min(int(np.ceil(scaled)), in_size - 1))
        weights.append(float(np.float32(scaled - np.float32(i0))))
    return tuple(low), tuple(high), tuple(weights)


def _truncating_division(a: int, b: int) -> int:
    return -(-a // b) if a < 0 else a // b


def bilinear_int8(in_size: int, out_size: int, align_corners: bool, half_pixel_centers: bool):
    """ComputeInterpolationValuesInteger: the scale and positions in 1/1024ths."""
    one = 1 << 10
    if align_corners and out_size > 1:
        scale = (one * (in_size - 1) + (out_size - 1) // 2) // (out_size - 1)
    else:
        scale = (one * in_size + out_size // 2) // out_size
    low, high, weights = [], [], []
    for position in range(out_size):
        scaled = position * scale + (scale // 2 - (1 << 9) if half_pixel_centers else 0)
        i0 = max(_truncating_division(scaled, one), 0)
        low.append(i0)
        high.append(min(_truncating_division(scaled + one - 1, one), in_size - 1))
        weights.append(scaled - one * i0)
    return tuple(low), tuple(high), tuple(weights)
