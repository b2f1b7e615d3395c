"""TFLite Micro's int16 functions in integer TOSA: the Logistic and Tanh of
`reference_integer_ops` (the int8 LSTM's gates, 16x8 LOGISTIC and TANH) and the int16
SOFTMAX of `reference_ops::SoftmaxInt16`.

Logistic and Tanh interpolate TFLite's 256-entry sigmoid table with integer ops, the table
read as four int8 `table`s (the high and low bytes of an entry and of its difference to
the next): their 9-bit and 8-bit fractions and input multipliers are not TOSA's int16
`table`, whose 513 entries are interpolated by 7 bits of the input. SOFTMAX's exp and
1 / (1 + x) tables are exactly that form (LUTPopulate<int16_t>, LUTLookup), so they are
int16 `table`s followed by the rounding shift by 7 that LUTLookup applies.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.quantization import INT16_MAX, INT16_MIN, tosa_shift
from pex.tflm_reference import (SIGMOID_TABLE_UINT16, SOFTMAX_EXP_LUT, SOFTMAX_RECIPROCAL_LUT,
                                softmax_int16_parameters)
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType


def constant_like(b: FunctionBuilder, x: Value, value: int) -> Value:
    """A one-element i32 constant of x's rank (TOSA broadcasts only equal ranks)."""
    return b.const(np.full((1,) * len(x.shape), value), "i32")


def _binary(b: FunctionBuilder, name: str, x: Value, value: int) -> Value:
    return b.elementwise(name, x, constant_like(b, x, value), x.shape)


def _times(b: FunctionBuilder, x: Value, value: int) -> Value:
    return b.mul(x, constant_like(b, x, value), x.shape)


def _shift_right(b: FunctionBuilder, x: Value, shift: int | Value, rounded: bool = False) -> Value:
    amount = shift if isinstance(shift, Value) else constant_like(b, x, shift)
    return b.op("arithmetic_right_shift", [x, amount], x.type,
                f"round = {'true' if rounded else 'false'}")


def clamp_int32(b: FunctionBuilder, x: Value, low: int, high: int) -> Value:
    """x limited to [low, high] (TOSA's clamp takes no int32)."""
    return _binary(b, "maximum", _binary(b, "minimum", x, high), low)

def _table_bytes(b: FunctionBuilder, index: Callable[[], Value], entries: np.ndarray,
                 bias: int) -> Value:
    """entries[i + 128] for the int8 index i that `index()` computes (once per table),
    entries 16-bit and at least `bias`: the high and low bytes looked up in two int8
    tables, recombined in int32."""
    offset = entries - bias
    high = b.cast(b.table(index(), offset >> 8), "i32")
    low = b.cast(b.table(index(), (offset & 0xFF) - 128), "i32")
    return b.elementwise("add", _times(b, high, 256), _binary(b, "add", low, bias + 128),
                         high.shape, "i32")


def _int16_activation(b: FunctionBuilder, x: Value, multiplier: int, right_shift: int,
                      fraction_bits: int, saturated: int, positive_offset: int,
                      negative_offset: int, output_shift: int) -> Value:
    """TFLite's int16 Logistic (fraction bits 9) and Tanh (8) of int16 or int32 x: the value
    v = x multiplier (then a rounded right shift), |v| split into a table index and a
    fraction interpolating the sigmoid table, r = (ua << bits) + fraction (ub - ua);
    (v >= 0 ? r + positive_offset : negative_offset - r) >> output_shift. Magnitudes from
    255 << bits on saturate to `saturated`: they are clamped to that index, whose entry
    gives `saturated` with no difference.

    Each intermediate value is computed once per reader, from x (an int16 x widened by
    each reader): pexc fuses a tree of element-wise operators into one kernel, whose
    intermediates are never stored, where a value read twice would be stored as an
    int32 tensor."""
    wide = TensorType(x.shape, "i32")

    def value() -> Value:
        scaled = _times(b, b.cast(x, "i32") if x.dtype == "i16" else x, multiplier)
        return _shift_right(b, scaled, right_shift, rounded=True) if right_shift else scaled

    def magnitude() -> Value:
        return _binary(b, "minimum", b.op("abs", [value()], wide), 255 << fraction_bits)

    def position() -> Value:
        return _shift_right(b, magnitude(), fraction_bits)

    def index() -> Value:
        return b.cast(_binary(b, "sub", position(), 128), "i8")

    def non_negative() -> Value:
        return b.op("greater_equal", [value(), constant_like(b, x, 0)],
                    TensorType(x.shape, "i1"))

    fraction = b.elementwise("sub", magnitude(), _times(b, position(), 1 << fraction_bits),
                             x.shape)
    base = np.append(SIGMOID_TABLE_UINT16[:255], saturated >> fraction_bits)
    slope = np.append(np.diff(SIGMOID_TABLE_UINT16), 0)
    interpolated = b.elementwise(
        "add", _times(b, _table_bytes(b, index, base, 1 << 15), 1 << fraction_bits),
        b.mul(fraction, _table_bytes(b, index, slope, 0), x.shape), x.shape)
    # r once: r + positive_offset for v >= 0, negative_offset - r below.
    sign = b.op("select", [non_negative(), constant_like(b, x, 1), constant_like(b, x, -1)],
                wide)
    offset = b.op("select", [non_negative(), constant_like(b, x, positive_offset),
                             constant_like(b, x, negative_offset)], wide)
    return _shift_right(b, b.elementwise("add", b.mul(interpolated, sign, x.shape), offset,
                                         x.shape), output_shift)


