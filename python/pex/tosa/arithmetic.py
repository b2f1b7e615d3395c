"""Elementwise ops without TFLite's int8 arithmetic: div (but its int8 form, TFLite Micro's
integer division), maximum, minimum, clamp, tanh, `rescale`, an integer requantisation
whose multipliers the importer chose, and `table`, an int8 lookup table the importer
computed."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.fixedpoint import count_leading_sign_bits, reciprocal
from pex.graph import Op
from pex.quantization import quantize_multiplier
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType


def _binary(name: str):
    def lower(b: FunctionBuilder, op: Op) -> None:
        x, y = op.inputs
        b.bind(op.output, b.elementwise(name, b.value(x), b.value(y), op.output.shape))
    return lower


lower_maximum = _binary("maximum")
lower_minimum = _binary("minimum")


def lower_div(b: FunctionBuilder, op: Op) -> None:
    """Float division as a multiplication by the reciprocal (TOSA has no float divide)."""
    x, y = op.inputs
    if op.output.dtype == "i8":
        b.bind(op.output, _div_int8(b, op))
        return
    divisor = b.value(y)
    inverse = b.op("reciprocal", [divisor], divisor.type)
    quotient = b.mul(b.value(x), inverse, op.output.shape)
    b.bind(op.output, fused_activation(b, quotient, op.attrs.get("activation", "NONE"),
                                       op.output))


_STORED_INT8 = np.arange(-128, 128, dtype=np.int64)
# A dividend of at most 255 in magnitude has 23 or more redundant sign bits.
_MIN_DIVIDEND_HEADROOM = 23


def _div_int8_tables(op: Op) -> dict:
    """The per-value parts of TFLite Micro's int8 DIV, as 256-entry int8 tables indexed by
    the stored value. Of the divisor: the reciprocal of its magnitude (GetReciprocal) in
    bytes, the top one as is and the three low ones minus 128, and its shift; a zero
    divisor, which TFLM's kernel assumes away, gets reciprocal 0 (the output zero point).
    Of the dividend, as is ("pos") and negated ("neg", for a negative divisor): its value
    shifted left by its headroom over 2^23, as 2 * high + low, and the headroom minus 23."""
    x, y = op.inputs
    divisor = _STORED_INT8 - y.zero_point()
    inverse, reciprocal_shift = reciprocal(np.maximum(np.abs(divisor), 1), 31)
    inverse = np.where(divisor == 0, 0, inverse)
    tables = {"inverse": [inverse >> 24] + [((inverse >> (8 * k)) & 255) - 128
                                             for k in (2, 1, 0)],
              "reciprocal_shift": reciprocal_shift}
    for sign, name in ((1, "pos"), (-1, "neg")):
        dividend = sign * (_STORED_INT8 - x.zero_point())
        headroom = count_leading_sign_bits(dividend) - _MIN_DIVIDEND_HEADROOM
        normalised = dividend << headroom
        tables[name] = (normalised >> 1, normalised & 1, headroom)
    return tables


def _div_int8(b: FunctionBuilder, op: Op) -> Value:
    """reference_ops::DivElementwise in integer TOSA ops: the dividend shifted by its
    headroom, times the divisor's reciprocal (both from tables of the stored values),
    times the output multiplier, each a rounding doubling high multiply (a `mul` with
    shift), then a right shift by the headroom plus the reciprocal's shift minus the
    multiplier's, rounded half away from zero (an all-rounded-away shift is 0)."""
    x, y = op.inputs
    out = op.output
    shape = out.shape
    ones = (1,) * len(shape)
    multiplier, shift = quantize_multiplier(float(
        np.float32(x.scale()) / (np.float32(y.scale()) * np.float32(out.scale()))))
    if shift > _MIN_DIVIDEND_HEADROOM:
        raise ModelError(f"DIV's multiplier {multiplier} * 2^{shift} is too large (the "
                         f"scales are too far apart)")
    tables = _div_int8_tables(op)
    dividend, divisor = b.value(x), b.value(y)

    def constant(value: int) -> Value:
        return b.const(np.full(ones, value), "i32")

    def looked_up(value: Value, entries) -> Value:
        return b.table(value, np.asarray(entries, np.int64))

    def widened(value: Value) -> Value:
        return b.cast(value, "i32")

    negative = b.op("greater", [constant(y.zero_point()), widened(divisor)],
                    TensorType(y.shape, "i1"))
    parts = [b.op("select", [negative, looked_up(dividend, negated), looked_up(dividend, kept)],
                  TensorType(shape, "i8"))
             for negated, kept in zip(tables["neg"], tables["pos"])]
    high, low, headroom = (widened(part) for part in parts)
    normalised = b.elementwise("add", b.elementwise("add", high, high, shape), low, shape)
    inverse = b.mul(widened(looked_up(divisor, tables["inverse"][0])), constant(1 << 24),
                    y.shape)
    for k, entries in zip((2, 1, 0), tables["inverse"][1:]):
        byte = widened(looked_up(divisor, entries))
        inverse = b.elementwise("add", inverse, b.mul(byte, constant(1 << 8 * k), y.shape)
                                if k else byte, y.shape)
    # The three low bytes were stored minus 128.
    inverse = b.elementwise("add", inverse, constant(128 * 0x010101), y.shape)
    # (dividend << headroom) = normalised * 2^23, so its doubling high multiply by the
    # reciprocal is normalised * inverse / 2^8, halves rounded up, as a mul with shift 8.
    unscaled = b.op("mul", [normalised, inverse, b.scalar(8, "i8")], TensorType(shape, "i32"))
    scaled = b.op("mul", [unscaled, constant(multiplier), b.scalar(31, "i8")],
                  TensorType(shape, "i32"))
    right_shift = b.elementwise(
        "add", b.elementwise("add", headroom,
                             widened(looked_up(divisor, tables["reciprocal_shift"])), shape),
        constant(_MIN_DIVIDEND_HEADROOM - shift), shape)
    magnitude = b.op("abs", [scaled], scaled.type)
    rounded = b.op("arithmetic_right_shift",
                   [magnitude, b.elementwise("minimum", right_shift, constant(31), shape)],
                   scaled.type, "round = true")
    beyond = b.op("greater", [right_shift, constant(31)], TensorType(shape, "i1"))
    rounded = b.op("select", [beyond, constant(0), rounded], scaled.type)
    below_zero = b.op("greater", [constant(0), scaled], TensorType(shape, "i1"))
    quotient = b.op("select", [below_zero, b.elementwise("sub", constant(0), rounded, shape),
                               rounded], scaled.type)
    # An exact rescale adds the zero point and saturates to int8.
    result = b.rescale(quotient, 1 << 30, 30, 0, out.zero_point(), "i8")
    return fused_activation(b, result, op.attrs["activation"], out)


