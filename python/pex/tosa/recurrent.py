"""svdf: TFLite's SVDF (one invocation from the reset state) as plain TOSA.

The state [N, F, M] is an arena tensor like any other: the reset state shifted one step
(a constant of M - 1 columns) with the feature projection of the input as its newest
column. int8 follows TFLite Micro's integer kernel: the projection accumulates in int32,
is rescaled to the state's type (int16 or int8) with its zero point and saturated; the
time filter multiplies the centred state by the time weights in int32; the bias and the
rank reduction are int32 sums; one rescale gives the int8 output.
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Op, Tensor
from pex.quantization import quantize_multiplier, tosa_shift
from pex.tosa import text
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType

# Rescaling by 2^30 / 2^30 widens exactly (TOSA rescale has no plain "subtract zp").
_UNIT_MULTIPLIER, _UNIT_SHIFT = 1 << 30, 30


def _effective_scale(a: float, b: float, c: float) -> tuple[int, int]:
    """TFLite Micro's a * b / c in float32, quantised as a TOSA multiplier and shift."""
    real = float(np.float32(np.float32(a) * np.float32(b)) / np.float32(c))
    multiplier, shift = quantize_multiplier(real)
    try:
        return multiplier, tosa_shift(shift)
    except ValueError as error:
        raise ModelError(f"scale {real:g}: {error}") from None


def _feature_projection(b: FunctionBuilder, x: Tensor, weights: Tensor) -> Value:
    """x [N, K] times weights [F, K]^T as a 1x1 convolution: [N, 1, 1, F], accumulated in
    int32 (int8) or float."""
    batch, depth = x.shape
    filters = weights.shape[0]
    acc = "i32" if x.dtype == "i8" else "f32"
    kernel = b.const(weights.data.reshape(filters, 1, 1, depth), weights.dtype)
    zero_point = x.zero_point() if x.quant is not None else 0
    operands = [b.reshape(b.value(x), (batch, 1, 1, depth)), kernel,
                b.const(np.zeros(filters), acc), b.scalar(zero_point, x.dtype),
                b.scalar(0, weights.dtype)]
    attributes = (f"acc_type = {acc}, dilation = {text.i64_array((1, 1))}, "
                  f"pad = {text.i64_array((0, 0, 0, 0))}, stride = {text.i64_array((1, 1))}")
    return b.op("conv2d", operands, TensorType((batch, 1, 1, filters), acc), attributes)


def _shifted_state(b: FunctionBuilder, newest: Value, memory: int, reset_value) -> Value:
    """The reset state [N, F, M] after one shift, `newest` [N, F, 1] its last column."""
    if memory == 1:
        return newest
    batch, filters, _ = newest.shape
    older = b.const(np.full((batch, filters, memory - 1), reset_value), newest.dtype)
    return b.op("concat", [older, newest], TensorType((batch, filters, memory), newest.dtype),
                "axis = 2 : i32")


def _unit_sums(b: FunctionBuilder, state: Value, weights_time: Tensor, rank: int) -> Value:
    """sum over memory and rank of state * weights_time: [N, U] (int32 or float)."""
    batch, filters, memory = state.shape
    weights = b.const(weights_time.data.reshape(1, filters, memory), state.dtype)
    filtered = b.reduce("reduce_sum", b.mul(state, weights, state.shape), 2)
    per_unit = b.reshape(filtered, (batch, filters // rank, rank))
    return b.reshape(b.reduce("reduce_sum", per_unit, 2), (batch, filters // rank))


def _with_bias(b: FunctionBuilder, sums: Value, bias: Tensor | None) -> Value:
    if bias is None:
        return sums
    return b.elementwise("add", sums, b.const(bias.data.reshape(1, -1), sums.dtype), sums.shape)


def lower_svdf(b: FunctionBuilder, op: Op) -> None:
    x, weights_feature, weights_time, bias = op.inputs
    out, rank = op.output, op.attrs["rank"]
    batch, filters, memory = x.shape[0], weights_feature.shape[0], weights_time.shape[1]
    projection = _feature_projection(b, x, weights_feature)
    if x.dtype == "f32":
        state = _shifted_state(b, b.reshape(projection, (batch, filters, 1)), memory, 0.0)
        sums = _with_bias(b, _unit_sums(b, state, weights_time, rank), bias)
        b.bind(out, fused_activation(b, sums, op.attrs["activation"], out))
        return
    state_quant, state_dtype = op.attrs["state_quant"], op.attrs["state_dtype"]
    state_scale = float(state_quant.scale[0])
    state_zp = int(state_quant.zero_point[0])
    multiplier, shift = _effective_scale(x.scale(), weights_feature.scale(), state_scale)
    newest = b.rescale(projection, multiplier, shift, 0, state_zp, state_dtype)
    state = _shifted_state(b, b.reshape(newest, (batch, filters, 1)), memory, state_zp)
    centred = b.rescale(state, _UNIT_MULTIPLIER, _UNIT_SHIFT, state_zp, 0, "i32")
    sums = _with_bias(b, _unit_sums(b, centred, weights_time, rank), bias)
    multiplier, shift = _effective_scale(state_scale, weights_time.scale(), out.scale())
    b.bind(out, b.rescale(sums, multiplier, shift, 0, out.zero_point(), "i8"))
