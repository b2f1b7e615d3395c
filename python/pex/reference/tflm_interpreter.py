"""TFLite Micro's int8 reference kernels over a graph: the exact output bytes TFLM computes.

Each kernel follows `tensorflow/lite/kernels/internal/reference/integer_ops` with the
parameters TFLM's Prepare functions derive (QuantizeMultiplier of double scales; the
float32 scale product of FULLY_CONNECTED; ADD's left shift of 20; average pooling's
rounded division; the fixed-point softmax of `pex.tflm_reference`). Integer products are
summed in float64, which is exact for int8 data (every partial sum stays below 2^53), so
the large models run through BLAS. TFLite's 16x8 kernels (int16 activations, int8
weights) sum in int64 as TFLM does and requantise with its int64
MultiplyByQuantizedMultiplier (the multiplier rounded to 16 bits); ADD and SUB shift
int16 inputs left by 15; LOGISTIC and TANH interpolate the sigmoid table (the int8 LSTM's
functions with their Prepare's input multipliers); SOFTMAX is SoftmaxInt16 with its exp
and 1 / (1 + x) tables. The operators TFLite Micro also runs in float
(the convolutions, SUB, DIV, the unary functions, data movement, reductions, RESIZE,
LOG_SOFTMAX, L2_NORMALIZATION) compute in float for float tensors (convolutions sum in
float64, within 1e-4 of TFLM's float32 sums).
"""

from __future__ import annotations

import numpy as np

from pex.graph import NUMPY_TYPES, Graph, Op, Tensor
from pex.fixedpoint import count_leading_sign_bits, reciprocal
from pex.quantization import (INT8_MAX, INT8_MIN, INT16_MAX, INT16_MIN, activation_range,
                              float_activation_range, multiply_by_quantized_multiplier,
                              quantize_multiplier, rounding_divide_by_pot,
                              saturating_rounding_doubling_high_mul, tflite_round, wrap_int32)
from pex.reference.tflm_lstm import logistic_int16, lstm_step, tanh_int16
from pex.reference.tflm_svdf import svdf_step
from pex.reference.tflm_unary import (INT16_TABLES, UNARY_INT8, gelu_f32, gelu_tanh_f32,
                                      inv_sqrt_multiplier)
from pex.tflm_reference import (int16_activation_parameters, log_softmax_int8, logistic_int8,
                                lut_int16, lut_lookup_int16, softmax_int8, softmax_int16)

_ADD_LEFT_SHIFT = 20
_ADD_LEFT_SHIFT_INT16 = 15
_INTEGER_RANGES = {"i8": (INT8_MIN, INT8_MAX), "i16": (INT16_MIN, INT16_MAX)}


def _is_16x8(op: Op) -> bool:
    return op.inputs[0].dtype == "i16"


def _multiply_by_quantized_multiplier_int64(acc: np.ndarray, multiplier: np.ndarray,
                                            shift: np.ndarray) -> np.ndarray:
    """TFLite's MultiplyByQuantizedMultiplier of an int64 accumulator (the 16x8
    convolutions): the Q0.31 multiplier rounded to 16 bits (0x7FFF from 0x7FFF0000 on),
    times the accumulator, plus half, shifted right by 15 - shift, all in int64."""
    reduced = np.where(multiplier < 0x7FFF0000, (multiplier + (1 << 15)) >> 16, 0x7FFF)
    total_shift = 15 - shift
    product = np.asarray(acc, np.int64) * reduced.astype(np.int64)
    return (product + (np.int64(1) << (total_shift - 1))) >> total_shift


def _multipliers(real_multipliers) -> tuple[np.ndarray, np.ndarray]:
    pairs = [quantize_multiplier(float(m)) for m in np.atleast_1d(real_multipliers)]
    return (np.array([m for m, _ in pairs], np.int64), np.array([s for _, s in pairs], np.int64))


def _finish(acc: np.ndarray, real_multipliers, op: Op, wide: bool = False) -> np.ndarray:
    """MultiplyByQuantizedMultiplier per channel (last axis; `wide`: its int64 form),
    output offset, activation."""
    out = op.output
    multiplier, shift = _multipliers(real_multipliers)
    scale = _multiply_by_quantized_multiplier_int64 if wide else multiply_by_quantized_multiplier
    scaled = scale(acc, multiplier, shift) + out.zero_point()
    low, high = activation_range(op.attrs.get("activation", "NONE"), out.scale(),
                                 out.zero_point(), out.dtype)
    return np.clip(scaled, low, high)


def _windows(x: np.ndarray, kernel, stride, dilation, pad, fill) -> np.ndarray:
    """[N, OH, OW, C, KH, KW] views of the input padded with `fill`."""
    top, bottom, left, right = pad
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    span = ((kernel[0] - 1) * dilation[0] + 1, (kernel[1] - 1) * dilation[1] + 1)
    views = np.lib.stride_tricks.sliding_window_view(padded, span, axis=(1, 2))
    return views[:, ::stride[0], ::stride[1], :, ::dilation[0], ::dilation[1]]


