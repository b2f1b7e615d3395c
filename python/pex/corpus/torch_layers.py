"""Networks built from PyTorch layers that export as ONNX operators of their own (reflect
padding, PixelShuffle, InstanceNorm, GroupNorm, Mish, ELU, F.normalize), for `onnx_models`
to export with torch.onnx.export.

- `espcn_x2`: ESPCN super-resolution (Shi et al., "Real-Time Single Image and Video
  Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network"): a 32x32
  luminance image, reflect-padded 5x5 and 3x3 convolutions with tanh, a 3x3 convolution to
  r^2 channels, PixelShuffle(2) (DepthToSpace CRD) to 64x64.
- `speaker_embedding`: a small speaker-verification embedder on 40 log-mel bands x 64
  frames: convolutions with InstanceNorm and Mish, GroupNorm and ELU, global average pool,
  Linear to 32, F.normalize (ReduceL2, Clip, Expand, Div).
- `unet_tiny`: a U-Net-shaped segmenter for 64x64 RGB images: two stride-2 3x3
  convolutions down, ConvTranspose2d up (2x2 stride 2, and 3x3 stride 2 with padding 1 and
  output_padding 1), a skip connection concatenated at 32x32, a 1x1 head with a sigmoid.
- `keypoint_head`: a CenterNet-style keypoint detector for 96x96 RGB images: three
  stride-2 convolutions down to 12x12, then up as DLA's IDAUp does: depthwise
  ConvTranspose2d 4x4 stride 2 (groups = channels, fixed bilinear weights, no bias), a
  skip added, a 3x3 convolution, again to 48x48, a 1x1 heatmap head with a sigmoid.
- `two_head_detector`: an SSD-style detector for 96x96 RGB images with two outputs:
  a MobileNet-like backbone (stride-2 convolutions, depthwise separable blocks) to 6x6,
  then box offsets (4 per anchor, 3 anchors: [1, 108, 4] after a permute and reshape)
  and class scores (softmax over 4 classes, [1, 108, 4]).
- `channels_last_segmenter`: a person segmenter whose `forward` takes a camera's frame as
  it comes, 64x64x3 NHWC, permutes it to NCHW, runs stride-2 convolutions, a depthwise
  separable block and a nearest 2x upsampling to a 2-class 32x32 mask, and permutes the
  mask back to NHWC (Transpose nodes at both ends of the ONNX graph).
- `grouped_blocks`: grouped convolutions as ResNeXt and RegNet use them and as
  ShuffleNet (v1) does: 64x64 RGB, a stride-2 stem, two bottlenecks (1x1, a 3x3
  convolution in groups of 8 and 16 channels, one of stride 2, 1x1, residuals with a
  projection), a ShuffleNet unit (a 1x1 convolution in 4 groups narrowing each group 8
  -> 4 channels, a channel shuffle, a depthwise 3x3, a 1x1 in 4 groups widening 4 -> 8,
  a residual), global average pool, Linear to 10.
- `unet_nearest`: a U-Net of three levels for 48x48 RGB images as segmentation tutorials
  write it: 3x3 convolutions with BatchNorm and ReLU, max pooling down, nn.Upsample
  (nearest, x2) up, each upsampled tensor concatenated with the skip of its level, a 1x1
  head to 2 classes.
- `inception_blocks`: two GoogLeNet Inception blocks (torchvision's: a 1x1 branch, 1x1
  then 3x3, 1x1 then 3x3 then 3x3, a 3x3 max pool then 1x1, concatenated) after a
  stride-2 stem on 32x32 RGB images, global average pool, Linear to 10.
- `yolo_blocks`: the blocks of YOLO detectors' backbones on 64x64 RGB images, with
  BatchNorm and SiLU after every convolution: a stride-2 stem, YOLOv5's C3 (two 1x1
  branches, bottlenecks with residuals on one, concatenated, a 1x1), a stride-2
  convolution, YOLOv8's C2f (a 1x1 split in two halves by `chunk`, bottlenecks chained on
  the second, every stage concatenated, a 1x1), SPPF (three chained 5x5 max pools
  concatenated with their input), a 1x1 head to 3 x (5 + 4) channels.
- `ghost_blocks`: GhostNet's bottlenecks on 64x64 RGB images: ghost modules (a 1x1
  primary convolution and a cheap depthwise 3x3 of its result, concatenated and sliced
  to the module's width), a depthwise stride-2 3x3, squeeze-and-excitation with a hard
  sigmoid, residuals (a depthwise and 1x1 shortcut where the shape changes), global
  average pool, Linear to 10.
- `crnn_sed`: a sound-event-detection CRNN on a 32-band x 40-frame log-mel
  spectrogram: two 3x3 convolutions with ReLU and max pooling (2x2, then 2x1 over the
  bands only), the channels and bands of each frame flattened into a sequence, a
  bidirectional GRU (batch first), a Linear per frame to 10 event classes.
"""

