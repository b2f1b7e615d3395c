"""int8 ONNX: QuantizeLinear / DequantizeLinear (QDQ) patterns and the QLinear* operators,
imported as int8 graph ops with ONNX Runtime's arithmetic.

A DequantizeLinear of an int8 activation is not computed: its output is a "dequantized"
view of the int8 tensor. An operator with an int8 form (Conv, Gemm, MatMul, Add, Mul,
global average pooling) whose inputs are such views and whose output only flows into
QuantizeLinear nodes of one set of parameters (through Relu or Clip, possibly) is
computed in int8: integer accumulation, then one `rescale` to the output parameters, the
result being a "requantized" view that only those QuantizeLinear nodes read. Relu and
Clip there are clamps to the quantised bounds (quantisation is monotonic, so Q(clip(v))
= clamp(Q(v))); other unary operators (LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish)
are 256-entry tables. Everything else computes in float, with a dequantize where a view
meets a float operator and a quantize at a QuantizeLinear of a float tensor.

Arithmetic (ONNX Runtime's fused kernels; see docs/importers.md for where a TOSA rescale
differs): convolutions and matrix products accumulate (x - zx)(w - zw) + bias in int32
and requantise with the float32 multiplier fl(fl(sx sw) / sy); global average pooling
sums (x - zx) and requantises with fl(sx / fl(sy n)); the TOSA rescale represents the
float32 multiplier exactly and is marked pex.float32_rounding, so that the product is
rounded as float32 arithmetic rounds it, then to nearest even, as ONNX Runtime's. Add
rescales both inputs to a common fixed point with many fraction bits and rounds once at
the end.

uint8 tensors are held as int8 with the zero point lowered by 128 (the same reals), and
converted with an exact rescale where they are a model's input or output.
"""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError
from pex.graph import Quantization, Tensor
from pex.importers.onnx import convolution, lines, shape_ops
from pex.importers.onnx.quantization import (Params, as_int8, emit_float_requantization,
                                             emit_rescale, input_view, node_params,
                                             read_params, widen)
from pex.importers.onnx.elementwise import broadcast, clip_bounds
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation, preferred_perm, stored_shape
from pex.importers.onnx.pooling import reduce
from pex.reference.tflm_unary import erf


# QuantizeLinear and DequantizeLinear.

def dequantize_linear(r, node, attrs) -> None:
    name = node.input[0]
    if r.is_constant(name):
        data = r.constants[name]
        axis = attrs.get("axis", 1) % max(np.ndim(data), 1)
        params = node_params(r, node, 1, 2, axis)
        if np.asarray(data).dtype == np.int32:  # a bias
            params = Params(params.scale, params.zero_point, axis, False)
            integers = data.astype(np.int64)
        else:
            integers = as_int8(np.asarray(data)).astype(np.int64)
        shape = [1] * np.ndim(data)
        if not params.per_tensor:
            shape[axis] = -1
        real = ((integers - params.zero_point.reshape(shape)).astype(np.float32)
                * params.scale.reshape(shape))
        r.constants[node.output[0]] = real.astype(np.float32)
        r.quantized_constants[node.output[0]] = (integers, params)
        return
    params = node_params(r, node, 1, 2)
    if not params.per_tensor:
        raise ModelError("per-axis DequantizeLinear of an activation is not supported")
    act = r.raw(name, gives_parameters=True)
    if act.tensor.dtype != "i8" or act.form != "value":
        raise ModelError(f"'{name}' is not an int8 tensor")
    act = input_view(r, name, params)
    r.define(node.output[0], act.tensor, act.perm, "dequantized", act.unsigned)


