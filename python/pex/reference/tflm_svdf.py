"""TFLite Micro's SVDF reference kernels (`svdf_common.cc`), written from their arithmetic:
the state buffer [N, F, M] (a variable tensor, kept from one invocation to the next, reset
to the state's zero point) shifts one element to the left, the feature projection is
written into each filter's last column, then come the time filter, the bias and the sum
over the rank.

Integer: the projection sum(w * (x - x_zp)) is MultiplyByQuantizedMultiplier'd by
float32(float32(x_scale * wf_scale) / state_scale), offset by the state's zero point and
saturated to the state's type (int16 or int8); the time filter accumulates
wt * (state - state_zp) in int32; the bias starts each unit's sum; the output is
MultiplyByQuantizedMultiplier'd by float32(float32(state_scale * wt_scale) / out_scale),
offset and saturated to int8, with no fused activation (the integer kernel applies none).
Float: the same steps in float32, then the fused activation.
"""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.quantization import (INT8_MAX, INT8_MIN, float_activation_range,
                              multiply_by_quantized_multiplier, quantize_multiplier, wrap_int32)


def _scale(a: float, b: float, c: float) -> tuple[int, int]:
    """QuantizeMultiplier of the ratio TFLM's PrepareSvdf computes in float32."""
    return quantize_multiplier(float(np.float32(np.float32(a) * np.float32(b)) / np.float32(c)))


def _state_after_shift(batch: int, filters: int, memory: int, reset_value,
                       newest: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """The state after the invocation's left shift of `previous` (None: the reset state,
    every entry the reset value), each filter's last column then overwritten by `newest`
    [N, F]."""
    state = np.full((batch, filters, memory), reset_value, newest.dtype)
    if previous is not None:
        state[:, :, :memory - 1] = previous[:, :, 1:]
    state[:, :, memory - 1] = newest
    return state


def svdf(op: Op, x: np.ndarray) -> np.ndarray:
    """One invocation from the reset state."""
    return svdf_step(op, x, None)[0]


def svdf_step(op: Op, x: np.ndarray,
              previous: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One invocation continuing from the state `previous` [N, F, M] left by the one
    before (None: after ResetVariableTensors): (the output, the state it leaves)."""
    _, weights_feature, weights_time, bias = op.inputs
    rank = op.attrs["rank"]
    batch = x.shape[0]
    filters, memory = weights_time.shape
    units = filters // rank
    if x.dtype == np.float32:
        projection = (x.astype(np.float32) @ weights_feature.data.T.astype(np.float32))
        state = _state_after_shift(batch, filters, memory, np.float32(0), projection,
                                   previous)
        filtered = (state * weights_time.data[None]).sum(axis=2, dtype=np.float32)
        start = (bias.data.astype(np.float32) if bias is not None
                 else np.zeros(units, np.float32))
        total = start[None] + filtered.reshape(batch, units, rank).sum(axis=2, dtype=np.float32)
        low, high = float_activation_range(op.attrs["activation"])
        return np.clip(total, low, high).astype(np.float32), state
    source = op.inputs[0]
    state_quant = op.attrs["state_quant"]
    state_scale, state_zp = float(state_quant.scale[0]), int(state_quant.zero_point[0])
    state_info = np.iinfo(np.int16 if op.attrs["state_dtype"] == "i16" else np.int8)
    dot = (x.astype(np.int64) - source.zero_point()) @ weights_feature.data.T.astype(np.int64)
    multiplier, shift = _scale(source.scale(), weights_feature.scale(), state_scale)
    newest = np.clip(multiply_by_quantized_multiplier(wrap_int32(dot), multiplier, shift)
                     + state_zp, state_info.min, state_info.max)
    state = _state_after_shift(batch, filters, memory, state_zp, newest, previous)
    filtered = wrap_int32(((state - state_zp) * weights_time.data[None].astype(np.int64))
                          .sum(axis=2))
    start = bias.data.astype(np.int64) if bias is not None else np.zeros(units, np.int64)
    total = wrap_int32(start[None] + filtered.reshape(batch, units, rank).sum(axis=2))
    out = op.output
    multiplier, shift = _scale(state_scale, weights_time.scale(), out.scale())
    scaled = multiply_by_quantized_multiplier(total, multiplier, shift) + out.zero_point()
    return np.clip(scaled, INT8_MIN, INT8_MAX), state