def _kernel_input(parameters: tuple[int, int]) -> tuple[int, int]:
    """The kernels' (input_multiplier, input_left_shift) as a multiplier and a rounding
    right shift: a multiplier of 0 is the power-of-two case, 3 << shift without a shift."""
    multiplier, shift = parameters
    return (3 << shift, 0) if multiplier == 0 else (multiplier, shift)


def logistic_int16(b: FunctionBuilder, x: Value, parameters: tuple[int, int] = (0, 0)) -> Value:
    """reference_integer_ops::Logistic (int16) of int16 or int32 x with the kernel's (multiplier,
    shift) (`pex.tflm_reference.int16_activation_parameters`; the default is Q3.12 input,
    the LSTM gates'): Q0.15 in int32."""
    return _int16_activation(b, x, *_kernel_input(parameters), 9, 0x7FFF << 10, 1 << 9,
                             (1 << 25) + 511, 10)


def tanh_int16(b: FunctionBuilder, x: Value, parameters: tuple[int, int]) -> Value:
    """reference_integer_ops::Tanh (int16) of int16 or int32 x with the kernel's (multiplier,
    shift) (TanhPrepare's, or lstm_internal::Tanh's `tanh_parameters`): Q0.15 in int32."""
    return _int16_activation(b, x, *_kernel_input(parameters), 8, 0xFFFF << 8,
                             128 - (1 << 23), (1 << 23) + 127, 8)


def lookup_int16(b: FunctionBuilder, x: Value, lut: np.ndarray) -> Value:
    """LUTLookup of int16 x: TOSA's int16 `table` ((base << 7) + slope x fraction, i32),
    then LUTLookup's (... + 64) >> 7."""
    interpolated = b.op("table", [x, b.const(lut, "i16")], TensorType(x.shape, "i32"))
    return _shift_right(b, interpolated, 7, rounded=True)


def softmax_int16(b: FunctionBuilder, x: Value, input_scale: float, beta: float) -> Value:
    """reference_ops::SoftmaxInt16 over the last axis of int16 x (output Q0.15, int16).

    Per row: x - max requantised by SoftmaxPrepare's multiplier (a rescale, exact while
    x - max shifted left fits int32: the importer refuses shifts beyond 15), offset by
    32767 and saturated to int16 (x - max <= 0: only the low end saturates), through the
    exp table. Their sum's leading zeros (`clz`) normalise it to [2^30, 2^31); rounded by
    2^14, less 3 x 2^15, it reads the 1 / (1 + x) table. Each exp times that reciprocal,
    rounded by 2^(31 - leading zeros), saturated to 32767."""
    multiplier, shift = softmax_int16_parameters(input_scale, beta)
    shape, last = x.shape, len(x.shape) - 1
    # The maximum of the int16 values: x widened once per reader, never stored.
    diff = b.elementwise("sub", b.cast(x, "i32"), b.cast(b.reduce("reduce_max", x, last), "i32"),
                         shape)
    scaled = b.rescale(diff, multiplier, tosa_shift(shift), 0, 0, "i32")
    offset = _binary(b, "add", _binary(b, "maximum", scaled, INT16_MIN - INT16_MAX), INT16_MAX)
    # Q0.15 exps, read by the sum and by the products: stored as int16 (TFLite Micro
    # keeps them in its int16 output), each reader widening them.
    exps = b.cast(lookup_int16(b, b.cast(offset, "i16"), SOFTMAX_EXP_LUT), "i16")
    total = b.reduce("reduce_sum", b.cast(exps, "i32"), last)
    headroom_plus_one = b.op("clz", [total], total.type)
    normalized = b.op("logical_left_shift",
                      [total, _binary(b, "sub", headroom_plus_one, 1)], total.type)
    shifted_sum = _shift_right(b, normalized, 14, rounded=True)
    # [2^16, 2^17] less 3 x 2^15: only 2^17 saturates.
    centred = _binary(b, "minimum", _binary(b, "sub", shifted_sum, (1 << 15) + (1 << 16)),
                      INT16_MAX)
    reciprocal = lookup_int16(b, b.cast(centred, "i16"), SOFTMAX_RECIPROCAL_LUT)
    product = b.mul(b.cast(exps, "i32"), reciprocal, shape)
    right = b.elementwise("sub", constant_like(b, total, 31), headroom_plus_one, total.shape)
    result = _shift_right(b, product, right, rounded=True)
    return b.cast(_binary(b, "minimum", result, INT16_MAX), "i16")
