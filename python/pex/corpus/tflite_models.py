"""TFLite models as the converters users meet write them, with TFLite Micro's outputs.

Networks are built in float with seeded He-initialised weights, quantised to int8 the way
the TFLite converter does (`pex.zoo.quantize`: activation ranges from a seeded
calibration run, symmetric per-channel convolution weights), and written in one of these
converter styles (`pex.importers.tflite.writer.Style` and the graph itself):

- TensorFlow: SAME padding inside the convolutions; int8 input and output.
- PyTorch -> TFLite (ai_edge_torch, onnx2tf, nobuco): an NCHW input TRANSPOSEd to NHWC,
  an explicit PAD (or PADV2 with the zero point) before every 3x3 convolution, which is
  then VALID.
- Keras: RESHAPE targets computed at run time (SHAPE -> STRIDED_SLICE -> PACK).
- float input and output around an int8 body (QUANTIZE first, DEQUANTIZE last).
- uint8 input and output around an int8 body (`inference_input_type` /
  `inference_output_type = tf.uint8`: a camera's bytes in; QUANTIZE u8 -> i8 first,
  i8 -> u8 last, zero points 128 above the int8 ones).

`expected` is what TFLite Micro's int8 reference kernels compute
(`pex.reference.tflm_interpreter`) on a seeded input. Models whose name ends in `_big`
take minutes to run in QEMU; quick runs skip them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from pex.corpus import CorpusModel
from pex.graph import Graph, Op, Quantization, Tensor
from pex.importers.tflite.writer import Style, write_tflite
from pex.reference import tflm_interpreter
from pex.zoo.builder import NetworkBuilder, make_divisible
from pex.zoo.quantize import quantize

TENSORFLOW, PYTORCH, KERAS = Style(), Style(), Style(computed_reshape_targets=True)
PYTORCH_PADV2 = Style(pad_values=True)


class StyledBuilder(NetworkBuilder):
    """The zoo's float builder with the layers converters write besides SAME convolutions."""

    def __init__(self, name: str, input_shape, seed: int, explicit_padding: bool) -> None:
        super().__init__(name, input_shape, seed)
        self.explicit_padding = explicit_padding

    def to_nhwc(self) -> Tensor:
        """PyTorch's NCHW input, transposed as the converters' first operator does."""
        n, c, h, w = self.input.shape
        return self._emit("transpose", [self.input], (n, h, w, c), "to_nhwc", perm=(0, 2, 3, 1))

    def _padded(self, x: Tensor, kernel: int) -> Tensor:
        """PyTorch's symmetric padding of kernel // 2 as its own PAD."""
        if not self.explicit_padding or kernel == 1:
            return x
        p = kernel // 2
        n, h, w, c = x.shape
        return self._emit("pad", [x], (n, h + 2 * p, w + 2 * p, c), "pad",
                          pads=((0, 0), (p, p), (p, p), (0, 0)))

    def _valid(self, op_output: Tensor, x: Tensor, kernel: int, stride: int) -> Tensor:
        """Turns the SAME op just emitted into a VALID one on the padded input."""
        op = self.ops[-1]
        size = lambda d: (d - kernel) // stride + 1
        op.inputs[0] = x
        op.attrs["pad"] = (0, 0, 0, 0)
        op.output.shape = (x.shape[0], size(x.shape[1]), size(x.shape[2]), op.output.shape[3])
        return op_output

    def conv(self, x: Tensor, channels: int, kernel=3, stride: int = 1,
             activation: str = "RELU6", name: str = "conv") -> Tensor:
        if not self.explicit_padding or kernel == 1:
            return super().conv(x, channels, kernel, stride, activation, name)
        padded = self._padded(x, kernel)
        return self._valid(super().conv(x, channels, kernel, stride, activation, name),
                           padded, kernel, stride)

    def depthwise(self, x: Tensor, kernel: int = 3, stride: int = 1,
                  activation: str = "RELU6", name: str = "depthwise") -> Tensor:
        if not self.explicit_padding:
            return super().depthwise(x, kernel, stride, activation, name)
        padded = self._padded(x, kernel)
        return self._valid(super().depthwise(x, kernel, stride, activation, name),
                           padded, kernel, stride)

    def pool(self, kind: str, x: Tensor, kernel: int, stride: int) -> Tensor:
        """A VALID pooling window, as both converters write 2x2 pools."""
        n, h, w, c = x.shape
        size = lambda d: (d - kernel) // stride + 1
        return self._emit(kind, [x], (n, size(h), size(w), c), kind.split("_")[0],
                          kernel=(kernel, kernel), stride=(stride, stride), pad=(0, 0, 0, 0),
                          activation="NONE")

    def dense(self, x: Tensor, units: int, activation: str = "NONE",
              name: str = "dense") -> Tensor:
        out = super().dense(x, units, name)
        self.ops[-1].attrs["activation"] = activation  # fused, as converters write it
        return out

    def flatten(self, x: Tensor) -> Tensor:
        return self._emit("reshape", [x], (x.shape[0], math.prod(x.shape[1:])), "flatten")

    def reshape(self, x: Tensor, shape) -> Tensor:
        return self._emit("reshape", [x], tuple(shape), "reshape")


