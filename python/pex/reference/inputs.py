"""The deterministic inputs the reference figures use."""

from __future__ import annotations

import numpy as np

_INDEX_BOUND = 8


def reference_input(shape, dtype: str, centred: bool = False) -> np.ndarray:
    """int8: byte i = ((i*7+3) % 256) - 128, as /work/shared/models/README.md.
    int16: that byte times 256 plus (i*13+5) % 256.
    f32: ((i*7+3) % 256) / 255, the int8 input dequantised with the usual image
    quantisation (scale 1/255, zero point -128); it reproduces the README's
    vww_96_float figures. `centred` f32: (((i*7+3) % 256) - 128) / 128, the README's
    rule for its other float models. i32 (indices): (i*7+3) % 8."""
    count = int(np.prod(shape))
    pattern = (np.arange(count, dtype=np.int64) * 7 + 3) % 256 - 128
    if dtype == "i8":
        return pattern.astype(np.int8).reshape(shape)
    if dtype == "i16":  # the int8 pattern in the high byte, a second one in the low byte
        return (pattern * 256 + (np.arange(count) * 13 + 5) % 256).astype(np.int16).reshape(shape)
    if dtype == "i32":  # indices (token ids): below 8, in range of any table of 8 rows
        return ((np.arange(count) * 7 + 3) % _INDEX_BOUND).astype(np.int32).reshape(shape)
    if dtype == "f32" and centred:
        return (pattern / 128.0).astype(np.float32).reshape(shape)
    if dtype == "f32":
        return ((pattern + 128) / 255.0).astype(np.float32).reshape(shape)
    raise ValueError(f"no reference input for {dtype}")
