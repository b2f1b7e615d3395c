"""int8 functions of one input, as TFLite (Micro) computes them: each evaluates its
kernel for every int8 input at once, so the importer's `table` is exact by construction
and the reference interpreter reads the same table.

HARD_SWISH, ABS, RSQRT and TANH follow TFLite Micro's integer kernels (hard_swish.h,
elementwise.cc, tanh.h); GELU is TFLite Micro's table (gelu.cc: LUTPopulate of its
float32 transform). EXP, LOG, SQRT, NEG, SQUARE, FLOOR, CEIL, ROUND, SIN and COS are float-only in
TFLite Micro, and its int8 ELU is a table of the float function; for int8 they all
follow TFLite's lookup-table rule (LUTPopulate: dequantise, apply in float32, round
halves away from zero, add the zero point, saturate).
"""

from __future__ import annotations

import math

import numpy as np

from pex import tflm_reference
from pex.fixedpoint import INT32_MAX, saturating_rounding_multiply_by_pot
from pex.quantization import (INT8_MAX, INT8_MIN, multiply_by_quantized_multiplier,
                              quantize_multiplier, rounding_divide_by_pot,
                              saturating_rounding_doubling_high_mul, tflite_round)

ALL_INT8 = np.arange(INT8_MIN, INT8_MAX + 1, dtype=np.int64)
INT16_MIN, INT16_MAX = -(1 << 15), (1 << 15) - 1


def _saturate16(x):
    return np.clip(x, INT16_MIN, INT16_MAX)


