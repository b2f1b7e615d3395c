"""One-operator TFLite models for the builtins beyond the original 22 (issue 15), float and
int8, and TFLite's 16x8 form (int16 activations) of the operators pex imports in int16,
written with the writer's low-level API (TFLite's own operands and options).

Every model has one input of at most 64 elements (but the all_pairs and deep ones), so the reference input
(`pex.reference.inputs`) never reaches its zero and LOG / RSQRT stay finite; a binary
operator's second operand is a constant broadcast along the channels.

`python3 -m pex.testmodels NAME -o OUT` writes one.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.graph import Quantization, Tensor
from pex.importers.tflite import schema
from pex.importers.tflite.writer import TfliteWriter

_CODES = schema.BUILTIN_OPERATOR_CODES


def _rng() -> np.random.Generator:
    """The constants' generator, fresh for each model: a model's bytes depend on its name
    only, not on which models were written before it in the process."""
    return np.random.default_rng(15)


def q(scale: float, zero_point: int = 0) -> Quantization:
    return Quantization.per_tensor(scale, zero_point)


def _tensor(name: str, shape, dtype: str, quant: Quantization | None) -> Tensor:
    return Tensor(name, tuple(shape), dtype, quant if dtype in ("i8", "i16") else None)


def _single(name: str, code: str, inputs: list, output: Tensor, options=None,
            **fields) -> bytes:
    writer = TfliteWriter()
    writer.operator(_CODES[code], inputs, [output], options, **fields)
    graph_inputs = [t for t in inputs if t is not None and not t.is_constant]
    return writer.finish(name, graph_inputs[:1], [output])


def _constant(name: str, values, dtype: str, quant: Quantization | None = None) -> Tensor:
    values = np.asarray(values)
    return Tensor(name, values.shape, dtype, quant, values.astype(
        {"f32": np.float32, "i8": np.int8, "i16": np.int16, "i32": np.int32,
         "i64": np.int64}[dtype]))


def _int32(name: str, values) -> Tensor:
    return _constant(name, np.asarray(values, np.int32), "i32")


# Elementwise binary operators: x (1x4x4x4) op a constant of shape [4].

_BINARY_OPTIONS = {"SUB": schema.SubOptions, "DIV": schema.DivOptions,
                   "ADD": schema.AddOptions, "MUL": schema.MulOptions}
_BINARY_OUTPUT_QUANT = {"SUB": q(0.1, -5), "MAXIMUM": q(0.05, 3), "MINIMUM": q(0.05, 3),
                        "SQUARED_DIFFERENCE": q(0.4, -128), "DIV": q(0.1, 0),
                        "ADD": q(0.1, -5), "MUL": q(0.2, 2)}


def _binary(code: str, dtype: str, activation: int = 0,
            name: str | None = None) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), dtype, q(0.05, 3))
        if dtype == "i8":
            y = _constant("y", _rng().integers(-100, 100, 4), "i8",
                          q(0.05, 3) if code in ("MAXIMUM", "MINIMUM") else q(0.04, -7))
        else:
            y = _constant("y", _rng().uniform(0.5, 1.5, 4) * np.array([1, -1, 1, -1]), "f32")
        out = _tensor(f"{code.lower()}", x.shape, dtype, _BINARY_OUTPUT_QUANT.get(code))
        options = _BINARY_OPTIONS.get(code)
        fields = {"fused_activation_function": activation} if options else {}
        return _single(name or f"{code.lower()}_{_suffix(dtype)}", code, [x, y], out, options,
                       **fields)
    return make


def _concatenation_constant(dtype: str) -> Callable[[], bytes]:
    """x [1, 4, 4, 3] joined with a constant [1, 4, 4, 2] along the channels (int8: both
    quantised like the output, as TFLite Micro requires)."""
    name = f"concatenation_constant_{_suffix(dtype)}"

    def make() -> bytes:
        quant = q(0.05, 3) if dtype == "i8" else None
        x = _tensor("x", (1, 4, 4, 3), dtype, quant)
        values = (_rng().integers(-128, 128, (1, 4, 4, 2)) if dtype == "i8"
                  else _rng().uniform(-1, 1, (1, 4, 4, 2)))
        y = _constant("y", values, dtype, quant)
        out = _tensor("concatenation", (1, 4, 4, 5), dtype, quant)
        return _single(name, "CONCATENATION", [x, y], out, schema.ConcatenationOptions, axis=3)
    return make


def _suffix(dtype: str) -> str:
    return {"i8": "int8", "i16": "int16"}.get(dtype, "f32")


# Unary functions: input and output quantisation picked for the function's range.

_UNARY_QUANT = {
    "HARD_SWISH": (q(0.05, 3), q(0.03, -90)),
    "ABS": (q(0.05, 3), q(0.04, -128)),
    "NEG": (q(0.05, 3), q(0.05, -3)),
    "EXP": (q(0.02, 0), q(0.05, -128)),
    "LOG": (q(0.05, -128), q(0.05, 40)),
    "SQRT": (q(0.05, -128), q(0.015, -128)),
    "RSQRT": (q(0.05, -128), q(0.02, -128)),
    "ELU": (q(0.05, 3), q(0.03, -95)),
    "SQUARE": (q(0.05, 3), q(0.17, -128)),
    "FLOOR": (q(0.05, 3), q(0.06, 0)),
    "CEIL": (q(0.05, 3), q(0.06, 0)),
    "ROUND": (q(0.05, 3), q(0.06, 0)),
    "SIN": (q(0.05, 3), q(1 / 127, 0)),
    "COS": (q(0.05, 3), q(1 / 127, 0)),
    "GELU": (q(0.05, 3), q(0.03, -90)),
}
# The float functions whose interesting inputs lie outside the reference input's [0, 1].
_WIDE_INPUT = ("ELU", "SQUARE", "FLOOR", "CEIL", "ROUND", "TANH", "SIN", "COS", "GELU")


def _unary(code: str, dtype: str, name: str | None = None, options=None,
           **fields) -> Callable[[], bytes]:
    """Model `name` (default: the code in lower case) of one unary operator."""
    name = name or code.lower()
    def make() -> bytes:
        if dtype == "f32" and code in _WIDE_INPUT:
            return _widened_float_unary(code, name, options, **fields)
        in_quant, out_quant = _UNARY_QUANT[code]
        x = _tensor("x", (1, 4, 4, 4), dtype, in_quant)
        out = _tensor(name, x.shape, dtype, out_quant)
        return _single(f"{name}_{_suffix(dtype)}", code, [x], out, options, **fields)
    return make


def _widened_float_unary(code: str, name: str, options=None, **fields) -> bytes:
    """x * 9 - 4.5 (MUL, ADD by constants), then the function: inputs over [-4.5, 4.5]."""
    shape = (1, 4, 4, 4)
    x, scaled, shifted, out = (_tensor(n, shape, "f32", None)
                               for n in ("x", "scaled", "shifted", name))
    writer = TfliteWriter()
    writer.operator(_CODES["MUL"], [x, _constant("nine", [9.0], "f32")], [scaled],
                    schema.MulOptions)
    writer.operator(_CODES["ADD"], [scaled, _constant("minus_half_nine", [-4.5], "f32")],
                    [shifted], schema.AddOptions)
    writer.operator(_CODES[code], [shifted], [out], options, **fields)
    return writer.finish(f"{name}_f32", [x], [out])


def _prelu(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 4, 4), dtype, q(0.05, 3))
    if dtype == "i8":
        alpha = _constant("alpha", [20, -50, 90, 127], "i8", q(0.005, 0))
    else:
        alpha = _constant("alpha", [0.1, -0.25, 0.45, 0.6], "f32")
    out = _tensor("prelu", x.shape, dtype, q(0.04, -20))
    return _single(f"prelu_{_suffix(dtype)}", "PRELU", [x, alpha], out)


def _hard_swish_low_scale() -> bytes:
    """HARD_SWISH whose relu-ish multiplier shifts left (input scale above 3/128)."""
    x = _tensor("x", (1, 4, 4, 4), "i8", q(0.1, -10))
    out = _tensor("hard_swish", x.shape, "i8", q(0.06, -100))
    return _single("hard_swish_wide_int8", "HARD_SWISH", [x], out)


# TRANSPOSE_CONV: TFLite's operand order (output shape, weights, input, bias).

def _transpose_conv(dtype: str, in_shape, kernel, out_shape, stride, padding: str,
                    with_bias: bool, activation: int, name: str) -> Callable[[], bytes]:
    """int8 weights per output channel (axis 0), as TFLite's converter writes them."""
    def make() -> bytes:
        rng = np.random.default_rng(sum(map(ord, name)))
        channels_out, channels_in = out_shape[3], in_shape[3]
        weights_shape = (channels_out, *kernel, channels_in)
        x = _tensor("x", in_shape, dtype, q(0.05, 3))
        out = _tensor("transpose_conv", out_shape, dtype, q(0.08, -10))
        if dtype == "i8":
            scales = rng.uniform(0.003, 0.006, channels_out).astype(np.float32)
            weights = Tensor("weights", weights_shape, "i8",
                             Quantization(scales, np.zeros(channels_out, np.int64), 0),
                             rng.integers(-127, 128, weights_shape).astype(np.int8))
            bias = _constant("bias", rng.integers(-2000, 2000, channels_out), "i32")
        else:
            weights = _constant("weights", rng.uniform(-0.5, 0.5, weights_shape), "f32")
            bias = _constant("bias", rng.uniform(-0.5, 0.5, channels_out), "f32")
        inputs = [_int32("output_shape", list(out_shape)), weights, x] + \
            ([bias] if with_bias else [])
        writer = TfliteWriter()
        writer.operator(_CODES["TRANSPOSE_CONV"], inputs, [out], schema.TransposeConvOptions,
                        padding=schema.PADDING_NAMES.index(padding), stride_h=stride[0],
                        stride_w=stride[1], fused_activation_function=activation)
        return writer.finish(name, [x], [out])
    return make


