"""Tiny models, one behaviour each, for the importer tests (`python3 -m pex.testmodels`).

Every TFLite model is a `Graph` with hand-picked quantisation (so tests can check the
multipliers and shifts it must produce) written by `pex.importers.tflite.writer`; the
malformed ones are written with the writer's low-level API or damaged after writing.
Weights come from a fixed seed.
"""

from __future__ import annotations

import numpy as np

from pex.graph import Graph, Op, Quantization, Tensor
from pex.importers.tflite import schema
from pex.importers.tflite.writer import TfliteWriter, write_tflite

_rng = np.random.default_rng(7)


def q(scale, zero_point=0, axis=None) -> Quantization:
    scale = np.atleast_1d(np.asarray(scale, np.float32))
    zero_point = np.broadcast_to(np.asarray(zero_point, np.int64), scale.shape).copy()
    return Quantization(scale, zero_point, axis)


def activation(name: str, shape, dtype: str = "i8", quant: Quantization | None = None) -> Tensor:
    return Tensor(name, tuple(shape), dtype, quant)


def int8_weights(name: str, shape, quant: Quantization) -> Tensor:
    return Tensor(name, tuple(shape), "i8", quant,
                  _rng.integers(-127, 128, size=shape).astype(np.int8))


def int32_bias(name: str, size: int) -> Tensor:
    return Tensor(name, (size,), "i32", None, _rng.integers(-500, 500, size=size).astype(np.int32))


def float_tensor(name: str, shape) -> Tensor:
    return Tensor(name, tuple(shape), "f32", None,
                  _rng.normal(0, 0.5, size=shape).astype(np.float32))


def single_op(name: str, kind: str, inputs: list, output: Tensor, **attrs) -> Graph:
    graph_inputs = [t for t in inputs if t is not None and not t.is_constant]
    return Graph(name, graph_inputs, [output], [Op(kind, inputs, [output], attrs)])


def _conv2d_int8() -> Graph:
    x = activation("input", (1, 8, 8, 3), quant=q(0.02, -5))
    weights = int8_weights("conv/weights", (4, 3, 3, 3), q([0.01, 0.005, 0.02, 0.0125], axis=0))
    out = activation("conv/output", (1, 4, 4, 4), quant=q(0.1, -128))
    return single_op("conv2d_int8", "conv2d", [x, weights, int32_bias("conv/bias", 4)], out,
                     stride=(2, 2), dilation=(1, 1), pad=(0, 1, 0, 1), activation="RELU6")


def _conv2d_f32() -> Graph:
    x = activation("input", (1, 6, 6, 2), "f32")
    out = activation("conv/output", (1, 6, 6, 3), "f32")
    return single_op("conv2d_f32", "conv2d", [x, float_tensor("conv/weights", (3, 3, 3, 2)),
                                               float_tensor("conv/bias", (3,))], out,
                     stride=(1, 1), dilation=(1, 1), pad=(1, 1, 1, 1), activation="RELU")


def _depthwise_conv2d_int8() -> Graph:
    x = activation("input", (1, 6, 6, 2), quant=q(0.05, 3))
    weights = int8_weights("dw/weights", (3, 3, 2, 2), q([0.01, 0.02, 0.03, 0.04], axis=3))
    out = activation("dw/output", (1, 6, 6, 4), quant=q(0.2, -10))
    return single_op("depthwise_conv2d_int8", "depthwise_conv2d",
                     [x, weights, int32_bias("dw/bias", 4)], out,
                     stride=(1, 1), dilation=(1, 1), pad=(1, 1, 1, 1), activation="RELU")


def _fully_connected_int8() -> Graph:
    x = activation("input", (1, 16), quant=q(0.03, 7))
    weights = int8_weights("fc/weights", (5, 16), q(0.007))
    out = activation("fc/output", (1, 5), quant=q(0.25, 2))
    return single_op("fully_connected_int8", "fully_connected",
                     [x, weights, int32_bias("fc/bias", 5)], out, activation="NONE")


def _binary_int8(kind: str) -> Graph:
    a = activation("a", (1, 4, 4, 8), quant=q(0.05, -3))
    b = activation("b", (1, 4, 4, 8), quant=q(0.08, 10))
    out = activation(f"{kind}/output", (1, 4, 4, 8), quant=q(0.1 if kind == "add" else 0.3, -7))
    return single_op(f"{kind}_int8", kind, [a, b], out, activation="RELU")


def _pool_int8(kind: str) -> Graph:
    x = activation("input", (1, 8, 8, 4), quant=q(0.1, -20))
    out = activation(f"{kind}/output", (1, 4, 4, 4), quant=q(0.1, -20))
    return single_op(f"{kind}_int8", kind, [x], out, kernel=(2, 2), stride=(2, 2),
                     pad=(0, 0, 0, 0), activation="NONE")


def _mean_int8() -> Graph:
    x = activation("input", (1, 5, 5, 6), quant=q(0.04, -12))
    out = activation("mean/output", (1, 1, 1, 6), quant=q(0.03, 5))
    return single_op("mean_int8", "mean", [x], out, axes=(1, 2), keep_dims=True)


def _pad_int8() -> Graph:
    x = activation("input", (1, 4, 4, 3), quant=q(0.1, -9))
    out = activation("pad/output", (1, 6, 5, 3), quant=q(0.1, -9))
    return single_op("pad_int8", "pad", [x], out, pads=((0, 0), (1, 1), (0, 1), (0, 0)))


def _reshape_int8() -> Graph:
    x = activation("input", (1, 1, 1, 10), quant=q(0.1, 0))
    out = activation("reshape/output", (1, 10), quant=q(0.1, 0))
    return single_op("reshape_int8", "reshape", [x], out)


