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
from pex.importers.tflite.writer import Style, TfliteWriter, write_tflite

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


def _grouped_conv2d_int8() -> Graph:
    """TFLite's grouped CONV_2D (Keras Conv2D(groups=3)): 6 input channels in 3 groups of
    2, 9 outputs (3 per group), 3x3 stride 2, weights per output channel, RELU6."""
    x = activation("input", (1, 7, 7, 6), quant=q(0.02, -3))
    weights = int8_weights("conv/weights", (9, 3, 3, 2),
                           q([0.01, 0.02, 0.015, 0.01, 0.005, 0.02, 0.01, 0.012, 0.011], axis=0))
    out = activation("conv/output", (1, 4, 4, 9), quant=q(0.05, 2))
    return single_op("grouped_conv2d_int8", "conv2d", [x, weights, int32_bias("conv/bias", 9)],
                     out, stride=(2, 2), dilation=(1, 1), pad=(1, 1, 1, 1), activation="RELU6")


def _grouped_bottleneck_int8() -> Graph:
    """A ResNeXt bottleneck as TFLite has it: a 1x1 CONV_2D 4 -> 16 (RELU6), a grouped 3x3
    CONV_2D in 4 groups of 4 channels in and out (RELU6), a 1x1 CONV_2D 16 -> 4, weights
    per output channel."""
    x = activation("input", (1, 8, 8, 4), quant=q(0.02, -3))

    def conv(name, x, weights_shape, out_quant, activation_, pad):
        weights = int8_weights(f"{name}/weights", weights_shape,
                               q(_rng.uniform(0.004, 0.02, weights_shape[0]), axis=0))
        out = activation(f"{name}/output", x.shape[:3] + (weights_shape[0],), quant=out_quant)
        return Op("conv2d", [x, weights, int32_bias(f"{name}/bias", weights_shape[0])], [out],
                  dict(stride=(1, 1), dilation=(1, 1), pad=pad, activation=activation_))

    expand = conv("expand", x, (16, 1, 1, 4), q(0.03, -128), "RELU6", (0, 0, 0, 0))
    grouped = conv("grouped", expand.outputs[0], (16, 3, 3, 4), q(0.04, -128), "RELU6",
                   (1, 1, 1, 1))
    project = conv("project", grouped.outputs[0], (4, 1, 1, 16), q(0.05, 4), "NONE",
                   (0, 0, 0, 0))
    return Graph("grouped_bottleneck_int8", [x], project.outputs, [expand, grouped, project])


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


def _padded_depthwise_int8() -> Graph:
    """PyTorch-to-TFLite style: an explicit PAD, then a VALID stride-2 3x3 depthwise
    convolution that never reads the last padded row and column."""
    x = activation("input", (1, 8, 8, 4), quant=q(0.05, -3))
    padded = activation("padded", (1, 10, 10, 4), quant=q(0.05, -3))
    weights = int8_weights("dw/weights", (3, 3, 4, 1), q([0.01, 0.02, 0.015, 0.03], axis=3))
    out = activation("dw/output", (1, 4, 4, 4), quant=q(0.1, -128))
    return Graph("padded_depthwise_int8", [x], [out], [
        Op("pad", [x], [padded], dict(pads=((0, 0), (1, 1), (1, 1), (0, 0)))),
        Op("depthwise_conv2d", [padded, weights, int32_bias("dw/bias", 4)], [out],
           dict(stride=(2, 2), dilation=(1, 1), pad=(0, 0, 0, 0), activation="RELU6"))])


def _padded_conv_int8() -> Graph:
    """An explicit pad (written as PADV2 with the zero point) before a VALID stride-1 3x3
    convolution, which reads every padded row and column."""
    x = activation("input", (1, 6, 6, 3), quant=q(0.04, 5))
    padded = activation("padded", (1, 8, 8, 3), quant=q(0.04, 5))
    weights = int8_weights("conv/weights", (4, 3, 3, 3), q([0.01, 0.005, 0.02, 0.0125], axis=0))
    out = activation("conv/output", (1, 6, 6, 4), quant=q(0.12, -20))
    return Graph("padded_conv_int8", [x], [out], [
        Op("pad", [x], [padded], dict(pads=((0, 0), (1, 1), (1, 1), (0, 0)))),
        Op("conv2d", [padded, weights, int32_bias("conv/bias", 4)], [out],
           dict(stride=(1, 1), dilation=(1, 1), pad=(0, 0, 0, 0), activation="NONE"))])