def quantize_linear(r, node, attrs) -> None:
    params = node_params(r, node, 1, 2)
    name = node.input[0]
    if r.is_constant(name):
        data = np.asarray(r.constants[name], np.float32)
        if not params.per_tensor:
            raise ModelError("per-axis QuantizeLinear of a constant is not supported")
        q = np.clip(np.rint(data / params.scale[0]) + params.zero_point[0], -128, 127)
        r.constants[node.output[0]] = (q + 128).astype(np.uint8) if params.unsigned \
            else q.astype(np.int8)
        return
    if not params.per_tensor:
        raise ModelError("per-axis QuantizeLinear of an activation is not supported")
    act = r.raw(name)
    output = node.output[0]
    quant = params.quantization()
    if act.form == "requantized":
        tensor = act.tensor  # computed for exactly these parameters
    elif act.form == "dequantized":
        x = act.tensor
        if Params(x.quant.scale, x.quant.zero_point, None, params.unsigned).same(params):
            tensor = x
        else:
            ratio = np.float32(x.quant.scale[0]) / np.float32(params.scale[0])
            tensor = emit_rescale(r, x, [ratio], x.quant.zero_point[0], params.zero_point[0],
                                  "i8", quant, output)
    else:
        x = r.float_activation(name)
        tensor = r.emit("quantize", [x.tensor], x.tensor.shape, "i8", quant, name=output,
                        float32_division=True)
    r.define(output, tensor, act.perm, "value", params.unsigned)


# Looking ahead: what the output of an int8-capable node is quantised to.

def requantization_target(r, name: str) -> Params | None:
    """The parameters of the QuantizeLinear nodes that every path from `name` ends in
    (through Relu and Clip), or None when the value is read otherwise."""
    if name in r.graph_outputs:
        return None
    found = None
    for node in r.consumers_of(name):
        if node.input[0] != name:
            return None
        if node.op_type == "QuantizeLinear":
            params = read_params(r, node, 1, 2)
            if params is None or not params.per_tensor:
                return None
        elif node.op_type in ("Relu", "Clip"):
            params = requantization_target(r, node.output[0])
        else:
            return None
        if params is None or (found is not None and not found.same(params)):
            return None
        found = params
    return found


def dequantized_view(r, name: str) -> Activation | None:
    """A dequantized view (per-tensor int8), or None."""
    act = r.activations.get(name)
    if act is not None and act.form == "dequantized" and act.tensor.quant.scale.size == 1:
        return act
    return None


def _quantized_constant(r, name: str) -> tuple[np.ndarray, Params] | None:
    return r.quantized_constants.get(name)


def _requantized(r, acc: Tensor, reals, output: str, params: Params, perm) -> None:
    """The i32 accumulator `acc` scaled by `reals` (per channel) to `params`."""
    out = emit_float_requantization(r, acc, reals, params.zero_point[0], params.quantization(),
                                    output)
    r.define(output, out, perm, "requantized", params.unsigned)


def _multipliers(input_scale: np.float32, weight_scales, output_scale: np.float32):
    """ONNX Runtime's float32 fl(fl(sx sw) / sy) per channel."""
    weight_scales = np.asarray(weight_scales, np.float32).reshape(-1)
    return (np.float32(input_scale) * weight_scales) / np.float32(output_scale)


def _centred_weights(integers: np.ndarray, params: Params, channels_axis: int,
                     name: str) -> tuple[np.ndarray, Quantization]:
    """Weights with zero point 0 (TOSA's int8 convolutions need it): w - zw when that fits
    int8, and their quantisation (scales per output channel)."""
    shape = [1] * integers.ndim
    if not params.per_tensor:
        if params.axis != channels_axis:
            raise ModelError(f"weights '{name}' are quantised along axis {params.axis}; only "
                             f"per output channel (axis {channels_axis}) is supported")
        shape[channels_axis] = -1
    centred = integers - params.zero_point.reshape(shape)
    if centred.min() < -128 or centred.max() > 127:
        raise ModelError(f"weights '{name}' less their zero point do not fit int8")
    count = integers.shape[channels_axis]
    scale = np.broadcast_to(params.scale, (count,)).astype(np.float32)
    return centred.astype(np.int8), Quantization(scale, np.zeros(count, np.int64), 0)


def _bias(r, name: str | None, expected_scales, count: int) -> np.ndarray | None:
    """The bias as ONNX Runtime adds it to the accumulator: int32 with scale input scale x
    weight scale (zeros when there is none); None for any other bias (a float one)."""
    if name is None:
        return np.zeros(count, np.int64)
    quantized = _quantized_constant(r, name)
    if quantized is None:
        return None
    integers, params = quantized
    if integers.size != count or np.any(params.zero_point != 0) or not np.array_equal(
            np.broadcast_to(params.scale, (count,)),
            np.broadcast_to(np.asarray(expected_scales, np.float32), (count,))):
        return None
    return integers.reshape(-1)


