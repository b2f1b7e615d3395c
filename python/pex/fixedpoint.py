"""gemmlowp's fixed-point math functions, as TFLite's integer kernels evaluate them.

Values are raw int32 fixed-point numbers held in numpy int64 arrays; `integer_bits` is
gemmlowp's tIntegerBits (the format is Q<integer_bits>.<31 - integer_bits>). The
constants are gemmlowp's own, so results match its scalar implementation bit for bit.
"""

from __future__ import annotations

import numpy as np

from pex.quantization import (rounding_divide_by_pot,
                              saturating_rounding_doubling_high_mul as mul,
                              wrap_int32)

INT32_MAX = (1 << 31) - 1
INT32_MIN = -(1 << 31)


def saturating_rounding_multiply_by_pot(x, exponent: int):
    x = np.asarray(x, np.int64)
    if exponent < 0:
        return rounding_divide_by_pot(x, -exponent)
    threshold = (1 << (31 - exponent)) - 1
    return np.where(x > threshold, INT32_MAX,
                    np.where(x < -threshold, INT32_MIN, x << exponent))


def rescale(x, src_integer_bits: int, dst_integer_bits: int):
    return saturating_rounding_multiply_by_pot(x, src_integer_bits - dst_integer_bits)


def rounding_half_sum(a, b):
    total = np.asarray(a, np.int64) + np.asarray(b, np.int64)
    total = total + np.where(total >= 0, 1, -1)
    return np.where(total >= 0, total // 2, -((-total) // 2))  # C++ division truncates


def exp_on_interval_between_negative_one_quarter_and_0_excl(a):
    """exp(a) for a in [-1/4, 0), both in Q0.31."""
    constant_term = 1895147668  # exp(-1/8)
    constant_1_over_3 = 715827883
    x = wrap_int32(np.asarray(a, np.int64) + (1 << 28))  # Taylor expansion around -1/8
    x2 = mul(x, x)
    x3 = mul(x2, x)
    x4 = mul(x2, x2)
    x4_over_4 = saturating_rounding_multiply_by_pot(x4, -2)
    x4_over_24_plus_x3_over_6_plus_x2_over_2 = saturating_rounding_multiply_by_pot(
        wrap_int32(mul(wrap_int32(x4_over_4 + x3), constant_1_over_3) + x2), -1)
    return wrap_int32(constant_term + mul(
        constant_term, wrap_int32(x + x4_over_24_plus_x3_over_6_plus_x2_over_2)))


# exp(-2^k) in Q0.31 for the barrel shifter over the bits of -a.
_EXP_OF_MINUS_POWERS_OF_TWO = ((-2, 1672461947), (-1, 1302514674), (0, 790015084),
                               (1, 290630308), (2, 39332535), (3, 720401), (4, 242))


def exp_on_negative_values(a, integer_bits: int):
    """exp(a) in Q0.31 for a <= 0 in Q<integer_bits>."""
    a = np.asarray(a, np.int64)
    fractional_bits = 31 - integer_bits
    one_quarter = 1 << (fractional_bits - 2)
    a_mod_quarter_minus_one_quarter = (a & (one_quarter - 1)) - one_quarter
    result = exp_on_interval_between_negative_one_quarter_and_0_excl(
        rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0))
    remainder = a_mod_quarter_minus_one_quarter - a
    for exponent, multiplier in _EXP_OF_MINUS_POWERS_OF_TWO:
        if integer_bits > exponent:
            bit = 1 << (fractional_bits + exponent)
            result = np.where(remainder & bit, mul(result, multiplier), result)
    if integer_bits > 5:
        result = np.where(a < -(1 << (36 - integer_bits)), 0, result)  # below -32
    return np.where(a == 0, INT32_MAX, result)


def _one_over_one_plus_x_in_q2(a):
    """1 / (1 + a) in Q2.29 for a in [0, 1) in Q0.31, by Newton-Raphson."""
    half_denominator = rounding_half_sum(a, INT32_MAX)
    constant_48_over_17 = 1515870810
    constant_neg_32_over_17 = -1010580540
    one_in_q2 = 1 << 29
    x = wrap_int32(constant_48_over_17 + mul(half_denominator, constant_neg_32_over_17))
    for _ in range(3):
        half_denominator_times_x = mul(half_denominator, x)
        one_minus_half_denominator_times_x = wrap_int32(one_in_q2 - half_denominator_times_x)
        x = wrap_int32(x + rescale(mul(x, one_minus_half_denominator_times_x), 4, 2))
    return x


def one_over_one_plus_x_for_x_in_0_1(a):
    """1 / (1 + a) in Q0.31 for a in [0, 1) in Q0.31."""
    # ExactMulByPot<-1> turns Q2 into Q1 without touching bits.
    return rescale(_one_over_one_plus_x_in_q2(a), 1, 0)


def one_minus_x_over_one_plus_x_for_x_in_0_1(a):
    """(1 - a) / (1 + a) in Q0.31 for a in [0, 1) in Q0.31."""
    return rescale(wrap_int32(_one_over_one_plus_x_in_q2(a) - (1 << 29)), 2, 0)


def logistic(a, integer_bits: int):
    """1 / (1 + exp(-a)) in Q0.31 for a in Q<integer_bits>."""
    a = np.asarray(a, np.int64)
    positive = a > 0
    abs_input = np.where(positive, a, -a)
    result_if_positive = one_over_one_plus_x_for_x_in_0_1(
        exp_on_negative_values(-abs_input, integer_bits))
    result_if_negative = INT32_MAX - result_if_positive
    return np.where(a == 0, 1 << 30,
                    np.where(positive, result_if_positive, result_if_negative))