from __future__ import annotations


def espcn_x2(channels: int = 16, scale: int = 2, size: int = 32):
    import torch
    from torch import nn

    class Espcn(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, channels, 5, padding=2, padding_mode="reflect")
            self.conv2 = nn.Conv2d(channels, channels // 2, 3, padding=1,
                                   padding_mode="reflect")
            self.conv3 = nn.Conv2d(channels // 2, scale * scale, 3, padding=1,
                                   padding_mode="reflect")
            self.shuffle = nn.PixelShuffle(scale)

        def forward(self, x):
            x = torch.tanh(self.conv1(x))
            x = torch.tanh(self.conv2(x))
            return self.shuffle(self.conv3(x))

    return Espcn(), (1, 1, size, size)


def speaker_embedding(bands: int = 40, frames: int = 64, width: int = 16, size: int = 32):
    import torch.nn.functional as F
    from torch import nn

    class SpeakerEmbedding(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, width, 3, stride=2, padding=1)
            self.norm1 = nn.InstanceNorm2d(width, affine=True)
            self.conv2 = nn.Conv2d(width, 2 * width, 3, stride=2, padding=1)
            self.norm2 = nn.GroupNorm(4, 2 * width)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(2 * width, size)

        def forward(self, x):
            x = F.mish(self.norm1(self.conv1(x)))
            x = F.elu(self.norm2(self.conv2(x)))
            return F.normalize(self.fc(self.pool(x).flatten(1)), dim=1)

    return SpeakerEmbedding(), (1, 1, bands, frames)


def unet_tiny(size: int = 64):
    import torch
    from torch import nn

    class UNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.down1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
            self.down2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.up1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
            self.merge = nn.Conv2d(32, 16, 3, padding=1)
            self.up2 = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)
            self.head = nn.Conv2d(8, 1, 1)

        def forward(self, x):
            skip = torch.relu(self.down1(x))
            x = torch.relu(self.down2(skip))
            x = torch.relu(self.up1(x))
            x = torch.relu(self.merge(torch.cat([x, skip], 1)))
            x = torch.relu(self.up2(x))
            return torch.sigmoid(self.head(x))

    return UNet(), (1, 3, size, size)


def keypoint_head(size: int = 96, classes: int = 4):
    import torch
    from torch import nn

    def bilinear_upsampling(channels: int) -> nn.ConvTranspose2d:
        up = nn.ConvTranspose2d(channels, channels, 4, stride=2, padding=1, groups=channels,
                                bias=False)
        taps = 1 - torch.abs(torch.arange(4.0) - 1.5) / 2
        with torch.no_grad():
            up.weight.copy_(torch.outer(taps, taps).expand(channels, 1, 4, 4))
        up.weight.requires_grad_(False)
        return up

    class KeypointHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.down1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
            self.down2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.down3 = nn.Conv2d(32, 32, 3, stride=2, padding=1)
            self.up1 = bilinear_upsampling(32)
            self.merge = nn.Conv2d(32, 16, 3, padding=1)
            self.up2 = bilinear_upsampling(16)
            self.heatmap = nn.Conv2d(16, classes, 1)

        def forward(self, x):
            x = torch.relu(self.down1(x))
            skip = torch.relu(self.down2(x))
            x = torch.relu(self.down3(skip))
            x = torch.relu(self.merge(self.up1(x) + skip))
            return torch.sigmoid(self.heatmap(self.up2(x)))

    return KeypointHead(), (1, 3, size, size)