def _conv_int8(r, node, attrs, x: Activation, weights, bias_name, params: Params,
               output: str, transposed: bool = False) -> bool:
    integers, weight_params = weights
    if integers.ndim != x.rank or x.rank not in (3, 4):
        return False
    integers = lines.image_weights(integers, x.rank)
    channels_axis = 1 if transposed else 0
    centred, weight_quant = _centred_weights(integers, weight_params, channels_axis,
                                             node.input[1 if node.op_type != "QLinearConv"
                                                        else 3])
    if transposed:  # axis 1 counts one group's output channels; every group has them
        weight_quant = Quantization(np.tile(weight_quant.scale, attrs.get("group", 1)),
                                    np.tile(weight_quant.zero_point, attrs.get("group", 1)),
                                    0)
    sx = x.tensor.quant.scale[0]
    products = np.float32(sx) * weight_quant.scale
    bias = _bias(r, bias_name, products, products.size)
    if bias is None:
        return False
    tensor = lines.image(r, x)
    reals = _multipliers(sx, weight_quant.scale, params.scale[0])

    def requantized(acc: Tensor, name: str | None, channels: np.ndarray | None) -> Tensor:
        return emit_float_requantization(r, acc, reals if channels is None else reals[channels],
                                         params.zero_point[0], params.quantization(),
                                         name or output)
    make = convolution.transposed_convolve if transposed else convolution.convolve
    out = make(r, tensor, centred, weight_quant, bias, lines.image_attributes(attrs, x.rank),
               f"{output}/acc", requantized)
    out, perm = lines.from_image(r, out, x.rank)
    r.define(output, out, perm, "requantized", params.unsigned)
    return True


def conv(r, node, attrs) -> bool:
    x = dequantized_view(r, node.input[0])
    weights = _quantized_constant(r, node.input[1])
    params = requantization_target(r, node.output[0])
    if x is None or weights is None or params is None:
        return False
    bias = node.input[2] if r.has_input(node, 2) else None
    return _conv_int8(r, node, attrs, x, weights, bias, params, node.output[0])


def conv_transpose(r, node, attrs) -> bool:
    x = dequantized_view(r, node.input[0])
    weights = _quantized_constant(r, node.input[1])
    params = requantization_target(r, node.output[0])
    if x is None or weights is None or params is None:
        return False
    bias = node.input[2] if r.has_input(node, 2) else None
    return _conv_int8(r, node, attrs, x, weights, bias, params, node.output[0], True)


def _fully_connected_int8(r, x: Activation, weights_nk, weight_params: Params, bias_name,
                          params: Params, output: str, transposed: bool) -> bool:
    """x times a quantised matrix: weights_nk is [N, K] when `transposed` else [K, N]."""
    axis = 0 if transposed else 1
    centred, weight_quant = _centred_weights(weights_nk, weight_params, axis, output)
    if not transposed:
        centred = np.ascontiguousarray(centred.T)
    sx = x.tensor.quant.scale[0]
    products = np.float32(sx) * weight_quant.scale
    bias = _bias(r, bias_name, products, centred.shape[0])
    if bias is None:
        return False
    acc, perm = convolution.fully_connect(r, x, centred, weight_quant, bias, f"{output}/acc")
    out_shape = r.stored(x, perm).shape[:-1] + (centred.shape[0],)
    scaled = emit_float_requantization(r, acc, _multipliers(sx, weight_quant.scale,
                                                            params.scale[0]),
                                       params.zero_point[0], params.quantization(),
                                       f"{output}/requantized")
    result = r.emit("reshape", [scaled], out_shape, like=scaled, name=output)
    r.define(output, result, perm, "requantized", params.unsigned)
    return True