def _centred_windows(op: Op, x: np.ndarray, kernel) -> np.ndarray:
    """Windows of x - input zero point (float: x); padding contributes 0, as TFLM skips
    it. 16x8: int64, TFLM's accumulator type."""
    offset = op.inputs[0].zero_point() if x.dtype != np.float32 else 0
    centred = (x - offset).astype(np.int64 if _is_16x8(op) else np.float64)
    return _windows(centred, kernel, op.attrs["stride"], op.attrs["dilation"], op.attrs["pad"],
                    0)


def _per_channel_scales(op: Op) -> np.ndarray:
    """PopulateConvolutionQuantizationParams: input scale * filter scale / output scale,
    in double from the stored float32 scales."""
    weights = op.inputs[1]
    return (op.inputs[0].scale() * weights.quant.scale.astype(np.float64)
            / op.output.scale())


def _accumulator(product: np.ndarray, bias: Tensor | None) -> np.ndarray:
    acc = product if product.dtype == np.int64 else np.rint(product).astype(np.int64)
    return acc + (0 if bias is None else bias.data.astype(np.int64))


def _convolution_result(op: Op, x: np.ndarray, product: np.ndarray) -> np.ndarray:
    """Float: product + bias, the activation; int8: requantised per channel."""
    if x.dtype == np.float32:
        bias = op.inputs[2]
        return _float_activation(op, product if bias is None
                                 else product + bias.data.astype(np.float64))
    return _finish(_accumulator(product, op.inputs[2]), _per_channel_scales(op), op,
                   wide=_is_16x8(op))


