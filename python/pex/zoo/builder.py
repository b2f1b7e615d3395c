"""Builds float graphs layer by layer with deterministic, He-initialised weights."""

from __future__ import annotations

import math

import numpy as np

from pex.graph import Graph, Location, Op, Tensor
from pex.importers.tflite.operators import explicit_padding

SAME = 0  # TFLite's padding code, which decides where SAME puts the odd row


def make_divisible(channels: float, divisor: int = 8) -> int:
    """MobileNet's channel rounding: a multiple of 8, never more than 10% below."""
    rounded = max(divisor, int(channels + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * channels else rounded


class NetworkBuilder:
    def __init__(self, name: str, input_shape, seed: int) -> None:
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.input = Tensor("input", tuple(input_shape), "f32")
        self.ops: list[Op] = []

    def _emit(self, kind: str, inputs: list, shape, name: str, **attrs) -> Tensor:
        out = Tensor(f"{name}_{len(self.ops)}", tuple(shape), "f32")
        self.ops.append(Op(kind, inputs, [out], attrs,
                           Location(out.name, f"{self.name}.zoo", len(self.ops))))
        return out

    def _constant(self, name: str, data: np.ndarray) -> Tensor:
        return Tensor(name, data.shape, "f32", None, data.astype(np.float32))

    def _window(self, x: Tensor, kernel, stride: int) -> tuple[dict, tuple[int, int]]:
        pad = (explicit_padding(SAME, x.shape[1], kernel[0], stride, 1)
               + explicit_padding(SAME, x.shape[2], kernel[1], stride, 1))
        out = (math.ceil(x.shape[1] / stride), math.ceil(x.shape[2] / stride))
        return dict(stride=(stride, stride), pad=pad), out

    def conv(self, x: Tensor, channels: int, kernel=3, stride: int = 1,
             activation: str = "RELU6", name: str = "conv") -> Tensor:
        kernel = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
        fan_in = kernel[0] * kernel[1] * x.shape[3]
        weights = self.rng.normal(0, math.sqrt(2 / fan_in), (channels, *kernel, x.shape[3]))
        bias = self.rng.normal(0, 0.05, channels)
        window, (h, w) = self._window(x, kernel, stride)
        return self._emit("conv2d", [x, self._constant(f"{name}/weights", weights),
                                     self._constant(f"{name}/bias", bias)],
                          (x.shape[0], h, w, channels), name, dilation=(1, 1),
                          activation=activation, **window)

    def depthwise(self, x: Tensor, kernel: int = 3, stride: int = 1,
                  activation: str = "RELU6", name: str = "depthwise") -> Tensor:
        channels = x.shape[3]
        weights = self.rng.normal(0, math.sqrt(2 / (kernel * kernel)), (kernel, kernel, channels, 1))
        bias = self.rng.normal(0, 0.05, channels)
        window, (h, w) = self._window(x, (kernel, kernel), stride)
        return self._emit("depthwise_conv2d", [x, self._constant(f"{name}/weights", weights),
                                               self._constant(f"{name}/bias", bias)],
                          (x.shape[0], h, w, channels), name, dilation=(1, 1),
                          activation=activation, **window)

    def add(self, a: Tensor, b: Tensor, activation: str = "NONE") -> Tensor:
        return self._emit("add", [a, b], a.shape, "add", activation=activation)

    def global_average_pool(self, x: Tensor) -> Tensor:
        """AVERAGE_POOL_2D over the whole feature map, then flattened: as TFLite exports."""
        pooled = self._emit("avg_pool2d", [x], (x.shape[0], 1, 1, x.shape[3]), "pool",
                            kernel=x.shape[1:3], stride=(1, 1), pad=(0, 0, 0, 0),
                            activation="NONE")
        return self._emit("reshape", [pooled], (x.shape[0], x.shape[3]), "flatten")

    def dense(self, x: Tensor, units: int, activation: str = "NONE",
              name: str = "dense") -> Tensor:
        weights = self.rng.normal(0, math.sqrt(1 / x.shape[1]), (units, x.shape[1]))
        bias = self.rng.normal(0, 0.05, units)
        return self._emit("fully_connected", [x, self._constant(f"{name}/weights", weights),
                                              self._constant(f"{name}/bias", bias)],
                          (x.shape[0], units), name, activation=activation)

    def softmax(self, x: Tensor) -> Tensor:
        return self._emit("softmax", [x], x.shape, "softmax", beta=1.0)

    def graph(self, output: Tensor) -> Graph:
        return Graph(self.name, [self.input], [output], self.ops)