def batch_matmul_int8(r, a: Activation, b: Activation, params: Params, output: str) -> bool:
    """Two int8 activations (attention's products): the i32 sums of (a - za)(b - zb) over
    the broadcast batch, requantised as ONNX Runtime's QLinearMatMul."""
    batch, out_shape = convolution.matmul_shape(a.shape, b.shape)
    tensors = [convolution.matrices_in_order(r, act, batch) for act in (a, b)]
    acc = r.emit("batch_matmul", tensors, out_shape, "i32", name=f"{output}/acc")
    scales = [act.tensor.quant.scale[0] for act in (a, b)]
    _requantized(r, acc, _multipliers(scales[0], scales[1:], params.scale[0]), output, params,
                 tuple(range(len(out_shape))))
    return True


def gemm(r, node, attrs) -> bool:
    x = dequantized_view(r, node.input[0])
    weights = _quantized_constant(r, node.input[1])
    params = requantization_target(r, node.output[0])
    if x is None or weights is None or params is None or x.rank != 2 or \
            attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0 or \
            weights[0].ndim != 2:
        return False
    x, _ = convolution.gemm_operands(r, node, attrs, x)
    bias = node.input[2] if r.has_input(node, 2) else None
    return _fully_connected_int8(r, x, weights[0], weights[1], bias, params, node.output[0],
                                 bool(attrs.get("transB", 0)))


def matmul(r, node, attrs) -> bool:
    x = dequantized_view(r, node.input[0])
    params = requantization_target(r, node.output[0])
    other = dequantized_view(r, node.input[1])
    if x is not None and other is not None and params is not None:
        return batch_matmul_int8(r, x, other, params, node.output[0])
    weights = _quantized_constant(r, node.input[1])
    if x is None or weights is None or params is None or weights[0].ndim != 2:
        return False
    return _fully_connected_int8(r, x, weights[0], weights[1], None, params, node.output[0],
                                 False)


def _operand(r, name: str) -> Activation | None:
    """An int8 operand of an elementwise op: a dequantized view, or a per-tensor quantised
    constant held as an int8 constant tensor."""
    view = dequantized_view(r, name)
    if view is not None:
        return view
    quantized = _quantized_constant(r, name)
    if quantized is None or not quantized[1].per_tensor:
        return None
    integers, params = quantized
    if integers.dtype != np.int64 or integers.min() < -128 or integers.max() > 127:
        return None
    perm = preferred_perm(integers.ndim)
    data = np.ascontiguousarray(integers.astype(np.int8).transpose(perm))
    tensor = Tensor(name, data.shape, "i8", params.quantization(), data)
    return Activation(tensor, perm, "dequantized")


def add_int8(r, a: Activation, b: Activation, params: Params, output: str) -> None:
    """sa (a - za) + sb (b - zb) requantised to params: both terms rescaled to i32 with k
    fraction bits (as many as keep the sum within int32), added, rounded once."""
    sa, sb = float(a.tensor.quant.scale[0]), float(b.tensor.quant.scale[0])
    sc = float(params.scale[0])
    largest = 255 * (sa + sb) / sc
    fraction_bits = int(min(max(math.floor(math.log2((1 << 30) / largest)), 0), 24))
    tensors, shape, perm = broadcast(r, [a, b])
    terms = [emit_rescale(r, t, [s / sc * (1 << fraction_bits)], t.quant.zero_point[0], 0,
                          "i32", None, f"{output}/{label}")
             for t, s, label in zip(tensors, (sa, sb), ("a", "b"))]
    total = r.emit("add", terms, stored_shape(shape, perm), "i32", name=f"{output}/sum",
                   activation="NONE")
    out = emit_rescale(r, total, [1.0 / (1 << fraction_bits)], 0, params.zero_point[0], "i8",
                       params.quantization(), output)
    r.define(output, out, perm, "requantized", params.unsigned)


def add(r, node, attrs) -> bool:
    a, b = (_operand(r, n) for n in node.input)
    params = requantization_target(r, node.output[0])
    if a is None or b is None or params is None:
        return False
    add_int8(r, a, b, params, node.output[0])
    return True


