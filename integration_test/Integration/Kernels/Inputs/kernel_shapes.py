"""Writes one int8 TFLite model whose branches reach every convolution kernel
(integration_test/Integration/Kernels/kernel-shapes.test): kernel_shapes.py OUT.

Every branch reads the model's input (or the map of one branch) and ends
flattened, all concatenated into the one output, so a single run checks them
all. Shapes are odd where kernels work in pairs or blocks of pixels.
"""

from __future__ import annotations

import sys

import numpy as np

from pex.graph import Graph, Op, Quantization, Tensor
from pex.importers.tflite.writer import write_tflite

_rng = np.random.default_rng(18)
_OUTPUT_QUANT = Quantization.per_tensor(0.25, -3)


def _weights(name: str, shape, channels: int, axis: int) -> Tensor:
    scales = _rng.uniform(0.002, 0.02, size=channels).astype(np.float32)
    quant = Quantization(scales, np.zeros(channels, np.int64), axis)
    return Tensor(name, tuple(shape), "i8", quant,
                  _rng.integers(-127, 128, size=shape).astype(np.int8))


def _bias(name: str, size: int) -> Tensor:
    return Tensor(name, (size,), "i32", None,
                  _rng.integers(-2000, 2000, size=size).astype(np.int32))


class _Model:
    def __init__(self, x: Tensor):
        self.x = x
        self.ops: list[Op] = []
        self.flat: list[Tensor] = []

    def conv(self, name: str, x: Tensor, outputs: int, kernel, stride, pad) -> Tensor:
        _, h, w, c = x.shape
        oh = (h + pad[0] + pad[1] - kernel[0]) // stride[0] + 1
        ow = (w + pad[2] + pad[3] - kernel[1]) // stride[1] + 1
        y = Tensor(f"{name}/output", (1, oh, ow, outputs), "i8", _OUTPUT_QUANT)
        weights = _weights(f"{name}/weights", (outputs, *kernel, c), outputs, 0)
        self.ops.append(Op("conv2d", [x, weights, _bias(f"{name}/bias", outputs)], [y],
                           dict(stride=stride, dilation=(1, 1), pad=pad, activation="RELU6")))
        return self._flatten(y)

    def depthwise(self, name: str, x: Tensor, kernel, stride, pad,
                  multiplier: int = 1) -> Tensor:
        _, h, w, c = x.shape
        oh = (h + pad[0] + pad[1] - kernel[0]) // stride[0] + 1
        ow = (w + pad[2] + pad[3] - kernel[1]) // stride[1] + 1
        outputs = c * multiplier
        y = Tensor(f"{name}/output", (1, oh, ow, outputs), "i8", _OUTPUT_QUANT)
        weights = _weights(f"{name}/weights", (*kernel, c, multiplier), outputs, 3)
        self.ops.append(Op("depthwise_conv2d", [x, weights, _bias(f"{name}/bias", outputs)], [y],
                           dict(stride=stride, dilation=(1, 1), pad=pad, activation="RELU")))
        return self._flatten(y)

    def fully_connected(self, name: str, x: Tensor, outputs: int) -> Tensor:
        depth = int(np.prod(x.shape))
        y = Tensor(f"{name}/output", (1, outputs), "i8", _OUTPUT_QUANT)
        weights = _weights(f"{name}/weights", (outputs, depth), 1, None)
        self.ops.append(Op("fully_connected", [x, weights, _bias(f"{name}/bias", outputs)],
                           [y], dict(activation="NONE")))
        self.flat.append(y)
        return y

    def _flatten(self, y: Tensor) -> Tensor:
        flat = Tensor(f"{y.name}/flat", (1, int(np.prod(y.shape))), "i8", _OUTPUT_QUANT)
        self.ops.append(Op("reshape", [y], [flat], {}))
        self.flat.append(flat)
        return y

    def graph(self) -> Graph:
        size = sum(t.shape[1] for t in self.flat)
        out = Tensor("output", (1, size), "i8", _OUTPUT_QUANT)
        self.ops.append(Op("concat", list(self.flat), [out], dict(axis=1, activation="NONE")))
        return Graph("kernel_shapes", [self.x], [out], self.ops)