def _image_filter_int8() -> Graph:
    """An image-to-image filter (a denoiser or segmentation head in miniature): a 3x3
    convolution, a 3x3 depthwise convolution and a 1x1 projection, all stride 1 and SAME,
    so the output is a map of the input's 48 rows. Under `pexc --io=stream --stream` one
    row stream takes the input's rows, computes each output row and hands it over: no
    activation exists whole."""
    x = activation("image", (1, 48, 48, 3), quant=q(0.02, -5))
    features = activation("features", (1, 48, 48, 16), quant=q(0.05, -128))
    filtered = activation("filtered", (1, 48, 48, 16), quant=q(0.04, -128))
    out = activation("filter/output", (1, 48, 48, 8), quant=q(0.1, 3))
    conv_weights = int8_weights("conv/weights", (16, 3, 3, 3),
                                q(np.linspace(0.004, 0.012, 16), axis=0))
    dw_weights = int8_weights("dw/weights", (3, 3, 16, 1), q(np.linspace(0.01, 0.03, 16), axis=3))
    project_weights = int8_weights("project/weights", (8, 1, 1, 16),
                                   q(np.linspace(0.005, 0.01, 8), axis=0))
    same = dict(stride=(1, 1), dilation=(1, 1), pad=(1, 1, 1, 1))
    return Graph("image_filter_int8", [x], [out], [
        Op("conv2d", [x, conv_weights, int32_bias("conv/bias", 16)], [features],
           dict(same, activation="RELU6")),
        Op("depthwise_conv2d", [features, dw_weights, int32_bias("dw/bias", 16)], [filtered],
           dict(same, activation="RELU6")),
        Op("conv2d", [filtered, project_weights, int32_bias("project/bias", 8)], [out],
           dict(stride=(1, 1), dilation=(1, 1), pad=(0, 0, 0, 0), activation="NONE"))])


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


def _two_inputs_two_outputs_int8() -> Graph:
    """Two inputs, two outputs (a detector's two heads, a side input): a 3x3
    convolution of "image" with ReLU, and "image" max-pooled 2x2 plus "bias" [1, 3, 3,
    1] broadcast over the channels (27 and 9 bytes: no tensor 16-byte aligned when
    packed)."""
    x = activation("image", (1, 6, 6, 3), quant=q(0.02, -3))
    side = activation("bias", (1, 3, 3, 1), quant=q(0.02, -3))
    features = activation("features", (1, 6, 6, 4), quant=q(0.05, 2))
    pooled = activation("pooled", (1, 3, 3, 3), quant=q(0.02, -3))
    stats = activation("stats", (1, 3, 3, 3), quant=q(0.04, 0))
    return Graph("two_inputs_two_outputs_int8", [x, side], [features, stats], [
        Op("conv2d", [x, int8_weights("conv/weights", (4, 3, 3, 3), q(0.01)),
                      int32_bias("conv/bias", 4)], [features],
           dict(stride=(1, 1), dilation=(1, 1), pad=(1, 1, 1, 1), activation="RELU")),
        Op("max_pool2d", [x], [pooled],
           dict(kernel=(2, 2), stride=(2, 2), pad=(0, 0, 0, 0), activation="NONE")),
        Op("add", [pooled, side], [stats], dict(activation="NONE"))])


def _uint8_interface() -> Graph:
    """A camera model as TFLite's converter writes it with inference_input_type and
    inference_output_type = tf.uint8: a uint8 image (scale 1/255, zero point 0: the int8
    input's zero point -128 + 128) QUANTIZEd to int8, a 3x3 convolution with ReLU, a max pool, QUANTIZEd to
    a uint8 output of other parameters (scale 0.02, zero point 7: a real requantisation,
    saturating below 0 and above 255)."""
    image = Tensor("image", (1, 6, 6, 3), "i8", q(1 / 255, 0), unsigned=True)
    pixels = activation("image_int8", (1, 6, 6, 3), quant=q(1 / 255, -128))
    features = activation("features", (1, 6, 6, 4), quant=q(0.05, -128))
    pooled = activation("pooled", (1, 3, 3, 4), quant=q(0.05, -128))
    out = Tensor("pooled_uint8", (1, 3, 3, 4), "i8", q(0.02, 7), unsigned=True)
    return Graph("uint8_interface", [image], [out], [
        Op("quantize", [image], [pixels], {}),
        Op("conv2d", [pixels, int8_weights("conv/weights", (4, 3, 3, 3), q(0.02)),
                      int32_bias("conv/bias", 4)], [features],
           dict(stride=(1, 1), dilation=(1, 1), pad=(1, 1, 1, 1), activation="RELU")),
        Op("max_pool2d", [features], [pooled],
           dict(kernel=(2, 2), stride=(2, 2), pad=(0, 0, 0, 0), activation="NONE")),
        Op("quantize", [pooled], [out], {})])


