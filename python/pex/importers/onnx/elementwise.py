"""Elementwise operators (float): numpy-broadcasting arithmetic, activations, Softmax."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation, preferred_perm, stored_shape


def operand(r, name: str):
    """A constant (numpy) or a float activation."""
    return r.constants[name] if r.is_constant(name) else r.float_activation(name)


def index_operands(r, names) -> list | None:
    """The operands of arithmetic on indices (token ids, positions: int32 on the device)
    when one of them is an int32 activation, constants as int32 arrays; None when the
    operator works on floats."""
    activations = [r.raw(name) for name in names if not r.is_constant(name)]
    if not any(act.tensor.dtype == "i32" for act in activations):
        return None
    operands = []
    for name in names:
        if not r.is_constant(name):
            act = r.raw(name)
            if act.tensor.dtype != "i32":
                raise ModelError(f"'{name}' is not an integer tensor; the other operand "
                                 f"holds indices")
            operands.append(act)
            continue
        operands.append(int32_constant(r, name))
    return operands


def int32_constant(r, name: str) -> np.ndarray:
    """An integer constant operand of arithmetic on indices, as int32."""
    data = np.asarray(r.constants[name])
    if not np.issubdtype(data.dtype, np.integer) or data.size and (
            data.min() < np.iinfo(np.int32).min or data.max() > np.iinfo(np.int32).max):
        raise ModelError(f"constant '{name}' is not an int32 value; the other operand "
                         f"holds indices")
    return data.astype(np.int32)


def with_rank(r, act: Activation, rank: int) -> Activation:
    """The activation with unit axes prepended up to `rank` (numpy broadcasting's view)."""
    if act.rank == rank:
        return act
    extra = rank - act.rank
    perm = tuple(range(extra)) + tuple(a + extra for a in act.perm)
    shape = (1,) * extra + act.tensor.shape
    x = act.tensor
    tensor = Tensor(x.name, shape, x.dtype, x.quant, x.data.reshape(shape)) if x.is_constant \
        else r.emit("reshape", [x], shape, like=x, name=f"{x.name}/rank{rank}")
    return Activation(tensor, perm, act.form, act.unsigned)


def broadcast(r, operands: list, perm=None):
    """The operands' tensors in one layout and rank, ready for a TOSA elementwise op, with
    the ONNX shape of the result and its layout: that of the first activation of full
    rank (so the common case, a per-channel constant against NHWC, needs no transpose).
    Constants become float32, but booleans (a select's condition) and int32 arrays (the
    operands of arithmetic on indices) keep their type."""
    shapes = [o.shape for o in operands]
    try:
        shape = tuple(int(d) for d in np.broadcast_shapes(*shapes))
    except ValueError:
        raise ModelError(f"shapes {' and '.join(str(list(s)) for s in shapes)} do not "
                         f"broadcast") from None
    rank = len(shape)
    if perm is None:
        perm = next((o.perm for o in operands if isinstance(o, Activation) and o.rank == rank),
                    preferred_perm(rank))
    tensors = []
    for index, o in enumerate(operands):
        if isinstance(o, Activation):
            tensors.append(r.stored(with_rank(r, o, rank), perm))
        else:
            data = np.asarray(o).reshape((1,) * (rank - np.ndim(o)) + np.shape(o))
            name = f"{r.loc.name}/operand{index}"
            kept = {np.dtype(np.bool_): "i1", np.dtype(np.int32): "i32"}.get(data.dtype)
            if kept:
                stored = np.ascontiguousarray(data.transpose(perm))
                tensors.append(Tensor(name, stored.shape, kept, None, stored))
            else:
                tensors.append(r.constant_activation(data.astype(np.float32), name,
                                                     perm).tensor)
    return tensors, shape, tuple(perm)


def binary(r, kind: str, operands: list, name: str, dtype: str = "f32",
           **attrs) -> Activation:
    """`kind` of numpy-broadcast operands (two, or a select's three), of type `dtype`."""
    tensors, shape, perm = broadcast(r, operands)
    out = r.emit(kind, tensors, stored_shape(shape, perm), dtype, name=name, **attrs)
    return Activation(out, perm)


def _arithmetic(kind: str):
    def convert(r, node, attrs) -> None:
        extra = {"activation": "NONE"} if kind in ("add", "mul") else {}
        indices = index_operands(r, node.input)
        if indices is not None:  # ids + offset: int32, wrapping as the device's adds do
            r.alias(node.output[0], binary(r, kind, indices, node.output[0], "i32", **extra))
            return
        operands = [operand(r, n) for n in node.input]
        r.alias(node.output[0], binary(r, kind, operands, node.output[0], **extra))
    return convert


def div(r, node, attrs) -> None:
    """By a constant: a multiplication by its reciprocal (rounded once, in double);
    otherwise a division (reciprocal and multiplication)."""
    a, b = (operand(r, n) for n in node.input)
    if not isinstance(b, Activation):
        inverse = (1.0 / np.asarray(b, np.float64)).astype(np.float32)
        result = binary(r, "mul", [a, inverse], node.output[0], activation="NONE")
    else:
        result = binary(r, "div", [a, b], node.output[0])
    r.alias(node.output[0], result)


def _as_float(r, x, name: str):
    """An int32 operand (activation or array) as float32 (rounded beyond 2^24)."""
    if not isinstance(x, Activation):
        return np.asarray(x).astype(np.float32)
    return Activation(r.emit("cast", [x.tensor], x.tensor.shape, "f32", name=name), x.perm)


def _as_int(r, x: Activation, name: str) -> Activation:
    """float32 to int32, rounded to the nearest (TOSA's cast)."""
    return Activation(r.emit("cast", [x.tensor], x.tensor.shape, "i32", name=name), x.perm)


def modulo(r, node, attrs) -> None:
    """Mod of int32 indices (ONNX's int64): the remainder with the divisor's sign (fmod 0,
    Python's %) or the dividend's (fmod 1, C's %), exact: two steps of a - b round(a / b),
    the quotient estimated in float32 (1 / b a constant, or a reciprocal) and the product
    taken in int32, leave r = a - b q with |r| <= |b| / 2 (the first step, |a| up to
    2^31, misses q by at most 2^31 2^-22, so the second's quotient is exact but at
    ties); r moves by b once where its sign is the wrong one. A divisor of 0 is refused
    when constant, undefined (as in ONNX) when computed. Floats are refused: float32 ops
    cannot give fmod's exact remainder."""
    name = node.output[0]
    fmod = int(attrs.get("fmod", 0))
    indices = index_operands(r, node.input)
    if indices is None:
        raise ModelError("Mod of floats is not supported (only of int32 indices: TOSA's "
                         "float32 operations cannot compute the exact remainder)")
    a, b = indices
    if not isinstance(b, Activation) and np.any(b == 0):
        raise ModelError("Mod by a constant 0")
    if isinstance(b, Activation):
        inverse = binary(r, "div", [np.ones((1,) * b.rank, np.float32),
                                    _as_float(r, b, f"{name}/divisor")], f"{name}/inverse")
    else:
        inverse = (1.0 / b.astype(np.float64)).astype(np.float32)
    remainder = a
    for step in (1, 2):
        estimate = binary(r, "mul", [_as_float(r, remainder, f"{name}/float{step}"), inverse],
                          f"{name}/estimate{step}", activation="NONE")
        quotient = _as_int(r, estimate, f"{name}/quotient{step}")
        product = binary(r, "mul", [quotient, b], f"{name}/product{step}", "i32",
                         activation="NONE")
        remainder = binary(r, "sub", [remainder, product], f"{name}/remainder{step}", "i32")
    zero = np.zeros((1,) * remainder.rank, np.int32)
    negative = binary(r, "compare", [zero, remainder], f"{name}/negative", "i1",
                      predicate="greater")
    positive = binary(r, "compare", [remainder, zero], f"{name}/positive", "i1",
                      predicate="greater")
    # The step where the remainder is negative (positive): fmod 0, b where b > 0 (< 0);
    # fmod 1, |b| (-|b|) where a >= 0 (< 0).
    if fmod:
        if isinstance(b, Activation):
            magnitude = binary(r, "maximum", [b, binary(r, "sub", [zero, b],
                                                        f"{name}/negated", "i32")],
                               f"{name}/magnitude", "i32")
            lowered = binary(r, "sub", [zero, magnitude], f"{name}/lowered", "i32")
        else:
            magnitude, lowered = np.abs(b).astype(np.int32), (-np.abs(b)).astype(np.int32)
        dividend_negative = binary(r, "compare", [zero, a], f"{name}/dividend_negative",
                                   "i1", predicate="greater")
        up = binary(r, "select", [dividend_negative, zero, magnitude], f"{name}/up", "i32")
        down = binary(r, "select", [dividend_negative, lowered, zero], f"{name}/down", "i32")
    else:
        up = binary(r, "maximum", [b, zero], f"{name}/up", "i32") \
            if isinstance(b, Activation) else np.maximum(b, 0).astype(np.int32)
        down = binary(r, "minimum", [b, zero], f"{name}/down", "i32") \
            if isinstance(b, Activation) else np.minimum(b, 0).astype(np.int32)
    raise_by = binary(r, "select", [negative, up, zero], f"{name}/raise", "i32")
    lower_by = binary(r, "select", [positive, down, zero], f"{name}/lower", "i32")
    raised = binary(r, "add", [remainder, raise_by], f"{name}/raised", "i32",
                    activation="NONE")
    r.alias(name, binary(r, "add", [raised, lower_by], name, "i32", activation="NONE"))


def power(r, node, attrs) -> None:
    """x ** y for a constant y (a scalar, or one value throughout): products for integer
    powers up to 64 in magnitude (`_integer_power`: beyond 4 by squaring; a reciprocal
    for negative ones; a negative x keeps its sign for odd ones), sqrt and
    rsqrt for 1/2 and -1/2, exp(y log x) for other fractional ones (NaN for a negative x
    as C's powf; 1/p computed in float32, such as F.pairwise_distance's 0.49999976, is
    one). Larger integer powers and 0 are refused: TOSA's pow has no kernel here, and
    exp(y log x) is wrong for a negative x."""
    x = r.float_activation(node.input[0])
    if not r.is_constant(node.input[1]):
        raise ModelError("only a constant scalar exponent is supported")
    exponents = np.asarray(r.constants[node.input[1]])
    if exponents.size != 1 and (np.any(exponents != exponents.reshape(-1)[0])
                                or np.broadcast_shapes(x.shape, exponents.shape) != x.shape):
        raise ModelError(f"exponent of shape {list(exponents.shape)}: only one value for "
                         f"all elements, not broadcasting x {list(x.shape)}, is supported")
    exponent = float(exponents.reshape(-1)[0])
    if not np.isfinite(exponent):
        raise ModelError(f"exponent {exponent:g} is not supported")
    name = node.output[0]
    if exponent in (0.5, -0.5):
        r.alias(name, unary(r, None, "sqrt" if exponent > 0 else "rsqrt", name, x))
        return
    if exponent != int(exponent):
        logarithm = unary(r, None, "log", f"{name}/log", x)
        scaled = binary(r, "mul", [logarithm, np.array(exponent, np.float32)],
                        f"{name}/scaled", activation="NONE")
        r.alias(name, unary(r, None, "exp", name, scaled))
        return
    if not 1 <= abs(exponent) <= _LARGEST_POWER:
        raise ModelError(f"exponent {exponent:g} is not supported (integers from 1 to "
                         f"{_LARGEST_POWER} in magnitude, and fractions)")
    r.alias(name, _integer_power(r, x, int(exponent), name))


_LARGEST_POWER = 64


def _integer_power(r, x: Activation, exponent: int, name: str) -> Activation:
    """x ** exponent (a non-zero integer): up to 4 in magnitude a chain of products by x;
    beyond, by squaring from the exponent's leading bit (r = r * r, then r = r * x where
    the next bit is set: log2 |n| squarings), a reciprocal for a negative exponent. The
    last op is named `name`."""
    magnitude = abs(exponent)
    if magnitude <= 4:
        power_of = x
        for step in range(1, magnitude):
            last = step == magnitude - 1 and exponent > 0
            power_of = binary(r, "mul", [power_of, x],
                              name if last else f"{name}/power{step + 1}", activation="NONE")
        return _reciprocal_of(r, power_of, name) if exponent < 0 else power_of
    result, power = x, 1
    steps = bin(magnitude)[3:]
    for index, bit in enumerate(steps):
        last = index == len(steps) - 1 and exponent > 0
        power *= 2
        result = binary(r, "mul", [result, result],
                        name if last and bit == "0" else f"{name}/square{power}",
                        activation="NONE")
        if bit == "1":
            power += 1
            result = binary(r, "mul", [result, x], name if last else f"{name}/power{power}",
                            activation="NONE")
    return _reciprocal_of(r, result, name) if exponent < 0 else result


def _reciprocal_of(r, x: Activation, name: str) -> Activation:
    return binary(r, "div", [np.ones((1,) * x.rank, np.float32), x], name)


def reciprocal(r, node, attrs) -> None:
    r.alias(node.output[0], _reciprocal_of(r, r.float_activation(node.input[0]),
                                           node.output[0]))


def _chain(r, node, kind: str, last_name: str):
    """`kind` of all the node's inputs, a chain of binary ops (the last one named
    `last_name`); the input itself when there is one."""
    operands = [operand(r, n) for n in node.input]
    if not any(isinstance(o, Activation) for o in operands):
        raise ModelError("no input is computed at run time")
    result = operands[0]
    extra = {"activation": "NONE"} if kind == "add" else {}
    for index, o in enumerate(operands[1:], 1):
        last = index == len(operands) - 1
        result = binary(r, kind, [result, o],
                        last_name if last else f"{node.output[0]}/{index}", **extra)
    return result


def _variadic(kind: str):
    """Max, Min, Sum of any number of inputs: a chain of binary ops."""
    def convert(r, node, attrs) -> None:
        r.alias(node.output[0], _chain(r, node, kind, node.output[0]))
    return convert


def unary(r, node, kind: str, name: str | None = None, source=None, **attrs) -> Activation:
    x = source if source is not None else r.float_activation(node.input[0])
    out = r.emit(kind, [x.tensor], x.tensor.shape, name=name or node.output[0], **attrs)
    return Activation(out, x.perm)


def _unary(kind: str):
    def convert(r, node, attrs) -> None:
        r.alias(node.output[0], unary(r, node, kind))
    return convert


def clip_bounds(r, node, attrs) -> tuple[float, float]:
    """Clip's bounds: attributes before opset 11, optional constant inputs from it."""
    if r.opset < 11:
        return float(attrs.get("min", -np.inf)), float(attrs.get("max", np.inf))
    low = r.optional_constant(node, 1, "bound")
    high = r.optional_constant(node, 2, "bound")
    if any(bound is not None and np.size(bound) != 1 for bound in (low, high)):
        raise ModelError("Clip bounds must be scalars")
    return (-np.inf if low is None else float(low), np.inf if high is None else float(high))


def clip(r, node, attrs) -> None:
    low, high = clip_bounds(r, node, attrs)
    indices = index_operands(r, node.input[:1])
    if indices is None:
        r.alias(node.output[0], unary(r, node, "clamp", low=low, high=high))
        return
    # Ids or counts (a count of real tokens clamped to 1): int32 maximum and minimum; a
    # bound beyond int32's range (an int64 limit) clips nothing.
    result = indices[0]
    int32 = np.iinfo(np.int32)
    for kind, bound, clips in (("maximum", low, low > int32.min),
                               ("minimum", high, high < int32.max)):
        if clips:
            result = binary(r, kind, [result, np.array(bound, np.int32)],
                            f"{node.output[0]}/{kind}", "i32")
    r.alias(node.output[0], result)


def leaky_relu(r, node, attrs) -> None:
    r.alias(node.output[0], unary(r, node, "leaky_relu", alpha=float(attrs.get("alpha", 0.01))))


def hard_sigmoid_of(r, x: Activation, alpha: float, beta: float, name: str) -> Activation:
    """max(0, min(1, alpha x + beta))."""
    scaled = binary(r, "mul", [x, np.float32(alpha)], f"{name}/scaled", activation="NONE")
    shifted = binary(r, "add", [scaled, np.float32(beta)], f"{name}/shifted", activation="NONE")
    return unary(r, None, "clamp", name, shifted, low=0.0, high=1.0)


def hard_sigmoid(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    r.alias(node.output[0], hard_sigmoid_of(r, x, attrs.get("alpha", 0.2),
                                            attrs.get("beta", 0.5), node.output[0]))


def hard_swish(r, node, attrs) -> None:
    """x * HardSigmoid(x) with alpha 1/6, beta 1/2."""
    x = r.float_activation(node.input[0])
    gate = hard_sigmoid_of(r, x, 1.0 / 6.0, 0.5, f"{node.output[0]}/gate")
    r.alias(node.output[0], binary(r, "mul", [x, gate], node.output[0], activation="NONE"))


def exponential_linear(r, x: Activation, alpha: float, name: str,
                       inner_scale: float = 1.0) -> Activation:
    """max(x, 0) + alpha (exp(min(x, 0) / inner_scale) - 1): ELU (CELU with inner_scale
    alpha), exact on both sides (the exponential of 0 is 1)."""
    zeros = np.zeros((1,) * x.rank, np.float32)
    positive = unary(r, None, "relu", f"{name}/positive", x)
    negative = binary(r, "minimum", [x, zeros], f"{name}/negative")
    if inner_scale != 1.0:
        negative = binary(r, "mul", [negative, np.float32(1.0 / inner_scale)],
                          f"{name}/inner", activation="NONE")
    grown = unary(r, None, "exp", f"{name}/exp", negative)
    below = binary(r, "sub", [grown, np.float32(1.0)], f"{name}/below")
    scaled = binary(r, "mul", [below, np.float32(alpha)], f"{name}/scaled", activation="NONE")
    return binary(r, "add", [positive, scaled], name, activation="NONE")


def elu(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    r.alias(node.output[0], exponential_linear(r, x, float(attrs.get("alpha", 1.0)),
                                               node.output[0]))


def celu(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    alpha = float(attrs.get("alpha", 1.0))
    r.alias(node.output[0], exponential_linear(r, x, alpha, node.output[0], alpha))


def selu(r, node, attrs) -> None:
    """gamma ELU_alpha(x), ONNX's default alpha and gamma those of the SELU paper."""
    x = r.float_activation(node.input[0])
    alpha = float(attrs.get("alpha", 1.67326319217681884765625))
    gamma = float(attrs.get("gamma", 1.05070102214813232421875))
    name = node.output[0]
    inner = exponential_linear(r, x, alpha, f"{name}/elu")
    r.alias(name, binary(r, "mul", [inner, np.float32(gamma)], name, activation="NONE"))


def softplus(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    r.alias(node.output[0], softplus_of(r, x, node.output[0]))


def softplus_of(r, x: Activation, name: str) -> Activation:
    """log(exp(x) + 1) as max(x, 0) + log(1 + exp(-|x|)): no overflow for large x."""
    magnitude = unary(r, None, "abs", f"{name}/magnitude", x)
    decay = unary(r, None, "exp", f"{name}/decay",
                  unary(r, None, "neg", f"{name}/negated", magnitude))
    tail = unary(r, None, "log", f"{name}/tail",
                 binary(r, "add", [decay, np.float32(1.0)], f"{name}/sum", activation="NONE"))
    positive = unary(r, None, "relu", f"{name}/positive", x)
    return binary(r, "add", [positive, tail], name, activation="NONE")


def softsign(r, node, attrs) -> None:
    """x / (1 + |x|)."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    magnitude = unary(r, None, "abs", f"{name}/magnitude", x)
    denominator = binary(r, "add", [magnitude, np.float32(1.0)], f"{name}/denominator",
                         activation="NONE")
    r.alias(name, binary(r, "div", [x, denominator], name, activation="NONE"))


def thresholded_relu(r, node, attrs) -> None:
    """x > alpha ? x : 0."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    above = binary(r, "compare", [x, np.float32(attrs.get("alpha", 1.0))], f"{name}/above",
                   "i1", predicate="greater")
    zeros = np.zeros((1,) * x.rank, np.float32)
    r.alias(name, binary(r, "select", [above, x, zeros], name))


def shrink(r, node, attrs) -> None:
    """x < -lambd ? x + bias : x > lambd ? x - bias : 0 (hardshrink: bias 0; softshrink:
    bias lambd)."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    bound, bias = float(attrs.get("lambd", 0.5)), float(attrs.get("bias", 0.0))
    above = binary(r, "compare", [x, np.float32(bound)], f"{name}/above", "i1",
                   predicate="greater")
    below = binary(r, "compare", [np.float32(-bound), x], f"{name}/below", "i1",
                   predicate="greater")
    lowered = binary(r, "sub", [x, np.float32(bias)], f"{name}/lowered", activation="NONE")
    raised = binary(r, "add", [x, np.float32(bias)], f"{name}/raised", activation="NONE")
    zeros = np.zeros((1,) * x.rank, np.float32)
    inner = binary(r, "select", [below, raised, zeros], f"{name}/inner")
    r.alias(name, binary(r, "select", [above, lowered, inner], name))


def mish(r, node, attrs) -> None:
    """x tanh(softplus(x)) (opset 18; older exports spell it out)."""
    x = r.float_activation(node.input[0])
    name = node.output[0]
    gate = unary(r, None, "tanh", f"{name}/gate", softplus_of(r, x, f"{name}/softplus"))
    r.alias(name, binary(r, "mul", [x, gate], name, activation="NONE"))


def gelu(r, node, attrs) -> None:
    """GELU, erf or (opset 20's approximate "tanh") tanh form; older exports spell out the
    Erf form in elementary operators."""
    approximate = attrs.get("approximate", b"none").decode()
    kinds = {"none": "gelu", "tanh": "gelu_tanh"}
    if approximate not in kinds:
        raise ModelError(f"Gelu approximate '{approximate}' is not supported (none, tanh)")
    r.alias(node.output[0], unary(r, node, kinds[approximate]))


def mean(r, node, attrs) -> None:
    """The inputs' numpy-broadcast sum divided by their number."""
    name = node.output[0]
    total = _chain(r, node, "add", f"{name}/sum")
    r.alias(name, binary(r, "mul", [total, np.float32(1 / len(node.input))], name,
                         activation="NONE"))


def prelu(r, node, attrs) -> None:
    """max(x, 0) + slope * min(x, 0): exact, whatever the slope's sign."""
    x = r.float_activation(node.input[0])
    slope = operand(r, node.input[1])
    name = node.output[0]
    positive = unary(r, None, "relu", f"{name}/positive", x)
    negative = binary(r, "minimum", [x, np.zeros((1,) * x.rank, np.float32)],
                      f"{name}/negative")
    scaled = binary(r, "mul", [negative, slope], f"{name}/scaled", activation="NONE")
    r.alias(name, binary(r, "add", [positive, scaled], name, activation="NONE"))


def _softmax(kind: str, **op_attrs):
    """Softmax or LogSoftmax over one axis (opset 13), or over all axes from `axis` on
    (before): the axes are brought last (a reshape to 2-D in ONNX order when there are
    several)."""
    return lambda r, node, attrs: softmax(r, node, attrs, kind, op_attrs)


def softmax(r, node, attrs, kind: str, op_attrs: dict) -> None:
    from pex.importers.onnx.shape_ops import reshape_activation
    x = r.float_activation(node.input[0])
    axis = normalized_axis(attrs.get("axis", -1 if r.opset >= 13 else 1), x.rank)
    name = node.output[0]
    axes = [axis] if r.opset >= 13 else list(range(axis, x.rank))
    spread = [a for a in axes if x.shape[a] != 1]
    if len(spread) <= 1:
        target = spread[0] if spread else axis
        perm = x.perm if x.perm[-1] == target else \
            tuple(a for a in range(x.rank) if a != target) + (target,)
        tensor = r.stored(x, perm)
        out = r.emit(kind, [tensor], tensor.shape, name=name, **op_attrs)
        r.define(name, out, perm)
        return
    rows = int(np.prod(x.shape[:axis]))
    flat = reshape_activation(r, x, (rows, int(np.prod(x.shape[axis:]))), f"{name}/rows")
    out = r.emit(kind, [r.stored(flat, (0, 1))], (rows, flat.shape[1]),
                 name=f"{name}/flat", **op_attrs)
    r.alias(name, reshape_activation(r, Activation(out, (0, 1)), x.shape, name))


OPERATORS = {
    "Add": _arithmetic("add"),
    "Sub": _arithmetic("sub"),
    "Mul": _arithmetic("mul"),
    "Div": div,
    "Max": _variadic("maximum"),
    "Min": _variadic("minimum"),
    "Sum": _variadic("add"),
    "Relu": _unary("relu"),
    "Sigmoid": _unary("logistic"),
    "Tanh": _unary("tanh"),
    "LeakyRelu": leaky_relu,
    "PRelu": prelu,
    "Clip": clip,
    "HardSigmoid": hard_sigmoid,
    "HardSwish": hard_swish,
    "Exp": _unary("exp"),
    "Log": _unary("log"),
    "Erf": _unary("erf"),
    "Sqrt": _unary("sqrt"),
    "Abs": _unary("abs"),
    "Neg": _unary("neg"),
    "Floor": _unary("floor"),
    "Ceil": _unary("ceil"),
    "Round": _unary("round"),
    "Sin": _unary("sin"),
    "Cos": _unary("cos"),
    "Tan": _unary("tan"),
    "Atan": _unary("atan"),
    "Asin": _unary("asin"),
    "Acos": _unary("acos"),
    "Sinh": _unary("sinh"),
    "Cosh": _unary("cosh"),
    "Asinh": _unary("asinh"),
    "Acosh": _unary("acosh"),
    "Atanh": _unary("atanh"),
    "Reciprocal": reciprocal,
    "Elu": elu,
    "Celu": celu,
    "Selu": selu,
    "Softplus": softplus,
    "Mish": mish,
    "Softsign": softsign,
    "ThresholdedRelu": thresholded_relu,
    "Shrink": shrink,
    "Gelu": gelu,
    "Mean": mean,
    "Pow": power,
    "Mod": modulo,
    "Softmax": _softmax("softmax", beta=1.0),
    "LogSoftmax": _softmax("log_softmax"),
}