def _transpose_int8() -> Graph:
    x = activation("input", (1, 2, 3, 4), quant=q(0.1, 0))
    out = activation("transpose/output", (1, 4, 2, 3), quant=q(0.1, 0))
    return single_op("transpose_int8", "transpose", [x], out, perm=(0, 3, 1, 2))


def _concat_int8() -> Graph:
    a = activation("a", (1, 4, 4, 3), quant=q(0.1, 0))
    b = activation("b", (1, 4, 4, 5), quant=q(0.05, 4))
    out = activation("concat/output", (1, 4, 4, 8), quant=q(0.1, 0))
    return single_op("concat_int8", "concat", [a, b], out, axis=3, activation="NONE")


def _softmax(dtype: str) -> Graph:
    quantised = dtype == "i8"
    x = activation("logits", (1, 10), dtype, q(0.15, 12) if quantised else None)
    out = activation("probabilities", (1, 10), dtype, q(1 / 256, -128) if quantised else None)
    return single_op(f"softmax_{'int8' if quantised else 'f32'}", "softmax", [x], out, beta=1.0)


def _unary_int8(kind: str, output_quant: Quantization, **attrs) -> Graph:
    x = activation("input", (1, 4, 4, 4), quant=q(0.07, 3))
    out = activation(f"{kind}/output", (1, 4, 4, 4), quant=output_quant)
    return single_op(f"{kind}_int8", kind, [x], out, **attrs)


def _relu6_f32() -> Graph:
    return single_op("relu6_f32", "relu6", [activation("input", (1, 4, 4, 4), "f32")],
                     activation("relu6/output", (1, 4, 4, 4), "f32"))


def _quantize_f32() -> Graph:
    return single_op("quantize_f32", "quantize", [activation("input", (1, 8), "f32")],
                     activation("quantized", (1, 8), quant=q(0.02, -1)))


def _dequantize_int8() -> Graph:
    return single_op("dequantize_int8", "dequantize",
                     [activation("input", (1, 8), quant=q(0.02, -1))],
                     activation("dequantized", (1, 8), "f32"))


def _hybrid_conv2d() -> Graph:
    """Float activations with int8 weights, as TFLite's dynamic-range quantisation writes."""
    x = activation("input", (1, 4, 4, 2), "f32")
    weights = int8_weights("conv/weights", (3, 1, 1, 2), q([0.5, 0.25, 0.125], axis=0))
    out = activation("conv/output", (1, 4, 4, 3), "f32")
    return single_op("hybrid_conv2d", "conv2d", [x, weights, float_tensor("conv/bias", (3,))],
                     out, stride=(1, 1), dilation=(1, 1), pad=(0, 0, 0, 0), activation="NONE")


GRAPHS = {
    "conv2d_int8": _conv2d_int8,
    "conv2d_f32": _conv2d_f32,
    "depthwise_conv2d_int8": _depthwise_conv2d_int8,
    "fully_connected_int8": _fully_connected_int8,
    "add_int8": lambda: _binary_int8("add"),
    "mul_int8": lambda: _binary_int8("mul"),
    "avg_pool2d_int8": lambda: _pool_int8("avg_pool2d"),
    "max_pool2d_int8": lambda: _pool_int8("max_pool2d"),
    "mean_int8": _mean_int8,
    "pad_int8": _pad_int8,
    "reshape_int8": _reshape_int8,
    "transpose_int8": _transpose_int8,
    "concat_int8": _concat_int8,
    "softmax_int8": lambda: _softmax("i8"),
    "softmax_f32": lambda: _softmax("f32"),
    "logistic_int8": lambda: _unary_int8("logistic", q(1 / 256, -128)),
    "relu_int8": lambda: _unary_int8("relu", q(0.05, -20)),
    "leaky_relu_int8": lambda: _unary_int8("leaky_relu", q(0.05, 0), alpha=0.2),
    "relu6_f32": _relu6_f32,
    "quantize_f32": _quantize_f32,
    "dequantize_int8": _dequantize_int8,
    "hybrid_conv2d": _hybrid_conv2d,
}


def _unsupported_operator() -> bytes:
    """A GATHER, which the importer does not handle, after a supported RELU."""
    writer = TfliteWriter()
    x = activation("input", (4, 3), "f32")
    relu = activation("relu", (4, 3), "f32")
    gathered = activation("gathered", (2, 3), "f32")
    writer.operator(schema.BUILTIN_OPERATOR_CODES["RELU"], [x], [relu])
    writer.operator(schema.BUILTIN_OPERATOR_CODES["GATHER"],
                    [relu, writer.constant("indices", np.array([0, 2], np.int32))], [gathered])
    return writer.finish("unsupported_operator", [x], [gathered])


def _dynamic_shape() -> bytes:
    """A RELU whose input's shape signature leaves the height unknown."""
    writer = TfliteWriter()
    x = activation("input", (1, 1, 8, 3), "f32")
    out = activation("relu", (1, 1, 8, 3), "f32")
    writer.tensor(x, shape_signature=np.array([1, -1, 8, 3], np.int32))
    writer.operator(schema.BUILTIN_OPERATOR_CODES["RELU"], [x], [out])
    return writer.finish("dynamic_shape", [x], [out])


def _truncated() -> bytes:
    return write_tflite(_conv2d_int8())[:200]


def _bad_magic() -> bytes:
    data = bytearray(write_tflite(_relu6_f32()))
    data[4:8] = b"TFL2"
    return bytes(data)


MALFORMED = {
    "unsupported_operator": _unsupported_operator,
    "dynamic_shape": _dynamic_shape,
    "truncated": _truncated,
    "bad_magic": _bad_magic,
}


def tflite_model(name: str) -> bytes:
    if name in MALFORMED:
        return MALFORMED[name]()
    return write_tflite(GRAPHS[name]())