def _uint8_inside() -> Graph:
    """A uint8 tensor read by a convolution: refused (uint8 only crosses QUANTIZE)."""
    image = Tensor("image", (1, 4, 4, 2), "i8", q(0.02, 128), unsigned=True)
    out = activation("conv/output", (1, 4, 4, 3), quant=q(0.05, 0))
    return single_op("uint8_inside", "conv2d",
                     [image, int8_weights("conv/weights", (3, 1, 1, 2), q(0.01)),
                      int32_bias("conv/bias", 3)], out,
                     stride=(1, 1), dilation=(1, 1), pad=(0, 0, 0, 0), activation="NONE")


def _uint8_constant() -> Graph:
    """A uint8 constant added to an int8 input: refused (uint8 only crosses QUANTIZE)."""
    x = activation("x", (1, 4), quant=q(0.02, 0))
    offsets = Tensor("offsets", (1, 4), "i8", q(0.02, 128), np.arange(4, dtype=np.int8),
                     unsigned=True)
    return single_op("uint8_constant", "add", [x, offsets],
                     activation("sum", (1, 4), quant=q(0.04, 0)), activation="NONE")


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
    "padded_depthwise_int8": _padded_depthwise_int8,
    "image_filter_int8": _image_filter_int8,
    "reshape_int8": _reshape_int8,
    "transpose_int8": _transpose_int8,
    "concat_int8": _concat_int8,
    "softmax_int8": lambda: _softmax("i8"),
    "softmax_f32": lambda: _softmax("f32"),
    "logistic_int8": lambda: _unary_int8("logistic", q(1 / 256, -128)),
    "relu_int8": lambda: _unary_int8("relu", q(0.05, -20)),
    "leaky_relu_int8": lambda: _unary_int8("leaky_relu", q(0.05, 0), alpha=0.2),
    "relu6_int8": lambda: _unary_int8("relu6", q(0.07, 3)),
    "relu6_f32": _relu6_f32,
    "quantize_f32": _quantize_f32,
    "dequantize_int8": _dequantize_int8,
    "hybrid_conv2d": _hybrid_conv2d,
    "two_inputs_two_outputs_int8": _two_inputs_two_outputs_int8,
    "grouped_conv2d_int8": _grouped_conv2d_int8,
    "grouped_bottleneck_int8": _grouped_bottleneck_int8,
    "uint8_interface": _uint8_interface,
    "uint8_inside": _uint8_inside,
    "uint8_constant": _uint8_constant,
}


_CODES = schema.BUILTIN_OPERATOR_CODES


def _unsupported_operator() -> bytes:
    """A CUMSUM, which the importer does not handle, after a supported RELU."""
    writer = TfliteWriter()
    x = activation("input", (4, 3), "f32")
    relu = activation("relu", (4, 3), "f32")
    out = activation("cumsum", (4, 3), "f32")
    writer.operator(_CODES["RELU"], [x], [relu])
    writer.operator(_CODES["CUMSUM"], [relu], [out])
    return writer.finish("unsupported_operator", [x], [out])


def _gather_activations() -> bytes:
    """A GATHER of activation values: shape arithmetic it is not, so it cannot fold."""
    writer = TfliteWriter()
    x = activation("input", (4, 3), "f32")
    relu = activation("relu", (4, 3), "f32")
    gathered = activation("gathered", (2, 3), "f32")
    writer.operator(_CODES["RELU"], [x], [relu])
    writer.operator(_CODES["GATHER"], [relu, writer.constant("indices", [0, 2])], [gathered],
                    schema.GatherOptions, axis=0)
    return writer.finish("gather_activations", [x], [gathered])


def _embedding_int8() -> bytes:
    """A keyword model's front: token ids (int32 input) GATHERed from an int8 table, the
    rows flattened into a FULLY_CONNECTED. Ids are computed at run time: no folding."""
    writer = TfliteWriter()
    tokens = activation("tokens", (1, 6), "i32")
    table = int8_weights("embedding/table", (20, 8), q(0.05, 3))
    rows = activation("embedding", (1, 6, 8), quant=q(0.05, 3))
    flat = activation("flat", (1, 48), quant=q(0.05, 3))
    logits = activation("logits", (1, 4), quant=q(0.5, -10))
    writer.operator(_CODES["GATHER"], [table, tokens], [rows], schema.GatherOptions, axis=0)
    writer.operator(_CODES["RESHAPE"], [rows, writer.constant("shape", [1, 48])], [flat])
    writer.operator(_CODES["FULLY_CONNECTED"],
                    [flat, int8_weights("fc/weights", (4, 48), q(0.01)), int32_bias("fc/bias", 4)],
                    [logits], schema.FullyConnectedOptions)
    return writer.finish("embedding_int8", [tokens], [logits])