def _inverted_residual(b: StyledBuilder, x: Tensor, channels: int, stride: int,
                       expansion: int) -> Tensor:
    y = b.conv(x, x.shape[3] * expansion, 1, name="expand") if expansion != 1 else x
    y = b.conv(b.depthwise(y, 3, stride), channels, 1, activation="NONE", name="project")
    return b.add(x, y) if stride == 1 and channels == x.shape[3] else y


def _mobilenet_v2(b: StyledBuilder, x: Tensor, width: float, classes: int) -> Tensor:
    stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
              (6, 160, 3, 2), (6, 320, 1, 1)]
    x = b.conv(x, make_divisible(32 * width), 3, 2, name="stem")
    for expansion, channels, repeats, stride in stages:
        for i in range(repeats):
            x = _inverted_residual(b, x, make_divisible(channels * width),
                                   stride if i == 0 else 1, expansion)
    x = b.conv(x, make_divisible(1280 * max(1.0, width)), 1, name="head")
    return b.softmax(b.dense(b.global_average_pool(x), classes))


def _mobilenet_v1(b: StyledBuilder, x: Tensor, width: float, classes: int) -> Tensor:
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 \
        + [(1024, 2), (1024, 1)]
    x = b.conv(x, make_divisible(32 * width), 3, 2, name="stem")
    for channels, stride in blocks:
        x = b.conv(b.depthwise(x, 3, stride), make_divisible(channels * width), 1,
                   name="pointwise")
    return b.softmax(b.dense(b.global_average_pool(x), classes))


def _ds_cnn(b: StyledBuilder, x: Tensor) -> Tensor:
    x = b.conv(x, 64, (10, 4), 2, activation="RELU", name="stem")
    for _ in range(4):
        x = b.conv(b.depthwise(x, 3, 1, activation="RELU"), 64, 1, activation="RELU",
                   name="pointwise")
    return b.softmax(b.dense(b.global_average_pool(x), 12))


def _small_cnn(b: StyledBuilder, x: Tensor) -> Tensor:
    """A PyTorch tutorial-sized CNN: two 3x3 convs with 2x2 max pools, a linear head."""
    x = b.pool("max_pool2d", b.conv(x, 16, 3, activation="RELU"), 2, 2)
    x = b.pool("max_pool2d", b.conv(x, 32, 3, activation="RELU"), 2, 2)
    x = b.conv(x, 32, 3, 2, activation="RELU")
    return b.softmax(b.dense(b.flatten(x), 10))


def _pool_classifier(b: StyledBuilder, x: Tensor) -> Tensor:
    """conv -> max pool -> conv -> max pool -> fully connected -> softmax (MLTK's style)."""
    x = b.pool("max_pool2d", b.conv(x, 16, 3, activation="RELU"), 2, 2)
    x = b.pool("max_pool2d", b.conv(x, 32, 3, activation="RELU"), 2, 2)
    return b.softmax(b.dense(b.flatten(x), 4))


def _audio_conv_fc(b: StyledBuilder, x: Tensor) -> Tensor:
    """Keyword spotting as conv stack, flatten, fully connected."""
    x = b.conv(x, 16, (5, 3), 2, activation="RELU")
    x = b.conv(x, 32, 3, 2, activation="RELU")
    x = b.conv(x, 32, 3, 1, activation="RELU")
    return b.softmax(b.dense(b.flatten(x), 12))


def _conv_avg_pool(b: StyledBuilder, x: Tensor) -> Tensor:
    """A 96x96 single-channel detector: conv, 2x2 average pools between 3x3 convs."""
    x = b.pool("avg_pool2d", b.conv(x, 8, 3, 2, activation="RELU"), 2, 2)
    x = b.pool("avg_pool2d", b.conv(x, 16, 3, activation="RELU"), 2, 2)
    x = b.conv(x, 32, 3, 2, activation="RELU")
    return b.softmax(b.dense(b.global_average_pool(x), 2))


def _autoencoder(b: StyledBuilder, x: Tensor) -> Tensor:
    """MLTK's anomaly-detection shape: flatten, dense bottleneck, dense, reshape back."""
    shape = x.shape
    y = b.flatten(x)
    for units in (64, 16, 64):
        y = b.dense(y, units, activation="RELU")
    return b.reshape(b.dense(y, math.prod(shape[1:])), shape)


FLOAT_IO, UINT8_IO = "float", "uint8"