# TensorFlow's dilated convolution: SPACE_TO_BATCH_ND -> convolution -> BATCH_TO_SPACE_ND.

def _dilated(dtype: str, depthwise: bool, name: str) -> Callable[[], bytes]:
    """SAME, dilation 2, kernel 3x3 over 9x9, as tf.nn.atrous_conv2d writes it: paddings
    [2, 3] (the base [2, 2] and one more row and column for the block), crops [0, 1]."""
    def make() -> bytes:
        rng = np.random.default_rng(sum(map(ord, name)))
        channels = 3
        channels_out = 6 if depthwise else 4
        x = _tensor("x", (1, 9, 9, channels), dtype, q(0.05, 3))
        phases = _tensor("space_to_batch", (4, 7, 7, channels), dtype, q(0.05, 3))
        convolved = _tensor("convolved", (4, 5, 5, channels_out), dtype, q(0.06, -12))
        out = _tensor("dilated", (1, 9, 9, channels_out), dtype, q(0.06, -12))
        weights_shape = (1, 3, 3, channels_out) if depthwise else (channels_out, 3, 3, channels)
        axis = 3 if depthwise else 0
        if dtype == "i8":
            scales = rng.uniform(0.004, 0.008, channels_out).astype(np.float32)
            weights = Tensor("weights", weights_shape, "i8",
                             Quantization(scales, np.zeros(channels_out, np.int64), axis),
                             rng.integers(-127, 128, weights_shape).astype(np.int8))
            bias = _constant("bias", rng.integers(-1000, 1000, channels_out), "i32")
        else:
            weights = _constant("weights", rng.uniform(-0.4, 0.4, weights_shape), "f32")
            bias = _constant("bias", rng.uniform(-0.3, 0.3, channels_out), "f32")
        writer = TfliteWriter()
        writer.operator(_CODES["SPACE_TO_BATCH_ND"],
                        [x, _int32("block_shape", [2, 2]),
                         _int32("paddings", [[2, 3], [2, 3]])], [phases])
        if depthwise:
            writer.operator(_CODES["DEPTHWISE_CONV_2D"], [phases, weights, bias], [convolved],
                            schema.DepthwiseConv2DOptions, padding=1, stride_h=1, stride_w=1,
                            depth_multiplier=2, dilation_h_factor=1, dilation_w_factor=1,
                            fused_activation_function=1)
        else:
            writer.operator(_CODES["CONV_2D"], [phases, weights, bias], [convolved],
                            schema.Conv2DOptions, padding=1, stride_h=1, stride_w=1,
                            dilation_h_factor=1, dilation_w_factor=1,
                            fused_activation_function=1)
        writer.operator(_CODES["BATCH_TO_SPACE_ND"],
                        [convolved, _int32("block_shape", [2, 2]),
                         _int32("crops", [[0, 1], [0, 1]])], [out])
        return writer.finish(name, [x], [out])
    return make


def _space_to_batch_alone() -> bytes:
    """Refused: a SPACE_TO_BATCH_ND that no dilated convolution pattern follows."""
    x = _tensor("x", (1, 4, 4, 2), "f32", None)
    out = _tensor("space_to_batch", (4, 2, 2, 2), "f32", None)
    return _single("space_to_batch_alone", "SPACE_TO_BATCH_ND",
                   [x, _int32("block_shape", [2, 2]), _int32("paddings", [[0, 0], [0, 0]])],
                   out)


# BATCH_MATMUL.

def _batch_matmul_constant(dtype: str) -> bytes:
    """x [1, 2, 4, 8] @ a constant [8, 6] stored transposed ([6, 8], adj_y) and broadcast
    over both batch dimensions."""
    rng = np.random.default_rng(808)
    x = _tensor("x", (1, 2, 4, 8), dtype, q(0.05, 3))
    if dtype == "i8":
        y = _constant("y", rng.integers(-127, 128, (6, 8)), "i8", q(0.01, 0))
    else:
        y = _constant("y", rng.uniform(-0.5, 0.5, (6, 8)), "f32")
    out = _tensor("product", (1, 2, 4, 6), dtype, q(0.1, -5))
    return _single(f"batch_matmul_constant_{_suffix(dtype)}", "BATCH_MATMUL", [x, y], out,
                   schema.BatchMatMulOptions, adj_y=True)