def tanh(a, integer_bits: int):
    """tanh(a) in Q0.31 for a in Q<integer_bits>: (1 - exp(-2|a|)) / (1 + exp(-2|a|)),
    2|a| being |a|'s raw bits read with one more integer bit."""
    a = np.asarray(a, np.int64)
    negative = a < 0
    abs_input = np.where(negative, -a, a)
    result = one_minus_x_over_one_plus_x_for_x_in_0_1(
        exp_on_negative_values(-abs_input, integer_bits + 1))
    return np.where(a == 0, 0, np.where(negative, -result, result))


def saturating_rounding_multiply_by_pot_param(x, exponent):
    """TFLite's SaturatingRoundingMultiplyByPOTParam: x times 2^exponent (a runtime
    exponent >= 0), saturated."""
    x = np.asarray(x, np.int64)
    exponent = np.asarray(exponent, np.int64)
    threshold = (np.int64(1) << (31 - exponent)) - 1
    return np.where(x > threshold, INT32_MAX, np.where(x < -threshold, INT32_MIN,
                                                       wrap_int32(x << exponent)))


# log_x_for_x_greater_than_or_equal_to_1_impl's constants (Q0.31).
LOG_2 = 1488522236
SQRT_SQRT_HALF = 1805811301
SQRT_HALF = 1518500250
ONE_QUARTER = 536870912
ALPHA_N, ALPHA_D, ALPHA_I, ALPHA_F = 117049297, 127690142, 1057819769, 638450708


def log_x_for_x_greater_than_or_equal_to_1(x, input_integer_bits: int,
                                           output_integer_bits: int):
    """TFLite's log(x) for x >= 1 in Q<input_integer_bits>, in Q<output_integer_bits>:
    x normalised by its leading zeros, both as is and times sqrt(1/2) (the one nearer
    1 kept), the logarithm of the normalised r from a rational approximation around
    sqrt(sqrt(1/2)) (one_over_one_plus_x for its denominator), plus the exponent times
    log 2, accumulated with one more integer bit."""
    accumulator_bits = output_integer_bits + 1
    shifted_quarter = rescale(ONE_QUARTER, 0, accumulator_bits)
    z_a = np.asarray(x, np.int64)
    z_a_headroom_plus_1 = count_leading_zeros(z_a)
    r_a_tmp = saturating_rounding_multiply_by_pot_param(z_a, z_a_headroom_plus_1 - 1)
    r_a_raw = saturating_rounding_multiply_by_pot_param(mul(r_a_tmp, SQRT_HALF), 1)
    z_a_pow_2_adj = np.clip(saturating_rounding_multiply_by_pot_param(
        input_integer_bits - z_a_headroom_plus_1, 31 - accumulator_bits) + shifted_quarter,
        INT32_MIN, INT32_MAX)
    z_b = mul(z_a, SQRT_HALF)
    z_b_headroom = count_leading_zeros(z_b) - 1
    r_b_raw = saturating_rounding_multiply_by_pot_param(z_a, z_b_headroom)
    z_b_pow_2_adj = np.clip(saturating_rounding_multiply_by_pot_param(
        input_integer_bits - z_b_headroom, 31 - accumulator_bits) - shifted_quarter,
        INT32_MIN, INT32_MAX)
    r = np.minimum(r_a_raw, r_b_raw)
    z_pow_2_adj = np.maximum(z_a_pow_2_adj, z_b_pow_2_adj)
    p = rounding_half_sum(r, SQRT_SQRT_HALF)
    q = wrap_int32(r - SQRT_SQRT_HALF)
    q = wrap_int32(q + q)
    common_sq = mul(q, q)
    num = wrap_int32(mul(q, r) + mul(mul(q, common_sq), ALPHA_N))
    denom_minus_one_0 = wrap_int32(
        mul(p, wrap_int32(wrap_int32(ALPHA_I + q) + mul(ALPHA_D, common_sq)))
        + mul(ALPHA_F, q))
    recip_denom = one_over_one_plus_x_for_x_in_0_1(denom_minus_one_0)
    num_scaled = rescale(num, 0, accumulator_bits)
    return rescale(wrap_int32(mul(z_pow_2_adj, LOG_2) + mul(num_scaled, recip_denom)),
                   accumulator_bits, output_integer_bits)


def count_leading_zeros(x):
    """Leading zero bits of x read as uint32."""
    x = np.asarray(x, np.int64) & 0xFFFFFFFF
    zeros = np.full(x.shape, 32, np.int64)
    for bits in range(32):
        zeros = np.where(x >> bits != 0, 31 - bits, zeros)
    return zeros


def count_leading_sign_bits(x):
    """Redundant sign bits of int32 x (TFLite's CountLeadingSignBits; 31 for 0 and -1)."""
    x = np.asarray(x, np.int64)
    return np.where(x >= 0, count_leading_zeros(x) - 1, count_leading_zeros(-2 * x - 1))


def reciprocal(x, integer_digits: int):
    """TFLite's GetReciprocal of positive x read with `integer_digits`: (1 / x's
    significand in Q0.31, the number of bits x's value has above 1.0)."""
    x = np.asarray(x, np.int64)
    headroom_plus_one = count_leading_zeros(x)
    # x's leading one moved to bit 31 and dropped: the significand minus 1, in Q0.31.
    significand_minus_one = wrap_int32(((x << headroom_plus_one) & 0xFFFFFFFF) - (1 << 31))
    return (one_over_one_plus_x_for_x_in_0_1(significand_minus_one),
            integer_digits - headroom_plus_one)