def two_head_detector(size: int = 96, anchors: int = 3, classes: int = 4):
    import torch
    from torch import nn

    def separable(channels_in: int, channels_out: int, stride: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Conv2d(channels_in, channels_in, 3, stride=stride, padding=1,
                      groups=channels_in),
            nn.BatchNorm2d(channels_in), nn.ReLU6(),
            nn.Conv2d(channels_in, channels_out, 1), nn.BatchNorm2d(channels_out), nn.ReLU6())

    class TwoHeadDetector(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.backbone = nn.Sequential(
                nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU6(),
                separable(8, 16, 2), separable(16, 32, 2), separable(32, 32, 2))
            self.boxes = nn.Conv2d(32, anchors * 4, 3, padding=1)
            self.scores = nn.Conv2d(32, anchors * classes, 3, padding=1)

        def forward(self, x):
            x = self.backbone(x)
            batch = x.shape[0]
            boxes = self.boxes(x).permute(0, 2, 3, 1).reshape(batch, -1, 4)
            scores = self.scores(x).permute(0, 2, 3, 1).reshape(batch, -1, classes)
            return boxes, torch.softmax(scores, dim=-1)

    return TwoHeadDetector(), (1, 3, size, size)


def channels_last_segmenter(size: int = 64, classes: int = 2):
    import torch
    from torch import nn

    class ChannelsLastSegmenter(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                nn.Conv2d(32, 32, 3, padding=1, groups=32), nn.BatchNorm2d(32), nn.ReLU(),
                nn.Conv2d(32, classes, 1), nn.Upsample(scale_factor=2, mode="nearest"))

        def forward(self, frame):
            mask = self.body(frame.permute(0, 3, 1, 2))
            return torch.softmax(mask, dim=1).permute(0, 2, 3, 1)

    return ChannelsLastSegmenter(), (1, size, size, 3)


def grouped_blocks(size: int = 64, classes: int = 10):
    import torch
    from torch import nn

    def conv(channels_in, channels_out, kernel, stride=1, groups=1, relu=True):
        layers = [nn.Conv2d(channels_in, channels_out, kernel, stride, kernel // 2,
                            groups=groups, bias=False), nn.BatchNorm2d(channels_out)]
        return nn.Sequential(*layers, *([nn.ReLU()] if relu else []))

    class Bottleneck(nn.Module):
        def __init__(self, channels_in, width, channels_out, group_width, stride) -> None:
            super().__init__()
            self.body = nn.Sequential(
                conv(channels_in, width, 1),
                conv(width, width, 3, stride, groups=width // group_width),
                conv(width, channels_out, 1, relu=False))
            self.projection = conv(channels_in, channels_out, 1, stride, relu=False)

        def forward(self, x):
            return torch.relu(self.body(x) + self.projection(x))

    class ShuffleUnit(nn.Module):
        def __init__(self, channels, groups=4) -> None:
            super().__init__()
            self.groups = groups
            self.narrow = conv(channels, channels // 2, 1, groups=groups)
            self.depthwise = conv(channels // 2, channels // 2, 3, groups=channels // 2,
                                  relu=False)
            self.widen = conv(channels // 2, channels, 1, groups=groups, relu=False)

        def forward(self, x):
            y = self.narrow(x)
            n, c, h, w = y.shape
            y = y.view(n, self.groups, c // self.groups, h, w).transpose(1, 2)
            y = self.widen(self.depthwise(y.reshape(n, c, h, w)))
            return torch.relu(x + y)

    class GroupedBlocks(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(
                conv(3, 16, 3, 2), Bottleneck(16, 32, 24, 8, 1),
                Bottleneck(24, 64, 32, 16, 2), ShuffleUnit(32))
            self.classifier = nn.Linear(32, classes)

        def forward(self, x):
            return self.classifier(self.body(x).mean((2, 3)))

    return GroupedBlocks(), (1, 3, size, size)


def _conv_bn_relu(in_channels: int, out_channels: int, kernel: int = 3):
    from torch import nn
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2),
                         nn.BatchNorm2d(out_channels), nn.ReLU())


def unet_nearest(size: int = 48, width: int = 8):
    import torch
    from torch import nn

    class UNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            c = width
            self.enc1, self.enc2 = _conv_bn_relu(3, c), _conv_bn_relu(c, 2 * c)
            self.bottom = _conv_bn_relu(2 * c, 4 * c)
            self.dec2 = _conv_bn_relu(4 * c + 2 * c, 2 * c)
            self.dec1 = _conv_bn_relu(2 * c + c, c)
            self.pool, self.up = nn.MaxPool2d(2), nn.Upsample(scale_factor=2, mode="nearest")
            self.head = nn.Conv2d(c, 2, 1)

        def forward(self, x):
            skip1 = self.enc1(x)
            skip2 = self.enc2(self.pool(skip1))
            x = self.bottom(self.pool(skip2))
            x = self.dec2(torch.cat([self.up(x), skip2], 1))
            x = self.dec1(torch.cat([self.up(x), skip1], 1))
            return self.head(x)

    return UNet(), (1, 3, size, size)


def inception_blocks(size: int = 32, classes: int = 10):
    import torch
    from torch import nn

    class Inception(nn.Module):
        def __init__(self, inputs, ones, reduce3, threes, reduce5, fives, pooled):
            super().__init__()
            self.branch1 = _conv_bn_relu(inputs, ones, 1)
            self.branch2 = nn.Sequential(_conv_bn_relu(inputs, reduce3, 1),
                                         _conv_bn_relu(reduce3, threes))
            self.branch3 = nn.Sequential(_conv_bn_relu(inputs, reduce5, 1),
                                         _conv_bn_relu(reduce5, fives),
                                         _conv_bn_relu(fives, fives))
            self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1, ceil_mode=True),
                                         _conv_bn_relu(inputs, pooled, 1))

        def forward(self, x):
            return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x),
                              self.branch4(x)], 1)

    class InceptionBlocks(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU())
            self.block1 = Inception(16, 8, 8, 12, 4, 6, 6)
            self.block2 = Inception(32, 12, 12, 16, 4, 8, 8)
            self.classifier = nn.Linear(44, classes)

        def forward(self, x):
            return self.classifier(self.block2(self.block1(self.stem(x))).mean((2, 3)))

    return InceptionBlocks(), (1, 3, size, size)