def _embedding_lookup(hybrid_zero_point: int = 0) -> bytes:
    """EMBEDDING_LOOKUP of 5 int32 ids in two int8 tables: rows copied as int8, and
    (hybrid) dequantised to float32 (TFLite Micro requires zero point 0 there)."""
    writer = TfliteWriter()
    ids = activation("ids", (5,), "i32")
    table = int8_weights("table", (12, 3), q(0.05, -4))
    hybrid_table = int8_weights("hybrid_table", (12, 2, 2), q(0.02, hybrid_zero_point))
    rows = activation("rows", (5, 3), quant=q(0.05, -4))
    floats = activation("floats", (5, 2, 2), "f32")
    writer.operator(_CODES["EMBEDDING_LOOKUP"], [ids, table], [rows])
    writer.operator(_CODES["EMBEDDING_LOOKUP"], [ids, hybrid_table], [floats])
    return writer.finish("embedding_lookup", [ids], [rows, floats])


def _shape_tensor(name: str, shape) -> Tensor:
    """An int32 tensor of shape arithmetic, computed by the operator that writes it."""
    return Tensor(name, tuple(shape), "i32")


def _reshaped_by(writer: TfliteWriter, name: str, x: Tensor, target: Tensor, shape) -> bytes:
    out = activation("reshaped", shape, x.dtype, x.quant)
    writer.operator(_CODES["RESHAPE"], [x, target], [out])
    return writer.finish(name, [x], [out])


def _keras_reshape() -> bytes:
    """Keras' computed RESHAPE target: SHAPE -> STRIDED_SLICE (the batch) -> PACK."""
    writer = TfliteWriter()
    x = activation("input", (1, 24), quant=q(0.1, 3))
    shape = _shape_tensor("shape", (2,))
    batch = _shape_tensor("batch", ())
    target = _shape_tensor("target", (3,))
    writer.operator(_CODES["SHAPE"], [x], [shape], schema.ShapeOptions, out_type=2)
    writer.operator(_CODES["STRIDED_SLICE"], [shape, writer.constant("begin", [0]),
                                              writer.constant("end", [1]),
                                              writer.constant("strides", [1])],
                    [batch], schema.StridedSliceOptions, shrink_axis_mask=1)
    writer.operator(_CODES["PACK"], [batch, writer.constant("rows", np.int32(4)),
                                     writer.constant("columns", np.int32(6))],
                    [target], schema.PackOptions, values_count=3, axis=0)
    return _reshaped_by(writer, "keras_reshape", x, target, (1, 4, 6))


def _flatten_by_gather() -> bytes:
    """Flatten as [batch, prod(shape[1:])]: GATHER, REDUCE_PROD, CONCATENATION."""
    writer = TfliteWriter()
    x = activation("input", (1, 3, 4, 2), quant=q(0.1, 3))
    shape = _shape_tensor("shape", (4,))
    batch = _shape_tensor("batch", (1,))
    inner = _shape_tensor("inner", (3,))
    size = _shape_tensor("size", (1,))
    target = _shape_tensor("target", (2,))
    writer.operator(_CODES["SHAPE"], [x], [shape], schema.ShapeOptions, out_type=2)
    writer.operator(_CODES["GATHER"], [shape, writer.constant("first", [0])], [batch],
                    schema.GatherOptions, axis=0)
    writer.operator(_CODES["GATHER"], [shape, writer.constant("rest", [1, 2, 3])], [inner],
                    schema.GatherOptions, axis=0)
    writer.operator(_CODES["REDUCE_PROD"], [inner, writer.constant("axis", [0])], [size],
                    schema.ReducerOptions, keep_dims=True)
    writer.operator(_CODES["CONCATENATION"], [batch, size], [target],
                    schema.ConcatenationOptions, axis=0)
    return _reshaped_by(writer, "flatten_by_gather", x, target, (1, 24))


