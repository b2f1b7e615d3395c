"""add, sub, mul, squared difference, prelu, the unary activations and functions, cast,
quantize and dequantize.

int8 arithmetic follows TFLite Micro's reference kernels step by step: every
MultiplyByQuantizedMultiplier becomes one DOUBLE_ROUND rescale, which is bit-exact.
Unary int8 functions TOSA cannot spell (logistic, leaky relu) become 256-entry tables
computed with the reference kernel itself; the int16 logistic and tanh are TFLite Micro's
integer kernels (`pex.tosa.int16_functions`).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Op, same_quantization
from pex.reference.tflm_unary import INT16_TABLES, unary_table
from pex.tflm_reference import (ALL_INT8, int16_activation_parameters, leaky_relu_int8,
                                logistic_int8, lut_int16)
from pex.tosa.activation import fused_activation
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.int16_functions import logistic_int16, lookup_int16, tanh_int16
from pex.tosa.text import TensorType, float_literal

# TFLite's int8 ADD shifts both inputs left by 20 bits before scaling them, its int16
# (16x8) ADD by 15.
_ADD_LEFT_SHIFTS = {"i8": 20, "i16": 15}


def _widen(b: FunctionBuilder, x: Value, zero_point: int, left_shift: int = 0) -> Value:
    """(x - zero_point) * 2^left_shift as i32: a rescale that never rounds."""
    return b.rescale(x, 1 << 30, 30 - left_shift, zero_point, 0, "i32")


def _add_or_subtract(name: str):
    """TFLite's int8 (int16) ADD and SUB: both inputs widened by 2^20 (2^15), rescaled to
    twice the larger input scale, added (subtracted), rescaled to the output."""
    def lower(b: FunctionBuilder, op: Op) -> None:
        x, y = op.inputs
        out = op.output
        if out.dtype in ("f32", "i32"):
            result = b.elementwise(name, b.value(x), b.value(y), out.shape)
        else:
            left_shift = _ADD_LEFT_SHIFTS[out.dtype]
            twice_max_scale = 2 * max(x.scale(), y.scale())
            terms = []
            for term in (x, y):
                shifted = _widen(b, b.value(term), term.zero_point(), left_shift)
                terms.append(b.requantize(shifted, term.scale() / twice_max_scale, 0, 0, "i32"))
            total = b.elementwise(name, terms[0], terms[1], out.shape)
            result = b.requantize(total, twice_max_scale / ((1 << left_shift) * out.scale()),
                                 0, out.zero_point(), out.dtype)
        b.bind(out, fused_activation(b, result, op.attrs.get("activation", "NONE"), out))
    return lower


lower_add = _add_or_subtract("add")
lower_sub = _add_or_subtract("sub")

# TFLite's int8 SQUARED_DIFFERENCE widens both inputs by 2^7 only: their squared
# difference must fit in int32.
_SQUARED_DIFFERENCE_LEFT_SHIFT = 7


def lower_squared_difference(b: FunctionBuilder, op: Op) -> None:
    x, y = op.inputs
    out = op.output
    if out.dtype == "f32":
        difference = b.elementwise("sub", b.value(x), b.value(y), out.shape)
        b.bind(out, b.mul(difference, difference, out.shape))
        return
    twice_max_scale = 2 * max(x.scale(), y.scale())
    terms = []
    for term in (x, y):
        shifted = _widen(b, b.value(term), term.zero_point(), _SQUARED_DIFFERENCE_LEFT_SHIFT)
        terms.append(b.requantize(shifted, term.scale() / twice_max_scale, 0, 0, "i32"))
    difference = b.elementwise("sub", terms[0], terms[1], out.shape)
    square = b.mul(difference, difference, out.shape)
    b.bind(out, b.requantize(square, twice_max_scale * twice_max_scale
                             / ((1 << 2 * _SQUARED_DIFFERENCE_LEFT_SHIFT) * out.scale()),
                             0, out.zero_point(), "i8"))


def lower_prelu(b: FunctionBuilder, op: Op) -> None:
    """x >= 0 ? x : alpha * x. int8 as TFLite Micro: (x - zp) rescaled by one multiplier,
    or its product with (alpha - alpha zp) by another, then the output zero point."""
    x, alpha = op.inputs
    out = op.output
    value = b.value(x)
    if out.dtype == "f32":
        zeros = b.const(np.zeros((1,) * len(out.shape)), "f32")
        positive = b.elementwise("maximum", value, zeros, out.shape)
        negative = b.mul(b.elementwise("minimum", value, zeros, out.shape), b.value(alpha),
                         out.shape)
        b.bind(out, b.elementwise("add", positive, negative, out.shape))
        return
    centred = _widen(b, value, x.zero_point())
    alpha_values = alpha.data.astype(np.int64) - alpha.zero_point()
    product = b.mul(centred, b.const(alpha_values, "i32"), out.shape)
    identity = b.requantize(centred, x.scale() / out.scale(), 0, out.zero_point(), "i8")
    scaled = b.requantize(product, x.scale() * alpha.scale() / out.scale(), 0,
                          out.zero_point(), "i8")
    non_negative = b.op("greater_equal", [centred, b.const(np.zeros((1,) * len(out.shape)),
                                                            "i32")],
                        TensorType(out.shape, "i1"))
    b.bind(out, b.op("select", [non_negative, identity, scaled], TensorType(out.shape, "i8")))


def _hard_swish_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """x * min(max(x + 3, 0), 6) / 6."""
    ones = (1,) * len(shape)
    shifted = b.elementwise("add", x, b.const(np.full(ones, 3.0), "f32"), shape)
    relu6 = b.clamp(shifted, 0.0, 6.0)
    return b.mul(b.mul(x, relu6, shape), b.const(np.full(ones, 1 / 6), "f32"), shape)


def _float_function(name: str):
    def lower(b: FunctionBuilder, x: Value, shape) -> Value:
        return b.op(name, [x], x.type)
    return lower


def _sqrt_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """1 / rsqrt(x): TOSA has no square root (0 maps to 1 / inf = 0)."""
    return b.op("reciprocal", [b.op("rsqrt", [x], x.type)], x.type)


def _negate_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    return b.op("negate", [x, b.scalar(0, "f32"), b.scalar(0, "f32")], x.type)


def _elu_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """x > 0 ? x : exp(x) - 1."""
    ones = (1,) * len(shape)
    positive = b.op("greater", [x, b.const(np.zeros(ones), "f32")], TensorType(x.shape, "i1"))
    below = b.elementwise("sub", b.op("exp", [x], x.type), b.const(np.ones(ones), "f32"),
                          shape)
    return b.op("select", [positive, x, below], x.type)


def _gelu_f32(b: FunctionBuilder, x: Value, shape, approximate: bool = False) -> Value:
    """x (1 + erf(x / sqrt 2)) / 2, or x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2."""
    ones = (1,) * len(shape)
    def scalar(value: float) -> Value:
        return b.const(np.full(ones, value), "f32")
    if approximate:
        cube = b.mul(b.mul(x, x, shape), x, shape)
        inner = b.elementwise("add", x, b.mul(cube, scalar(0.044715), shape), shape)
        curve = b.op("tanh", [b.mul(inner, scalar(np.sqrt(2 / np.pi)), shape)], x.type)
    else:
        curve = b.op("erf", [b.mul(x, scalar(np.sqrt(0.5)), shape)], x.type)
    rise = b.elementwise("add", curve, scalar(1.0), shape)
    return b.mul(b.mul(x, scalar(0.5), shape), rise, shape)


def _square_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    return b.mul(x, x, shape)


# From 2^23 on every float32 is an integer (and may not fit the i32 a cast goes through).
_INTEGRAL_FLOAT = float(1 << 23)


def _rounded_f32(b: FunctionBuilder, x: Value, shape, adjust: str | None) -> Value:
    """Round half to even through TOSA's rounding cast to i32 and back (TFLite's ROUND);
    FLOOR (CEIL) steps the result down (up) by one where it passed x; values of 2^23 and
    more are kept."""
    ones = (1,) * len(shape)
    rounded = b.cast(b.cast(x, "i32"), "f32")
    if adjust is not None:
        passed = b.op("greater", [rounded, x] if adjust == "floor" else [x, rounded],
                      TensorType(x.shape, "i1"))
        step = b.elementwise("sub" if adjust == "floor" else "add", rounded,
                             b.const(np.ones(ones), "f32"), shape)
        rounded = b.op("select", [passed, step, rounded], x.type)
    integral = b.op("greater_equal", [b.op("abs", [x], x.type),
                                      b.const(np.full(ones, _INTEGRAL_FLOAT), "f32")],
                    TensorType(x.shape, "i1"))
    return b.op("select", [integral, x, rounded], x.type)


# sin's odd Taylor coefficients up to x^11: below 6e-8 off on [-pi/2, pi/2].
_SINE_COEFFICIENTS = (1.0, -1 / 6, 1 / 120, -1 / 5040, 1 / 362880, -1 / 39916800)


def _sine_f32(b: FunctionBuilder, x: Value, shape, phase: float = 0.0) -> Value:
    """sin(x + phase) in ops pexc compiles (it has no sin kernel): reduced by the nearest
    multiple of 2 pi (TOSA's rounding cast, so |x| below 2^31 2 pi) to [-pi, pi], folded
    to [-pi/2, pi/2] (sin(pi - r) = sin r), then the Taylor polynomial."""
    ones = (1,) * len(shape)

    def constant(value: float) -> Value:
        return b.const(np.full(ones, value), "f32")

    if phase:
        x = b.elementwise("add", x, constant(phase), shape)
    turns = b.cast(b.cast(b.mul(x, constant(1 / (2 * np.pi)), shape), "i32"), "f32")
    r = b.elementwise("sub", x, b.mul(turns, constant(2 * np.pi), shape), shape)
    above = b.op("greater", [r, constant(np.pi / 2)], TensorType(x.shape, "i1"))
    r = b.op("select", [above, b.elementwise("sub", constant(np.pi), r, shape), r], x.type)
    below = b.op("greater", [constant(-np.pi / 2), r], TensorType(x.shape, "i1"))
    r = b.op("select", [below, b.elementwise("sub", constant(-np.pi), r, shape), r], x.type)
    square = b.mul(r, r, shape)
    polynomial = constant(_SINE_COEFFICIENTS[-1])
    for coefficient in reversed(_SINE_COEFFICIENTS[:-1]):
        polynomial = b.elementwise("add", b.mul(polynomial, square, shape),
                                   constant(coefficient), shape)
    return b.mul(polynomial, r, shape)


class _Arithmetic:
    """Float32 arithmetic of one shape, for the functions below composed of TOSA ops."""

    def __init__(self, b: FunctionBuilder, shape) -> None:
        self.b, self.shape = b, tuple(shape)

    def const(self, value: float) -> Value:
        return self.b.const(np.full((1,) * len(self.shape), value), "f32")

    def _operand(self, x) -> Value:
        return x if isinstance(x, Value) else self.const(float(x))

    def add(self, x, y) -> Value:
        return self.b.elementwise("add", self._operand(x), self._operand(y), self.shape)

    def sub(self, x, y) -> Value:
        return self.b.elementwise("sub", self._operand(x), self._operand(y), self.shape)

    def mul(self, x, y) -> Value:
        return self.b.mul(self._operand(x), self._operand(y), self.shape)

    def unary(self, name: str, x: Value) -> Value:
        return self.b.op(name, [x], TensorType(self.shape, "f32"))

    def reciprocal(self, x: Value) -> Value:
        return self.unary("reciprocal", x)

    def abs(self, x: Value) -> Value:
        return self.unary("abs", x)

    def greater(self, x, y) -> Value:
        return self.b.op("greater", [self._operand(x), self._operand(y)],
                         TensorType(self.shape, "i1"))

    def equal(self, x, y) -> Value:
        return self.b.op("equal", [self._operand(x), self._operand(y)],
                         TensorType(self.shape, "i1"))

    def select(self, condition: Value, x, y) -> Value:
        return self.b.op("select", [condition, self._operand(x), self._operand(y)],
                         TensorType(self.shape, "f32"))

    def negate(self, x: Value) -> Value:
        return _negate_f32(self.b, x, self.shape)

    def polynomial(self, z: Value, coefficients) -> Value:
        """c0 + c1 z + c2 z^2 + ... by Horner's rule."""
        result = self.const(coefficients[-1])
        for coefficient in reversed(coefficients[:-1]):
            result = self.add(self.mul(result, z), coefficient)
        return result

    def with_sign_of(self, magnitude: Value, x: Value) -> Value:
        """magnitude, negated where x < 0 (odd functions computed on |x|)."""
        return self.select(self.greater(0.0, x), self.negate(magnitude), magnitude)

    def sqrt(self, x: Value) -> Value:
        return self.reciprocal(self.unary("rsqrt", x))

    def log1p(self, u: Value) -> Value:
        """log(1 + u) for u >= -1 without log's loss near 1 (Kahan: log(w) u / (w - 1),
        w = 1 + u rounded; u itself where w rounds to 1, log(w) where w is beyond 2^24)."""
        w = self.add(u, 1.0)
        ratio = self.select(self.greater(w, float(1 << 24)), 1.0,
                            self.mul(u, self.reciprocal(self.sub(w, 1.0))))
        return self.select(self.equal(w, 1.0), u, self.mul(self.unary("log", w), ratio))


# Cephes' atanf: atan(t) = t + t z P(z), z = t^2, on |t| <= tan(pi/8); 2e-7 relative.
_ARCTANGENT_COEFFICIENTS = (-3.33329491539e-1, 1.99777106478e-1, -1.38776856032e-1,
                            8.05374449538e-2)
_TAN_3PI_8 = 2.414213562373095
_TAN_PI_8 = 0.4142135623730950


def _arctangent(f: _Arithmetic, x: Value) -> Value:
    """Cephes' reduction of t = |x|: beyond tan(3 pi/8), pi/2 + atan(-1/t); beyond
    tan(pi/8), pi/4 + atan((t - 1) / (t + 1)); then the odd polynomial, x's sign."""
    t = f.abs(x)
    far = f.greater(t, _TAN_3PI_8)
    middle = f.greater(t, _TAN_PI_8)
    reduced = f.select(far, f.negate(f.reciprocal(t)),
                       f.select(middle, f.mul(f.sub(t, 1.0), f.reciprocal(f.add(t, 1.0))), t))
    offset = f.select(far, np.pi / 2, f.select(middle, np.pi / 4, 0.0))
    z = f.mul(reduced, reduced)
    series = f.mul(f.mul(f.polynomial(z, _ARCTANGENT_COEFFICIENTS), z), reduced)
    return f.with_sign_of(f.add(offset, f.add(series, reduced)), x)


def _arctangent_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    return _arctangent(_Arithmetic(b, shape), x)


def _arcsine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """atan(x / sqrt((1 - |x|)(1 + |x|))): 1 - |x| is exact near 1, x / 0 at |x| = 1 is
    infinite (atan: pi/2), NaN beyond 1 (rsqrt of a negative)."""
    f = _Arithmetic(b, shape)
    t = f.abs(x)
    return _arctangent(f, f.mul(x, f.unary("rsqrt", f.mul(f.sub(1.0, t), f.add(t, 1.0)))))


def _arccosine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """2 atan(sqrt((1 - x) / (1 + x))): each factor exact near its end, so acos keeps its
    relative accuracy near 1 (0 there) and reaches pi at -1 (atan of infinity)."""
    f = _Arithmetic(b, shape)
    ratio = f.mul(f.sub(1.0, x), f.reciprocal(f.add(x, 1.0)))
    return f.mul(_arctangent(f, f.sqrt(ratio)), 2.0)


# Cephes' tanf on [-pi/4, pi/4]: tan(r) = r + r z P(z), z = r^2.
_TANGENT_COEFFICIENTS = (3.33331568548e-1, 1.33387994085e-1, 5.34112807005e-2,
                         2.44301354525e-2, 3.11992232697e-3, 9.38540185543e-3)
# pi/2 in four parts (Cody and Waite), the first three of 12 significant bits: k times
# them is exact for |k| < 2^12, and the sum misses pi/2 by 2e-21.
_HALF_PI_PARTS = (1.57080078125, -4.453584551811218e-06, -8.706138032721356e-10,
                  6.223371969669989e-14)


def _tangent_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """x reduced by the nearest multiple k of pi/2 (TOSA's rounding cast; pi/2 in four
    parts) to r in [-pi/4, pi/4], Cephes' polynomial, -1/tan(r) where k is odd (k/2 not
    an integer)."""
    f = _Arithmetic(b, shape)
    k = b.cast(b.cast(f.mul(x, 2 / np.pi), "i32"), "f32")
    r = x
    for part in _HALF_PI_PARTS:
        r = f.sub(r, f.mul(k, part))
    z = f.mul(r, r)
    near = f.add(f.mul(f.mul(f.polynomial(z, _TANGENT_COEFFICIENTS), z), r), r)
    half = f.mul(k, 0.5)
    even = f.equal(b.cast(b.cast(half, "i32"), "f32"), half)
    return f.select(even, near, f.negate(f.reciprocal(near)))


# sinh's odd Taylor coefficients to x^7: below 2e-8 relative on |x| <= 1/2.
_SINH_COEFFICIENTS = (1.0, 1 / 6, 1 / 120, 1 / 5040)


def _half_exponential(f: _Arithmetic, t: Value) -> Value:
    """e^t / 2 as g (g / 2), g = e^(t / 2): finite up to t = 89.4 (e^t overflows from
    88.7)."""
    g = f.unary("exp", f.mul(t, 0.5))
    return f.mul(g, f.mul(g, 0.5))


def _hyperbolic_sine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """e^|x| / 2 - e^-|x| / 2 with x's sign; below 1/2 (cancellation) the Taylor
    polynomial."""
    f = _Arithmetic(b, shape)
    t = f.abs(x)
    half = _half_exponential(f, t)
    difference = f.sub(half, f.mul(f.reciprocal(half), 0.25))
    series = f.mul(f.polynomial(f.mul(t, t), _SINH_COEFFICIENTS), t)
    return f.with_sign_of(f.select(f.greater(t, 0.5), difference, series), x)


def _hyperbolic_cosine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """e^|x| / 2 + e^-|x| / 2."""
    f = _Arithmetic(b, shape)
    half = _half_exponential(f, f.abs(x))
    return f.add(half, f.mul(f.reciprocal(half), 0.25))


# Beyond 2^12 sqrt(x^2 +- 1) is |x| to float32 precision: asinh, acosh are log(2 |x|).
_LARGE_HYPERBOLIC = 4096.0
_LOG_2 = float(np.log(2.0))


def _inverse_hyperbolic_sine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """log1p(|x| + x^2 / (1 + sqrt(1 + x^2))) (no cancellation near 0), log|x| + log 2
    beyond 2^12; x's sign."""
    f = _Arithmetic(b, shape)
    t = f.abs(x)
    square = f.mul(t, t)
    u = f.add(t, f.mul(square, f.reciprocal(f.add(f.sqrt(f.add(square, 1.0)), 1.0))))
    large = f.add(f.unary("log", t), _LOG_2)
    return f.with_sign_of(f.select(f.greater(t, _LARGE_HYPERBOLIC), large, f.log1p(u)), x)


def _inverse_hyperbolic_cosine_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """log1p(t + sqrt(t (t + 2))), t = x - 1 (exact near 1), log x + log 2 beyond 2^12;
    NaN below 1."""
    f = _Arithmetic(b, shape)
    t = f.sub(x, 1.0)
    u = f.add(t, f.sqrt(f.mul(t, f.add(t, 2.0))))
    large = f.add(f.unary("log", x), _LOG_2)
    return f.select(f.greater(x, _LARGE_HYPERBOLIC), large, f.log1p(u))


def _inverse_hyperbolic_tangent_f32(b: FunctionBuilder, x: Value, shape) -> Value:
    """log1p(2|x| / (1 - |x|)) / 2, x's sign: infinite at |x| = 1, NaN beyond."""
    f = _Arithmetic(b, shape)
    t = f.abs(x)
    u = f.mul(f.mul(t, 2.0), f.reciprocal(f.sub(1.0, t)))
    return f.with_sign_of(f.mul(f.log1p(u), 0.5), x)


_FLOAT_FUNCTIONS = {
    "tanh": _float_function("tanh"),
    "sin": _sine_f32,
    "cos": lambda b, x, shape: _sine_f32(b, x, shape, phase=np.pi / 2),
    "tan": _tangent_f32,
    "atan": _arctangent_f32,
    "asin": _arcsine_f32,
    "acos": _arccosine_f32,
    "sinh": _hyperbolic_sine_f32,
    "cosh": _hyperbolic_cosine_f32,
    "asinh": _inverse_hyperbolic_sine_f32,
    "acosh": _inverse_hyperbolic_cosine_f32,
    "atanh": _inverse_hyperbolic_tangent_f32,
    "elu": _elu_f32,
    "gelu": _gelu_f32,
    "gelu_tanh": lambda b, x, shape: _gelu_f32(b, x, shape, approximate=True),
    "square": _square_f32,
    "floor": lambda b, x, shape: _rounded_f32(b, x, shape, "floor"),
    "ceil": lambda b, x, shape: _rounded_f32(b, x, shape, "ceil"),
    "round": lambda b, x, shape: _rounded_f32(b, x, shape, None),
    "hard_swish": _hard_swish_f32,
    "abs": _float_function("abs"),
    "exp": _float_function("exp"),
    "log": _float_function("log"),
    "erf": _float_function("erf"),
    "rsqrt": _float_function("rsqrt"),
    "sqrt": _sqrt_f32,
    "neg": _negate_f32,
}


def lower_unary_function(b: FunctionBuilder, op: Op) -> None:
    """Float: TOSA's function. int8: a table of TFLite's int8 results. int16: TANH as
    TFLite Micro's int16 kernel, GELU its interpolated 513-entry table (LUTLookup)."""
    x, out = op.inputs[0], op.output
    if x.dtype == "f32":
        b.bind(out, _FLOAT_FUNCTIONS[op.kind](b, b.value(x), out.shape))
        return
    if x.dtype == "i16" and op.kind in INT16_TABLES:
        lut = lut_int16(INT16_TABLES[op.kind], x.scale(), x.zero_point(), out.scale(),
                        out.zero_point())
        b.bind(out, b.cast(lookup_int16(b, b.value(x), lut), "i16"))
        return
    if x.dtype == "i16":
        b.bind(out, _sigmoid_16x8(b, op, tanh=True))
        return
    b.bind(out, b.table(b.value(x), unary_table(op.kind, x.quant, out.quant)))


def lower_cast(b: FunctionBuilder, op: Op) -> None:
    b.bind(op.output, b.cast(b.value(op.inputs[0]), op.output.dtype))


def lower_mul(b: FunctionBuilder, op: Op) -> None:
    x, y = op.inputs
    out = op.output
    if out.dtype in ("f32", "i32"):
        result = b.mul(b.value(x), b.value(y), out.shape)
    else:
        product = b.mul(_widen(b, b.value(x), x.zero_point()),
                        _widen(b, b.value(y), y.zero_point()), out.shape)
        result = b.requantize(product, x.scale() * y.scale() / out.scale(), 0,
                             out.zero_point(), out.dtype)
    b.bind(out, fused_activation(b, result, op.attrs["activation"], out))


_CLAMP_ACTIVATIONS = {"relu": "RELU", "relu6": "RELU6", "relu_n1_to_1": "RELU_N1_TO_1"}


def lower_clamp_activation(b: FunctionBuilder, op: Op) -> None:
    """RELU, RELU6, RELU_N1_TO_1: a requantisation (if the scales differ), then a clamp."""
    x, out = op.inputs[0], op.output
    value = b.value(x)
    if x.dtype == "i8" and not same_quantization(x, out):
        value = b.requantize(value, x.scale() / out.scale(), x.zero_point(),
                            out.zero_point(), "i8")
    b.bind(out, fused_activation(b, value, _CLAMP_ACTIVATIONS[op.kind], out))


def lower_logistic(b: FunctionBuilder, op: Op) -> None:
    x, out = op.inputs[0], op.output
    if x.dtype == "f32":
        b.bind(out, b.op("sigmoid", [b.value(x)], TensorType(out.shape, "f32")))
        return
    if x.dtype == "i16":
        b.bind(out, _sigmoid_16x8(b, op, tanh=False))
        return
    table = logistic_int8(ALL_INT8, x.scale(), x.zero_point())
    b.bind(out, b.table(b.value(x), table))


def lower_leaky_relu(b: FunctionBuilder, op: Op) -> None:
    x, out = op.inputs[0], op.output
    alpha = op.attrs["alpha"]
    if x.dtype == "f32":
        value = b.value(x)
        scaled = b.mul(value, b.const(np.full((1,) * len(out.shape), alpha), "f32"), out.shape)
        # x > 0 ? x : alpha * x  is the larger of the two for alpha <= 1, else the smaller.
        b.bind(out, b.elementwise("maximum" if alpha <= 1 else "minimum", value, scaled,
                                  out.shape))
        return
    if x.dtype == "i16":
        b.bind(out, _leaky_relu_16x8(b, op))
        return
    table = leaky_relu_int8(ALL_INT8, x.scale(), x.zero_point(), out.scale(),
                            out.zero_point(), alpha)
    b.bind(out, b.table(b.value(x), table))


def _leaky_relu_16x8(b: FunctionBuilder, op: Op) -> Value:
    """TFLite Micro's int16 LEAKY_RELU (too many inputs for a table): x rescaled by the
    identity multiplier where x >= 0, else by alpha's, both saturated to int16;
    LeakyReluPrepare takes the scale products in float32. Zero points are 0 (16x8)."""
    x, out = op.inputs[0], op.output
    scale, out_scale = np.float32(x.scale()), np.float32(out.scale())
    centred = _widen(b, b.value(x), 0)
    identity = b.requantize(centred, float(scale / out_scale), 0, 0, "i16")
    scaled = b.requantize(centred, float(scale * np.float32(op.attrs["alpha"]) / out_scale),
                          0, 0, "i16")
    non_negative = b.op("greater_equal", [centred, b.const(np.zeros((1,) * len(out.shape)),
                                                            "i32")],
                        TensorType(out.shape, "i1"))
    return b.op("select", [non_negative, identity, scaled], TensorType(out.shape, "i16"))


def _sigmoid_16x8(b: FunctionBuilder, op: Op, tanh: bool) -> Value:
    """TFLite Micro's int16 Logistic or Tanh (65,536 inputs: no table) with
    LogisticPrepare's or TanhPrepare's input multiplier and shift, on x widened to int32;
    the Q0.15 result fits int16."""
    x = op.inputs[0]
    function = tanh_int16 if tanh else logistic_int16
    parameters = int16_activation_parameters(x.scale(), tanh)
    return b.cast(function(b, b.cast(b.value(x), "i32"), parameters), "i16")


def lower_quantize(b: FunctionBuilder, op: Op) -> None:
    x, out = op.inputs[0], op.output
    if x.dtype != "f32":  # between int8 (or uint8 bytes) and int16
        # A uint8 side is first (last) the exact int8 x - 128, zero point lowered by 128:
        # the same saturation and rounding as TFLite's Requantize to or from uint8.
        value, input_zp, output_zp = b.value(x), x.zero_point(), out.zero_point()
        if x.unsigned:
            value = b.rescale(value, 1 << 30, 30, 0, -128, "i8", input_unsigned=True)
            input_zp -= 128
        if out.unsigned:
            output_zp -= 128
        result = b.requantize(value, x.scale() / out.scale(), input_zp, output_zp, out.dtype)
        if out.unsigned:
            result = b.rescale(result, 1 << 30, 30, -128, 0, "i8", output_unsigned=True)
        b.bind(out, result)
        return
    ones = (1,) * len(out.shape)
    if op.attrs.get("float32_division"):
        # ONNX Runtime's fl(x / scale) rounded half to even, + zero_point, saturated: the
        # multiplication by fl(1 / scale) marked to divide by the scale (TOSA has no float
        # division), converted to int16 (halves to even, saturated: past it every result
        # saturates), the zero point added to the integer by an exact rescale (added to
        # the quotient, it would round again).
        divisor = np.float32(out.scale())
        quotient = b.op("mul", [b.value(x), b.const(np.full(ones, 1.0 / divisor), "f32"),
                                b.scalar(0, "i8")], TensorType(tuple(out.shape), "f32"),
                        f"pex.divisor = {float_literal(float(divisor))} : f32")
        b.bind(out, b.rescale(b.cast(quotient, "i16"), 1 << 30, 30, 0, out.zero_point(),
                              out.dtype))
        return
    # round(x / scale) + zero_point, saturated by the cast. TOSA has no float division
    # and casts round halves to even, here of x / scale + zero_point: TFLite (halves away
    # from zero) differs by 1 LSB at most, on exact ties (docs/importers.md).
    scaled = b.mul(b.value(x), b.const(np.full(ones, 1.0 / out.scale()), "f32"), out.shape)
    shifted = b.elementwise("add", scaled, b.const(np.full(ones, out.zero_point()), "f32"),
                            out.shape)
    b.bind(out, b.cast(shifted, out.dtype))


def lower_dequantize(b: FunctionBuilder, op: Op) -> None:
    x, out = op.inputs[0], op.output
    if x.quant.per_channel:
        raise ModelError(f"dequantize of '{x.name}' with per-channel quantisation")
    ones = (1,) * len(out.shape)
    centred = b.elementwise("sub", b.cast(b.value(x), "f32"),
                            b.const(np.full(ones, x.zero_point()), "f32"), out.shape)
    b.bind(out, b.mul(centred, b.const(np.full(ones, x.scale()), "f32"), out.shape))