def _batch_matmul_gram(dtype: str) -> bytes:
    """x x^T: a computed right operand (x itself, adj_y), both zero points non-zero."""
    x = _tensor("x", (2, 4, 8), dtype, q(0.05, 3))
    out = _tensor("gram", (2, 4, 4), dtype, q(0.5, -20))
    writer = TfliteWriter()
    writer.operator(_CODES["BATCH_MATMUL"], [x, x], [out], schema.BatchMatMulOptions,
                    adj_y=True)
    return writer.finish(f"batch_matmul_gram_{_suffix(dtype)}", [x], [out])


# ADD_N, L2_POOL_2D, and FILL, ZEROS_LIKE and BROADCAST_TO of constants (folded).

def _add_n_f32() -> bytes:
    x = _tensor("x", (1, 4, 4, 4), "f32", None)
    bias = _constant("bias", np.linspace(-1, 1, 64).reshape(1, 4, 4, 4), "f32")
    out = _tensor("sum", x.shape, "f32", None)
    return _single("add_n_f32", "ADD_N", [x, bias, x], out)


def _l2_pool_f32() -> bytes:
    x = _tensor("x", (1, 5, 5, 3), "f32", None)
    out = _tensor("l2_pool", (1, 3, 3, 3), "f32", None)
    return _single("l2_pool_f32", "L2_POOL_2D", [x], out, schema.Pool2DOptions, padding=0,
                   stride_h=2, stride_w=2, filter_height=2, filter_width=2)


def _folded_constants_f32() -> bytes:
    """(x + FILL([1, 1, 1, 4], 0.5)) * BROADCAST_TO([1, -2, 3, -4], [1, 4, 4, 4])
    + ZEROS_LIKE(x): the three operators fold into constants."""
    shape = (1, 4, 4, 4)
    x = _tensor("x", shape, "f32", None)
    filled, broadcast, zeros, shifted, scaled, out = (
        _tensor(name, s, "f32", None) for name, s in (
            ("filled", (1, 1, 1, 4)), ("broadcast", shape), ("zeros", shape),
            ("shifted", shape), ("scaled", shape), ("result", shape)))
    writer = TfliteWriter()
    writer.operator(_CODES["FILL"], [_int32("dims", [1, 1, 1, 4]),
                                     _constant("value", 0.5, "f32")], [filled])
    writer.operator(_CODES["BROADCAST_TO"], [_constant("factors", [1, -2, 3, -4], "f32"),
                                             _int32("shape", list(shape))], [broadcast])
    writer.operator(_CODES["ZEROS_LIKE"], [x], [zeros])
    writer.operator(_CODES["ADD"], [x, filled], [shifted], schema.AddOptions)
    writer.operator(_CODES["MUL"], [shifted, broadcast], [scaled], schema.MulOptions)
    writer.operator(_CODES["ADD"], [scaled, zeros], [out], schema.AddOptions)
    return writer.finish("folded_constants_f32", [x], [out])


def _reverse_v2(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 3, 4), dtype, q(0.05, 3))
    out = _tensor("reversed", x.shape, dtype, q(0.05, 3))
    return _single(f"reverse_v2_{_suffix(dtype)}", "REVERSE_V2", [x, _int32("axes", [1, -1])],
                   out)


# Comparisons, logical operators and SELECT_V2 (BOOL tensors inside the model).

def _select_by_comparisons(dtype: str) -> bytes:
    """keep = (x > 0.3 and x <= limit[c]) and not (x == first or x < 0.1), or x >= 0.95;
    SELECT_V2(keep, x, fallback). int8 constants quantised unlike x where the comparison
    rescales them; the selected values share x's quantisation."""
    shape = (1, 4, 4, 4)
    quant = q(0.05, 3)

    def value(name: str, values, other_quant: bool = False) -> Tensor:
        values = np.asarray(values, np.float64)
        if dtype == "f32":
            return _constant(name, values.astype(np.float32), "f32")
        scale = q(0.04, -7) if other_quant else quant
        stored = np.round(values / scale.scale[0]) + scale.zero_point[0]
        return _constant(name, stored, "i8", scale)

    def boolean(name: str) -> Tensor:
        return _tensor(name, shape, "i1", None)

    x = _tensor("x", shape, dtype, quant)
    first = float(np.float32(3 / 255)) if dtype == "f32" else 0.05 * (-125 - 3)
    writer = TfliteWriter()
    steps = [("GREATER", [x, value("low", [0.3], True)], "above"),
             ("LESS_EQUAL", [x, value("limit", [0.5, 0.6, 0.7, 0.8], True)], "below"),
             ("EQUAL", [x, value("first", [first])], "is_first"),
             ("LESS", [x, value("tiny", [0.1])], "tiny"),
             ("GREATER_EQUAL", [x, value("high", [0.95], True)], "high"),
             ("NOT_EQUAL", [x, value("middle", [0.5])], "not_middle")]
    made = {}
    for code, inputs, name in steps:
        made[name] = boolean(name)
        writer.operator(_CODES[code], inputs, [made[name]])
    for code, inputs, name in [("LOGICAL_AND", ["above", "below"], "band"),
                               ("LOGICAL_OR", ["is_first", "tiny"], "edge"),
                               ("LOGICAL_NOT", ["edge"], "inner"),
                               ("LOGICAL_AND", ["band", "inner"], "banded"),
                               ("LOGICAL_AND", ["banded", "not_middle"], "kept"),
                               ("LOGICAL_OR", ["kept", "high"], "keep")]:
        made[name] = boolean(name)
        writer.operator(_CODES[code], [made[i] for i in inputs], [made[name]])
    out = _tensor("selected", shape, dtype, quant)
    writer.operator(_CODES["SELECT_V2"], [made["keep"], x, value("fallback", [-1.0])], [out])
    return writer.finish(f"select_by_comparisons_{_suffix(dtype)}", [x], [out])


def _bool_output() -> bytes:
    """Refused: a BOOL model output (BOOL tensors are compiled inside a model only)."""
    x = _tensor("x", (1, 8), "f32", None)
    out = _tensor("positive", (1, 8), "i1", None)
    return _single("bool_output", "GREATER", [x, _constant("zero", [0.0], "f32")], out)


# Data movement.

def _strided_slice(dtype: str) -> bytes:
    """x[0, 1::2, -1, ::-2]: a stride, a negative stride and a shrunk axis (int16: zero
    point 0, as TFLite's 16x8 form)."""
    quant = q(1 / 32767) if dtype == "i16" else q(0.05, 3)
    x = _tensor("x", (1, 4, 4, 4), dtype, quant)
    out = _tensor("strided_slice", (1, 2, 2), dtype, quant)
    return _single(f"strided_slice_{_suffix(dtype)}", "STRIDED_SLICE",
                   [x, _int32("begin", [0, 1, -1, -1]), _int32("end", [1, 4, 0, -5]),
                    _int32("strides", [1, 2, 1, -2])], out, schema.StridedSliceOptions,
                   shrink_axis_mask=0b0100)


