"""TFLite Micro's int8 reference kernels for the ops whose arithmetic TOSA cannot spell.

LOGISTIC and LEAKY_RELU are functions of one int8 input, so the importer evaluates these
kernels for all 256 inputs and emits a `tosa.table`: the result is exact by construction.
SOFTMAX depends on a whole row; the importer emits a float formulation and the reference
check uses `softmax_int8` here to measure how far that is from TFLite Micro.
"""

from __future__ import annotations

import math

import numpy as np

from pex import fixedpoint
from pex.quantization import (INT8_MAX, INT8_MIN, multiply_by_quantized_multiplier,
                              quantize_multiplier, rounding_divide_by_pot,
                              saturating_rounding_doubling_high_mul, tflite_round)

ALL_INT8 = np.arange(INT8_MIN, INT8_MAX + 1, dtype=np.int64)


def _input_radius(integer_bits: int, left_shift: int) -> int:
    """CalculateInputRadius with 31 total signed bits."""
    return math.floor(((1 << integer_bits) - 1) * (1 << (31 - integer_bits))
                      / (1 << left_shift))


def logistic_int8(x, input_scale: float, input_zero_point: int):
    """reference_integer_ops::Logistic with LogisticPrepare's parameters (output Q0.8 - 128)."""
    integer_bits = 4
    q, left_shift = math.frexp(input_scale * (1 << (31 - integer_bits)))
    multiplier = int(tflite_round(q * (1 << 31)))
    radius = _input_radius(integer_bits, left_shift)
    x = np.asarray(x, np.int64) - input_zero_point
    input_in_q4 = multiply_by_quantized_multiplier(x, multiplier, left_shift)
    output_in_q0 = fixedpoint.logistic(input_in_q4, integer_bits)
    output = np.clip(rounding_divide_by_pot(output_in_q0, 31 - 8) - 128, INT8_MIN, INT8_MAX)
    output = np.where(x <= -radius, INT8_MIN, np.where(x >= radius, INT8_MAX, output))
    return output.astype(np.int8)


def tanh_int8(x, input_scale: float, input_zero_point: int):
    """reference_integer_ops::Tanh with TanhPrepare's parameters (LogisticPrepare's; output
    Q0.7, zero point 0)."""
    integer_bits = 4
    q, left_shift = math.frexp(input_scale * (1 << (31 - integer_bits)))
    multiplier = int(tflite_round(q * (1 << 31)))
    radius = _input_radius(integer_bits, left_shift)
    x = np.asarray(x, np.int64) - input_zero_point
    input_in_q4 = multiply_by_quantized_multiplier(x, multiplier, left_shift)
    output_in_q0 = fixedpoint.tanh(input_in_q4, integer_bits)
    output = np.clip(rounding_divide_by_pot(output_in_q0, 31 - 7), INT8_MIN, INT8_MAX)
    output = np.where(x <= -radius, INT8_MIN, np.where(x >= radius, INT8_MAX, output))
    return output.astype(np.int8)


def leaky_relu_int8(x, input_scale: float, input_zero_point: int, output_scale: float,
                    output_zero_point: int, alpha: float):
    """reference_ops::QuantizeLeakyRelu with LeakyReluPrepare's float32 multipliers."""
    alpha_multiplier = quantize_multiplier(
        float(np.float32(input_scale) * np.float32(alpha) / np.float32(output_scale)))
    identity_multiplier = quantize_multiplier(
        float(np.float32(input_scale) / np.float32(output_scale)))
    x = np.asarray(x, np.int64) - input_zero_point
    output = np.where(x >= 0, multiply_by_quantized_multiplier(x, *identity_multiplier),
                      multiply_by_quantized_multiplier(x, *alpha_multiplier))
    return np.clip(output + output_zero_point, INT8_MIN, INT8_MAX).astype(np.int8)


def softmax_int8(x, input_scale: float, beta: float):
    """reference_ops::Softmax<int8, int8> over the last axis (output scale 1/256, zp -128)."""
    scaled_diff_integer_bits, accumulation_integer_bits = 5, 12
    real_multiplier = min(beta * input_scale * (1 << (31 - scaled_diff_integer_bits)),
                          (1 << 31) - 1.0)
    multiplier, left_shift = quantize_multiplier(real_multiplier)
    diff_min = -_input_radius(scaled_diff_integer_bits, left_shift)

    x = np.asarray(x, np.int64)
    diff = x - x.max(axis=-1, keepdims=True)
    used = diff >= diff_min
    scaled_diff = saturating_rounding_doubling_high_mul(diff << left_shift, multiplier)
    exp_in_0 = fixedpoint.exp_on_negative_values(scaled_diff, scaled_diff_integer_bits)
    sum_of_exps = np.where(used, fixedpoint.rescale(exp_in_0, 0, accumulation_integer_bits),
                           0).sum(axis=-1, keepdims=True)

    headroom_plus_one = fixedpoint.count_leading_zeros(sum_of_exps)
    num_bits_over_unit = accumulation_integer_bits - headroom_plus_one
    shifted_sum_minus_one = fixedpoint.wrap_int32(
        ((sum_of_exps << headroom_plus_one) & 0xFFFFFFFF) - (1 << 31))
    shifted_scale = fixedpoint.one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one)
    exponent = num_bits_over_unit + 31 - 8
    output = rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul(shifted_scale, exp_in_0), exponent) - 128
    output = np.where(used, np.clip(output, INT8_MIN, INT8_MAX), INT8_MIN)
    return output.astype(np.int8)
