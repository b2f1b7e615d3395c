"""Elementwise ops without TFLite's int8 arithmetic: div, maximum, minimum, clamp,
tanh, `rescale`, an integer requantisation whose multipliers the importer chose, and
`table`, an int8 lookup table the importer computed."""

from __future__ import annotations

import numpy as np

from pex.graph import Op
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder
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
    divisor = b.value(y)
    inverse = b.op("reciprocal", [divisor], divisor.type)
    quotient = b.mul(b.value(x), inverse, op.output.shape)
    b.bind(op.output, fused_activation(b, quotient, op.attrs.get("activation", "NONE"),
                                       op.output))


def lower_clamp(b: FunctionBuilder, op: Op) -> None:
    """To [low, high]: reals for float tensors, stored integers for integer ones."""
    b.bind(op.output, b.clamp(b.value(op.inputs[0]), op.attrs["low"], op.attrs["high"]))


def lower_rescale(b: FunctionBuilder, op: Op) -> None:
    """(x - input_zp) * multiplier / 2^shift (per channel: along the last axis), rounded
    once (halves up), plus output_zp, saturated. `input_unsigned` / `output_unsigned` read
    or write the i8 data as uint8 (with a zero point of 0 on that side)."""
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
    b.bind(out, b.op("rescale", operands, TensorType(out.shape, out.dtype), flags))


def lower_table(b: FunctionBuilder, op: Op) -> None:
    """out = entries[x + 128] (int8)."""
    b.bind(op.output, b.table(b.value(op.inputs[0]), op.attrs["entries"]))
