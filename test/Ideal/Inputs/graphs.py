"""graphs.py NAME (-o OUT.tflite | --ideal): the tiny models of the pex.ideal tests, one
rule each, written as .tflite or, for graph ops TFLite has no operator for (the ONNX
importer's rescale, clamp, int32 results), given to pex.ideal in memory (its text output).

Every test states the sizes it expects next to its RUN line; the models only need the
shapes to be right (weights are random, quantisation arbitrary).
"""

from __future__ import annotations

import argparse
import sys

from pex.graph import Graph, Op, Tensor
from pex.ideal import compute_ideals
from pex.ideal.report import format_text
from pex.importers.tflite.writer import write_tflite
from pex.testmodels import activation, float_tensor, int8_weights, int32_bias, q

_SAME = {"stride": (1, 1), "dilation": (1, 1), "pad": (0, 0, 0, 0), "activation": "NONE"}


class Builder:
    def __init__(self, dtype: str = "i8"):
        self.dtype = dtype
        self.ops: list[Op] = []
        self.count = 0

    def tensor(self, shape, dtype: str | None = None) -> Tensor:
        self.count += 1
        dtype = dtype or self.dtype
        quant = q(0.05, -3) if dtype == "i8" else None
        return activation(f"t{self.count}", shape, dtype, quant)

    def _weights(self, shape, channels: int) -> Tensor:
        self.count += 1
        if self.dtype == "f32":
            return float_tensor(f"w{self.count}", shape)
        return int8_weights(f"w{self.count}", shape, q([0.01] * channels, axis=0))

    def _bias(self, size: int) -> Tensor:
        self.count += 1
        if self.dtype == "f32":
            return float_tensor(f"b{self.count}", (size,))
        return int32_bias(f"b{self.count}", size)

    def add_op(self, kind: str, inputs: list, shape, dtype: str | None = None,
               **attrs) -> Tensor:
        out = self.tensor(shape, dtype)
        self.ops.append(Op(kind, inputs, [out], attrs))
        return out

    def conv(self, x: Tensor, out_channels: int, kernel: int = 1, stride: int = 1,
             pad: int = 0, dtype: str | None = None, groups: int = 1) -> Tensor:
        n, h, w, c = x.shape
        size = (h + 2 * pad - kernel) // stride + 1
        weights = self._weights((out_channels, kernel, kernel, c // groups), out_channels)
        attrs = dict(_SAME, stride=(stride, stride), pad=(pad,) * 4)
        return self.add_op("conv2d", [x, weights, self._bias(out_channels)],
                           (n, size, size, out_channels), dtype, **attrs)

    def depthwise(self, x: Tensor, multiplier: int = 1, kernel: int = 3, stride: int = 1,
                  pad: int = 1) -> Tensor:
        n, h, w, c = x.shape
        size = (h + 2 * pad - kernel) // stride + 1
        weights = self._weights((kernel, kernel, c, multiplier), c * multiplier)
        weights.quant = q([0.01] * (c * multiplier), axis=3) if self.dtype == "i8" else None
        attrs = dict(_SAME, stride=(stride, stride), pad=(pad,) * 4)
        return self.add_op("depthwise_conv2d", [x, weights, self._bias(c * multiplier)],
                           (n, size, size, c * multiplier), **attrs)

    def fully_connected(self, x: Tensor, outputs: int) -> Tensor:
        weights = self._weights((outputs, x.num_elements), 1)
        weights.quant = q(0.01) if self.dtype == "i8" else None
        return self.add_op("fully_connected", [x, weights, self._bias(outputs)], (1, outputs),
                           activation="NONE")

    def graph(self, name: str, inputs: list[Tensor], outputs: list[Tensor]) -> Graph:
        return Graph(name, inputs, outputs, self.ops)


def chain_assembled() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t0 = b.conv(x, 16)
    t1 = b.depthwise(t0, stride=2, kernel=2, pad=0)
    y = b.conv(t1, 4)
    return b.graph("chain_assembled", [x], [y])


def chain_accumulated(dtype: str = "i8") -> Graph:
    b = Builder(dtype)
    x = b.tensor((1, 8, 8, 4))
    t0 = b.conv(x, 32)
    t1 = b.depthwise(t0)
    y = b.conv(t1, 2)
    return b.graph(f"chain_accumulated_{dtype}", [x], [y])


def grouped_chain(second_groups: int | None = None) -> Graph:
    """1x1 to 32 channels, a 3x3 convolution in 4 groups of 8, optionally another in
    `second_groups` groups, a 1x1 projection."""
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t = b.conv(b.conv(x, 32), 32, kernel=3, pad=1, groups=4)
    if second_groups:
        t = b.conv(t, 32, kernel=3, pad=1, groups=second_groups)
    y = b.conv(t, 2)
    return b.graph("grouped_chain", [x], [y])


def finalise_peak() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 1))
    t0 = b.conv(x, 64, kernel=3, pad=1)
    y = b.conv(t0, 8)
    return b.graph("finalise_peak", [x], [y])


def flatten_consumer() -> Graph:
    b = Builder()
    x = b.tensor((1, 4, 4, 2))
    t0 = b.conv(x, 16)
    flat = b.add_op("reshape", [t0], (1, 256))
    y = b.fully_connected(flat, 10)
    return b.graph("flatten_consumer", [x], [y])


