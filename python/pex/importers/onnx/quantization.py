"""Quantisation parameters of ONNX int8 tensors and the rescales between them.

Parameters are kept in int8 terms: a uint8 tensor is held as int8 with its zero point
lowered by 128 (the same reals). A TOSA rescale multiplier is chosen to represent a
float32 real multiplier exactly (its 24 significant bits fit the 31-bit multiplier).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pex.errors import ModelError
from pex.graph import Quantization, Tensor
from pex.importers.onnx.layout import Activation


@dataclass(frozen=True)
class Params:
    """Quantisation parameters in int8 terms: a uint8 zero point is stored less 128."""

    scale: np.ndarray  # float32
    zero_point: np.ndarray  # int64
    axis: int | None
    unsigned: bool

    @property
    def per_tensor(self) -> bool:
        return self.scale.size == 1

    def quantization(self) -> Quantization:
        return Quantization(self.scale.reshape(-1).astype(np.float32),
                            self.zero_point.reshape(-1).astype(np.int64),
                            None if self.per_tensor else self.axis)

    def same(self, other: Params) -> bool:
        return (self.unsigned == other.unsigned and np.array_equal(self.scale, other.scale)
                and np.array_equal(self.zero_point, other.zero_point))

    def quantize(self, value: float) -> int:
        """Q(value), as ONNX defines it (float32 division, halves to even, saturated)."""
        scaled = np.float32(value) / np.float32(self.scale.reshape(-1)[0]) \
            if np.isfinite(value) else value
        q = np.clip(np.rint(scaled) + int(self.zero_point.reshape(-1)[0]), -128, 127)
        return int(q)


def read_params(r, node, scale_position: int, zero_position: int, axis=None) -> Params | None:
    """The (scale, zero point) inputs of a Q/DQ or QLinear node; None if not constant."""
    scale = r.constant_ahead(node.input[scale_position])
    if scale is None:
        return None
    zero = r.constant_ahead(node.input[zero_position]) if r.has_input(node, zero_position) else \
        np.zeros(1, np.uint8)  # ONNX's default zero point is uint8 0
    if zero is None:
        return None
    zero = np.asarray(zero)
    if zero.dtype not in (np.int8, np.uint8, np.int32):  # int32: a bias
        raise ModelError(f"zero point of type {zero.dtype}; only int8 and uint8 (int32 for "
                         f"a bias) are supported")
    scale = np.asarray(scale, np.float32).reshape(-1)
    if np.any(scale <= 0) or not np.all(np.isfinite(scale)):
        raise ModelError("a quantisation scale is not positive and finite")
    unsigned = zero.dtype == np.uint8
    zero_point = zero.astype(np.int64).reshape(-1) - (128 if unsigned else 0)
    if zero_point.size not in (1, scale.size):
        raise ModelError(f"{zero_point.size} zero points for {scale.size} scales")
    return Params(scale, np.broadcast_to(zero_point, scale.shape).copy(), axis, unsigned)


def node_params(r, node, scale_position: int, zero_position: int, axis=None) -> Params:
    params = read_params(r, node, scale_position, zero_position, axis)
    if params is None:
        raise ModelError("quantisation parameters computed at run time are not supported")
    return params


def as_int8(data: np.ndarray) -> np.ndarray:
    """uint8 data in int8 terms (less 128)."""
    return (data.astype(np.int16) - 128).astype(np.int8) if data.dtype == np.uint8 \
        else data.astype(np.int8)


def rescale_parameters(real: float) -> tuple[int, int]:
    """A TOSA multiplier in [2^30, 2^31) and right shift with multiplier / 2^shift equal to
    `real` (exactly for a float32 value, whose 24 significant bits fit)."""
    mantissa, exponent = math.frexp(real)
    multiplier = round(mantissa * (1 << 31))
    if multiplier == 1 << 31:
        multiplier, exponent = multiplier // 2, exponent + 1
    shift = 31 - exponent
    if shift > 62:  # below 2^-31: fewer significant bits, still far below one output step
        multiplier, shift = round(multiplier / (1 << (shift - 62))), 62
    if shift < 2 or multiplier == 0:
        raise ModelError(f"requantisation multiplier {real:g} is out of TOSA's range")
    return multiplier, shift


def emit_rescale(r, x: Tensor, reals, input_zp: int, output_zp: int, dtype: str,
                 quant: Quantization | None, name: str, **flags) -> Tensor:
    """A rescale by `reals` (one, or one per channel of the last axis)."""
    reals = np.atleast_1d(reals)
    if np.all(reals == reals[0]):
        reals = reals[:1]
    parameters = [rescale_parameters(float(m)) for m in reals]
    return r.emit("rescale", [x], x.shape, dtype, quant, name=name,
                  multiplier=tuple(m for m, _ in parameters),
                  shift=tuple(s for _, s in parameters), input_zp=int(input_zp),
                  output_zp=int(output_zp), **flags)


def emit_float_requantization(r, acc: Tensor, reals, output_zp: int, quant: Quantization,
                              name: str) -> Tensor:
    """ONNX Runtime's requantisation of an i32 accumulator by the float32 multipliers
    `reals` (one, or one per channel of the last axis): the accumulator converted to
    float32, multiplied in float32, rounded half to even, plus `output_zp`, saturated to
    int8. A rescale by the same (exactly represented) multipliers marked
    `float32_rounding`: its exact product rounded once, halves up, would differ where
    the float32 product is a half-integer."""
    return emit_rescale(r, acc, np.asarray(reals, np.float32), 0, output_zp, "i8", quant, name,
                        float32_rounding=True)


def widen(r, x: Tensor, scale_real: float, name: str) -> Tensor:
    """(x - zero point) * scale_real as i32."""
    return emit_rescale(r, x, [scale_real], x.quant.zero_point[0], 0, "i32", None, name)


def to_unsigned(r, x: Tensor, name: str) -> Tensor:
    """An int8-held uint8 tensor as the uint8 bytes it stands for (+128, exact)."""
    quant = Quantization(x.quant.scale, x.quant.zero_point + 128)
    result = emit_rescale(r, x, [1.0], -128, 0, "i8", quant, f"{name}/uint8",
                          output_unsigned=True)
    result.unsigned = True
    return result


def input_view(r, name: str, params: Params) -> Activation:
    """An int8 input (or int8 activation) read with `params`: a uint8 model input gets its
    exact conversion to int8, an input its parameters."""
    act = r.activations[name]
    tensor = act.tensor
    if tensor.quant is None:  # a model input, first read here
        if not params.per_tensor:
            raise ModelError(f"per-axis parameters for the input '{name}'")
        if act.unsigned:
            tensor.quant = Quantization(params.scale, params.zero_point + 128)
            converted = emit_rescale(r, tensor, [1.0], 0, -128, "i8", params.quantization(),
                                     f"{name}/int8", input_unsigned=True)
            act = r.define(name, converted, act.perm, unsigned=True)
        else:
            tensor.quant = params.quantization()
        r.unquantized_inputs.pop(name, None)
        return act
    if not Params(tensor.quant.scale, tensor.quant.zero_point, None, act.unsigned).same(params):
        raise ModelError(f"'{name}' is read with other quantisation parameters than it was "
                         f"quantised with")
    return act
