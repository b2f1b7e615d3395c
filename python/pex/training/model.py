"""A small MobileNetV2/MCUNet-style CNN for 1-channel images (Fashion-MNIST).

  stem      3x3 conv, BN, ReLU6
  blocks    inverted residuals: 1x1 expand (BN, ReLU6), 3x3 depthwise (BN, ReLU6),
            1x1 project (BN), + input when stride 1 and channels agree
  head      1x1 conv, BN, ReLU6; global average pool; linear classifier

Every convolution has a BatchNorm (the importer folds it into the convolution) and no
bias. Channel counts are explicit per layer, so a pruned model is the same class with
other numbers (`Spec`), and a pruned model's state dict loads into `Net(spec)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class Block:
    expand: int  # expanded channels (0: no expansion layer)
    out: int
    stride: int = 1
    kernel: int = 3


@dataclass
class Spec:
    resolution: int = 28
    stem: int = 16
    stem_stride: int = 1
    blocks: list[Block] = field(default_factory=list)
    head: int = 96
    classes: int = 10


def default_spec(resolution: int = 28) -> Spec:
    """MCUNet-like: a stride-2 stem, then inverted residuals at 1/2 and 1/4 of the input
    resolution; about 1.2 M multiply-accumulates at 28x28."""
    return Spec(resolution=resolution, stem=16, stem_stride=2, blocks=[
        Block(48, 16, 1), Block(48, 24, 2), Block(72, 24, 1), Block(72, 32, 1)], head=96)


def tiny_spec(resolution: int = 12) -> Spec:
    """For tests: untrained, compiles and prunes in well under a second."""
    return Spec(resolution=resolution, stem=8, blocks=[Block(16, 8, 2), Block(16, 8, 1)],
                head=16)


class ConvBN(nn.Module):
    def __init__(self, cin: int, cout: int, kernel: int, stride: int = 1,
                 groups: int = 1, act: bool = True) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups,
                              bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.ReLU6() if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class InvertedResidual(nn.Module):
    def __init__(self, cin: int, block: Block) -> None:
        super().__init__()
        hidden = block.expand or cin
        self.expand = ConvBN(cin, hidden, 1) if block.expand else None
        self.dw = ConvBN(hidden, hidden, block.kernel, block.stride, groups=hidden)
        self.project = ConvBN(hidden, block.out, 1, act=False)
        self.residual = block.stride == 1 and cin == block.out

    def forward(self, x):
        y = self.expand(x) if self.expand is not None else x
        y = self.project(self.dw(y))
        return x + y if self.residual else y


class Net(nn.Module):
    def __init__(self, spec: Spec) -> None:
        super().__init__()
        self.spec = spec
        self.stem = ConvBN(1, spec.stem, 3, spec.stem_stride)
        blocks, channels = [], spec.stem
        for block in spec.blocks:
            blocks.append(InvertedResidual(channels, block))
            channels = block.out
        self.blocks = nn.Sequential(*blocks)
        self.head = ConvBN(channels, spec.head, 1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(spec.head, spec.classes)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


def current_spec(net: Net) -> Spec:
    """The spec of a (possibly pruned) net, read from its layers."""
    blocks = []
    for block in net.blocks:
        blocks.append(Block(block.expand.conv.out_channels if block.expand is not None else 0,
                            block.project.conv.out_channels, block.dw.conv.stride[0],
                            block.dw.conv.kernel_size[0]))
    return Spec(net.spec.resolution, net.stem.conv.out_channels, net.spec.stem_stride, blocks,
                net.head.conv.out_channels, net.fc.out_features)


def macs(net: Net) -> int:
    """Multiply-accumulates of one inference (convolutions and the classifier)."""
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            total += output.numel() * module.in_channels // module.groups * \
                module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.Linear):
            total += module.in_features * module.out_features

    handles = [m.register_forward_hook(hook) for m in net.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        training = net.training
        net.eval()
        net(torch.zeros(1, 1, net.spec.resolution, net.spec.resolution))
        net.train(training)
    for handle in handles:
        handle.remove()
    return total


def randomize_batchnorm(net: nn.Module, seed: int = 0) -> None:
    """Gives every BatchNorm random statistics and affine parameters (an untrained net's
    are all 1 and 0, which makes every BN the same and the folding trivial)."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in net.modules():
            if isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                module.bias.copy_(0.2 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))