def _movement_quant(dtype: str) -> Quantization:
    """int16 is TFLite's 16x8 form: symmetric."""
    return q(1 / 32767) if dtype == "i16" else q(0.05, 3)


def _slice(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 4, 4), dtype, _movement_quant(dtype))
    out = _tensor("slice", (1, 2, 3, 4), dtype, _movement_quant(dtype))
    return _single(f"slice_{_suffix(dtype)}", "SLICE",
                   [x, _int32("begin", [0, 1, 1, 0]), _int32("size", [1, 2, -1, -1])], out)


def _split_then_concat(code: str, dtype: str) -> bytes:
    """SPLIT (SPLIT_V) of the channels, joined back in reverse order."""
    quant = _movement_quant(dtype)
    x = _tensor("x", (1, 4, 4, 6), dtype, quant)
    sizes = [2, 2, 2] if code == "SPLIT" else [1, -1, 2]
    widths = [2, 2, 2] if code == "SPLIT" else [1, 3, 2]
    parts = [_tensor(f"part{i}", (1, 4, 4, w), dtype, quant) for i, w in enumerate(widths)]
    out = _tensor("joined", x.shape, dtype, quant)
    writer = TfliteWriter()
    if code == "SPLIT":
        writer.operator(_CODES["SPLIT"], [_int32("axis", 3), x], parts, schema.SplitOptions,
                        num_splits=3)
    else:
        writer.operator(_CODES["SPLIT_V"], [x, _int32("sizes", sizes), _int32("axis", -1)],
                        parts, schema.SplitVOptions, num_splits=3)
    writer.operator(_CODES["CONCATENATION"], parts[::-1], [out], schema.ConcatenationOptions,
                    axis=3)
    return writer.finish(f"{code.lower()}_{_suffix(dtype)}", [x], [out])


def _unpack_then_pack(dtype: str) -> bytes:
    """UNPACK along rows, PACK the rows back along a new last axis."""
    x = _tensor("x", (1, 3, 4, 2), dtype, q(0.05, 3))
    rows = [_tensor(f"row{i}", (1, 4, 2), dtype, q(0.05, 3)) for i in range(3)]
    out = _tensor("packed", (1, 4, 2, 3), dtype, q(0.05, 3))
    writer = TfliteWriter()
    writer.operator(_CODES["UNPACK"], [x], rows, schema.UnpackOptions, num=3, axis=1)
    writer.operator(_CODES["PACK"], rows, [out], schema.PackOptions, values_count=3, axis=3)
    return writer.finish(f"unpack_pack_{_suffix(dtype)}", [x], [out])


def _gather(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 4, 4), dtype, q(0.05, 3))
    out = _tensor("gather", (1, 4, 2, 3, 4), dtype, q(0.05, 3))
    return _single(f"gather_{_suffix(dtype)}", "GATHER",
                   [x, _int32("indices", [[3, 0, 0], [1, 2, 2]])], out, schema.GatherOptions,
                   axis=2)


def _expand_dims(dtype: str) -> bytes:
    x = _tensor("x", (1, 16), dtype, _movement_quant(dtype))
    out = _tensor("expanded", (1, 16, 1), dtype, _movement_quant(dtype))
    return _single(f"expand_dims_{_suffix(dtype)}", "EXPAND_DIMS", [x, _int32("axis", -1)], out)


def _squeeze(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 1, 4), dtype, _movement_quant(dtype))
    out = _tensor("squeezed", (1, 4, 4), dtype, _movement_quant(dtype))
    return _single(f"squeeze_{_suffix(dtype)}", "SQUEEZE", [x], out, schema.SqueezeOptions,
                   squeeze_dims=[2])


def _relu_n1_to_1(dtype: str) -> bytes:
    # Inputs over about [-2.5, 2.6]: both clamps bite; the output scale differs.
    x = _tensor("x", (1, 4, 4, 4), dtype, q(0.02, 3))
    out = _tensor("relu_n1_to_1", x.shape, dtype, q(0.01, -5))
    return _single(f"relu_n1_to_1_{_suffix(dtype)}", "RELU_N1_TO_1", [x], out)


def _mirror_pad(dtype: str, mode: int) -> bytes:
    x = _tensor("x", (1, 4, 4, 3), dtype, q(0.05, 3))
    out = _tensor("padded", (1, 7, 6, 3), dtype, q(0.05, 3))
    name = ("reflect" if mode == 0 else "symmetric") + f"_pad_{_suffix(dtype)}"
    return _single(name, "MIRROR_PAD",
                   [x, _int32("paddings", [[0, 0], [2, 1], [1, 1], [0, 0]])], out,
                   schema.MirrorPadOptions, mode=mode)


def _padv2(dtype: str) -> bytes:
    quant = _movement_quant(dtype)
    x = _tensor("x", (1, 4, 4, 3), dtype, quant)
    value = {"i8": lambda: _constant("value", [5], "i8", quant),
             "i16": lambda: _constant("value", [-20000], "i16", quant),
             "f32": lambda: _constant("value", [-1.5], "f32")}[dtype]()
    out = _tensor("padded", (1, 5, 7, 3), dtype, quant)
    return _single(f"padv2_{_suffix(dtype)}", "PADV2",
                   [x, _int32("paddings", [[0, 0], [1, 0], [1, 2], [0, 0]]), value], out)


def _depth_to_space(dtype: str) -> bytes:
    x = _tensor("x", (1, 2, 3, 8), dtype, q(0.05, 3))
    out = _tensor("space", (1, 4, 6, 2), dtype, q(0.05, 3))
    return _single(f"depth_to_space_{_suffix(dtype)}", "DEPTH_TO_SPACE", [x], out,
                   schema.DepthToSpaceOptions, block_size=2)


def _space_to_depth(dtype: str) -> bytes:
    x = _tensor("x", (1, 4, 6, 2), dtype, q(0.05, 3))
    out = _tensor("depth", (1, 2, 3, 8), dtype, q(0.05, 3))
    return _single(f"space_to_depth_{_suffix(dtype)}", "SPACE_TO_DEPTH", [x], out,
                   schema.SpaceToDepthOptions, block_size=2)


# Reductions.

def _reduction(code: str, dtype: str, axes, keep_dims: bool, out_shape,
               out_quant: Quantization) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), dtype, q(0.05, 3))
        out = _tensor(code.lower(), out_shape, dtype, out_quant)
        return _single(f"{code.lower()}_{_suffix(dtype)}", code, [x, _int32("axes", axes)],
                       out, schema.ReducerOptions, keep_dims=keep_dims)
    return make


def _arg(code: str, dtype: str, axis: int, out_shape) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), dtype, q(0.05, 3))
        out = _tensor(code.lower(), out_shape, "i32", None)
        options = schema.ArgMaxOptions if code == "ARG_MAX" else schema.ArgMinOptions
        return _single(f"{code.lower()}_{_suffix(dtype)}", code, [x, _int32("axis", [axis])],
                       out, options, output_type=2)
    return make