def mul(r, node, attrs) -> bool:
    """(a - za)(b - zb) in i32 (exact: at most 255^2), one rescale by sa sb / sc (to 31
    bits; ONNX Runtime computes the product in float32)."""
    a, b = (_operand(r, n) for n in node.input)
    params = requantization_target(r, node.output[0])
    if a is None or b is None or params is None:
        return False
    output = node.output[0]
    tensors, shape, perm = broadcast(r, [a, b])
    centred = [widen(r, t, 1.0, f"{output}/{label}") for t, label in zip(tensors, "ab")]
    product = r.emit("mul", centred, stored_shape(shape, perm), "i32", name=f"{output}/product",
                     activation="NONE")
    real = (float(a.tensor.quant.scale[0]) * float(b.tensor.quant.scale[0]) /
            float(params.scale[0]))
    out = emit_rescale(r, product, [real], 0, params.zero_point[0], "i8",
                       params.quantization(), output)
    r.define(output, out, perm, "requantized", params.unsigned)
    return True


def relu(r, node, attrs) -> bool:
    """Of a dequantized view: max(x, zero point), the same view of the result (exact).
    Of a requantized view: the clamp to Q(0)."""
    act = r.activations.get(node.input[0])
    if act is None or act.form not in ("dequantized", "requantized") or \
            act.tensor.quant.scale.size != 1:
        return False
    x = act.tensor
    _clamped(r, act, int(x.quant.zero_point[0]), 127, node.output[0], act.form)
    return True


def _clamped(r, act: Activation, low: int, high: int, name: str, form: str) -> None:
    """The int8 activation clamped to [low, high] (no op when that clamps nothing)."""
    x = act.tensor
    out = x if low <= -128 and high >= 127 else \
        r.emit("clamp", [x], x.shape, like=x, name=name, low=max(low, -128), high=min(high, 127))
    r.define(name, out, act.perm, form, act.unsigned)


def clip(r, node, attrs) -> bool:
    """Of a view quantised like the QuantizeLinear it flows into: the clamp to the
    quantised bounds."""
    act = r.activations.get(node.input[0])
    if act is None or act.form not in ("dequantized", "requantized"):
        return False
    x = act.tensor
    params = Params(x.quant.scale, x.quant.zero_point, None, act.unsigned)
    target = requantization_target(r, node.output[0])
    if act.form == "dequantized" and (target is None or not target.same(params)):
        return False
    low, high = clip_bounds(r, node, attrs)
    _clamped(r, act, params.quantize(low), params.quantize(high), node.output[0], "requantized")
    return True


def _table(function):
    """A unary operator of a dequantized view whose result flows into QuantizeLinear: a
    256-entry table, each entry Q_out(f(DQ_in(q))) computed here in double precision,
    which is ONNX's semantics exactly (ONNX Runtime's QLinear* unary operators are tables
    too)."""
    def convert(r, node, attrs) -> bool:
        x = dequantized_view(r, node.input[0])
        params = requantization_target(r, node.output[0])
        if x is None or params is None:
            return False
        quant = x.tensor.quant
        integers = np.arange(-128, 128, dtype=np.int64)
        real = ((integers - quant.zero_point[0]).astype(np.float32) * quant.scale[0])
        result = function(real.astype(np.float64), attrs)
        entries = np.clip(np.rint(result / np.float64(params.scale[0])) + params.zero_point[0],
                          -128, 127).astype(np.int8)
        out = r.emit("table", [x.tensor], x.tensor.shape, "i8", params.quantization(),
                     name=node.output[0], entries=tuple(int(e) for e in entries))
        r.define(node.output[0], out, x.perm, "requantized", params.unsigned)
        return True
    return convert


def _hard_sigmoid(x, alpha, beta):
    return np.clip(alpha * x + beta, 0.0, 1.0)


def _elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _gelu(x, approximate: str):
    if approximate == "tanh":
        return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    if approximate != "none":
        raise ModelError(f"Gelu approximate '{approximate}' is not supported (none, tanh)")
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _shrink(x, bound, bias):
    return np.where(x < -bound, x + bias, np.where(x > bound, x - bias, 0.0))


_SELU_ALPHA, _SELU_GAMMA = 1.67326319217681884765625, 1.05070102214813232421875

