"""TFLite's quantised arithmetic, and how TOSA's rescale expresses it.

TFLite (and TFLite Micro's reference kernels) requantise an int32 value x with a real
multiplier M represented as an int32 `multiplier` in Q0.31 and a power-of-two `shift`
(positive = left):  MultiplyByQuantizedMultiplier(x) =
RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), multiplier),
max(-shift, 0)). Both roundings go half away from zero.

TOSA `rescale` with `rounding_mode = DOUBLE_ROUND` computes
(x * multiplier + 2^(s-1) + (s > 31 ? sign(x) * 2^30 : 0)) >> s with a right shift s.
With s = 31 - shift this equals MultiplyByQuantizedMultiplier for every int32 x whose
left-shifted value x * 2^max(shift, 0) fits in int32 (the high-mul rounds halves up,
which a single rounding shift reproduces; the divide rounds halves away from zero, which
the extra 2^30 reproduces). `tosa_apply_scale` below lets tests check that exhaustively.

All helpers take and return numpy int64 arrays holding int32 values, so they evaluate
a whole lookup table or tensor at once.
"""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError

INT8_MIN, INT8_MAX = -128, 127
INT16_MIN, INT16_MAX = -32768, 32767


def tflite_round(x):
    """TfLiteRound / std::round: to nearest, halves away from zero."""
    x = np.asarray(x)
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def quantize_multiplier(real_multiplier: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplier: (Q0.31 multiplier, left shift) for a double."""
    if real_multiplier == 0.0:
        return 0, 0
    q, shift = math.frexp(real_multiplier)
    q_fixed = int(tflite_round(q * (1 << 31)))
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return q_fixed, shift


def tosa_shift(shift: int) -> int:
    """The TOSA rescale right shift that represents a TFLite left shift."""
    right = 31 - shift
    if not 2 <= right <= 62:
        raise ModelError(f"requantisation multiplier exponent {shift} is outside TOSA's "
                         f"rescale range (the scales are too far apart)")
    return right


def saturating_rounding_doubling_high_mul(a, b):
    a = np.asarray(a, np.int64)
    b = np.asarray(b, np.int64)
    product = a * b
    nudge = np.where(product >= 0, 1 << 30, 1 - (1 << 30))
    # C++ integer division truncates towards zero; numpy's // floors.
    total = product + nudge
    result = np.where(total >= 0, total // (1 << 31), -((-total) // (1 << 31)))
    overflow = (a == b) & (a == -(1 << 31))
    return np.where(overflow, (1 << 31) - 1, result)


def rounding_divide_by_pot(x, exponent):
    x = np.asarray(x, np.int64)
    exponent = np.asarray(exponent, np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def wrap_int32(x):
    """Two's-complement wrap of int32 arithmetic done in int64."""
    x = np.asarray(x, np.int64)
    return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def multiply_by_quantized_multiplier(x, multiplier, shift):
    shift = np.asarray(shift, np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    shifted = wrap_int32(np.asarray(x, np.int64) << left)
    return rounding_divide_by_pot(
        saturating_rounding_doubling_high_mul(shifted, multiplier), right)


def tosa_apply_scale(x, multiplier, right_shift):
    """TOSA's apply_scale_32 with double rounding, as `rescale` uses it."""
    x = np.asarray(x, np.int64)
    right_shift = np.asarray(right_shift, np.int64)
    rounding = np.int64(1) << (right_shift - 1)
    rounding = np.where(right_shift > 31, rounding + np.where(x >= 0, 1 << 30, -(1 << 30)),
                        rounding)
    return (x * np.asarray(multiplier, np.int64) + rounding) >> right_shift


def activation_range(activation: str, scale: float, zero_point: int,
                     dtype: str = "i8") -> tuple[int, int]:
    """CalculateActivationRangeQuantized for int8 or int16: the clamp a fused activation
    applies."""
    low_end, high_end = (INT16_MIN, INT16_MAX) if dtype == "i16" else (INT8_MIN, INT8_MAX)

    def quantize(value: float) -> int:
        return zero_point + int(tflite_round(np.float32(value) / np.float32(scale)))

    if activation == "RELU":
        return max(low_end, quantize(0.0)), high_end
    if activation == "RELU6":
        return max(low_end, quantize(0.0)), min(high_end, quantize(6.0))
    if activation == "RELU_N1_TO_1":
        return max(low_end, quantize(-1.0)), min(high_end, quantize(1.0))
    return low_end, high_end


def float_activation_range(activation: str) -> tuple[float, float]:
    return {
        "NONE": (-math.inf, math.inf),
        "RELU": (0.0, math.inf),
        "RELU6": (0.0, 6.0),
        "RELU_N1_TO_1": (-1.0, 1.0),
    }[activation]