# Resizing, casting, normalisations.

def _resize(code: str, dtype: str, in_hw, out_hw, align: bool, half: bool,
            name: str) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", (1, *in_hw, 2), dtype, q(0.05, 3))
        out = _tensor("resized", (1, *out_hw, 2), dtype, q(0.05, 3))
        options = (schema.ResizeBilinearOptions if code == "RESIZE_BILINEAR"
                   else schema.ResizeNearestNeighborOptions)
        return _single(name, code, [x, _int32("size", list(out_hw))], out, options,
                       align_corners=align, half_pixel_centers=half)
    return make


def _cast_int8_f32() -> bytes:
    x = _tensor("x", (1, 16), "i8", q(0.05, 3))
    return _single("cast_int8_f32", "CAST", [x], _tensor("cast", (1, 16), "f32", None),
                   schema.CastOptions, in_data_type=9, out_data_type=0)


def _float_only(code: str, options=None) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", (1, 4, 10), "f32", None)
        return _single(f"{code.lower()}_f32", code, [x], _tensor("y", x.shape, "f32", None),
                       options)
    return make


def _div_all_pairs_int8() -> bytes:
    """DIV of two activations over every pair of int8 values: x [1, 256, 256] by its
    transpose (the reference input's x[i, j] is 7j + 3 mod 256, shifted, so (x[i, j],
    x[j, i]) takes all 65536 pairs), divisors of both signs and 0 included."""
    x = _tensor("x", (1, 256, 256), "i8", q(0.05, 3))
    transposed = _tensor("transposed", x.shape, "i8", q(0.04, -7))
    out = _tensor("div", x.shape, "i8", q(0.5, -10))
    writer = TfliteWriter()
    writer.operator(_CODES["TRANSPOSE"], [x, _int32("perm", [0, 2, 1])], [transposed])
    writer.operator(_CODES["DIV"], [x, transposed], [out], schema.DivOptions,
                    fused_activation_function=0)
    return writer.finish("div_all_pairs_int8", [x], [out])


def _l2_normalization_int8(name: str, shape) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", shape, "i8", q(0.05, 1))
        return _single(name, "L2_NORMALIZATION", [x],
                       _tensor("y", x.shape, "i8", q(1 / 128, 0)), schema.L2NormOptions)
    return make


def _l2_normalization_all_pairs_int8() -> bytes:
    """L2_NORMALIZATION of every pair of int8 values: x [1, 256, 256, 1] and its
    transpose concatenated along the channels (see _div_all_pairs_int8), so the sums of
    squares run from 0 (both at the zero point) to 2 * 255^2."""
    x = _tensor("x", (1, 256, 256, 1), "i8", q(0.05, 1))
    transposed = _tensor("transposed", x.shape, "i8", x.quant)
    pairs = _tensor("pairs", (1, 256, 256, 2), "i8", x.quant)
    out = _tensor("y", pairs.shape, "i8", q(1 / 128, 0))
    writer = TfliteWriter()
    writer.operator(_CODES["TRANSPOSE"], [x, _int32("perm", [0, 2, 1, 3])], [transposed])
    writer.operator(_CODES["CONCATENATION"], [x, transposed], [pairs],
                    schema.ConcatenationOptions, axis=3)
    writer.operator(_CODES["L2_NORMALIZATION"], [pairs], [out], schema.L2NormOptions)
    return writer.finish("l2_normalization_all_pairs_int8", [x], [out])


def _div_int32() -> bytes:
    """Refused: integer DIV (TFLM's int32 form truncates) is imported only as shape
    arithmetic."""
    x = _tensor("x", (1, 8), "i32", None)
    y = _constant("y", np.full(8, 3), "i32")
    return _single("div_int32", "DIV", [x, y], _tensor("div", (1, 8), "i32", None),
                   schema.DivOptions, fused_activation_function=0)


def _cast_float_to_int() -> bytes:
    """Refused: TFLite truncates, TOSA's cast rounds."""
    x = _tensor("x", (1, 16), "f32", None)
    return _single("cast_f32_int32", "CAST", [x], _tensor("cast", (1, 16), "i32", None))


# TFLite's 16x8 form: int16 activations symmetric (zero point 0), int8 weights symmetric
# per output channel (FULLY_CONNECTED: per tensor), int64 biases at input scale x weight
# scale. The int16 reference input spans the whole int16 range; the output scales keep
# the outputs mostly unsaturated.

def _weights_int8(rng, shape, axis: int, name: str = "weights") -> Tensor:
    channels = shape[axis]
    scales = rng.uniform(0.004, 0.008, channels).astype(np.float32)
    quant = (Quantization(scales, np.zeros(channels, np.int64), axis) if channels > 1
             else q(float(scales[0])))
    return Tensor(name, tuple(shape), "i8", quant,
                  rng.integers(-127, 128, shape).astype(np.int8))


def _conv_16x8(depthwise: bool, name: str) -> Callable[[], bytes]:
    """CONV_2D 3x3 SAME stride 1 with RELU (4 channels), or DEPTHWISE_CONV_2D 3x3 SAME
    stride 2, multiplier 2, over [1, 5, 5, 3]."""
    def make() -> bytes:
        rng = np.random.default_rng(sum(map(ord, name)))
        channels_out = 6 if depthwise else 4
        x = _tensor("x", (1, 5, 5, 3), "i16", q(1 / 32767))
        shape = (1, 3, 3, channels_out) if depthwise else (channels_out, 3, 3, 3)
        weights = _weights_int8(rng, shape, 3 if depthwise else 0)
        bias = _constant("bias", rng.integers(-400000, 400000, channels_out), "i64")
        size = 3 if depthwise else 5
        out = _tensor(name, (1, size, size, channels_out), "i16", q(1 / 4000))
        if depthwise:
            return _single(name, "DEPTHWISE_CONV_2D", [x, weights, bias], out,
                           schema.DepthwiseConv2DOptions, padding=0, stride_h=2, stride_w=2,
                           depth_multiplier=2, dilation_h_factor=1, dilation_w_factor=1)
        return _single(name, "CONV_2D", [x, weights, bias], out, schema.Conv2DOptions,
                       padding=0, stride_h=1, stride_w=1, dilation_h_factor=1,
                       dilation_w_factor=1, fused_activation_function=1)
    return make


def _fully_connected_16x8() -> bytes:
    rng = np.random.default_rng(1608)
    x = _tensor("x", (1, 16), "i16", q(1 / 32767))
    weights = _weights_int8(rng, (6, 16), 0)
    weights = Tensor("weights", weights.shape, "i8", q(0.006), weights.data)
    bias = _constant("bias", rng.integers(-300000, 300000, 6), "i64")
    out = _tensor("fully_connected", (1, 6), "i16", q(1 / 8000))
    return _single("fully_connected_int16", "FULLY_CONNECTED", [x, weights, bias], out,
                   schema.FullyConnectedOptions)