# name: (float network, input shape, converter style, explicit padding, interface: None
# for the int8 body's tensors, FLOAT_IO or UINT8_IO around them)
MODELS = {
    "tf_mobilenet_v1_025_128": (lambda b, x: _mobilenet_v1(b, x, 0.25, 2), (1, 128, 128, 3),
                                TENSORFLOW, False, None),
    "tf_mobilenet_v2_035_160": (lambda b, x: _mobilenet_v2(b, x, 0.35, 10), (1, 160, 160, 3),
                                TENSORFLOW, False, None),
    "tf_ds_cnn": (_ds_cnn, (1, 49, 10, 1), TENSORFLOW, False, None),
    "pt_mobilenet_v2_035_96": (lambda b, x: _mobilenet_v2(b, x, 0.35, 10), (1, 3, 96, 96),
                               PYTORCH, True, None),
    "pt_mobilenet_v2_100_224_big": (lambda b, x: _mobilenet_v2(b, x, 1.0, 1000),
                                    (1, 3, 224, 224), PYTORCH, True, None),
    "pt_small_cnn": (_small_cnn, (1, 3, 32, 32), PYTORCH_PADV2, True, None),
    "keras_autoencoder": (_autoencoder, (1, 5, 32, 1), KERAS, False, FLOAT_IO),
    "float_io_pool_classifier": (_pool_classifier, (1, 48, 48, 1), TENSORFLOW, False, FLOAT_IO),
    "tf_audio_conv_fc": (_audio_conv_fc, (1, 49, 10, 1), TENSORFLOW, False, None),
    "tf_conv_avg_pool_96": (_conv_avg_pool, (1, 96, 96, 1), TENSORFLOW, False, None),
    "tf_mobilenet_v1_025_96_uint8_io": (lambda b, x: _mobilenet_v1(b, x, 0.25, 2),
                                        (1, 96, 96, 3), TENSORFLOW, False, UINT8_IO),
}


def _float_graph(name: str, seed: int) -> Graph:
    network, input_shape, _, explicit_padding, _ = MODELS[name]
    b = StyledBuilder(name, input_shape, seed, explicit_padding)
    x = b.to_nhwc() if explicit_padding else b.input
    return b.graph(network(b, x))


def _with_float_interface(graph: Graph) -> Graph:
    """QUANTIZE the float input to the int8 body's, DEQUANTIZE its output."""
    body_input, body_output = graph.inputs[0], graph.outputs[0]
    x = Tensor("input", body_input.shape, "f32")
    y = Tensor("output", body_output.shape, "f32")
    ops = ([Op("quantize", [x], [body_input])] + graph.ops
           + [Op("dequantize", [body_output], [y])])
    return Graph(graph.name, [x], [y], ops)


def _with_uint8_interface(graph: Graph) -> Graph:
    """QUANTIZE a uint8 input to the int8 body's, its output to uint8 (the same scales,
    zero points 128 above)."""
    body_input, body_output = graph.inputs[0], graph.outputs[0]

    def unsigned(name: str, tensor: Tensor) -> Tensor:
        quant = Quantization(tensor.quant.scale, tensor.quant.zero_point + 128)
        return Tensor(name, tensor.shape, "i8", quant, unsigned=True)

    x, y = unsigned("input", body_input), unsigned("output", body_output)
    ops = ([Op("quantize", [x], [body_input])] + graph.ops
           + [Op("quantize", [body_output], [y])])
    return Graph(graph.name, [x], [y], ops)


def build(name: str, seed: int) -> tuple[Graph, np.ndarray]:
    """The int8 graph of a corpus model and its seeded input (int8; float32 values on the
    int8 input grid for float-interface models, as images divided by 255 are; uint8 for
    uint8-interface ones)."""
    float_graph = _float_graph(name, seed)
    rng = np.random.default_rng(seed)
    calibration = rng.random(float_graph.inputs[0].shape)
    graph = quantize(float_graph, calibration)
    quant: Quantization = graph.inputs[0].quant
    q = np.clip(np.round(rng.random(graph.inputs[0].shape) / quant.scale[0]
                         + quant.zero_point[0]), -128, 127).astype(np.int8)
    if MODELS[name][4] == UINT8_IO:
        return _with_uint8_interface(graph), (q.astype(np.int16) + 128).astype(np.uint8)
    if MODELS[name][4] == FLOAT_IO:
        graph = _with_float_interface(graph)
        return graph, ((q.astype(np.float32) - np.float32(quant.zero_point[0]))
                       * quant.scale[0]).astype(np.float32)
    return graph, q


def generate(out_dir: Path, seed: int) -> list[CorpusModel]:
    folder = Path(out_dir) / "tflite"
    folder.mkdir(parents=True, exist_ok=True)
    models = []
    for name, (_, _, style, _, _) in MODELS.items():
        graph, model_input = build(name, seed)
        path = folder / f"{name}.tflite"
        path.write_bytes(write_tflite(graph, style))
        (expected,) = tflm_interpreter.run(graph, [model_input])
        models.append(CorpusModel(
            name=f"tflite/{name}", path=path, input=model_input.tobytes(),
            expected=expected.tobytes(), dtype=graph.outputs[0].dtype, tolerance=0.0,
            reference="tflm-reference"))
    return models