# Functions defined on every real: log, sqrt and reciprocal (NaN or infinite below their
# domain) keep the float path.
_UNARY_TABLES = {
    "LeakyRelu": lambda x, a: np.where(x >= 0, x, x * a.get("alpha", 0.01)),
    "Sigmoid": lambda x, a: 1.0 / (1.0 + np.exp(-x)),
    "Tanh": lambda x, a: np.tanh(x),
    "HardSigmoid": lambda x, a: _hard_sigmoid(x, a.get("alpha", 0.2), a.get("beta", 0.5)),
    "HardSwish": lambda x, a: x * _hard_sigmoid(x, 1.0 / 6.0, 0.5),
    "Erf": lambda x, a: erf(x),
    "Elu": lambda x, a: _elu(x, a.get("alpha", 1.0)),
    "Celu": lambda x, a: np.maximum(x, 0.0) + np.minimum(
        a.get("alpha", 1.0) * np.expm1(x / a.get("alpha", 1.0)), 0.0),
    "Selu": lambda x, a: a.get("gamma", _SELU_GAMMA) * _elu(x, a.get("alpha", _SELU_ALPHA)),
    "Softplus": lambda x, a: np.logaddexp(x, 0.0),
    "Mish": lambda x, a: x * np.tanh(np.logaddexp(x, 0.0)),
    "Softsign": lambda x, a: x / (1.0 + np.abs(x)),
    "ThresholdedRelu": lambda x, a: np.where(x > a.get("alpha", 1.0), x, 0.0),
    "Shrink": lambda x, a: _shrink(x, a.get("lambd", 0.5), a.get("bias", 0.0)),
    "Gelu": lambda x, a: _gelu(x, a.get("approximate", b"none").decode()),
    "Exp": lambda x, a: np.exp(x),
    "Abs": lambda x, a: np.abs(x),
    "Neg": lambda x, a: -x,
    "Sin": lambda x, a: np.sin(x),
    "Cos": lambda x, a: np.cos(x),
}


def concat(r, node, attrs) -> bool:
    """int8 when every input is int8 (dequantized views or int8 tensors): joined as they
    are when quantised alike, else rescaled to the QuantizeLinear after it."""
    names = [n for n in node.input if n]
    acts = [r.raw(n) if n in r.activations else None for n in names]
    if any(a is None or not a.quantized or a.form == "requantized" for a in acts):
        return False
    forms = {a.form for a in acts}
    if len(forms) != 1 or acts[0].tensor.quant.scale.size != 1:
        return False
    axis = normalized_axis(attrs["axis"], acts[0].rank)
    first = acts[0].tensor.quant
    if all(a.tensor.quant.scale[0] == first.scale[0] and
           a.tensor.quant.zero_point[0] == first.zero_point[0] for a in acts):
        r.alias(node.output[0], shape_ops.concat_activations(r, acts, axis, node.output[0]))
        return True
    params = requantization_target(r, node.output[0])
    if forms != {"dequantized"} or params is None:
        return False
    quant = params.quantization()
    moved = []
    for index, act in enumerate(acts):
        x = act.tensor
        ratio = np.float32(x.quant.scale[0]) / np.float32(params.scale[0])
        tensor = emit_rescale(r, x, [ratio], x.quant.zero_point[0], params.zero_point[0], "i8",
                              quant, f"{node.output[0]}/{index}")
        moved.append(Activation(tensor, act.perm, "requantized", params.unsigned))
    r.alias(node.output[0], shape_ops.concat_activations(r, moved, axis, node.output[0]))
    return True


def mean(r, node, attrs, axes_moved: int | None) -> bool:
    """GlobalAveragePool (axes_moved None) or ReduceMean of a dequantized view: the sum of
    x - zx in i32, requantised with ONNX Runtime's fl(sx / fl(sy n))."""
    from pex.importers.onnx import folding
    x = dequantized_view(r, node.input[0])
    params = requantization_target(r, node.output[0])
    if x is None or params is None:
        return False
    if axes_moved is None:
        axes, keepdims = list(range(2, x.rank)), True
    else:
        inputs = [None] + [r.constant(n, "axes") if n else None for n in node.input[1:]]
        axes = folding.axes_operand(node, attrs, inputs, 1, axes_moved, r.opset)
        axes = list(range(x.rank)) if not axes else [a % x.rank for a in axes]
        keepdims = bool(attrs.get("keepdims", 1))
    count = int(np.prod([x.shape[a] for a in axes]))
    widened = widen(r, x.tensor, 1.0, f"{node.output[0]}/centred")
    total = reduce(r, Activation(widened, x.perm), "reduce_sum", axes, keepdims,
                   f"{node.output[0]}/sum")
    multiplier = np.float32(x.tensor.quant.scale[0]) / (np.float32(params.scale[0]) *
                                                         np.float32(count))
    _requantized(r, total.tensor, [multiplier], node.output[0], params, total.perm)
    return True