def lower_clamp(b: FunctionBuilder, op: Op) -> None:
    """To [low, high]: reals for float tensors, stored integers for integer ones."""
    b.bind(op.output, b.clamp(b.value(op.inputs[0]), op.attrs["low"], op.attrs["high"]))


def lower_rescale(b: FunctionBuilder, op: Op) -> None:
    """(x - input_zp) * multiplier / 2^shift (per channel: along the last axis), rounded
    once (halves up), plus output_zp, saturated. `input_unsigned` / `output_unsigned` read
    or write the i8 data as uint8 (with a zero point of 0 on that side). With
    `float32_rounding` (`pex.float32_rounding`) the product is rounded as float32
    arithmetic computes it, fl(fl(x - input_zp) * multiplier / 2^shift), and then to the
    nearest integer, halves to even (ONNX Runtime's requantisation)."""
    x, out = op.inputs[0], op.output
    attrs = op.attrs
    multipliers = np.atleast_1d(np.asarray(attrs["multiplier"], np.int32))
    shifts = np.atleast_1d(np.asarray(attrs["shift"], np.int8))
    flags = (f"input_unsigned = {str(attrs.get('input_unsigned', False)).lower()}, "
             f"output_unsigned = {str(attrs.get('output_unsigned', False)).lower()}, "
             f"per_channel = {'true' if multipliers.size > 1 else 'false'}, "
             "rounding_mode = SINGLE_ROUND, scale32 = true")
    value = b.value(x)
    operands = [value, b.const(multipliers, "i32"), b.const(shifts, "i8"),
                b.scalar(attrs.get("input_zp", 0), value.dtype),
                b.scalar(attrs.get("output_zp", 0), out.dtype)]
    if attrs.get("float32_rounding"):
        flags += ", pex.float32_rounding = unit"
    b.bind(out, b.op("rescale", operands, TensorType(out.shape, out.dtype), flags))


def lower_table(b: FunctionBuilder, op: Op) -> None:
    """out = entries[x + 128] (int8)."""
    b.bind(op.output, b.table(b.value(op.inputs[0]), op.attrs["entries"]))
