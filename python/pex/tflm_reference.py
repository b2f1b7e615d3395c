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
from pex.quantization import (INT8_MAX, INT8_MIN, INT16_MAX, INT16_MIN,
                              multiply_by_quantized_multiplier,
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


def checked_log2(scale: float) -> tuple[int, bool]:
    """CheckedLog2: (log2 in float32 rounded half away from zero, whether the scale is
    that power of two within 1e-3 of its exponent)."""
    log2 = np.log(np.float32(scale)) * (np.float32(1) / np.log(np.float32(2)))
    rounded = np.sign(log2) * np.floor(np.abs(log2) + np.float32(0.5))
    return int(rounded), bool(abs(log2 - rounded) < np.float32(1e-3))


def cell_state_scale_power(scale: float) -> int:
    """CheckedLog2's exponent."""
    return checked_log2(scale)[0]


def int16_activation_parameters(input_scale: float, tanh: bool) -> tuple[int, int]:
    """LogisticPrepare's and TanhPrepare's int16 (input_multiplier, input_left_shift),
    which the kernels read as x times the multiplier, then a rounding right shift; a
    multiplier of 0 means the power-of-two case, x times 3 << shift. Power-of-two input
    scales of Q3.12 (tanh: also Q4.11) take that case; any other scale a multiplier
    between 2^14 and 2^15 (doubled from input_scale x 3 x 4096 in double, then truncated)
    and the number of doublings as the shift."""
    power, exact = checked_log2(input_scale)
    left_shift = 12 + power
    if exact and left_shift in ((0, 1) if tanh else (0,)):
        return 0, left_shift
    multiplier = float(np.float32(input_scale)) * 4096.0 * 3.0
    shift = 0
    while multiplier <= 32767.0 / 2.0 and shift <= 30:
        shift += 1
        multiplier *= 2.0
    return int(multiplier), shift


def lut_int16(function, input_scale: float, input_zero_point: int, output_scale: float,
              output_zero_point: int) -> np.ndarray:
    """LUTPopulate<int16_t> (kernels/internal/common.h): `function` sampled in float32 at
    the 513 ends of 512 equal steps over the int16 input range, each base entry biased
    by half the error of linear interpolation at its step's midpoint, saturated to int16.
    `function` takes and returns float32 arrays."""
    f32 = np.float32
    input_min = f32(input_scale) * f32(INT16_MIN - input_zero_point)
    input_max = f32(input_scale) * f32(INT16_MAX - input_zero_point)
    output_min = f32(output_scale) * f32(INT16_MIN - output_zero_point)
    output_max = f32(output_scale) * f32(INT16_MAX - output_zero_point)
    steps = 512
    step = (input_max - input_min) / f32(steps)
    half_step = step / f32(2)
    scaling = f32(INT16_MAX - INT16_MIN + 1) / (output_max - output_min)
    i = np.arange(steps).astype(f32)
    value = function(input_min + i * step) * scaling
    midpoint = function(input_min + i * step + half_step) * scaling
    following = function(input_min + (i + f32(1)) * step) * scaling
    interpolated = tflite_round((following + tflite_round(value)) / f32(2)).astype(f32)
    bias = tflite_round((interpolated - tflite_round(midpoint)).astype(f32) / f32(2))
    entries = np.append(tflite_round(value) - bias,
                        tflite_round(function(np.array([input_max], f32)) * scaling))
    return np.clip(entries, INT16_MIN, INT16_MAX).astype(np.int64)


def lut_lookup_int16(x, lut: np.ndarray):
    """LUTLookup of int16 x: the entry at its upper nine bits (offset by 2^15) plus the
    slope to the next times its lower seven bits, rounded: (slope offset + 64) >> 7."""
    x = np.asarray(x, np.int64)
    index = 256 + (x >> 7)
    base = lut[index]
    return base + (((lut[index + 1] - base) * (x & 0x7F) + 64) >> 7)


def _exp_f32(x):
    # expf correctly rounded (glibc's expf is, to within its last-bit rounding).
    return np.exp(x.astype(np.float64)).astype(np.float32)


# SoftmaxPrepare's int16 tables: exp over [-10, 0] and 1 / (1 + x) over [0, 1], outputs
# Q0.15 (InitializeLutForInt16, softmax_common.cc).
_INT16_RANGE = INT16_MAX - INT16_MIN
SOFTMAX_EXP_LUT = lut_int16(_exp_f32, float(np.float32(10.0) / np.float32(_INT16_RANGE)),
                            INT16_MAX, float(np.float32(2.0) / np.float32(_INT16_RANGE)), 0)
SOFTMAX_RECIPROCAL_LUT = lut_int16(
    lambda x: np.float32(1) / (np.float32(1) + x),
    float(np.float32(1.0) / np.float32(_INT16_RANGE)), INT16_MIN,
    float(np.float32(2.0) / np.float32(_INT16_RANGE)), 0)


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


def softmax_int16_parameters(input_scale: float, beta: float) -> tuple[int, int]:
    """CalculateSoftmaxParams for int16: QuantizeMultiplier of input_scale x beta in
    double over 10 / 65535 (a row's range [-65535, 0] is exp's [-10, 0])."""
    return quantize_multiplier(float(np.float32(input_scale)) * float(np.float32(beta))
                               / (10.0 / 65535.0))


def softmax_int16(x, input_scale: float, beta: float):
    """reference_ops::SoftmaxInt16 over the last axis (output scale 1/32768, zero point
    0): exp of x - max through the exp table; the sum's reciprocal through the 1 / (1 + x)
    table, the sum normalised by its leading zeros; their product rounded to Q0.15."""
    multiplier, shift = softmax_int16_parameters(input_scale, beta)
    x = np.asarray(x, np.int64)
    diff = x - x.max(axis=-1, keepdims=True)
    scaled = multiply_by_quantized_multiplier(diff, multiplier, shift)
    exps = lut_lookup_int16(np.clip(scaled + INT16_MAX, INT16_MIN, INT16_MAX),
                            SOFTMAX_EXP_LUT)
    total = exps.sum(axis=-1, keepdims=True)
    headroom_plus_one = fixedpoint.count_leading_zeros(total)
    shifted_sum = ((total << (headroom_plus_one - 1)) + (1 << 13)) >> 14
    reciprocal = lut_lookup_int16(np.clip(shifted_sum - ((1 << 15) + (1 << 16)), INT16_MIN,
                                          INT16_MAX), SOFTMAX_RECIPROCAL_LUT)
    right_shift = 31 - headroom_plus_one
    result = (exps * reciprocal + (np.int64(1) << (right_shift - 1))) >> right_shift
    return np.clip(result, 0, INT16_MAX).astype(np.int16)


# LogSoftmax's fixed point: differences in Q5.26, exps summed in Q12.19, the output
# Q4.27 read as int8 with scale 16/256 and zero point 127.
LOG_SOFTMAX_DIFF_BITS, LOG_SOFTMAX_SUM_BITS, LOG_SOFTMAX_OUTPUT_BITS = 5, 12, 4


def log_softmax_int8_parameters(input_scale: float) -> dict:
    """LogSoftmaxPrepare's PreprocessLogSoftmaxScalingExp (beta 1): the input multiplier
    (QuantizeMultiplierGreaterThanOne of input_scale x 2^26, capped at 2^31 - 1), its
    reverse (QuantizeMultiplier of 2^(31 - left shift) / multiplier) and diff_min."""
    real = min(float(np.float32(input_scale)) * (1 << (31 - LOG_SOFTMAX_DIFF_BITS)),
               (1 << 31) - 1.0)
    multiplier, left_shift = quantize_multiplier(real)
    reverse_multiplier, reverse_shift = quantize_multiplier(
        (1 << (31 - left_shift)) / float(multiplier))
    return {"multiplier": multiplier, "left_shift": left_shift,
            "reverse_multiplier": reverse_multiplier, "reverse_shift": reverse_shift,
            "diff_min": -_input_radius(LOG_SOFTMAX_DIFF_BITS, left_shift)}


def log_softmax_int8_exps(input_scale: float) -> np.ndarray:
    """The row sum's term for each difference x - max in [-255, 0] (index 0: -255):
    exp of the difference in Q5.26, rescaled to Q12.19; 0 below diff_min."""
    parameters = log_softmax_int8_parameters(input_scale)
    diff = np.arange(-255, 1, dtype=np.int64)
    scaled = multiply_by_quantized_multiplier(diff, parameters["multiplier"],
                                              parameters["left_shift"])
    exps = fixedpoint.rescale(fixedpoint.exp_on_negative_values(
        scaled, LOG_SOFTMAX_DIFF_BITS), 0, LOG_SOFTMAX_SUM_BITS)
    return np.where(diff >= parameters["diff_min"], exps, 0)


def log_softmax_int8(x, input_scale: float):
    """reference_integer_ops::LogSoftmax over the last axis (output scale 16/256, zero
    point 127): the log of the row's sum of exps (log_x_for_x_greater_than_or_equal_to_1,
    Q12 in, Q5 out) subtracted from each difference in Q5.26, rounded to Q4 (by 2^22,
    halves away from zero), + 127; differences at or below the reverse-scaled log sum
    (and below diff_min) give -128."""
    parameters = log_softmax_int8_parameters(input_scale)
    x = np.asarray(x, np.int64)
    diff = x - x.max(axis=-1, keepdims=True)
    total = log_softmax_int8_exps(input_scale)[diff + 255].sum(axis=-1, keepdims=True)
    log_sum = fixedpoint.log_x_for_x_greater_than_or_equal_to_1(
        total, LOG_SOFTMAX_SUM_BITS, LOG_SOFTMAX_DIFF_BITS)
    adjusted_diff_min = np.maximum(parameters["diff_min"] - 1, multiply_by_quantized_multiplier(
        log_sum + fixedpoint.INT32_MIN, parameters["reverse_multiplier"],
        parameters["reverse_shift"]))
    scaled = multiply_by_quantized_multiplier(diff, parameters["multiplier"],
                                              parameters["left_shift"])
    output = rounding_divide_by_pot(
        scaled - log_sum, 31 - LOG_SOFTMAX_DIFF_BITS - LOG_SOFTMAX_OUTPUT_BITS) + 127
    return np.where(diff > adjusted_diff_min, np.clip(output, INT8_MIN, INT8_MAX),
                    INT8_MIN).astype(np.int8)