def _conv2d(op: Op, x: np.ndarray) -> np.ndarray:
    """reference_ops Conv, grouped when the weights take fewer channels than the input
    has (groups = input depth / filter input depth, each group's outputs summing its own
    inputs)."""
    weights = op.inputs[1]
    views = _centred_windows(op, x, weights.shape[1:3])
    groups = x.shape[3] // weights.shape[3]
    n, h, w, channels, kh, kw = views.shape
    grouped_views = views.reshape(n, h, w, groups, channels // groups, kh, kw)
    grouped_weights = weights.data.astype(views.dtype).reshape(
        groups, weights.shape[0] // groups, *weights.shape[1:])
    product = np.einsum("nhwgckl,goklc->nhwgo", grouped_views, grouped_weights,
                        optimize=True).reshape(n, h, w, weights.shape[0])
    return _convolution_result(op, x, product)


def _depthwise_conv2d(op: Op, x: np.ndarray) -> np.ndarray:
    weights = op.inputs[1]
    kh, kw, channels, multiplier = weights.shape
    views = _centred_windows(op, x, (kh, kw))
    product = np.einsum("nhwckl,klcm->nhwcm", views, weights.data.astype(views.dtype),
                        optimize=True)
    product = product.reshape(product.shape[:3] + (channels * multiplier,))
    return _convolution_result(op, x, product)


def _transpose_conv2d(op: Op, x: np.ndarray) -> np.ndarray:
    """reference_ops / reference_integer_ops TransposeConv: every input pixel scatters
    its products to stride * position - padding + kernel offset; what falls outside the
    output is dropped; then the bias, the per-channel requantisation and the activation."""
    weights, out = op.inputs[1], op.output
    channels_out, kernel_h, kernel_w, _ = weights.shape
    stride_h, stride_w = op.attrs["stride"]
    top, left = op.attrs["pad"]
    batch, height, width, _ = x.shape
    integer = x.dtype != np.float32
    # 16x8: TFLM scatters into an int64 scratch buffer.
    dtype = np.int64 if _is_16x8(op) else np.float64
    source = (x - op.inputs[0].zero_point() if integer else x).astype(dtype)
    full = np.zeros((batch, (height - 1) * stride_h + kernel_h,
                     (width - 1) * stride_w + kernel_w, channels_out), dtype)
    for ky in range(kernel_h):
        for kx in range(kernel_w):
            products = source @ weights.data[:, ky, kx, :].astype(dtype).T
            full[:, ky:ky + (height - 1) * stride_h + 1:stride_h,
                 kx:kx + (width - 1) * stride_w + 1:stride_w] += products
    rows, columns = out.shape[1], out.shape[2]
    full = np.pad(full, ((0, 0), (0, max(top + rows - full.shape[1], 0)),
                         (0, max(left + columns - full.shape[2], 0)), (0, 0)))
    return _convolution_result(op, x, full[:, top:top + rows, left:left + columns])


def _fully_connected(op: Op, x: np.ndarray) -> np.ndarray:
    weights = op.inputs[1]
    if x.dtype == np.float32:
        flat = x.reshape(-1, weights.shape[1])
        total = flat @ weights.data.astype(np.float32).T
        if op.inputs[2] is not None:
            total = total + op.inputs[2].data.astype(np.float32)
        return _float_activation(op, total).reshape(op.output.shape)
    if weights.quant.per_channel:
        raise ValueError("per-channel FULLY_CONNECTED is not modelled")
    dtype = np.int64 if _is_16x8(op) else np.float64
    flat = (x - op.inputs[0].zero_point()).astype(dtype).reshape(-1, weights.shape[1])
    product = flat @ weights.data.astype(dtype).T
    # GetQuantizedConvolutionMultipler: the scale product is taken in float32.
    real = float(np.float32(op.inputs[0].scale()) * np.float32(weights.scale())) \
        / op.output.scale()
    return _finish(_accumulator(product, op.inputs[2]), real, op,
                   wide=_is_16x8(op)).reshape(op.output.shape)


def _batch_matmul(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """reference_ops::BatchMatMul: float, or int8 sums of (a - a_zp) (b - b_zp) scaled by
    GetQuantizedConvolutionMultipler (the float32 product of the input scales), offset,
    saturated (no activation)."""
    left, right = op.inputs
    if a.dtype == np.float32:
        return (a.astype(np.float64) @ b.astype(np.float64)).astype(np.float32)
    total = ((a - left.zero_point()).astype(np.float64)
             @ (b - right.zero_point()).astype(np.float64))
    real = float(np.float32(left.scale()) * np.float32(right.scale())) / op.output.scale()
    return _finish(np.rint(total).astype(np.int64), real, op)


def _add_left_shift(op: Op) -> int:
    """TFLM's CalculateOpDataAdd: int16 outputs shift by 15, int8 by 20."""
    return _ADD_LEFT_SHIFT_INT16 if op.output.dtype == "i16" else _ADD_LEFT_SHIFT


def _add(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    x, y = op.inputs
    if op.output.dtype == "f32":
        return _float_activation(op, a + b)
    twice_max_scale = 2 * max(x.scale(), y.scale())
    terms = []
    for tensor, value in ((x, a), (y, b)):
        shifted = (value - tensor.zero_point()) * (1 << _add_left_shift(op))
        multiplier, shift = quantize_multiplier(tensor.scale() / twice_max_scale)
        terms.append(multiply_by_quantized_multiplier(shifted, multiplier, shift))
    real = twice_max_scale / ((1 << _add_left_shift(op)) * op.output.scale())
    return _finish(terms[0] + terms[1], real, op)


def _mul(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Float, or int8: (a - a_zp)(b - b_zp) scaled by the double a_scale b_scale / out."""
    x, y = op.inputs
    if op.output.dtype == "f32":
        return _float_activation(op, a * b)
    return _finish((a - x.zero_point()) * (b - y.zero_point()),
                   x.scale() * y.scale() / op.output.scale(), op)


def _average_pool(op: Op, x: np.ndarray) -> np.ndarray:
    """Sum over the window inside the input, divided by the count (int8: halves rounded
    away from zero, C's truncating division of acc +- count/2), then the activation."""
    kernel, stride, pad = op.attrs["kernel"], op.attrs["stride"], op.attrs["pad"]
    if x.dtype == np.float32:
        sums = _windows(x.astype(np.float64), kernel, stride, (1, 1), pad, 0.0).sum(axis=(4, 5))
        counts = _windows(np.ones_like(x, np.float64), kernel, stride, (1, 1), pad,
                          0.0).sum(axis=(4, 5))
        return _float_activation(op, sums / counts)
    sums = _windows(x.astype(np.int64), kernel, stride, (1, 1), pad, 0).sum(axis=(4, 5))
    counts = _windows(np.ones_like(x, np.int64), kernel, stride, (1, 1), pad, 0).sum(axis=(4, 5))
    half = counts // 2
    rounded = np.where(sums > 0, (sums + half) // counts, -((half - sums) // counts))
    low, high = activation_range(op.attrs["activation"], op.output.scale(),
                                 op.output.zero_point(), op.output.dtype)
    return np.clip(rounded, low, high)


def _max_pool(op: Op, x: np.ndarray) -> np.ndarray:
    views = _windows(x, op.attrs["kernel"], op.attrs["stride"], (1, 1), op.attrs["pad"],
                     np.iinfo(np.int64).min)
    low, high = activation_range(op.attrs["activation"], op.output.scale(),
                                 op.output.zero_point(), op.output.dtype)
    return np.clip(views.max(axis=(4, 5)), low, high)


def _quantize(op: Op, x: np.ndarray) -> np.ndarray:
    """Float: AffineQuantize, round(x / scale) in float32, halves away from zero, + zero
    point. Integer (between int8 and int16): Requantize, MultiplyByQuantizedMultiplier of
    x - input zero point by the double ratio of the scales, + output zero point; uint8
    bytes (a model's uint8 input or output) take and give their values as uint8. Both
    saturate to the output type."""
    source, out = op.inputs[0], op.output
    low, high = (0, 255) if out.unsigned else _INTEGER_RANGES[out.dtype]
    if source.dtype != "f32":
        multiplier, shift = quantize_multiplier(source.scale() / out.scale())
        scaled = multiply_by_quantized_multiplier(x - source.zero_point(), multiplier, shift)
        return np.clip(scaled + out.zero_point(), low, high)
    ratio = x.astype(np.float32) / np.float32(out.scale())
    return np.clip(tflite_round(ratio).astype(np.int64) + out.zero_point(), low, high)


def _dequantize(op: Op, x: np.ndarray) -> np.ndarray:
    """scale (as double) * (x - zero point), rounded to float32."""
    source = op.inputs[0]
    return (source.scale() * (x - source.zero_point()).astype(np.float64)).astype(np.float32)


def _softmax(op: Op, x: np.ndarray) -> np.ndarray:
    out = op.output
    if x.dtype == np.float32:
        exponentials = np.exp((x - x.max(axis=-1, keepdims=True)) * np.float32(op.attrs["beta"]))
        return (exponentials / exponentials.sum(axis=-1, keepdims=True)).astype(np.float32)
    if out.dtype == "i16":
        return softmax_int16(x, op.inputs[0].scale(), op.attrs["beta"]).astype(np.int64)
    if (out.scale(), out.zero_point()) != (np.float32(1 / 256), -128):
        raise ValueError("TFLM's int8 softmax needs the output quantisation 1/256, -128")
    return softmax_int8(x, op.inputs[0].scale(), op.attrs["beta"]).astype(np.int64)


def _pad(op: Op, x: np.ndarray) -> np.ndarray:
    fill = op.output.zero_point() if op.output.quant is not None else 0
    fill = op.attrs.get("value", fill)
    return np.pad(x, op.attrs["pads"], constant_values=fill)


def _concat(op: Op, *values: np.ndarray) -> np.ndarray:
    out = op.output
    if out.quant is not None and any(t.scale() != out.scale() or t.zero_point()
                                     != out.zero_point() for t in op.inputs):
        raise ValueError("TFLM concatenates int8 inputs quantised like the output only")
    return np.concatenate(values, axis=op.attrs["axis"])


def _sub(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """SUB: ADD's arithmetic with the second term subtracted."""
    x, y = op.inputs
    if op.output.dtype == "f32":
        return _float_activation(op, a - b)
    twice_max_scale = 2 * max(x.scale(), y.scale())
    terms = []
    for tensor, value in ((x, a), (y, b)):
        shifted = (value - tensor.zero_point()) * (1 << _add_left_shift(op))
        multiplier, shift = quantize_multiplier(tensor.scale() / twice_max_scale)
        terms.append(multiply_by_quantized_multiplier(shifted, multiplier, shift))
    real = twice_max_scale / ((1 << _add_left_shift(op)) * op.output.scale())
    return _finish(terms[0] - terms[1], real, op)


def _float_activation(op: Op, value: np.ndarray) -> np.ndarray:
    low, high = float_activation_range(op.attrs.get("activation", "NONE"))
    return np.clip(value, low, high).astype(np.float32)


def _squared_difference(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """reference_integer_ops: inputs widened by 2^7, rescaled to twice the larger scale."""
    x, y = op.inputs
    if op.output.dtype == "f32":
        return ((a - b) * (a - b)).astype(np.float32)
    left_shift = 7
    twice_max_scale = 2 * max(x.scale(), y.scale())
    terms = []
    for tensor, value in ((x, a), (y, b)):
        shifted = (value - tensor.zero_point()) << left_shift
        terms.append(multiply_by_quantized_multiplier(
            shifted, *quantize_multiplier(tensor.scale() / twice_max_scale)))
    square = (terms[0] - terms[1]) ** 2
    real = twice_max_scale * twice_max_scale / ((1 << 2 * left_shift) * op.output.scale())
    return _finish(square, real, op)


def _prelu(op: Op, x: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    if op.output.dtype == "f32":
        return np.where(x >= 0, x, x * alpha).astype(np.float32)
    source, slope, out = op.inputs[0], op.inputs[1], op.output
    centred = x - source.zero_point()
    identity = multiply_by_quantized_multiplier(
        centred, *quantize_multiplier(source.scale() / out.scale()))
    scaled = multiply_by_quantized_multiplier(
        centred * (alpha - slope.zero_point()),
        *quantize_multiplier(source.scale() * slope.scale() / out.scale()))
    return np.clip(np.where(centred >= 0, identity, scaled) + out.zero_point(), INT8_MIN,
                   INT8_MAX)


def _leaky_relu(op: Op, x: np.ndarray) -> np.ndarray:
    """reference_ops::QuantizeLeakyRelu (int8, int16): x - zero point times the identity
    multiplier where it is >= 0, else alpha's (LeakyReluPrepare's float32 scale products),
    plus the output zero point, saturated. Float: x or alpha x."""
    alpha = np.float32(op.attrs["alpha"])
    if x.dtype == np.float32:
        return np.where(x >= 0, x, x * alpha).astype(np.float32)
    source, out = op.inputs[0], op.output
    in_scale, out_scale = np.float32(source.scale()), np.float32(out.scale())
    identity = quantize_multiplier(float(in_scale / out_scale))
    scaled = quantize_multiplier(float(in_scale * alpha / out_scale))
    centred = x - source.zero_point()
    result = np.where(centred >= 0, multiply_by_quantized_multiplier(centred, *identity),
                      multiply_by_quantized_multiplier(centred, *scaled))
    return np.clip(result + out.zero_point(), *_INTEGER_RANGES[out.dtype])


def _mean(op: Op, x: np.ndarray) -> np.ndarray:
    """Float: the mean over the axes. int8 with another quantisation than the input's:
    TFLM's QuantizedMeanOrSum in float32, round(sum / n * (in_scale / out_scale)
    - in_zp * (in_scale / out_scale)) + out_zp, halves away from zero, saturated (see
    docs/importers.md, Quantised arithmetic: pex's integer lowering may differ by 1 LSB).
    TFLM's integer Mean for an unchanged quantisation is not modelled."""
    axes = tuple(op.attrs["axes"])
    if x.dtype == np.float32:
        return np.mean(x, axis=axes).astype(np.float32).reshape(op.output.shape)
    source, out = op.inputs[0], op.output
    if source.zero_point() == out.zero_point() and source.scale() == out.scale():
        raise ValueError("no TFLM reference kernel for int8 mean keeping the quantisation")
    count = np.float32(np.prod([x.shape[axis] for axis in axes]))
    scale = np.float32(source.scale()) / np.float32(out.scale())
    bias = np.float32(-source.zero_point()) * scale
    mean = np.sum(x, axis=axes).astype(np.float32) / count
    result = tflite_round((mean * scale + bias).astype(np.float32)) + out.zero_point()
    return np.clip(result, INT8_MIN, INT8_MAX).astype(np.int64).reshape(out.shape)


def _relu(op: Op, x: np.ndarray) -> np.ndarray:
    """TFLM's activations: float max(x, 0); int8 ReluQuantized, x - input zero point
    rescaled by input / output scale (QuantizeMultiplier of the double ratio), plus the
    output zero point, clamped to [max(-128, output zero point), 127]."""
    if x.dtype == np.float32:
        return np.maximum(x, np.float32(0))
    source, out = op.inputs[0], op.output
    scaled = multiply_by_quantized_multiplier(
        x - source.zero_point(), *quantize_multiplier(source.scale() / out.scale()))
    return np.clip(scaled + out.zero_point(), max(INT8_MIN, out.zero_point()), INT8_MAX)


def _relu_n1_to_1(op: Op, x: np.ndarray) -> np.ndarray:
    """TFLite's Relu1: float clamp to [-1, 1]; int8 QuantizedReluX(-1, 1), x - input zero
    point rescaled by input / output scale, plus the output zero point, clamped to -1 and
    1 quantised with the output's parameters (rounded halves away from zero), within
    int8."""
    if x.dtype == np.float32:
        return np.clip(x, np.float32(-1), np.float32(1))
    source, out = op.inputs[0], op.output
    scaled = multiply_by_quantized_multiplier(
        x - source.zero_point(), *quantize_multiplier(source.scale() / out.scale()))
    low = out.zero_point() + int(tflite_round(np.float32(-1) / np.float32(out.scale())))
    high = out.zero_point() + int(tflite_round(np.float32(1) / np.float32(out.scale())))
    return np.clip(scaled + out.zero_point(), max(INT8_MIN, low), min(INT8_MAX, high))


def _relu6(op: Op, x: np.ndarray) -> np.ndarray:
    """TFLM's activations: float clamp to [0, 6]; int8 Relu6Quantized, the stored value
    clamped to [input zero point, 6 quantised with the input's parameters]
    (FloatToQuantizedType: float32 division, rounded halves away from zero, saturated);
    TFLM reads no output quantisation."""
    if x.dtype == np.float32:
        return np.clip(x, np.float32(0), np.float32(6))
    source = op.inputs[0]
    six = source.zero_point() + int(tflite_round(np.float32(6) / np.float32(source.scale())))
    return np.clip(x, source.zero_point(), min(INT8_MAX, max(INT8_MIN, six)))


def _hard_swish_f32(x):
    return x * np.minimum(np.float32(6), np.maximum(np.float32(0), x + np.float32(3))) \
        / np.float32(6)


_FLOAT_FUNCTIONS = {"hard_swish": _hard_swish_f32, "abs": np.abs, "neg": np.negative,
                    "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
                    "rsqrt": lambda x: np.float32(1) / np.sqrt(x), "tanh": np.tanh,
                    "elu": lambda x: np.where(x < 0, np.expm1(x), x), "square": np.square,
                    "floor": np.floor, "ceil": np.ceil, "round": np.round, "sin": np.sin,
                    "cos": np.cos, "gelu": gelu_f32, "gelu_tanh": gelu_tanh_f32}


def _unary_function(op: Op, x: np.ndarray) -> np.ndarray:
    """Float, int8 (`tflm_unary`), int16 TANH (reference_integer_ops::Tanh with
    TanhPrepare's input multiplier and shift)."""
    source, out = op.inputs[0], op.output
    if source.dtype == "f32":
        return _FLOAT_FUNCTIONS[op.kind](x.astype(np.float32)).astype(np.float32)
    if source.dtype == "i16" and op.kind == "tanh":
        return tanh_int16(x, *int16_activation_parameters(source.scale(), tanh=True))
    if source.dtype == "i16":  # GELU: LUTPopulate<int16_t>, LUTLookup
        lut = lut_int16(INT16_TABLES[op.kind], source.scale(), source.zero_point(),
                        out.scale(), out.zero_point())
        return lut_lookup_int16(x, lut)
    return UNARY_INT8[op.kind](x, source.scale(), source.zero_point(), out.scale(),
                               out.zero_point()).astype(np.int64)


def _cast(op: Op, x: np.ndarray) -> np.ndarray:
    dtype = NUMPY_TYPES[op.output.dtype]
    return x.astype(dtype).astype(np.float32 if op.output.dtype == "f32" else np.int64)


def _reduce(function):
    def kernel(op: Op, x: np.ndarray) -> np.ndarray:
        return function(x, axis=tuple(op.attrs["axes"]), keepdims=True).reshape(
            op.output.shape)
    return kernel


def _reduce_sum(op: Op, x: np.ndarray) -> np.ndarray:
    source = op.inputs[0]
    if source.dtype == "f32":
        return _reduce(np.sum)(op, x).astype(np.float32)
    total = _reduce(np.sum)(op, x - source.zero_point())
    return _finish(total, source.scale() / op.output.scale(), op)


def _gather(op: Op, x: np.ndarray) -> np.ndarray:
    return np.take(x, op.attrs["indices"], axis=op.attrs["axis"])


def _gather_indexed(op: Op, x: np.ndarray, indices: np.ndarray) -> np.ndarray:
    # TFLite Micro's GATHER fails on an index out of range; the inputs keep within it.
    return np.take(x, indices, axis=op.attrs["axis"])


def _slice(op: Op, x: np.ndarray) -> np.ndarray:
    return x[tuple(slice(b, b + n) for b, n in zip(op.attrs["begin"], op.attrs["size"]))]


def _resize(op: Op, x: np.ndarray) -> np.ndarray:
    """TFLite Micro's kernels over the importer's index maps: the nearest rows and
    columns, or the four-term bilinear sum (float, or int8 with 10-bit weights rounded
    by 2^20 halves away from zero)."""
    (y0, y1, wy), (x0, x1, wx) = op.attrs["rows"], op.attrs["columns"]
    if op.attrs["mode"] == "nearest":
        return x[:, list(y0)][:, :, list(x0)]
    rows = [np.asarray(i) for i in (y0, y1)]
    columns = [np.asarray(i) for i in (x0, x1)]
    if x.dtype == np.int64:
        one = 1 << 10
        wy = np.asarray(wy, np.int64)[None, :, None, None]
        wx = np.asarray(wx, np.int64)[None, None, :, None]
    else:
        one = np.float32(1)
        wy = np.asarray(wy, np.float32)[None, :, None, None]
        wx = np.asarray(wx, np.float32)[None, None, :, None]
    total = (x[:, rows[0]][:, :, columns[0]] * (one - wy) * (one - wx)
             + x[:, rows[1]][:, :, columns[0]] * wy * (one - wx)
             + x[:, rows[0]][:, :, columns[1]] * (one - wy) * wx
             + x[:, rows[1]][:, :, columns[1]] * wy * wx)
    if x.dtype != np.int64:
        return total.astype(np.float32)
    rounded = (np.abs(total) + (1 << 19)) >> 20
    return np.where(total < 0, -rounded, rounded)


def _arg(function):
    def kernel(op: Op, x: np.ndarray) -> np.ndarray:
        return function(x, axis=op.attrs["axis"]).astype(np.int64)
    return kernel


def _log_softmax(op: Op, x: np.ndarray) -> np.ndarray:
    """int8: reference_integer_ops::LogSoftmax (pex.tflm_reference)."""
    if op.output.dtype == "i8":
        return log_softmax_int8(x, op.inputs[0].scale()).astype(np.int64)
    shifted = x - x.max(axis=-1, keepdims=True)
    return (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))).astype(np.float32)


def _l2_normalization(op: Op, x: np.ndarray) -> np.ndarray:
    """int8: reference_integer_ops::L2Normalization. Per row, the sum of the squared
    centred values gives GetInvSqrtQuantizedMultiplierExp's multiplier and shift; each
    centred value is multiplied by it with 7 more bits of left shift (output scale 1/128,
    zero point 0), saturated to int8."""
    if x.dtype != np.float32:
        centred = x.astype(np.int64) - op.inputs[0].zero_point()
        rows = centred.reshape(-1, centred.shape[-1])
        out = np.empty_like(rows)
        for index, row in enumerate(rows):
            multiplier, shift = inv_sqrt_multiplier(int((row * row).sum()))
            out[index] = multiply_by_quantized_multiplier(row, multiplier, shift + 7)
        return np.clip(out, INT8_MIN, INT8_MAX).reshape(x.shape)
    norm = np.maximum(np.sqrt((x * x).sum(axis=-1, keepdims=True)), np.float32(1e-6))
    return (x / norm).astype(np.float32)


def _maximum_or_minimum(function):
    def kernel(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return function(a, b)  # int8: the stored values, as TFLite Micro compares them
    return kernel


def _logistic(op: Op, x: np.ndarray) -> np.ndarray:
    """int8: TFLM's integer kernel (pex.tflm_reference, which also builds the importer's
    table, so this checks the table's use; its values are checked against Arm NN by
    run/logistic-int8.test); its output is always 1/256, -128. int16:
    reference_integer_ops::Logistic with LogisticPrepare's input multiplier and shift."""
    source = op.inputs[0]
    if source.dtype == "i16":
        return logistic_int16(x, *int16_activation_parameters(source.scale(), tanh=False))
    if x.dtype != np.float32:
        return logistic_int8(x, source.scale(), source.zero_point()).astype(
            np.int64)
    return (1 / (1 + np.exp(-x))).astype(np.float32)


def _compare(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """reference_ops comparisons; int8 ComparisonWithScaling: (x - zp) << 8 scaled by
    QuantizeMultiplierSmallerThanOneExp(scale) per operand."""
    if a.dtype != np.float32:
        a, b = (multiply_by_quantized_multiplier((v - t.zero_point()) << 8,
                                                 *quantize_multiplier(t.scale()))
                for v, t in ((a, op.inputs[0]), (b, op.inputs[1])))
    return _PREDICATES[op.attrs["predicate"]](a, b)


_PREDICATES = {"equal": np.equal, "not_equal": np.not_equal, "greater": np.greater,
               "greater_equal": np.greater_equal}


def _div(op: Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """int8: reference_ops::DivElementwise. The divisor's reciprocal (GetReciprocal) times
    the dividend shifted left by its headroom, then the multiplier of Prepare's float
    input1_scale / (input2_scale * output_scale) and a rounding shift by the sum of the
    shifts. gemmlowp asserts that shift is at most 31; larger ones are rounded here as
    written (to 0: the value is below half an LSB). TFLM's kernel assumes a nonzero
    divisor; here a zero one gives the output zero point."""
    if op.output.dtype == "f32":
        return _float_activation(op, a / b)
    x, y, out = op.inputs[0], op.inputs[1], op.output
    multiplier, shift = quantize_multiplier(float(
        np.float32(x.scale()) / (np.float32(y.scale()) * np.float32(out.scale()))))
    dividend, divisor = np.broadcast_arrays(a.astype(np.int64) - x.zero_point(),
                                            b.astype(np.int64) - y.zero_point())
    dividend = np.where(divisor < 0, -dividend, dividend)
    divisor = np.abs(divisor)
    inverse, reciprocal_shift = reciprocal(np.maximum(divisor, 1), 31)
    headroom = count_leading_sign_bits(dividend)
    unscaled = saturating_rounding_doubling_high_mul(wrap_int32(dividend << headroom), inverse)
    right_shift = headroom + reciprocal_shift - shift
    if np.any(right_shift < 0):
        raise ValueError("DIV's multiplier needs a left shift (TFLM divides by a power of two)")
    scaled = saturating_rounding_doubling_high_mul(unscaled, multiplier)
    quotient = np.where(right_shift > 31, 0,
                        rounding_divide_by_pot(scaled, np.minimum(right_shift, 31)))
    low, high = activation_range(op.attrs["activation"], out.scale(), out.zero_point())
    return np.clip(np.where(divisor == 0, 0, quotient) + out.zero_point(), low, high)


_KERNELS = {
    "conv2d": _conv2d,
    "depthwise_conv2d": _depthwise_conv2d,
    "fully_connected": _fully_connected,
    "transpose_conv2d": _transpose_conv2d,
    "batch_matmul": _batch_matmul,
    "add": _add,
    "mul": _mul,
    "avg_pool2d": _average_pool,
    "max_pool2d": _max_pool,
    "quantize": _quantize,
    "dequantize": _dequantize,
    "softmax": _softmax,
    "pad": _pad,
    "concat": _concat,
    "reshape": lambda op, x: x.reshape(op.output.shape),
    "transpose": lambda op, x: x.transpose(op.attrs["perm"]),
    "sub": _sub,
    "div": _div,
    "maximum": _maximum_or_minimum(np.maximum),
    "minimum": _maximum_or_minimum(np.minimum),
    "squared_difference": _squared_difference,
    "prelu": _prelu,
    "cast": _cast,
    "reduce_max": _reduce(np.max),
    "reduce_min": _reduce(np.min),
    "reduce_sum": _reduce_sum,
    "argmax": _arg(np.argmax),
    "argmin": _arg(np.argmin),
    "gather": _gather,
    "gather_indexed": _gather_indexed,
    "slice": _slice,
    "resize": _resize,
    "log_softmax": _log_softmax,
    "l2_normalization": _l2_normalization,
    "logistic": _logistic,
    "leaky_relu": _leaky_relu,
    "relu": _relu,
    "mean": _mean,
    "relu6": _relu6,
    "relu_n1_to_1": _relu_n1_to_1,
    "compare": _compare,
    "logical_and": lambda op, a, b: np.logical_and(a, b),
    "logical_or": lambda op, a, b: np.logical_or(a, b),
    "logical_not": lambda op, x: np.logical_not(x),
    "select": lambda op, condition, x, y: np.where(condition, x, y),
    **{kind: _unary_function for kind in UNARY_INT8},
}

_VALUE_INPUTS = {"conv2d": 1, "depthwise_conv2d": 1, "fully_connected": 1,
                 "transpose_conv2d": 1, "svdf": 1, "lstm": 1}


# Kernels of operators with variable tensors, which TFLite Micro keeps from one invocation
# to the next: kernel(op, x, previous state or None) -> (output, new state).
_STATEFUL_KERNELS = {"svdf": svdf_step, "lstm": lstm_step}


def run(graph: Graph, inputs: list[np.ndarray],
        state: dict[int, np.ndarray] | None = None) -> list[np.ndarray]:
    """The graph's outputs (arrays of their element types) for its inputs, as TFLM
    computes them. `state` holds the variable tensors between invocations (by operator
    index; resource variables by name; updated): pass the same dict to each invocation
    of a stream; None (or an empty dict) is the state after ResetVariableTensors (and
    before the CALL_ONCE initialisation)."""
    state = {} if state is None else state
    # int8 values are held as int64, so offsets and sums cannot wrap.
    def held(tensor: Tensor, value) -> np.ndarray:
        return np.asarray(value, np.float32 if tensor.dtype == "f32" else np.int64)

    values: dict[Tensor, np.ndarray] = {t: held(t, v) for t, v in zip(graph.inputs, inputs)}
    for index, op in enumerate(graph.ops):
        # Resource variables (READ_VARIABLE, ASSIGN_VARIABLE), by name, from the value
        # the CALL_ONCE initialisation assigns.
        if op.kind == "read_state":
            values[op.output] = held(op.output, state.get(op.attrs["state"],
                                                          op.attrs["initial"]))
            continue
        if op.kind == "write_state":
            state[op.attrs["state"]] = values[op.inputs[0]]
            continue
        if op.kind not in _KERNELS and op.kind not in _STATEFUL_KERNELS:
            raise ValueError(f"no TFLM reference kernel for {op.kind}")
        arguments = op.inputs[:_VALUE_INPUTS.get(op.kind, len(op.inputs))]
        operands = [values[t] if t in values else held(t, t.data) for t in arguments]
        if op.kind in _STATEFUL_KERNELS:
            values[op.output], state[index] = _STATEFUL_KERNELS[op.kind](
                op, *operands, state.get(index))
        else:
            values[op.output] = _KERNELS[op.kind](op, *operands)
    return [values[t].astype(t.numpy_type) for t in graph.outputs]


def main(argv: list[str] | None = None) -> int:
    """python3 -m pex.reference.tflm_interpreter MODEL INPUT OUTPUT: TFLite Micro's output
    bytes for raw input bytes (the model read by pex's TFLite reader; several inputs and
    outputs one after another). An INPUT of k inputs back to back is k invocations, one
    after the other from one reset, each continuing from the variable tensors the
    previous left, as pexc's --run does (--reset: each from the initial state,
    pex_NAME_reset_state()'s: variable tensors reset, resource variables at the value the
    CALL_ONCE initialisation assigns); OUTPUT gets the k outputs back to back."""
    import argparse
    import sys

    from pex.errors import ModelError
    from pex.importers import load_graph

    parser = argparse.ArgumentParser(prog="pex-tflm-reference", description=main.__doc__)
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--reset", action="store_true",
                        help="each invocation from the initial state")
    args = parser.parse_args(argv)
    try:
        graph = load_graph(args.model)
        data = open(args.input, "rb").read()
        # Several inputs: each one's bytes after the other's, as pexc's --run reads them.
        sizes = [int(np.prod(t.shape)) * np.dtype(NUMPY_TYPES[t.dtype]).itemsize
                 for t in graph.inputs]
        if not data or len(data) % sum(sizes):
            raise ValueError(f"{args.input} does not hold whole inputs of {sum(sizes)} bytes")
        state: dict[int, np.ndarray] = {}
        with open(args.output, "wb") as file:
            for start in range(0, len(data), sum(sizes)):
                records = []
                for tensor, size in zip(graph.inputs, sizes):
                    records.append(np.frombuffer(data[start:start + size],
                                                 tensor.numpy_type).reshape(tensor.shape))
                    start += size
                if args.reset:
                    state.clear()
                file.write(b"".join(o.tobytes() for o in run(graph, records, state)))
    except (ModelError, OSError, ValueError) as error:
        print(f"pex-tflm-reference: error: {args.model}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
