"""graphs.py NAME -o OUT.tflite: the tiny models of the pex.ideal tests, one rule each.

Every test states the sizes it expects next to its RUN line; the models only need the
shapes to be right (weights are random, quantisation arbitrary).
"""

from __future__ import annotations

import argparse
import sys

from pex.graph import Graph, Op, Tensor
from pex.importers.tflite.writer import write_tflite
from pex.testmodels import activation, float_tensor, int8_weights, int32_bias, q

_SAME = {"stride": (1, 1), "dilation": (1, 1), "pad": (0, 0, 0, 0), "activation": "NONE"}


class Builder:
    def __init__(self, dtype: str = "i8"):
        self.dtype = dtype
        self.ops: list[Op] = []
        self.count = 0

    def tensor(self, shape) -> Tensor:
        self.count += 1
        quant = q(0.05, -3) if self.dtype == "i8" else None
        return activation(f"t{self.count}", shape, self.dtype, quant)

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

    def add_op(self, kind: str, inputs: list, shape, **attrs) -> Tensor:
        out = self.tensor(shape)
        self.ops.append(Op(kind, inputs, [out], attrs))
        return out

    def conv(self, x: Tensor, out_channels: int, kernel: int = 1, stride: int = 1,
             pad: int = 0) -> Tensor:
        n, h, w, c = x.shape
        size = (h + 2 * pad - kernel) // stride + 1
        weights = self._weights((out_channels, kernel, kernel, c), out_channels)
        attrs = dict(_SAME, stride=(stride, stride), pad=(pad,) * 4)
        return self.add_op("conv2d", [x, weights, self._bias(out_channels)],
                           (n, size, size, out_channels), **attrs)

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
    t1 = b.add_op("relu", [t0], t0.shape)
    y = b.conv(t1, 2)
    return b.graph(f"chain_accumulated_{dtype}", [x], [y])


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
    t1 = b.add_op("relu", [t0], t0.shape)
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
    y = b.add_op("relu", [t0], t0.shape)
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


GRAPHS = {
    "chain_assembled": chain_assembled,
    "chain_accumulated": chain_accumulated,
    "chain_accumulated_f32": lambda: chain_accumulated("f32"),
    "finalise_peak": finalise_peak,
    "flatten_consumer": flatten_consumer,
    "no_chain": no_chain,
    "constant_operand": constant_operand,
    "pad_hw": pad_hw,
    "depthwise_producer": lambda: depthwise_producer(1),
    "depthwise_multiplier": lambda: depthwise_producer(2),
    "best_order": best_order,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(GRAPHS))
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.output, "wb") as f:
        f.write(write_tflite(GRAPHS[args.name]()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