def no_chain() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t0 = b.conv(x, 16)
    t1 = b.add_op("max_pool2d", [t0], t0.shape, kernel=(1, 1), stride=(1, 1),
                  pad=(0, 0, 0, 0), activation="NONE")
    y = b.add_op("add", [t0, t1], t0.shape, activation="NONE")
    return b.graph("no_chain", [x], [y])


def constant_operand() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t0 = b.conv(x, 16)
    scale = int8_weights("per_channel", (16,), q(0.02))
    t1 = b.add_op("mul", [t0, scale], t0.shape, activation="NONE")
    y = b.add_op("max_pool2d", [t1], (1, 4, 4, 16), kernel=(2, 2), stride=(2, 2),
                 pad=(0, 0, 0, 0), activation="NONE")
    return b.graph("constant_operand", [x], [y])


def pad_hw() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t0 = b.conv(x, 16)
    t1 = b.add_op("pad", [t0], (1, 10, 10, 16), pads=((0, 0), (1, 1), (1, 1), (0, 0)))
    y = b.depthwise(t1, pad=0)
    return b.graph("pad_hw", [x], [y])


def depthwise_producer(in_channels: int) -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, in_channels))
    t0 = b.depthwise(x, multiplier=8 // in_channels)
    y = b.depthwise(t0)
    return b.graph(f"depthwise_producer_{in_channels}", [x], [y])


def best_order() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    a = b.conv(x, 4)
    t = b.conv(a, 32)
    t = b.depthwise(t, stride=2, kernel=2, pad=0)
    t = b.conv(t, 4)
    shortcut = b.conv(a, 4, stride=2)
    y = b.add_op("add", [t, shortcut], t.shape, activation="NONE")
    return b.graph("best_order", [x], [y])


def global_max() -> Graph:
    """A global max pool (ONNX GlobalMaxPool, a text CNN's maximum over time)."""
    b = Builder()
    x = b.tensor((1, 4, 4, 8))
    t = b.conv(x, 32)
    y = b.add_op("reduce_max", [t], (1, 1, 1, 32), axes=(1, 2), keep_dims=True)
    return b.graph("global_max", [x], [y])


def float_relu() -> Graph:
    b = Builder("f32")
    x = b.tensor((1, 8, 8, 4))
    t = b.conv(x, 8)
    y = b.add_op("relu", [t], t.shape)
    return b.graph("float_relu", [x], [y])


def silu() -> Graph:
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    t = b.conv(x, 16)
    gate = b.add_op("logistic", [t], t.shape)
    y = b.add_op("mul", [t, gate], t.shape, activation="NONE")
    return b.graph("silu", [x], [y])


def qdq_conv() -> Graph:
    """ONNX QDQ convolutions: int32 results, then rescale (and clamp for a Relu)."""
    b = Builder()
    x = b.tensor((1, 8, 8, 4))
    acc = b.conv(x, 16, dtype="i32")
    t = b.add_op("rescale", [acc], acc.shape, "i8")
    t = b.add_op("clamp", [t], t.shape, low=-128, high=127)
    acc = b.conv(t, 4, dtype="i32")
    y = b.add_op("rescale", [acc], acc.shape, "i8")
    return b.graph("qdq_conv", [x], [y])


def qdq_add() -> Graph:
    """An ONNX QDQ residual add: both inputs rescaled to int32, added, rescaled back."""
    b = Builder()
    x = b.tensor((1, 8, 8, 16))
    acc = b.conv(x, 16, dtype="i32")
    t = b.add_op("rescale", [acc], acc.shape, "i8")
    wide_x = b.add_op("rescale", [x], x.shape, "i32")
    wide_t = b.add_op("rescale", [t], t.shape, "i32")
    total = b.add_op("add", [wide_x, wide_t], x.shape, "i32", activation="NONE")
    y = b.add_op("rescale", [total], x.shape, "i8")
    return b.graph("qdq_add", [x], [y])


GRAPHS = {
    "chain_assembled": chain_assembled,
    "chain_accumulated": chain_accumulated,
    "chain_accumulated_f32": lambda: chain_accumulated("f32"),
    "finalise_peak": finalise_peak,
    "grouped_chain": grouped_chain,
    "grouped_widths": lambda: grouped_chain(2),
    "flatten_consumer": flatten_consumer,
    "no_chain": no_chain,
    "constant_operand": constant_operand,
    "pad_hw": pad_hw,
    "depthwise_producer": lambda: depthwise_producer(1),
    "depthwise_multiplier": lambda: depthwise_producer(2),
    "best_order": best_order,
    "global_max": global_max,
    "float_relu": float_relu,
    "silu": silu,
    "qdq_conv": qdq_conv,
    "qdq_add": qdq_add,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(GRAPHS))
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", help="write the model as .tflite here")
    target.add_argument("--ideal", action="store_true", help="print its pex.ideal report")
    args = parser.parse_args()
    graph = GRAPHS[args.name]()
    if args.ideal:
        print(format_text(compute_ideals(graph)))
        return 0
    with open(args.output, "wb") as f:
        f.write(write_tflite(graph))
    return 0


if __name__ == "__main__":
    sys.exit(main())