def _transpose_conv_16x8() -> bytes:
    """SAME, stride 2, kernel 3x3, [1, 4, 4, 3] -> [1, 8, 8, 4], RELU."""
    rng = np.random.default_rng(1616)
    x = _tensor("x", (1, 4, 4, 3), "i16", q(1 / 32767))
    weights = _weights_int8(rng, (4, 3, 3, 3), 0)
    bias = _constant("bias", rng.integers(-300000, 300000, 4), "i64")
    out = _tensor("transpose_conv", (1, 8, 8, 4), "i16", q(1 / 6000))
    return _single("transpose_conv_int16", "TRANSPOSE_CONV",
                   [_int32("output_shape", [1, 8, 8, 4]), weights, x, bias], out,
                   schema.TransposeConvOptions, padding=0, stride_h=2, stride_w=2,
                   fused_activation_function=1)


_BINARY_16X8 = {"ADD": (schema.AddOptions, q(1 / 16000)), "SUB": (schema.SubOptions, q(1 / 16000)),
                "MUL": (schema.MulOptions, q(1 / 30000))}


def _binary_16x8(code: str) -> Callable[[], bytes]:
    """x [1, 4, 4, 4] (scale 1/32767) op a constant [4] at another scale."""
    def make() -> bytes:
        options, out_quant = _BINARY_16X8[code]
        x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
        y = _constant("y", [12000, -30000, 25000, -7000], "i16", q(1 / 40000))
        out = _tensor(code.lower(), x.shape, "i16", out_quant)
        return _single(f"{code.lower()}_int16", code, [x, y], out, options,
                       fused_activation_function=0)
    return make


def _quantize_16x8(source: str, target: str) -> Callable[[], bytes]:
    """QUANTIZE from float (the input [0, 1]) or int8 to int16, or int16 to int8."""
    name = f"quantize_{ {'f32': 'f32', 'i8': 'int8', 'i16': 'int16'}[source]}_" \
           f"{ {'i8': 'int8', 'i16': 'int16'}[target]}"
    quants = {"f32": None, "i8": q(0.01, 5), "i16": q(1 / 32767)}
    out_quants = {"i8": q(1 / 127, -3), "i16": q(1 / 20000)}

    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), source, quants[source])
        out = _tensor("quantized", x.shape, target, out_quants[target])
        return _single(name, "QUANTIZE", [x], out)
    return make


def _dequantize_16x8() -> bytes:
    x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
    return _single("dequantize_int16", "DEQUANTIZE", [x], _tensor("dequantized", x.shape,
                                                                  "f32", None))


def _pool_16x8(code: str) -> Callable[[], bytes]:
    """3x3 SAME stride 2 over [1, 5, 5, 4]: windows of 4, 6 and 9 elements."""
    def make() -> bytes:
        x = _tensor("x", (1, 5, 5, 4), "i16", q(1 / 32767))
        out = _tensor(code.lower(), (1, 3, 3, 4), "i16", q(1 / 32767))
        return _single(f"{code.lower()}_int16", code, [x], out, schema.Pool2DOptions,
                       padding=0, stride_h=2, stride_w=2, filter_height=3, filter_width=3,
                       fused_activation_function=1)
    return make


def _pad_16x8() -> bytes:
    x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
    out = _tensor("pad", (1, 6, 5, 4), "i16", q(1 / 32767))
    return _single("pad_int16", "PAD", [x, _int32("paddings", [[0, 0], [1, 1], [0, 1], [0, 0]])],
                   out)


def _gelu_16x8(approximate: bool) -> Callable[[], bytes]:
    """16x8 GELU over [-4, 4]: TFLite Micro's interpolated int16 table."""
    name = "gelu_tanh" if approximate else "gelu"
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), "i16", q(4 / 32768))
        out = _tensor(name, x.shape, "i16", q(4 / 32768))
        return _single(f"{name}_int16", "GELU", [x], out, schema.GeluOptions,
                       approximate=approximate)
    return make


def _leaky_relu_16x8() -> bytes:
    x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
    out = _tensor("leaky_relu", x.shape, "i16", q(1 / 30000))
    return _single("leaky_relu_int16", "LEAKY_RELU", [x], out, schema.LeakyReluOptions,
                   alpha=0.2)


def _reshape_16x8() -> bytes:
    x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
    out = _tensor("reshape", (1, 16, 4), "i16", q(1 / 32767))
    return _single("reshape_int16", "RESHAPE", [x, _int32("shape", [1, 16, 4])], out,
                   schema.ReshapeOptions, new_shape=[1, 16, 4])


def _sigmoid_16x8(code: str, input_scale: float) -> Callable[[], bytes]:
    """LOGISTIC or TANH of x [1, 4, 4, 4] at an input scale that is no power of two (the
    kernels' input multiplier and rounding shift), output Q0.15."""
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 4), "i16", q(input_scale))
        out = _tensor(code.lower(), x.shape, "i16", q(1 / 32768))
        return _single(f"{code.lower()}_int16", code, [x], out)
    return make


def _softmax_16x8(name: str, shape, input_scale: float, beta: float,
                  output_scale: float = 1 / 32768) -> Callable[[], bytes]:
    def make() -> bytes:
        x = _tensor("x", shape, "i16", q(input_scale))
        return _single(name, "SOFTMAX", [x], _tensor("softmax", shape, "i16", q(output_scale)),
                       schema.SoftmaxOptions, beta=beta)
    return make


def _transpose_16x8() -> bytes:
    """Rows and columns swapped, channels kept."""
    x = _tensor("x", (1, 4, 3, 5), "i16", q(1 / 32767))
    out = _tensor("transposed", (1, 3, 4, 5), "i16", q(1 / 32767))
    return _single("transpose_int16", "TRANSPOSE", [x, _int32("perm", [0, 2, 1, 3])], out)


def _concatenation_16x8(name: str, y_scale: float) -> Callable[[], bytes]:
    """x [1, 4, 4, 3] joined with a constant [1, 4, 4, 2] along the channels."""
    def make() -> bytes:
        x = _tensor("x", (1, 4, 4, 3), "i16", q(1 / 32767))
        y = _constant("y", _rng().integers(-32768, 32768, (1, 4, 4, 2)), "i16", q(y_scale))
        out = _tensor("concatenation", (1, 4, 4, 5), "i16", q(1 / 32767))
        return _single(name, "CONCATENATION", [x, y], out, schema.ConcatenationOptions, axis=3)
    return make


