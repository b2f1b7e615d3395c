"""conv2d, depthwise_conv2d, transpose_conv2d, fully_connected and batch_matmul.

int8 lowers to a TOSA convolution with i32 accumulation, then one rescale (per channel
when the weights are) and the activation clamp, in that order, so the compiler can fuse
the three into one kernel. TFLite's 16x8 form (int16 activations, int8 weights, int64
biases) accumulates in TOSA's i48 and rescales with 16-bit multipliers, which is TFLite
Micro's int64 MultiplyByQuantizedMultiplier. fully_connected reuses conv2d on a [N,1,1,K] view;
transpose_conv2d is TOSA's transpose_conv2d (no zeros inserted, no product by them), or,
when TOSA's out_pad cannot crop the output that much and for 16x8 (upstream MLIR, the
reference, decomposes it into reshapes of i48 tensors, which no TOSA profile allows), a
conv2d over the zero-inserted input with the kernel flipped.
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
from pex.tosa.window import fit_window


def requantize_multipliers(input_: Tensor, weights: Tensor, output: Tensor,
                           float_product: bool = False) -> tuple[list[int], list[int]]:
    """Per-channel (or one) TOSA multiplier and shift for input x weights -> output.

    TFLite computes input_scale * weight_scale / output_scale in double, except the
    per-tensor FULLY_CONNECTED path, which multiplies the two float scales in float
    first (`float_product`).
    """
    multipliers, shifts = [], []
    for weight_scale in weights.quant.scale:
        if float_product:
            product = float(np.float32(input_.scale()) * np.float32(weight_scale))
        else:
            product = input_.scale() * float(weight_scale)
        multiplier, shift = quantize_multiplier(product / output.scale())
        multipliers.append(multiplier)
        shifts.append(tosa_shift(shift))
    return multipliers, shifts


# TOSA's accumulator per input type: int16 x int8 sums in 48 bits.
_ACCUMULATORS = {"i8": "i32", "i16": "i48", "f32": "f32"}


def _bias(b: FunctionBuilder, bias: Tensor | None, channels: int, dtype: str) -> Value:
    if bias is None:
        return b.const(np.zeros(channels), dtype)
    if dtype == "i48":  # TFLite's int64 biases, as TOSA's 48-bit accumulator type
        if np.any(np.abs(bias.data) >= 1 << 47):
            raise ModelError(f"bias '{bias.name}' does not fit the 48-bit accumulator")
        return b.const(bias.data, "i48")
    return b.value(bias)


def reduced_multipliers(multipliers, shifts) -> tuple[list[int], list[int]]:
    """TFLite's int64 MultiplyByQuantizedMultiplier: the Q0.31 multiplier rounded to 16
    bits (saturated at 2^15 - 1), right shift 15 - left shift: TOSA's rescale of an i48
    value (scale32 = false). `shifts` are TOSA right shifts (31 - left shift)."""
    reduced = [(m + (1 << 15)) >> 16 if m < 0x7FFF0000 else (1 << 15) - 1 for m in multipliers]
    return reduced, [s - 16 for s in shifts]


def _convolve(b: FunctionBuilder, name: str, op: Op, x: Value, weights: Tensor, kernel,
              channels: int, out_shape, window: dict, bias: Tensor | None = None) -> Value:
    """The TOSA convolution itself, accumulating in i32 (int8) or f32; `bias` (default:
    the operator's) for a part of its channels."""
    input_ = op.inputs[0]
    acc = _ACCUMULATORS[x.dtype]
    x, pad = fit_window(b, x, kernel, window["stride"], window["dilation"], window["pad"])
    bias = op.inputs[2] if bias is None else bias
    operands = [x, b.value(weights), _bias(b, bias, channels, acc),
                b.scalar(input_.zero_point() if input_.quant else 0, x.dtype),
                b.scalar(0, weights.dtype)]
    attributes = (f"acc_type = {acc}, dilation = {text.i64_array(window['dilation'])}, "
                  f"pad = {text.i64_array(pad)}, stride = {text.i64_array(window['stride'])}")
    return b.op(name, operands, TensorType(tuple(out_shape), acc), attributes)


def _requantize(b: FunctionBuilder, acc: Value, op: Op, weights: Tensor,
                float_product: bool = False, channels: slice = slice(None)) -> Value:
    """Accumulator -> output type, then the fused activation; `channels`: the output
    channels `acc` holds."""
    output = op.output
    if output.dtype == "i32":
        return acc  # the accumulator itself: the importer requantises it (ONNX)
    if acc.dtype == "i32":
        multipliers, shifts = requantize_multipliers(op.inputs[0], weights, output, float_product)
        if len(multipliers) > 1:
            multipliers, shifts = multipliers[channels], shifts[channels]
        acc = b.rescale(acc, multipliers, shifts, 0, output.zero_point(), "i8")
    elif acc.dtype == "i48":
        multipliers, shifts = requantize_multipliers(op.inputs[0], weights, output, float_product)
        acc = b.rescale16(acc, *reduced_multipliers(multipliers, shifts), output.zero_point(),
                          "i16")
    return fused_activation(b, acc, op.attrs["activation"], output)


def _checked_weights(op: Op) -> Tensor:
    weights = op.inputs[1]
    if not weights.is_constant:
        raise ModelError(f"{op.kind} weights '{weights.name}' are not constant")
    if weights.quant is not None and np.any(weights.quant.zero_point != 0):
        raise ModelError(f"{op.kind} weights '{weights.name}' have a non-zero zero point")
    return weights


def is_one_convolution(channels: int, group_in: int, out_channels: int) -> bool:
    """Whether a convolution of `channels` inputs, `group_in` per group, and `out_channels`
    outputs lowers to one operator: one group (tosa.conv2d) or groups whose outputs are as
    wide as their inputs (pex.grouped_conv2d, which partial execution cuts group by group).
    Otherwise it runs as one convolution per group, joined along the channels."""
    groups = channels // group_in
    return groups == 1 or out_channels // groups == group_in


def lower_conv2d(b: FunctionBuilder, op: Op) -> None:
    """TFLite's CONV_2D, grouped when its weights take input channels / groups
    channels (group g's outputs read only its inputs)."""
    weights = _checked_weights(op)
    x = b.value(op.inputs[0])
    group_in = weights.shape[3]
    groups = x.shape[3] // group_in
    if groups > 1 and _ACCUMULATORS[x.dtype] == "i48":
        raise ModelError(f"grouped 16x8 convolution (weights '{weights.name}' of "
                         f"{group_in} input channels) is not supported")
    if not is_one_convolution(x.shape[3], group_in, weights.shape[0]):
        b.bind(op.output, _convolve_per_group(b, op, weights))
        return
    # TOSA's conv2d has no groups: Pex's grouped_conv2d, which partial execution
    # runs group by group.
    kind = "conv2d" if groups == 1 else "pex.grouped_conv2d"
    acc = _convolve(b, kind, op, x, weights, weights.shape[1:3], weights.shape[0],
                    op.output.shape, op.attrs)
    b.bind(op.output, _requantize(b, acc, op, weights))


def _convolve_per_group(b: FunctionBuilder, op: Op, weights: Tensor) -> Value:
    """A grouped convolution whose output groups are not as wide as its input groups
    (which pex.grouped_conv2d leaves to no kernel): one convolution per group of
    input channels, each requantised (its channels' multipliers) and activated, the
    results joined along the channels."""
    x = b.value(op.inputs[0])
    batch, height, width, channels = x.shape
    group_in = weights.shape[3]
    groups = channels // group_in
    group_out = weights.shape[0] // groups
    bias = op.inputs[2]
    parts = []
    for g in range(groups):
        rows = slice(g * group_out, (g + 1) * group_out)
        part_weights = Tensor(f"{weights.name}/group{g}", (group_out,) + weights.shape[1:],
                              weights.dtype, None, weights.data[rows])
        part_bias = None if bias is None else Tensor(
            f"{bias.name}/group{g}", (group_out,), bias.dtype, None, bias.data[rows])
        part_in = b.slice(x, (0, 0, 0, g * group_in), (batch, height, width, group_in))
        acc = _convolve(b, "conv2d", op, part_in, part_weights, weights.shape[1:3],
                        group_out, op.output.shape[:3] + (group_out,), op.attrs, part_bias)
        parts.append(_requantize(b, acc, op, weights, channels=rows))
    return b.op("concat", parts, TensorType(tuple(op.output.shape), parts[0].dtype),
                "axis = 3 : i32")


def lower_depthwise_conv2d(b: FunctionBuilder, op: Op) -> None:
    weights = _checked_weights(op)
    channels = weights.shape[2] * weights.shape[3]
    acc = _convolve(b, "depthwise_conv2d", op, b.value(op.inputs[0]), weights,
                    weights.shape[0:2], channels, op.output.shape, op.attrs)
    b.bind(op.output, _requantize(b, acc, op, weights))


def _insert_zeros(b: FunctionBuilder, x: Value, stride, zero_point: int) -> Value:
    """x [N, H, W, C] with stride - 1 zeros after every row and column: [N, H sh, W sw, C].
    One axis at a time through rank-3 views (tosa-validate's limit on a pad's rank); the
    zeros are the input zero point, which the convolution's input offset cancels."""
    n, height, width, channels = x.shape
    pad_value = b.scalar(zero_point, x.dtype)
    stride_h, stride_w = stride
    if stride_h > 1:
        rows = b.reshape(x, (n * height, 1, width * channels))
        rows = b.op("pad", [rows, b.const_shape([0, 0, 0, stride_h - 1, 0, 0]), pad_value],
                    TensorType((n * height, stride_h, width * channels), x.dtype))
        height *= stride_h
        x = b.reshape(rows, (n, height, width, channels))
    if stride_w > 1:
        columns = b.reshape(x, (n * height * width, 1, channels))
        columns = b.op("pad", [columns, b.const_shape([0, 0, 0, stride_w - 1, 0, 0]),
                               pad_value],
                       TensorType((n * height * width, stride_w, channels), x.dtype))
        x = b.reshape(columns, (n, height, width * stride_w, channels))
    return x


def transpose_conv_out_pad(op: Op) -> list[int] | None:
    """TOSA's out_pad (top, bottom, left, right) of a transpose_conv2d graph op: output row
    o = stride i + k - pad_top, the rows past the output's end cropped; None where it is a
    zero-inserted conv2d instead: TOSA 1.0 cannot express it (a padding of K or more rows
    or columns removed on one side), or it is 16x8 (int16 activations)."""
    x, weights, out = op.inputs[0], op.inputs[1], op.output
    if x.dtype == "i16":
        return None
    out_pad = []
    for axis, before in ((1, op.attrs["pad"][0]), (2, op.attrs["pad"][1])):
        kernel, stride = weights.shape[axis], op.attrs["stride"][axis - 1]
        after = out.shape[axis] - (x.shape[axis] - 1) * stride - kernel + before
        out_pad += [-before, after]
    kernels = (weights.shape[1], weights.shape[1], weights.shape[2], weights.shape[2])
    return out_pad if all(p > -k for p, k in zip(out_pad, kernels)) else None


def lower_transpose_conv2d(b: FunctionBuilder, op: Op) -> None:
    weights = _checked_weights(op)
    out_pad = transpose_conv_out_pad(op)
    if out_pad is None:
        _lower_zero_inserted(b, op, weights)
        return
    input_ = op.inputs[0]
    x = b.value(input_)
    acc_type = _ACCUMULATORS[x.dtype]
    operands = [x, b.value(weights), _bias(b, op.inputs[2], weights.shape[0], acc_type),
                b.scalar(input_.zero_point() if input_.quant else 0, x.dtype),
                b.scalar(0, weights.dtype)]
    attributes = (f"acc_type = {acc_type}, out_pad = {text.i64_array(out_pad)}, "
                  f"stride = {text.i64_array(op.attrs['stride'])}")
    acc = b.op("transpose_conv2d", operands, TensorType(tuple(op.output.shape), acc_type),
               attributes)
    b.bind(op.output, _requantize(b, acc, op, weights))


def _lower_zero_inserted(b: FunctionBuilder, op: Op, weights: Tensor) -> None:
    """Output row o gathers x[i] w[k] over o = stride i - top + k: a stride-1 correlation
    of the zero-inserted input (z[stride i] = x[i]) with the flipped kernel, padded by
    KH - 1 - top before; rows past what the output needs are dropped, missing ones
    padded."""
    input_ = op.inputs[0]
    zero_point = input_.zero_point() if input_.quant else 0
    inserted = _insert_zeros(b, b.value(input_), op.attrs["stride"], zero_point)
    _, kernel_h, kernel_w, _ = weights.shape
    out_shape = op.output.shape
    pad, size = [], list(inserted.shape)
    for axis, kernel, before in ((1, kernel_h, op.attrs["pad"][0]),
                                 (2, kernel_w, op.attrs["pad"][1])):
        leading = kernel - 1 - before
        trailing = out_shape[axis] + kernel - 1 - leading - size[axis]
        if leading < 0:
            raise ModelError(f"padding {before} exceeds the kernel's {kernel} - 1")
        if trailing < 0:
            size[axis] += trailing
            trailing = 0
        pad += [leading, trailing]
    if size != list(inserted.shape):
        inserted = b.slice(inserted, [0, 0, 0, 0], size)
    flipped = Tensor(weights.name, weights.shape, weights.dtype, weights.quant,
                     np.ascontiguousarray(weights.data[:, ::-1, ::-1, :]))
    window = dict(stride=(1, 1), dilation=(1, 1), pad=tuple(pad))
    acc = _convolve(b, "conv2d", op, inserted, flipped, (kernel_h, kernel_w),
                    weights.shape[0], out_shape, window)
    b.bind(op.output, _requantize(b, acc, op, weights))


def lower_batch_matmul(b: FunctionBuilder, op: Op) -> None:
    """tosa.matmul over the flattened batch, [B, M, K] x [B, K, N], accumulating in i32
    (int8, both zero points as operands) or f32; an int8 output rescaled as FULLY_CONNECTED
    with per-tensor weights (float32 scale product), without activation; an i32 output is
    the accumulator (the importer rescales it)."""
    a, right, out = op.inputs[0], op.inputs[1], op.output
    *batch, rows, depth = a.shape
    columns = right.shape[-1]
    count = int(np.prod(batch, dtype=np.int64))
    acc_type = "i32" if a.dtype == "i8" else "f32"
    zero_points = [b.scalar(t.zero_point() if t.quant else 0, t.dtype) for t in (a, right)]
    acc = b.op("matmul", [b.reshape(b.value(a), (count, rows, depth)),
                          b.reshape(b.value(right), (count, depth, columns)), *zero_points],
               TensorType((count, rows, columns), acc_type))
    if acc_type == "i32" and out.dtype == "i8":
        multipliers, shifts = requantize_multipliers(a, right, out, float_product=True)
        acc = b.rescale(acc, multipliers, shifts, 0, out.zero_point(), "i8")
    b.bind(out, b.reshape(acc, out.shape))


def lower_fully_connected(b: FunctionBuilder, op: Op) -> None:
    weights = _checked_weights(op)
    units, depth = weights.shape
    batch = op.inputs[0].num_elements // depth
    as_image = b.reshape(b.value(op.inputs[0]), (batch, 1, 1, depth))
    kernel = Tensor(weights.name, (units, 1, 1, depth), weights.dtype, weights.quant,
                    weights.data.reshape(units, 1, 1, depth))
    window = dict(stride=(1, 1), dilation=(1, 1), pad=(0, 0, 0, 0))
    acc = _convolve(b, "conv2d", op, as_image, kernel, (1, 1), units, (batch, 1, 1, units), window)
    per_tensor = weights.quant is not None and not weights.quant.per_channel
    result = _requantize(b, acc, op, weights, float_product=per_tensor)
    b.bind(op.output, b.reshape(result, op.output.shape))