def kernel_shapes() -> Graph:
    x = Tensor("input", (1, 13, 11, 1), "i8", Quantization.per_tensor(0.05, -5))
    m = _Model(x)
    # Single input channel, few outputs: planar filters (3x3 at strides 1 and
    # 2; a stride larger than the kernel, one column wide, with no assembly;
    # other kernels' weights from a table: 5x5, and even widths, at strides 1
    # and 2).
    m.conv("planar_s1", x, 2, (3, 3), (1, 1), (1, 1, 1, 1))
    m.conv("planar_s2", x, 3, (3, 3), (2, 2), (1, 1, 1, 1))
    m.conv("planar_1x1_s2", x, 4, (1, 1), (2, 2), (0, 0, 0, 0))
    m.conv("planar_5x5", x, 1, (5, 5), (1, 1), (0, 0, 0, 0))
    m.conv("planar_4x4_s2", x, 2, (4, 4), (2, 2), (1, 2, 1, 2))
    m.conv("planar_2x4", x, 1, (2, 4), (1, 1), (0, 1, 1, 2))
    # A depthwise filter larger than 3x3 over the single input channel with
    # a channel multiplier: planar too, each copy a plane.
    m.depthwise("planar_depthwise_5x5_s2", x, (5, 5), (2, 2), (2, 2, 2, 2), multiplier=3)
    m.depthwise("planar_depthwise_5x5", x, (5, 5), (1, 1), (2, 2, 2, 2), multiplier=2)
    # Eight filters over it (fingerprint_signature_generator's first layer):
    # the conv2d of the filters (pex-depthwise-filters-to-conv), packed.
    m.depthwise("depthwise_filters_5x5_s2", x, (5, 5), (2, 2), (0, 0, 0, 0), multiplier=8)
    # More outputs: packed through im2col; its map feeds the rest.
    features = m.conv("packed", x, 8, (3, 3), (1, 1), (0, 0, 0, 0))
    # Unpadded, kernel rows of whole words, few outputs: rows read in place.
    three = m.conv("runs", features, 3, (3, 3), (1, 1), (0, 0, 0, 0))
    # Padded, through the buffer: windows inside the input copied whole,
    # border windows tap by tap; channels a word at a time, or three.
    padded = m.conv("padded", features, 6, (3, 3), (1, 1), (1, 1, 1, 1))
    m.conv("padded_three", three, 8, (3, 3), (2, 2), (1, 1, 1, 1))
    # 1x1: one or two outputs (rows in place), more (blocks of channels and
    # pixels through the buffer).
    m.conv("pointwise_single", features, 1, (1, 1), (1, 1), (0, 0, 0, 0))
    m.conv("pointwise_pair", features, 2, (1, 1), (1, 1), (0, 0, 0, 0))
    m.conv("pointwise_four", features, 4, (1, 1), (1, 1), (0, 0, 0, 0))
    wide = m.conv("pointwise_wide", features, 12, (1, 1), (1, 1), (0, 0, 0, 0))
    # Kernel rows read in place as runs by channel pairs (the singles'
    # three-channel case is "runs" above).
    m.conv("runs_pairs", wide, 4, (3, 3), (1, 1), (0, 0, 0, 0))
    m.conv("pointwise_odd", features, 7, (1, 1), (2, 2), (0, 0, 0, 0))
    m.depthwise("depthwise_s1", features, (3, 3), (1, 1), (1, 1, 1, 1))
    m.depthwise("depthwise_s2", features, (3, 3), (2, 2), (1, 1, 1, 1))
    # 3x3 filters over six and three channels (a block of six columns and
    # a narrower one, at stride 1; only the narrower one at stride 2).
    m.depthwise("depthwise_six", padded, (3, 3), (1, 1), (1, 1, 1, 1))
    m.depthwise("depthwise_three_s2", three, (3, 3), (2, 2), (1, 1, 1, 1))
    # 5x5 filters (halfword weights too) over eight channels, padded, at
    # strides 1 and 2.
    m.depthwise("depthwise_5x5", features, (5, 5), (1, 1), (2, 2, 2, 2))
    m.depthwise("depthwise_5x5_s2", features, (5, 5), (2, 2), (2, 2, 2, 2))
    # A 3x3 filter with a channel multiplier: over the single input channel
    # (an image's first layer; five filters: a conv2d), and over three.
    m.depthwise("depthwise_copies_s2", x, (3, 3), (2, 2), (1, 1, 1, 1), multiplier=5)
    m.depthwise("depthwise_three_copies", three, (3, 3), (1, 1), (1, 1, 1, 1),
                multiplier=2)
    # A map one column wide (a filter over time, five odd channels): computed
    # as a row, padded, at strides 1 and 2.
    column = m.conv("column", x, 5, (1, 11), (1, 1), (0, 0, 0, 0))
    m.depthwise("depthwise_column_s1", column, (9, 1), (1, 1), (4, 4, 0, 0))
    m.depthwise("depthwise_column_s2", column, (9, 1), (2, 2), (4, 4, 0, 0))
    m.depthwise("depthwise_column_3x3", column, (3, 3), (1, 1), (1, 1, 1, 1))
    # One output row from three input rows (a streamed row's shape), odd
    # width and channels.
    rows = m.conv("three_rows", x, 3, (11, 1), (1, 1), (0, 0, 0, 0))
    m.depthwise("depthwise_one_row", rows, (3, 3), (1, 1), (0, 0, 0, 0))
    # A 1x1 convolution too deep for the buffer to hold one pixel's inputs
    # (1040 channels): rows read in place.
    deep = m.conv("deep_expand", features, 1040, (3, 3), (4, 4), (0, 0, 0, 0))
    m.conv("pointwise_deep", deep, 14, (1, 1), (1, 1), (0, 0, 0, 0))
    m.fully_connected("fc", features, 10)
    return m.graph()


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        f.write(write_tflite(kernel_shapes()))