def _conv_bn_silu(in_channels: int, out_channels: int, kernel: int = 1, stride: int = 1):
    from torch import nn
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, kernel, stride, kernel // 2,
                                   bias=False),
                         nn.BatchNorm2d(out_channels), nn.SiLU())


def yolo_blocks(size: int = 64):
    import torch
    from torch import nn

    class Bottleneck(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.cv1 = _conv_bn_silu(channels, channels, 3)
            self.cv2 = _conv_bn_silu(channels, channels, 3)

        def forward(self, x):
            return x + self.cv2(self.cv1(x))

    class C3(nn.Module):
        def __init__(self, inputs: int, outputs: int, depth: int) -> None:
            super().__init__()
            hidden = outputs // 2
            self.cv1, self.cv2 = _conv_bn_silu(inputs, hidden), _conv_bn_silu(inputs, hidden)
            self.m = nn.Sequential(*(Bottleneck(hidden) for _ in range(depth)))
            self.cv3 = _conv_bn_silu(2 * hidden, outputs)

        def forward(self, x):
            return self.cv3(torch.cat([self.m(self.cv1(x)), self.cv2(x)], 1))

    class C2f(nn.Module):
        def __init__(self, inputs: int, outputs: int, depth: int) -> None:
            super().__init__()
            self.hidden = outputs // 2
            self.cv1 = _conv_bn_silu(inputs, 2 * self.hidden)
            self.m = nn.ModuleList(Bottleneck(self.hidden) for _ in range(depth))
            self.cv2 = _conv_bn_silu((2 + depth) * self.hidden, outputs)

        def forward(self, x):
            stages = list(self.cv1(x).chunk(2, 1))
            stages.extend(m(stages[-1]) for m in self.m)
            return self.cv2(torch.cat(stages, 1))

    class SPPF(nn.Module):
        def __init__(self, inputs: int, outputs: int) -> None:
            super().__init__()
            self.cv1 = _conv_bn_silu(inputs, inputs // 2)
            self.pool = nn.MaxPool2d(5, 1, 2)
            self.cv2 = _conv_bn_silu(2 * inputs, outputs)

        def forward(self, x):
            stages = [self.cv1(x)]
            for _ in range(3):
                stages.append(self.pool(stages[-1]))
            return self.cv2(torch.cat(stages, 1))

    class YoloBlocks(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(_conv_bn_silu(3, 8, 3, 2), C3(8, 16, 1),
                                      _conv_bn_silu(16, 16, 3, 2), C2f(16, 16, 2),
                                      SPPF(16, 16))
            self.head = nn.Conv2d(16, 3 * (5 + 4), 1)

        def forward(self, x):
            return self.head(self.body(x))

    return YoloBlocks(), (1, 3, size, size)


def ghost_blocks(size: int = 64, classes: int = 10):
    import math
    import torch
    from torch import nn
    from torch.nn import functional as F

    class GhostModule(nn.Module):
        def __init__(self, inputs: int, outputs: int, relu: bool) -> None:
            super().__init__()
            self.outputs = outputs
            primary = math.ceil(outputs / 2)
            activation = [nn.ReLU()] if relu else []
            self.primary = nn.Sequential(nn.Conv2d(inputs, primary, 1, bias=False),
                                         nn.BatchNorm2d(primary), *activation)
            self.cheap = nn.Sequential(nn.Conv2d(primary, primary, 3, 1, 1, groups=primary,
                                                 bias=False),
                                       nn.BatchNorm2d(primary), *activation)

        def forward(self, x):
            first = self.primary(x)
            return torch.cat([first, self.cheap(first)], 1)[:, :self.outputs]

    class SqueezeExcite(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.reduce = nn.Conv2d(channels, max(channels // 4, 4), 1)
            self.expand = nn.Conv2d(max(channels // 4, 4), channels, 1)

        def forward(self, x):
            scale = self.expand(F.relu(self.reduce(x.mean((2, 3), keepdim=True))))
            return x * F.hardsigmoid(scale)

    class GhostBottleneck(nn.Module):
        def __init__(self, inputs: int, middle: int, outputs: int, stride: int,
                     excite: bool) -> None:
            super().__init__()
            self.ghost1 = GhostModule(inputs, middle, True)
            self.depthwise = nn.Sequential(
                nn.Conv2d(middle, middle, 3, stride, 1, groups=middle, bias=False),
                nn.BatchNorm2d(middle)) if stride > 1 else nn.Identity()
            self.excite = SqueezeExcite(middle) if excite else nn.Identity()
            self.ghost2 = GhostModule(middle, outputs, False)
            self.shortcut = nn.Identity() if stride == 1 and inputs == outputs else \
                nn.Sequential(nn.Conv2d(inputs, inputs, 3, stride, 1, groups=inputs,
                                        bias=False),
                              nn.BatchNorm2d(inputs), nn.Conv2d(inputs, outputs, 1, bias=False),
                              nn.BatchNorm2d(outputs))

        def forward(self, x):
            return self.ghost2(self.excite(self.depthwise(self.ghost1(x)))) + self.shortcut(x)

    class GhostBlocks(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                GhostBottleneck(8, 8, 8, 1, False), GhostBottleneck(8, 24, 12, 2, False),
                GhostBottleneck(12, 36, 12, 1, False), GhostBottleneck(12, 36, 20, 2, True),
                GhostBottleneck(20, 60, 20, 1, True))
            self.classifier = nn.Linear(20, classes)

        def forward(self, x):
            return self.classifier(self.body(x).mean((2, 3)))

    return GhostBlocks(), (1, 3, size, size)


def crnn_sed(bands: int = 32, frames: int = 40, classes: int = 10):
    from torch import nn

    class CrnnSed(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(),
                                      nn.MaxPool2d((2, 1)))
            self.gru = nn.GRU(16 * bands // 4, 32, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(64, classes)

        def forward(self, x):
            features = self.conv(x)  # [1, 16, bands / 4, frames / 2]
            sequence, _ = self.gru(features.permute(0, 3, 1, 2).flatten(2))
            return self.fc(sequence)

    return CrnnSed(), (1, 1, bands, frames)


# name -> (constructor, opset for torch.onnx.export; None: its default)
NETWORKS = {"espcn_x2": (espcn_x2, None), "speaker_embedding": (speaker_embedding, None),
            "unet_tiny": (unet_tiny, None), "keypoint_head": (keypoint_head, None),
            "two_head_detector": (two_head_detector, None),
            "channels_last_segmenter": (channels_last_segmenter, None),
            "grouped_blocks": (grouped_blocks, None), "unet_nearest": (unet_nearest, None),
            "inception_blocks": (inception_blocks, None),
            "yolo_blocks": (yolo_blocks, None), "ghost_blocks": (ghost_blocks, None),
            "crnn_sed": (crnn_sed, None)}
