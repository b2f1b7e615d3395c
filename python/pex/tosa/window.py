"""Fitting TFLite's sliding windows to TOSA's exact-division rule."""

from __future__ import annotations

from pex.tosa.builder import FunctionBuilder, Value


def fit_window(b: FunctionBuilder, x: Value, kernel, stride, dilation, pad) -> tuple[Value, tuple]:
    """TOSA requires in - 1 + pad_before + pad_after - (kernel - 1) * dilation to be a
    multiple of the stride; TFLite only needs the windows it reads. The excess is
    trailing padding or trailing rows/columns no window reads: drop the padding first,
    then slice the input."""
    pad = list(pad)
    size = list(x.shape)
    for dim, axis in ((0, 1), (1, 2)):  # height, width of NHWC
        span = size[axis] - 1 + pad[2 * dim] + pad[2 * dim + 1] - (kernel[dim] - 1) * dilation[dim]
        excess = span % stride[dim]
        unused_padding = min(excess, pad[2 * dim + 1])
        pad[2 * dim + 1] -= unused_padding
        size[axis] -= excess - unused_padding
    if size != list(x.shape):
        x = b.slice(x, [0] * len(size), size)
    return x, tuple(pad)
