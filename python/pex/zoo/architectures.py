"""The zoo's networks as float graphs: MobileNetV2, MobileNetV1, MCUNet-style
inverted-residual nets, DS-CNN (keyword spotting), ResNet-8 (CIFAR-10) and the
fully connected autoencoder of MLPerf Tiny's anomaly detection."""

from __future__ import annotations

from pex.graph import Graph, Tensor
from pex.zoo.builder import NetworkBuilder, make_divisible


def _inverted_residual(b: NetworkBuilder, x: Tensor, channels: int, stride: int,
                       expansion: int, kernel: int) -> Tensor:
    y = x
    if expansion != 1:
        y = b.conv(y, x.shape[3] * expansion, 1, name="expand")
    y = b.depthwise(y, kernel, stride)
    y = b.conv(y, channels, 1, activation="NONE", name="project")
    return b.add(x, y) if stride == 1 and channels == x.shape[3] else y


def mobilenet_v2(b: NetworkBuilder, width: float, classes: int, **_) -> Graph:
    # (expansion, channels, repeats, first stride), as the MobileNetV2 paper's table
    stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
              (6, 160, 3, 2), (6, 320, 1, 1)]
    x = b.conv(b.input, make_divisible(32 * width), 3, 2, name="stem")
    for expansion, channels, repeats, stride in stages:
        for i in range(repeats):
            x = _inverted_residual(b, x, make_divisible(channels * width),
                                   stride if i == 0 else 1, expansion, 3)
    x = b.conv(x, make_divisible(1280 * max(1.0, width)), 1, name="head")
    return b.graph(b.softmax(b.dense(b.global_average_pool(x), classes)))


def mobilenet_v1(b: NetworkBuilder, width: float, classes: int, **_) -> Graph:
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 \
        + [(1024, 2), (1024, 1)]
    x = b.conv(b.input, make_divisible(32 * width), 3, 2, name="stem")
    for channels, stride in blocks:
        x = b.depthwise(x, 3, stride)
        x = b.conv(x, make_divisible(channels * width), 1, name="pointwise")
    return b.graph(b.softmax(b.dense(b.global_average_pool(x), classes)))


def mcunet(b: NetworkBuilder, width: float, classes: int, kernel: int = 3,
           expansion: int = 6, **_) -> Graph:
    """An MCUNet-style backbone: MobileNetV2's layout with one kernel size and expansion."""
    stages = [(24, 2, 2), (40, 2, 2), (80, 3, 2), (96, 2, 1), (192, 3, 2), (320, 1, 1)]
    x = b.conv(b.input, make_divisible(16 * width), 3, 2, name="stem")
    x = _inverted_residual(b, x, make_divisible(8 * width), 1, 1, 3)
    for channels, repeats, stride in stages:
        for i in range(repeats):
            x = _inverted_residual(b, x, make_divisible(channels * width),
                                   stride if i == 0 else 1, expansion, kernel)
    return b.graph(b.softmax(b.dense(b.global_average_pool(x), classes)))


def ds_cnn(b: NetworkBuilder, width: float, classes: int, **_) -> Graph:
    """The MLPerf Tiny keyword-spotting DS-CNN: 10x4 stride-2 conv, four separable blocks."""
    channels = make_divisible(64 * width)
    x = b.conv(b.input, channels, (10, 4), 2, activation="RELU", name="stem")
    for _ in range(4):
        x = b.depthwise(x, 3, 1, activation="RELU")
        x = b.conv(x, channels, 1, activation="RELU", name="pointwise")
    return b.graph(b.softmax(b.dense(b.global_average_pool(x), classes)))


def resnet8(b: NetworkBuilder, width: float, classes: int, **_) -> Graph:
    """The MLPerf Tiny image-classification ResNet-8: three residual stacks."""
    x = b.conv(b.input, make_divisible(16 * width), 3, 1, activation="RELU", name="stem")
    for channels, stride in ((16, 1), (32, 2), (64, 2)):
        channels = make_divisible(channels * width)
        y = b.conv(x, channels, 3, stride, activation="RELU")
        y = b.conv(y, channels, 3, 1, activation="NONE")
        shortcut = x if stride == 1 else b.conv(x, channels, 1, stride, activation="NONE",
                                                name="shortcut")
        x = b.add(shortcut, y, activation="RELU")
    return b.graph(b.softmax(b.dense(b.global_average_pool(x), classes)))


def ad_autoencoder(b: NetworkBuilder, width: float, classes: int, **_) -> Graph:
    """The MLPerf Tiny anomaly-detection autoencoder (ToyADMOS): 640 log-mel values
    (5 frames x 128 bands) through fully connected layers of 128, 128, 128, 128, 8,
    128, 128, 128 and 128 units with ReLU (the reference's batch normalisations fold
    into them), then back to 640 without activation."""
    x = b.input
    for units in (128, 128, 128, 128, 8, 128, 128, 128, 128):
        x = b.dense(x, make_divisible(units * width) if units > 8 else units, "RELU")
    return b.graph(b.dense(x, classes))


# name: (builder, input shape for a resolution R, default resolution, default classes)
ARCHITECTURES = {
    "mobilenet_v2": (mobilenet_v2, lambda r: (1, r, r, 3), 96, 1000),
    "mobilenet_v1": (mobilenet_v1, lambda r: (1, r, r, 3), 96, 2),
    "mcunet": (mcunet, lambda r: (1, r, r, 3), 96, 2),
    "ds_cnn": (ds_cnn, lambda r: (1, 49, 10, 1), 49, 12),
    "resnet8": (resnet8, lambda r: (1, 32, 32, 3), 32, 10),
    # "classes": the reconstruction's 640 values.
    "ad_autoencoder": (ad_autoencoder, lambda r: (1, 640), 640, 640),
}
DEFAULT_WIDTHS = {"mobilenet_v2": 0.35, "mobilenet_v1": 0.25}


def build(arch: str, width: float | None = None, resolution: int | None = None,
          classes: int | None = None, seed: int = 0, **options) -> Graph:
    """The float graph of a zoo network."""
    function, input_shape, default_resolution, default_classes = ARCHITECTURES[arch]
    width = width or DEFAULT_WIDTHS.get(arch, 1.0)
    resolution = resolution or default_resolution
    builder = NetworkBuilder(arch, input_shape(resolution), seed)
    return function(builder, width=width, classes=classes or default_classes, **options)