# QLinear* operators: int8 tensors in and out, parameters as inputs.

def _qlinear_input(r, node, position: int, params: Params) -> Activation:
    name = node.input[position]
    act = r.raw(name, gives_parameters=True)
    if act.tensor.dtype != "i8" or act.form != "value":
        raise ModelError(f"'{name}' is not an int8 tensor")
    return input_view(r, name, params)


def qlinear_conv(r, node, attrs) -> None:
    x_params = node_params(r, node, 1, 2)
    x = _qlinear_input(r, node, 0, x_params)
    weights = r.constant(node.input[3], "weight")
    weight_params = node_params(r, node, 4, 5, 0)
    params = node_params(r, node, 6, 7)
    bias = node.input[8] if r.has_input(node, 8) else None
    if bias is not None:
        data = r.constant(bias, "bias").astype(np.int64)
        expected = np.float32(x_params.scale[0]) * weight_params.scale
        r.quantized_constants[bias] = (data, Params(np.broadcast_to(
            expected, data.shape).astype(np.float32), np.zeros(data.shape, np.int64), 0, False))
    view = Activation(x.tensor, x.perm, "dequantized", x.unsigned)
    if not _conv_int8(r, node, attrs, view, (as_int8(weights).astype(np.int64),
                                            weight_params), bias, params, node.output[0]):
        raise ModelError("QLinearConv with these weights or bias is not supported")
    r.activations[node.output[0]].form = "value"


def qlinear_matmul(r, node, attrs) -> None:
    x_params = node_params(r, node, 1, 2)
    x = _qlinear_input(r, node, 0, x_params)
    weights = r.constant(node.input[3], "weight")
    if weights.ndim != 2:
        raise ModelError(f"B of rank {weights.ndim}; only a constant matrix is supported")
    weight_params = node_params(r, node, 4, 5, 1)
    params = node_params(r, node, 6, 7)
    view = Activation(x.tensor, x.perm, "dequantized", x.unsigned)
    _fully_connected_int8(r, view, as_int8(weights).astype(np.int64), weight_params, None,
                          params, node.output[0], False)
    r.activations[node.output[0]].form = "value"


def qlinear_add(r, node, attrs) -> None:
    """com.microsoft QLinearAdd: A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp."""
    views = []
    for position in (0, 3):
        params = node_params(r, node, position + 1, position + 2)
        name = node.input[position]
        if r.is_constant(name):
            r.quantized_constants[name] = (as_int8(np.asarray(r.constants[name])).astype(
                np.int64), params)
            views.append(_operand(r, name))
        else:
            x = _qlinear_input(r, node, position, params)
            views.append(Activation(x.tensor, x.perm, "dequantized", x.unsigned))
    add_int8(r, views[0], views[1], node_params(r, node, 6, 7), node.output[0])
    r.activations[node.output[0]].form = "value"


INT8_FORMS = {
    "Conv": conv,
    "ConvTranspose": conv_transpose,
    "Gemm": gemm,
    "MatMul": matmul,
    "Add": add,
    "Mul": mul,
    "Relu": relu,
    "Clip": clip,
    **{op_type: _table(function) for op_type, function in _UNARY_TABLES.items()},
}

OPERATORS = {
    "QuantizeLinear": quantize_linear,
    "DequantizeLinear": dequantize_linear,
    "QLinearConv": qlinear_conv,
    "QLinearMatMul": qlinear_matmul,
}

MICROSOFT_OPERATORS = {
    "QLinearAdd": qlinear_add,
}