MODELS: dict[str, Callable[[], bytes]] = {
    "conv2d_int16": _conv_16x8(False, "conv2d_int16"),
    "depthwise_conv2d_int16": _conv_16x8(True, "depthwise_conv2d_int16"),
    "fully_connected_int16": _fully_connected_16x8,
    "transpose_conv_int16": _transpose_conv_16x8,
    **{f"{code.lower()}_int16": _binary_16x8(code) for code in _BINARY_16X8},
    "quantize_f32_int16": _quantize_16x8("f32", "i16"),
    "quantize_int8_int16": _quantize_16x8("i8", "i16"),
    "quantize_int16_int8": _quantize_16x8("i16", "i8"),
    "dequantize_int16": _dequantize_16x8,
    "average_pool_2d_int16": _pool_16x8("AVERAGE_POOL_2D"),
    "max_pool_2d_int16": _pool_16x8("MAX_POOL_2D"),
    "pad_int16": _pad_16x8,
    "strided_slice_int16": lambda: _strided_slice("i16"),
    "reshape_int16": _reshape_16x8,
    "leaky_relu_int16": _leaky_relu_16x8,
    "gelu_int16": _gelu_16x8(False),
    "gelu_tanh_int16": _gelu_16x8(True),
    "logistic_int16": _sigmoid_16x8("LOGISTIC", 1 / 3000),
    "tanh_int16": _sigmoid_16x8("TANH", 1 / 4000),
    # Rows of 16 spanning 32 (exp's table saturates below -10), beta 1; rows of 1,000 at
    # beta 0.5 (a sum of 2^20 and more, normalised by fewer leading zeros).
    "softmax_int16": _softmax_16x8("softmax_int16", (1, 4, 16), 1 / 2048, 1.0),
    "softmax_deep_int16": _softmax_16x8("softmax_deep_int16", (2, 1000), 1 / 3000, 0.5),
    "concatenation_int16": _concatenation_16x8("concatenation_int16", 1 / 32767),
    "slice_int16": lambda: _slice("i16"),
    "split_int16": lambda: _split_then_concat("SPLIT", "i16"),
    "split_v_int16": lambda: _split_then_concat("SPLIT_V", "i16"),
    "expand_dims_int16": lambda: _expand_dims("i16"),
    "transpose_int16": _transpose_16x8,
    "padv2_int16": lambda: _padv2("i16"),
}
for _dtype in ("i8", "f32"):
    _s = _suffix(_dtype)
    MODELS.update({
        f"sub_{_s}": _binary("SUB", _dtype, activation=1),
        # ADD and MUL of a constant: one input, which pexc's entry point needs.
        f"add_constant_{_s}": _binary("ADD", _dtype, 1, f"add_constant_{_s}"),
        f"mul_constant_{_s}": _binary("MUL", _dtype, 0, f"mul_constant_{_s}"),
        f"concatenation_constant_{_s}": _concatenation_constant(_dtype),
        f"maximum_{_s}": _binary("MAXIMUM", _dtype),
        f"minimum_{_s}": _binary("MINIMUM", _dtype),
        f"squared_difference_{_s}": _binary("SQUARED_DIFFERENCE", _dtype),
        **{f"{code.lower()}_{_s}": _unary(code, _dtype) for code in _UNARY_QUANT},
        f"gelu_tanh_{_s}": _unary("GELU", _dtype, "gelu_tanh", schema.GeluOptions,
                                  approximate=True),
        f"prelu_{_s}": lambda d=_dtype: _prelu(d),
        f"strided_slice_{_s}": lambda d=_dtype: _strided_slice(d),
        f"slice_{_s}": lambda d=_dtype: _slice(d),
        f"split_{_s}": lambda d=_dtype: _split_then_concat("SPLIT", d),
        f"split_v_{_s}": lambda d=_dtype: _split_then_concat("SPLIT_V", d),
        f"unpack_pack_{_s}": lambda d=_dtype: _unpack_then_pack(d),
        f"gather_{_s}": lambda d=_dtype: _gather(d),
        f"expand_dims_{_s}": lambda d=_dtype: _expand_dims(d),
        f"squeeze_{_s}": lambda d=_dtype: _squeeze(d),
        f"relu_n1_to_1_{_s}": lambda d=_dtype: _relu_n1_to_1(d),
        f"reflect_pad_{_s}": lambda d=_dtype: _mirror_pad(d, 0),
        f"symmetric_pad_{_s}": lambda d=_dtype: _mirror_pad(d, 1),
        f"padv2_{_s}": lambda d=_dtype: _padv2(d),
        f"depth_to_space_{_s}": lambda d=_dtype: _depth_to_space(d),
        f"space_to_depth_{_s}": lambda d=_dtype: _space_to_depth(d),
        f"reduce_max_{_s}": _reduction("REDUCE_MAX", _dtype, [1, 2], True, (1, 1, 1, 4),
                                       q(0.05, 3)),
        f"reduce_min_{_s}": _reduction("REDUCE_MIN", _dtype, [-1], False, (1, 4, 4), q(0.05, 3)),
        f"sum_{_s}": _reduction("SUM", _dtype, [1, 2], False, (1, 4), q(0.5, -20)),
        f"arg_max_{_s}": _arg("ARG_MAX", _dtype, 3, (1, 4, 4)),
        f"arg_min_{_s}": _arg("ARG_MIN", _dtype, 1, (1, 4, 4)),
        f"resize_nearest_{_s}": _resize("RESIZE_NEAREST_NEIGHBOR", _dtype, (3, 4), (6, 8),
                                        False, False, f"resize_nearest_{_s}"),
        f"resize_nearest_aligned_{_s}": _resize("RESIZE_NEAREST_NEIGHBOR", _dtype, (3, 5),
                                                (5, 7), True, False,
                                                f"resize_nearest_aligned_{_s}"),
        f"resize_bilinear_{_s}": _resize("RESIZE_BILINEAR", _dtype, (4, 4), (6, 7), False,
                                         True, f"resize_bilinear_{_s}"),
        f"dilated_conv_{_s}": _dilated(_dtype, False, f"dilated_conv_{_s}"),
        f"dilated_depthwise_conv_{_s}": _dilated(_dtype, True, f"dilated_depthwise_conv_{_s}"),
        f"reverse_v2_{_s}": lambda d=_dtype: _reverse_v2(d),
        f"select_by_comparisons_{_s}": lambda d=_dtype: _select_by_comparisons(d),
        f"batch_matmul_constant_{_s}": lambda d=_dtype: _batch_matmul_constant(d),
        f"batch_matmul_gram_{_s}": lambda d=_dtype: _batch_matmul_gram(d),
        f"transpose_conv_{_s}": _transpose_conv(
            _dtype, (1, 4, 4, 3), (3, 3), (1, 8, 8, 4), (2, 2), "SAME", True, 1,
            f"transpose_conv_{_s}"),
        # VALID, no bias, stride 3 over a kernel of 2: the last inserted zero row is
        # outside every window.
        f"transpose_conv_valid_{_s}": _transpose_conv(
            _dtype, (1, 3, 4, 2), (2, 3), (1, 8, 6, 3), (3, 1), "VALID", False, 0,
            f"transpose_conv_valid_{_s}"),
        f"resize_bilinear_aligned_{_s}": _resize("RESIZE_BILINEAR", _dtype, (3, 4), (5, 6), True,
                                                 False, f"resize_bilinear_aligned_{_s}"),
    })