def _rounding_doubling_high_mul16(a, b):
    """gemmlowp's SaturatingRoundingDoublingHighMul on int16."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    product = a * b
    total = product + np.where(product >= 0, 1 << 14, 1 - (1 << 14))
    result = np.where(total >= 0, total // (1 << 15), -((-total) // (1 << 15)))
    return np.where((a == b) & (a == INT16_MIN), INT16_MAX, result)


def _doubling_high_mul16(a, b):
    """TFLite's SaturatingDoublingHighMul on int16: the product / 2^15, truncated."""
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    product = a * b
    result = np.where(product >= 0, product // (1 << 15), -((-product) // (1 << 15)))
    return np.where((a == b) & (a == INT16_MIN), INT16_MAX, result)


def _int16_multiplier(real: float) -> tuple[int, int]:
    """QuantizeMultiplier, then DownScaleInt32ToInt16Multiplier (rounded to 16 bits)."""
    multiplier, exponent = quantize_multiplier(real)
    if multiplier >= INT32_MAX - (1 << 15):
        return INT16_MAX, exponent
    return (multiplier + (1 << 15)) >> 16, exponent


def hard_swish_int8(x, input_scale: float, input_zero_point: int, output_scale: float,
                    output_zero_point: int):
    """reference_ops::HardSwish<int8_t> with HardSwishPrepare's parameters."""
    hires_input_scale = np.float32(1 / 128) * np.float32(input_scale)
    output_multiplier, output_exponent = _int16_multiplier(
        float(hires_input_scale / np.float32(output_scale)))
    reluish_multiplier, reluish_exponent = _int16_multiplier(
        float(hires_input_scale / np.float32(3 / 32768)))
    if output_exponent > 0:
        raise ValueError("HARD_SWISH needs an output scale above input scale / 128")

    hires = (np.asarray(x, np.int64) - input_zero_point) * (1 << 7)
    preshift_output = _rounding_doubling_high_mul16(hires, output_multiplier)
    reluish = hires
    if reluish_exponent > 0:
        reluish = _saturate16(reluish << (reluish_exponent - 1))
    reluish = _rounding_doubling_high_mul16(reluish, reluish_multiplier)
    if reluish_exponent > 0:
        reluish = _saturate16(reluish << 1)
    if reluish_exponent < 0:
        reluish = rounding_divide_by_pot(reluish, -reluish_exponent)
    reluish = (reluish + (1 << 15)) >> 1  # from [-1, 1] to [0, 1]
    output = rounding_divide_by_pot(_doubling_high_mul16(reluish, preshift_output),
                                    -output_exponent)
    return np.clip(output + output_zero_point, INT8_MIN, INT8_MAX).astype(np.int8)


def abs_int8(x, input_scale: float, input_zero_point: int, output_scale: float,
             output_zero_point: int):
    """TFLite Micro's ABS: |x - zp|, rescaled when the scales differ."""
    value = np.abs(np.asarray(x, np.int64) - input_zero_point)
    if np.float32(input_scale) != np.float32(output_scale):
        value = multiply_by_quantized_multiplier(
            value, *quantize_multiplier(float(input_scale) / float(output_scale)))
    return np.clip(value + output_zero_point, INT8_MIN, INT8_MAX).astype(np.int8)


def inv_sqrt_multiplier(value: int) -> tuple[int, int]:
    """GetInvSqrtQuantizedMultiplierExp with reverse_shift -1: (multiplier, left shift)
    of 1 / sqrt(value), from five Newton-Raphson steps in gemmlowp fixed point."""
    if value <= 1:
        return INT32_MAX, 0
    shift = 11
    while value >= 1 << 29:
        value //= 4
        shift += 1
    leading_zeros = 32 - value.bit_length()
    left_shift_bit_pairs = (leading_zeros - 1) // 2 - 1
    shift -= left_shift_bit_pairs
    value <<= 2 * left_shift_bit_pairs

    def mul(a, b):
        return int(saturating_rounding_doubling_high_mul(a, b))

    def to_q3(raw, integer_bits):  # Rescale<3> of a product with `integer_bits`
        return int(saturating_rounding_multiply_by_pot(raw, integer_bits - 3))

    half_input = int(rounding_divide_by_pot(value >> 1, 1))
    half_three = (1 << 28) + (1 << 27)  # 1.5 in Q3
    x = 1 << 28  # 1.0 in Q3
    for _ in range(5):
        x3 = to_q3(mul(mul(x, x), x), 9)
        difference = mul(half_three, x) - mul(half_input, x3)
        difference = ((difference + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)
        x = to_q3(difference, 6)
    x = mul(x, 1518500250)  # times sqrt(2) / 2 in Q0
    if shift < 0:
        x <<= -shift
        shift = 0
    return x, -shift


def rsqrt_int8(x, input_scale: float, input_zero_point: int, output_scale: float,
               output_zero_point: int):
    """TFLite Micro's RSQRT. TFLite Micro refuses inputs below the zero point; their
    entries are 127, as for the input 0."""
    fine_shift = 20  # kShift: keeps 1 / sqrt(x) an integer
    scale = 1.0 / float(np.sqrt(np.float32(input_scale)) * np.float32(output_scale))
    multiplier, shift = quantize_multiplier(scale)
    outputs = []
    for value in np.asarray(x, np.int64).reshape(-1) - input_zero_point:
        if value <= 0:
            outputs.append(INT8_MAX)
            continue
        inv_multiplier, inv_shift = inv_sqrt_multiplier(int(value))
        data = multiply_by_quantized_multiplier(1, inv_multiplier, inv_shift + fine_shift)
        output = multiply_by_quantized_multiplier(data, multiplier, shift - fine_shift)
        outputs.append(int(output) + output_zero_point)
    return np.clip(np.array(outputs, np.int64).reshape(np.shape(x)), INT8_MIN,
                   INT8_MAX).astype(np.int8)


def _lookup_table_rule(function):
    def evaluate(x, input_scale: float, input_zero_point: int, output_scale: float,
                 output_zero_point: int):
        with np.errstate(divide="ignore", invalid="ignore"):
            real = np.float32(input_scale) * (np.asarray(x, np.int64)
                                              - input_zero_point).astype(np.float32)
            transformed = function(real.astype(np.float32)).astype(np.float32)
            rescaled = tflite_round(transformed * (np.float32(1) / np.float32(output_scale)))
        # static_cast<int32_t> of a NaN or infinity: TFLite leaves it undefined; clamp.
        rescaled = np.nan_to_num(rescaled, nan=0.0, posinf=INT8_MAX, neginf=INT8_MIN)
        quantized = np.clip(rescaled, -(1 << 31), INT32_MAX).astype(np.int64)
        return np.clip(quantized + output_zero_point, INT8_MIN, INT8_MAX).astype(np.int8)
    return evaluate


exp_int8 = _lookup_table_rule(np.exp)
log_int8 = _lookup_table_rule(np.log)
sqrt_int8 = _lookup_table_rule(np.sqrt)
neg_int8 = _lookup_table_rule(np.negative)
elu_int8 = _lookup_table_rule(lambda x: np.where(x < 0, np.expm1(x), x))
square_int8 = _lookup_table_rule(np.square)
floor_int8 = _lookup_table_rule(np.floor)
ceil_int8 = _lookup_table_rule(np.ceil)
round_int8 = _lookup_table_rule(np.round)  # halves to even, as TFLite's RoundToNearest
def tanh_int8(x, input_scale: float, input_zero_point: int, output_scale: float,
              output_zero_point: int):
    """TFLite Micro's fixed-point kernel; its output is Q0.7 (scale 1/128, zero point 0)."""
    if (np.float32(output_scale), output_zero_point) != (np.float32(1 / 128), 0):
        raise ValueError("TFLite Micro's int8 TANH needs the output quantisation 1/128, 0")
    return tflm_reference.tanh_int8(x, input_scale, input_zero_point)


erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu_f32(x):
    """TFLite Micro's GeluTransform: 0.5f * x * (1 + erf(x * (float)M_SQRT1_2))."""
    x = np.asarray(x, np.float32)
    curve = erf(x * np.float32(np.sqrt(0.5))).astype(np.float32)
    return np.float32(0.5) * x * (np.float32(1) + curve)


def gelu_tanh_f32(x):
    """TFLite Micro's GeluTransformApproximate:
    0.5f * x * (1 + tanh((float)sqrt(2 / pi) * (x + 0.044715f * x * x * x)))."""
    x = np.asarray(x, np.float32)
    inner = x + np.float32(0.044715) * x * x * x
    curve = np.tanh(np.float32(np.sqrt(2 / np.pi)) * inner).astype(np.float32)
    return np.float32(0.5) * x * (np.float32(1) + curve)


gelu_int8 = _lookup_table_rule(gelu_f32)
gelu_tanh_int8 = _lookup_table_rule(gelu_tanh_f32)
sin_int8 = _lookup_table_rule(np.sin)
cos_int8 = _lookup_table_rule(np.cos)

# graph op kind -> the int8 function of (x, input scale, input zp, output scale, output zp)
UNARY_INT8 = {
    "hard_swish": hard_swish_int8,
    "abs": abs_int8,
    "rsqrt": rsqrt_int8,
    "exp": exp_int8,
    "log": log_int8,
    "sqrt": sqrt_int8,
    "neg": neg_int8,
    "elu": elu_int8,
    "square": square_int8,
    "floor": floor_int8,
    "ceil": ceil_int8,
    "round": round_int8,
    "tanh": tanh_int8,
    "sin": sin_int8,
    "cos": cos_int8,
    "gelu": gelu_int8,
    "gelu_tanh": gelu_tanh_int8,
}

# graph op kind -> the float32 function TFLite Micro samples for its int16 table
# (LUTPopulate<int16_t>, read by LUTLookup)
INT16_TABLES = {"gelu": gelu_f32, "gelu_tanh": gelu_tanh_f32}


def unary_table(kind: str, x_quant, out_quant) -> np.ndarray:
    """The 256 int8 results of op `kind` for inputs -128 ... 127."""
    return UNARY_INT8[kind](ALL_INT8, float(x_quant.scale[0]), int(x_quant.zero_point[0]),
                            float(out_quant.scale[0]), int(out_quant.zero_point[0]))
