"""gemmlowp's fixed-point arithmetic (`pex.fixedpoint`) in integer TOSA on int32 values.

A rounding doubling high multiply is `mul` with shift 31: TOSA rounds the 64-bit
product plus 2^30 down, which equals gemmlowp's nudge and truncation for either sign
(only INT32_MIN squared, which gemmlowp saturates, differs; the callers never multiply
it by itself). Shifts by constants saturate or round as gemmlowp's do.
"""

from __future__ import annotations

import numpy as np

from pex import fixedpoint
from pex.fixedpoint import (ALPHA_D, ALPHA_F, ALPHA_I, ALPHA_N, INT32_MAX, INT32_MIN, LOG_2,
                            ONE_QUARTER, SQRT_HALF, SQRT_SQRT_HALF)
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType


class FixedPointBuilder:
    """int32 fixed-point operations on values of one rank (constants broadcast)."""

    def __init__(self, b: FunctionBuilder, rank: int) -> None:
        self.b = b
        self.rank = rank

    def constant(self, value: int) -> Value:
        return self.b.const(np.full((1,) * self.rank, value), "i32")

    def _shape(self, *values: Value) -> tuple:
        return tuple(np.broadcast_shapes(*(v.shape for v in values)))

    def binary(self, name: str, a: Value, c: Value) -> Value:
        """add, sub (wrapping, as gemmlowp's raw arithmetic), maximum, minimum."""
        return self.b.elementwise(name, a, c, self._shape(a, c), "i32")

    def greater(self, a: Value, c: Value) -> Value:
        return self.b.op("greater", [a, c], TensorType(self._shape(a, c), "i1"))

    def select(self, condition: Value, a: Value, c: Value) -> Value:
        return self.b.op("select", [condition, a, c],
                         TensorType(self._shape(condition, a, c), "i32"))

    def mul(self, a: Value, c: Value) -> Value:
        """SaturatingRoundingDoublingHighMul."""
        return self.b.op("mul", [a, c, self.b.scalar(31, "i8")],
                         TensorType(self._shape(a, c), "i32"))

    def shift_left(self, x: Value, amount: Value) -> Value:
        return self.b.op("logical_left_shift", [x, amount], TensorType(self._shape(x, amount),
                                                                       "i32"))

    def saturating_shift_left(self, x: Value, exponent: int) -> Value:
        """SaturatingRoundingMultiplyByPOT for exponent > 0: x 2^exponent, saturated (x is
        clamped first, so the shift itself never overflows)."""
        threshold = (1 << (31 - exponent)) - 1
        clamped = self.binary("minimum", self.binary("maximum", x, self.constant(-threshold)),
                              self.constant(threshold))
        shifted = self.shift_left(clamped, self.constant(exponent))
        shifted = self.select(self.greater(x, self.constant(threshold)),
                              self.constant(INT32_MAX), shifted)
        return self.select(self.greater(self.constant(-threshold), x),
                           self.constant(INT32_MIN), shifted)

    def rounding_shift_right(self, x: Value, exponent: int | Value) -> Value:
        """RoundingDivideByPOT: halves away from zero, as the magnitude's halves up."""
        amount = exponent if isinstance(exponent, Value) else self.constant(exponent)
        magnitude = self.b.op("abs", [x], x.type)
        rounded = self.b.op("arithmetic_right_shift", [magnitude, amount],
                            TensorType(self._shape(x, amount), "i32"), "round = true")
        return self.select(self.greater(self.constant(0), x),
                           self.binary("sub", self.constant(0), rounded), rounded)

    def rescale(self, x: Value, source_bits: int, target_bits: int) -> Value:
        """gemmlowp's Rescale between integer-bit counts."""
        exponent = source_bits - target_bits
        if exponent > 0:
            return self.saturating_shift_left(x, exponent)
        if exponent < 0:
            return self.rounding_shift_right(x, -exponent)
        return x

    def clz(self, x: Value) -> Value:
        return self.b.op("clz", [x], x.type)

    def one_over_one_plus_x_for_x_in_0_1(self, a: Value) -> Value:
        """1 / (1 + a) in Q0.31 for a in [0, 1) in Q0.31: three Newton-Raphson steps in
        Q2.29 from 48/17 - 32/17 d, d = (a + 1) / 2 (RoundingHalfSum with INT32_MAX,
        which for a >= 0 is (a >> 1) + 2^30 exactly)."""
        half_denominator = self.binary("add", self.b.op(
            "arithmetic_right_shift", [a, self.constant(1)], a.type, "round = false"),
            self.constant(1 << 30))
        x = self.binary("add", self.constant(1515870810),
                        self.mul(half_denominator, self.constant(-1010580540)))
        for _ in range(3):
            one_minus = self.binary("sub", self.constant(1 << 29),
                                    self.mul(half_denominator, x))
            x = self.binary("add", x, self.rescale(self.mul(x, one_minus), 4, 2))
        return self.rescale(x, 1, 0)

    def log_x_for_x_greater_than_or_equal_to_1(self, x: Value, input_bits: int,
                                               output_bits: int) -> Value:
        """`pex.fixedpoint.log_x_for_x_greater_than_or_equal_to_1` of positive x. Its
        saturating additions and shifts by the (small) exponents never saturate here,
        and r, sqrt(sqrt(1/2)) are positive, so RoundingHalfSum is (r + c + 1) >> 1,
        computed without overflow as (r >> 1) + (c >> 1) + 1 for the odd c."""
        accumulator_bits = output_bits + 1
        shifted_quarter = self.constant(fixedpoint.rescale(ONE_QUARTER, 0, accumulator_bits))
        one = self.constant(1)
        z_a_headroom_plus_1 = self.clz(x)
        r_a_tmp = self.shift_left(x, self.binary("sub", z_a_headroom_plus_1, one))
        r_a_raw = self.saturating_shift_left(self.mul(r_a_tmp, self.constant(SQRT_HALF)), 1)
        exponent_shift = self.constant(31 - accumulator_bits)
        z_a_pow_2_adj = self.binary("add", self.shift_left(
            self.binary("sub", self.constant(input_bits), z_a_headroom_plus_1),
            exponent_shift), shifted_quarter)
        z_b_headroom = self.binary("sub", self.clz(self.mul(x, self.constant(SQRT_HALF))), one)
        # x << z_b_headroom saturates exactly when x has no more leading zeros than that.
        r_b_raw = self.select(self.greater(z_a_headroom_plus_1, z_b_headroom),
                              self.shift_left(x, z_b_headroom), self.constant(INT32_MAX))
        z_b_pow_2_adj = self.binary("sub", self.shift_left(
            self.binary("sub", self.constant(input_bits), z_b_headroom), exponent_shift),
            shifted_quarter)
        r = self.binary("minimum", r_a_raw, r_b_raw)
        z_pow_2_adj = self.binary("maximum", z_a_pow_2_adj, z_b_pow_2_adj)
        p = self.binary("add", self.b.op("arithmetic_right_shift", [r, one], r.type,
                                         "round = false"),
                        self.constant((SQRT_SQRT_HALF >> 1) + 1))
        q = self.binary("sub", r, self.constant(SQRT_SQRT_HALF))
        q = self.binary("add", q, q)
        common_sq = self.mul(q, q)
        num = self.binary("add", self.mul(q, r),
                          self.mul(self.mul(q, common_sq), self.constant(ALPHA_N)))
        denominator_minus_one = self.binary("add", self.mul(p, self.binary(
            "add", self.binary("add", self.constant(ALPHA_I), q),
            self.mul(self.constant(ALPHA_D), common_sq))),
            self.mul(self.constant(ALPHA_F), q))
        reciprocal = self.one_over_one_plus_x_for_x_in_0_1(denominator_minus_one)
        num_scaled = self.rescale(num, 0, accumulator_bits)
        total = self.binary("add", self.mul(z_pow_2_adj, self.constant(LOG_2)),
                            self.mul(num_scaled, reciprocal))
        return self.rescale(total, accumulator_bits, output_bits)