MODELS.update({
    "div_f32": _binary("DIV", "f32", activation=3),
    "div_int8": _binary("DIV", "i8", activation=1),
    "div_all_pairs_int8": _div_all_pairs_int8,
    "tanh_f32": _unary("TANH", "f32"),
    "tanh_int8": lambda: _single("tanh_int8", "TANH", [_tensor("x", (1, 4, 4, 4), "i8",
                                                                q(0.05, 3))],
                                 _tensor("tanh", (1, 4, 4, 4), "i8", q(1 / 128, 0))),
    "add_n_f32": _add_n_f32,
    "l2_pool_f32": _l2_pool_f32,
    "folded_constants_f32": _folded_constants_f32,
    "hard_swish_wide_int8": _hard_swish_low_scale,
    "cast_int8_f32": _cast_int8_f32,
    "log_softmax_f32": _float_only("LOG_SOFTMAX"),
    "log_softmax_int8": lambda: _single(
        "log_softmax_int8", "LOG_SOFTMAX", [_tensor("x", (1, 4, 16), "i8", q(0.1, 3))],
        _tensor("log_softmax", (1, 4, 16), "i8", q(16 / 256, 127))),
    # 512 rows of 8: as many sums of exps for the fixed-point logarithm.
    "log_softmax_rows_int8": lambda: _single(
        "log_softmax_rows_int8", "LOG_SOFTMAX", [_tensor("x", (512, 8), "i8", q(0.05, 0))],
        _tensor("log_softmax", (512, 8), "i8", q(16 / 256, 127))),
    # Rows of 300 at a finer input scale: larger sums, diff_min below -255.
    "log_softmax_deep_int8": lambda: _single(
        "log_softmax_deep_int8", "LOG_SOFTMAX", [_tensor("x", (2, 300), "i8", q(0.03, -5))],
        _tensor("log_softmax", (2, 300), "i8", q(16 / 256, 127))),
    "l2_normalization_f32": _float_only("L2_NORMALIZATION", schema.L2NormOptions),
    "l2_normalization_int8": _l2_normalization_int8("l2_normalization_int8", (1, 4, 16)),
    # Rows of 4096 values: sums of squares of 2^24 and more, normalised by fewer than 4
    # pairs of bits, so the output shift is a right shift.
    "l2_normalization_deep_int8": _l2_normalization_int8("l2_normalization_deep_int8",
                                                         (1, 8, 4096)),
    "l2_normalization_all_pairs_int8": _l2_normalization_all_pairs_int8,
})
def _softmax_scalar() -> bytes:
    """Refused: a scalar has no axis to normalise along (found by pex.fuzz)."""
    x = _tensor("x", (), "f32", None)
    return _single("softmax_scalar", "SOFTMAX", [x], _tensor("y", (), "f32", None),
                   schema.SoftmaxOptions, beta=1.0)


def _log_softmax_16x8() -> bytes:
    """Refused: TFLite Micro has no int16 LOG_SOFTMAX."""
    x = _tensor("x", (1, 16), "i16", q(1 / 4096))
    return _single("log_softmax_int16", "LOG_SOFTMAX", [x],
                   _tensor("log_softmax", (1, 16), "i16", q(1 / 2048)))


def _conv_16x8_zero_point() -> bytes:
    """Refused: 16x8 activations are symmetric (TFLite Micro's int16 kernels require zero
    point 0)."""
    rng = np.random.default_rng(1600)
    x = _tensor("x", (1, 4, 4, 2), "i16", q(1 / 32767, 5))
    weights = _weights_int8(rng, (3, 1, 1, 2), 0)
    bias = _constant("bias", [0, 0, 0], "i64")
    out = _tensor("conv", (1, 4, 4, 3), "i16", q(1 / 4000))
    return _single("conv2d_int16_zero_point", "CONV_2D", [x, weights, bias], out,
                   schema.Conv2DOptions, padding=1, stride_h=1, stride_w=1,
                   dilation_h_factor=1, dilation_w_factor=1)


def _grouped_conv_16x8() -> bytes:
    """Refused: a grouped CONV_2D in the 16x8 form (weights of 2 of the 4 input
    channels)."""
    rng = np.random.default_rng(1601)
    x = _tensor("x", (1, 4, 4, 4), "i16", q(1 / 32767))
    weights = _weights_int8(rng, (4, 1, 1, 2), 0)
    bias = _constant("bias", [0, 0, 0, 0], "i64")
    out = _tensor("conv", (1, 4, 4, 4), "i16", q(1 / 4000))
    return _single("grouped_conv2d_int16", "CONV_2D", [x, weights, bias], out,
                   schema.Conv2DOptions, padding=1, stride_h=1, stride_w=1,
                   dilation_h_factor=1, dilation_w_factor=1)


# Models the importer refuses, each with a one-line error.
REFUSED: dict[str, Callable[[], bytes]] = {
    "log_softmax_int16": _log_softmax_16x8,
    # TFLite Micro's int16 SOFTMAX gives Q0.15; LOGISTIC too.
    "softmax_int16_scale": _softmax_16x8("softmax_int16_scale", (1, 16), 1 / 4096, 1.0,
                                         1 / 256),
    "logistic_int16_scale": lambda: _single(
        "logistic_int16_scale", "LOGISTIC", [_tensor("x", (1, 16), "i16", q(1 / 4096))],
        _tensor("logistic", (1, 16), "i16", q(1 / 30000))),
    # x times the input multiplier (98,304) would overflow the kernel's int32.
    "tanh_int16_wide": lambda: _single(
        "tanh_int16_wide", "TANH", [_tensor("x", (1, 16), "i16", q(8.0))],
        _tensor("tanh", (1, 16), "i16", q(1 / 32768))),
    # x - max shifted left by 17 would overflow the kernel's int32.
    "softmax_int16_wide": _softmax_16x8("softmax_int16_wide", (1, 16), 20.0, 1.0),
    "concatenation_int16_scales": _concatenation_16x8("concatenation_int16_scales", 1 / 1000),
    "conv2d_int16_zero_point": _conv_16x8_zero_point,
    "grouped_conv2d_int16": _grouped_conv_16x8,
    "softmax_scalar": _softmax_scalar,
    "cast_f32_int32": _cast_float_to_int,
    "div_int32": _div_int32,
    "tanh_int8_scale": lambda: _single(
        "tanh_int8_scale", "TANH", [_tensor("x", (1, 16), "i8", q(0.05, 3))],
        _tensor("tanh", (1, 16), "i8", q(0.01, 0))),
    "log_softmax_int8_scale": lambda: _single(
        "log_softmax_int8_scale", "LOG_SOFTMAX", [_tensor("x", (1, 16), "i8", q(0.1, 3))],
        _tensor("log_softmax", (1, 16), "i8", q(1 / 16, 0))),
    "l2_normalization_int8_scale": lambda: _single(
        "l2_normalization_int8_scale", "L2_NORMALIZATION",
        [_tensor("x", (1, 16), "i8", q(0.05, 3))], _tensor("y", (1, 16), "i8", q(0.01, 0)),
        schema.L2NormOptions),
    "space_to_batch_alone": _space_to_batch_alone,
    "bool_output": _bool_output,
}