def _shape_arithmetic() -> bytes:
    """Target [1, H * 2 / 2, (W * C + 2 - 2) // 2 * 4 / 2] from an int64 SHAPE cast to
    int32: MUL, ADD, SUB, FLOOR_DIV, DIV and CAST on scalars GATHERed from the shape."""
    writer = TfliteWriter()
    x = activation("input", (1, 3, 4, 2), quant=q(0.1, 3))
    long_shape = Tensor("shape64", (4,), "i64")
    shape = _shape_tensor("shape", (4,))
    writer.operator(_CODES["SHAPE"], [x], [long_shape], schema.ShapeOptions, out_type=4)
    writer.operator(_CODES["CAST"], [long_shape], [shape], schema.CastOptions, in_data_type=4,
                    out_data_type=2)

    def step(name: str, code: str, a: Tensor, b, options=None) -> Tensor:
        result = _shape_tensor(name, ())
        if not isinstance(b, Tensor):
            b = writer.constant(f"{name}/operand", np.int32(b))
        writer.operator(_CODES[code], [a, b], [result], options)
        return result

    def dim(index: int) -> Tensor:
        return step(f"dim{index}", "GATHER", shape, index, schema.GatherOptions)

    area = step("area", "MUL", dim(2), dim(3), schema.MulOptions)
    restored = step("restored", "SUB", step("grown", "ADD", area, 2, schema.AddOptions), 2,
                    schema.SubOptions)
    quadrupled = step("quadrupled", "MUL", step("halved", "FLOOR_DIV", restored, 2), 4,
                      schema.MulOptions)
    columns = step("columns", "DIV", quadrupled, 2, schema.DivOptions)
    rows = step("rows", "DIV", step("doubled", "MUL", dim(1), 2, schema.MulOptions), 2,
                schema.DivOptions)
    target = _shape_tensor("target", (3,))
    writer.operator(_CODES["PACK"], [dim(0), rows, columns], [target], schema.PackOptions,
                    values_count=3, axis=0)
    return _reshaped_by(writer, "shape_arithmetic", x, target, (1, 3, 8))


def _reshape_target_mismatch() -> bytes:
    """A computed target ([1, 4, 6]) that contradicts the declared output shape."""
    writer = TfliteWriter()
    x = activation("input", (1, 24), quant=q(0.1, 3))
    target = _shape_tensor("target", (3,))
    writer.operator(_CODES["PACK"], [writer.constant("batch", np.int32(1)),
                                     writer.constant("rows", np.int32(4)),
                                     writer.constant("columns", np.int32(6))],
                    [target], schema.PackOptions, values_count=3, axis=0)
    return _reshaped_by(writer, "reshape_target_mismatch", x, target, (1, 6, 4))


def _shape_of_dynamic() -> bytes:
    """A SHAPE of an input whose height the shape signature leaves unknown."""
    writer = TfliteWriter()
    x = activation("input", (1, 1, 8, 3), "f32")
    shape = _shape_tensor("shape", (4,))
    writer.tensor(x, shape_signature=np.array([1, -1, 8, 3], np.int32))
    writer.operator(_CODES["SHAPE"], [x], [shape], schema.ShapeOptions, out_type=2)
    return _reshaped_by(writer, "shape_of_dynamic", x, shape, (1, 1, 8, 3))


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


# Graphs written in a converter's style (see writer.Style).
STYLED = {
    "padv2_conv_int8": (_padded_conv_int8, Style(pad_values=True)),
}

# Models written with the writer's low-level API: operators the graph has no op for.
SHAPE_ARITHMETIC = {
    "keras_reshape": _keras_reshape,
    "flatten_by_gather": _flatten_by_gather,
    "shape_arithmetic": _shape_arithmetic,
    "embedding_int8": _embedding_int8,
    "embedding_lookup": _embedding_lookup,
}

MALFORMED = {
    "unsupported_operator": _unsupported_operator,
    "gather_activations": _gather_activations,
    "embedding_lookup_zero_point": lambda: _embedding_lookup(hybrid_zero_point=3),
    "reshape_target_mismatch": _reshape_target_mismatch,
    "shape_of_dynamic": _shape_of_dynamic,
    "dynamic_shape": _dynamic_shape,
    "truncated": _truncated,
    "bad_magic": _bad_magic,
}


def tflite_model(name: str) -> bytes:
    if name in MALFORMED:
        return MALFORMED[name]()
    if name in SHAPE_ARITHMETIC:
        return SHAPE_ARITHMETIC[name]()
    if name in STYLED:
        graph, style = STYLED[name]
        return write_tflite(graph(), style)
    return write_tflite(GRAPHS[name]())
