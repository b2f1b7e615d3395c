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


# TFLite's sigmoid_table_uint16 (kernels/internal/common.h, also CMSIS-NN's): sigmoid(i / 24)
# in unsigned Q0.16 for i = 0 ... 255, saturated to 65535. The int16 Logistic and Tanh
# kernels interpolate it linearly (tanh(x) = 2 sigmoid(2x) - 1); the entries are TFLite's
# own, not recomputed, since 44 of them differ by one from rounding the formula.
SIGMOID_TABLE_UINT16 = np.array([
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535,
], np.int64)


def tanh_parameters(cell_state_scale_power: int) -> tuple[int, int]:
    """lstm_internal::Tanh's (input_multiplier, input_left_shift) for a state of scale
    2^power (-12: the cell gate's Q3.12)."""
    left_shift = 15 + cell_state_scale_power - 3
    if left_shift < 0:
        return 3, -left_shift
    return 0, left_shift


def cell_state_scale_power(scale: float) -> int:
    """CheckedLog2's exponent (log2 in float32, rounded half away from zero)."""
    log2 = np.log(np.float32(scale)) * (np.float32(1) / np.log(np.float32(2)))
    return int(np.sign(log2) * np.floor(np.abs(log2) + np.float32(0.5)))


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
