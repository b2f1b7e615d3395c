"""log_softmax and l2_normalization over the last axis (float and int8)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.fixedpoint import INT32_MIN
from pex.graph import Op
from pex.quantization import tosa_shift
from pex.tflm_reference import (LOG_SOFTMAX_DIFF_BITS, LOG_SOFTMAX_OUTPUT_BITS,
                                LOG_SOFTMAX_SUM_BITS, log_softmax_int8_exps,
                                log_softmax_int8_parameters)
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.fixed_point import FixedPointBuilder
from pex.tosa.text import TensorType

# TFLite's L2_NORMALIZATION divides by max(norm, 1e-6).
_L2_EPSILON = 1e-6


def lower_log_softmax(b: FunctionBuilder, op: Op) -> None:
    """(x - max) - log(sum(exp(x - max)))."""
    if op.output.dtype == "i8":
        b.bind(op.output, _log_softmax_int8(b, op))
        return
    value = b.value(op.inputs[0])
    shape = value.shape
    last = len(shape) - 1
    shifted = b.elementwise("sub", value, b.reduce("reduce_max", value, last), shape)
    exps = b.op("exp", [shifted], TensorType(shape, "f32"))
    total = b.reduce("reduce_sum", exps, last)
    b.bind(op.output, b.elementwise("sub", shifted, b.op("log", [total], total.type), shape))


def _log_softmax_int8(b: FunctionBuilder, op: Op) -> Value:
    """reference_integer_ops::LogSoftmax in integer TOSA ops. x - max is in [-255, 0],
    so each element's term of the row sum (exp of the difference in Q5.26, rescaled to
    Q12.19, 0 below diff_min) is a 256-entry table of values below 2^20, read as three
    int8 `table`s of its bytes. Per row: the sum's logarithm in gemmlowp's fixed point
    (`FixedPointBuilder`, `clz` for its normalisation) and the reverse-scaled threshold.
    Per element: the difference's Q5.26 value (a rescale by the input multiplier, exact
    above diff_min) less the log, rounded to Q4 by 2^22 (halves away from zero), + 127,
    saturated; -128 at or below the threshold."""
    x = op.inputs[0]
    parameters = log_softmax_int8_parameters(x.scale())
    shape, last = op.output.shape, len(op.output.shape) - 1
    fixed = FixedPointBuilder(b, len(shape))
    value = b.value(x)
    # x - max, read by the tables, the rescale and the threshold's comparison, is
    # stored: as int16, which holds [-255, 0], each reader widening it.
    diff = b.cast(b.elementwise("sub", b.cast(value, "i32"),
                                b.cast(b.reduce("reduce_max", value, last), "i32"), shape),
                  "i16")

    def index() -> Value:
        return b.cast(fixed.binary("add", b.cast(diff, "i32"), fixed.constant(127)), "i8")

    exps = log_softmax_int8_exps(x.scale())
    terms = None
    for byte in range(3):
        entries = ((exps >> (8 * byte)) & 0xFF) - 128
        part = fixed.binary("add", b.cast(b.table(index(), entries), "i32"),
                            fixed.constant(128))
        if byte:
            part = fixed.shift_left(part, fixed.constant(8 * byte))
        terms = part if terms is None else fixed.binary("add", terms, part)
    total = b.reduce("reduce_sum", terms, last)
    log_sum = fixed.log_x_for_x_greater_than_or_equal_to_1(total, LOG_SOFTMAX_SUM_BITS,
                                                           LOG_SOFTMAX_DIFF_BITS)
    reversed_log = b.rescale(fixed.binary("add", log_sum, fixed.constant(INT32_MIN)),
                             parameters["reverse_multiplier"],
                             tosa_shift(parameters["reverse_shift"]), 0, 0, "i32")
    threshold = fixed.binary("maximum", reversed_log,
                             fixed.constant(parameters["diff_min"] - 1))
    scaled = b.rescale(diff, parameters["multiplier"], tosa_shift(parameters["left_shift"]),
                       0, 0, "i32")
    rounded = fixed.rounding_shift_right(
        fixed.binary("sub", scaled, log_sum),
        31 - LOG_SOFTMAX_DIFF_BITS - LOG_SOFTMAX_OUTPUT_BITS)
    output = fixed.binary("minimum", fixed.binary(
        "maximum", fixed.binary("add", rounded, fixed.constant(127)), fixed.constant(-128)),
        fixed.constant(127))
    return b.cast(fixed.select(fixed.greater(b.cast(diff, "i32"), threshold), output,
                               fixed.constant(-128)), "i8")


def lower_l2_normalization(b: FunctionBuilder, op: Op) -> None:
    """x * min(rsqrt(sum(x^2)), 1 / epsilon)."""
    if op.output.dtype == "i8":
        b.bind(op.output, _l2_normalization_int8(b, op))
        return
    value = b.value(op.inputs[0])
    shape = value.shape
    squares = b.reduce("reduce_sum", b.mul(value, value, shape), len(shape) - 1)
    inverse = b.elementwise("minimum", b.op("rsqrt", [squares], squares.type),
                            b.const(np.full((1,) * len(shape), 1 / _L2_EPSILON), "f32"),
                            squares.shape)
    b.bind(op.output, b.mul(value, inverse, shape))


_INT32_MAX = (1 << 31) - 1
_INT32_MIN = -(1 << 31)
# GetInvSqrtQuantizedMultiplierExp brings its input below 2^29 by dividing it by 4 in a
# loop; sums of squares below that (up to 8256 values per row) never enter it.
_INV_SQRT_INPUT_LIMIT = 1 << 29
# It normalises the input by 4^pairs to [2^27, 2^29): pairs counts the k >= 1 with
# input < 2^(29 - 2k), k up to 13 for inputs of 2 and more (0 and 1 are special).
_INV_SQRT_PAIRS = 13
_INV_SQRT_BASE_SHIFT = 11
# The output's scale 1/128: 7 bits more of left shift.
_L2_OUTPUT_SHIFT = 7


def _l2_normalization_int8(b: FunctionBuilder, op: Op) -> Value:
    """reference_integer_ops::L2Normalization in integer TOSA ops. Per row: the sum of
    squares of x - zp and GetInvSqrtQuantizedMultiplierExp of it (the normalisation by
    4^pairs as selects of constant factors, the five Newton-Raphson steps in Q3 with
    `mul` shift 31 as the rounding doubling high multiply and saturating shifts by
    selects). Per element: MultiplyByQuantizedMultiplier(x - zp, multiplier,
    7 + pairs - 11), which for pairs >= 4 is one `mul` with shift 35 of (x - zp) 2^pairs
    by the multiplier, and otherwise a doubling high multiply and a right shift by
    4 - pairs rounded half away from zero."""
    x, out = op.inputs[0], op.output
    depth = x.shape[-1]
    if depth * 255 * 255 >= _INV_SQRT_INPUT_LIMIT:
        raise ModelError(f"int8 L2_NORMALIZATION of rows of {depth} values is not "
                         f"supported (at most {(_INV_SQRT_INPUT_LIMIT - 1) // (255 * 255)})")
    shape = out.shape
    ones = (1,) * len(shape)
    row = shape[:-1] + (1,)

    def constant(value: int) -> Value:
        return b.const(np.full(ones, value), "i32")

    def greater(a: Value, c: Value) -> Value:
        return b.op("greater", [a, c], TensorType(tuple(np.broadcast_shapes(a.shape, c.shape)),
                                                  "i1"))

    def select(condition: Value, a: Value, c: Value) -> Value:
        return b.op("select", [condition, a, c], TensorType(
            tuple(np.broadcast_shapes(condition.shape, a.shape, c.shape)), "i32"))

    def high_mul(a: Value, c: Value, shift: int = 31) -> Value:
        """A rounding doubling high multiply (halves up) for shift 31."""
        return b.op("mul", [a, c, b.scalar(shift, "i8")], TensorType(
            tuple(np.broadcast_shapes(a.shape, c.shape)), "i32"))

    def times(a: Value, c: Value) -> Value:
        return b.mul(a, c, tuple(np.broadcast_shapes(a.shape, c.shape)))

    def saturating_left_shift(value: Value, exponent: int) -> Value:
        """gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent."""
        threshold = (1 << (31 - exponent)) - 1
        clamped = b.elementwise("minimum", b.elementwise("maximum", value, constant(-threshold),
                                                         value.shape),
                                constant(threshold), value.shape)
        shifted = times(clamped, constant(1 << exponent))
        shifted = select(greater(value, constant(threshold)), constant(_INT32_MAX), shifted)
        return select(greater(constant(-threshold), value), constant(_INT32_MIN), shifted)

    centred = b.rescale(b.value(x), 1 << 30, 30, x.zero_point(), 0, "i32")
    total = b.reduce("reduce_sum", times(centred, centred), len(shape) - 1)
    # 0 and 1 take the multiplier INT32_MAX and shift 0 below; as 2 they stay in range.
    at_most_one = greater(constant(2), total)
    clamped_total = b.elementwise("maximum", total, constant(2), row)

    def pairs_reach(k: int) -> Value:
        """Whether the normalisation shifts by k pairs of bits or more."""
        return greater(constant(_INV_SQRT_INPUT_LIMIT >> 2 * k), clamped_total)

    power = constant(1)  # 2^pairs
    for k in range(1, _INV_SQRT_PAIRS + 1):
        power = select(pairs_reach(k), times(power, constant(2)), power)
    normalised = times(clamped_total, times(power, power))

    # Newton-Raphson in Q3 on the normalised input shifted right by 1, then halved
    # with rounding.
    halved = b.op("arithmetic_right_shift", [normalised, constant(1)], normalised.type,
                  "round = false")
    half_input = b.op("arithmetic_right_shift", [halved, constant(1)], normalised.type,
                      "round = true")
    estimate = b.const(np.full(row, 1 << 28), "i32")  # 1.0 in Q3
    half_three = constant((1 << 28) + (1 << 27))  # 1.5 in Q3
    for _ in range(5):
        cube = saturating_left_shift(high_mul(high_mul(estimate, estimate), estimate), 6)
        difference = b.elementwise("sub", high_mul(half_three, estimate),
                                   high_mul(half_input, cube), row)
        estimate = saturating_left_shift(difference, 3)
    multiplier = high_mul(estimate, constant(1518500250))  # times sqrt(2) / 2 in Q0
    multiplier = select(at_most_one, constant(_INT32_MAX), multiplier)
    # 0 and 1 have shift 0: the left shift 7 of pairs 11.
    power = select(at_most_one, constant(1 << (_INV_SQRT_BASE_SHIFT)), power)

    # pairs >= 4: (x - zp) 2^(pairs - 4) times the multiplier, rounded once: one mul.
    left_shift_count = _INV_SQRT_BASE_SHIFT - _L2_OUTPUT_SHIFT
    wide = high_mul(times(centred, power), multiplier, 31 + left_shift_count)
    # pairs < 4: a right shift by 4 - pairs, halves away from zero.
    narrow = high_mul(centred, multiplier)
    right_shift = constant(0)
    for k in range(1, left_shift_count + 1):
        right_shift = b.elementwise("add", right_shift,
                                    select(pairs_reach(k), constant(0), constant(1)), row)
    magnitude = b.op("abs", [narrow], narrow.type)
    rounded = b.op("arithmetic_right_shift", [magnitude, right_shift], narrow.type,
                   "round = true")
    rounded = select(greater(constant(0), narrow),
                     b.elementwise("sub", constant(0), rounded, shape), rounded)
    result = select(pairs_reach(left_shift_count), wide, rounded)
    # An exact rescale saturates to int8 (zero point 0).
    return b.rescale(result, 1 << 30, 30, 0, 0, "i8")
