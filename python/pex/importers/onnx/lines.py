"""1-D windows (Conv1d, ConvTranspose1d, MaxPool1d, AvgPool1d over [N, C, L]) as 2-D
windows one row high.

PyTorch audio and sensor models (raw-waveform and MFCC keyword spotters, TC-ResNet,
accelerometer classifiers) export their layers as Conv and pools of rank 3. The graph has
only 2-D windows: a [N, C, L] activation is read as the NHWC image [N, 1, L, C] (the same
bytes as [N, L, C], so a reshape), its window attributes and weights gain a unit height,
and the result [N, 1, L', C'] is held as [N, L', C'], i.e. ONNX's [N, C', L'] in layout
(0, 2, 1).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor
from pex.importers.onnx.layout import TO_NHWC, Activation

# ONNX's layout of a [N, C, L] activation held channels last.
CHANNELS_LAST_1D = (0, 2, 1)

# Operators reading their input through a 1-D or 2-D window, and those an input passes
# through unchanged in layout on its way to one (QDQ models quantise their input first).
_WINDOW_OPERATORS = ("Conv", "ConvTranspose", "MaxPool", "AveragePool", "QLinearConv")
_ON_THE_WAY = ("QuantizeLinear", "DequantizeLinear")

_PER_AXIS = ("kernel_shape", "strides", "dilations", "output_padding")


def check_rank(act: Activation, what: str = "input") -> None:
    if act.rank not in (3, 4):
        raise ModelError(f"{what} '{act.tensor.name}' has rank {act.rank}; only 1-D signals "
                         f"(3-D tensors, NCL) and 2-D images (4-D tensors, NCHW) are "
                         f"supported")


def image(r, act: Activation, what: str = "input") -> Tensor:
    """The activation as an NHWC image: [N, 1, L, C] for a 1-D signal."""
    check_rank(act, what)
    if act.rank == 4:
        return r.nhwc(act, what)
    signal = r.stored(act, CHANNELS_LAST_1D)
    batch, length, channels = signal.shape
    return r.emit("reshape", [signal], (batch, 1, length, channels), like=signal,
                  name=f"{signal.name}/row")


def image_attributes(attrs: dict, rank: int) -> dict:
    """A 1-D window's attributes as those of a 2-D window of height 1 (ONNX pads
    [begin, end] -> [top 0, begin, bottom 0, end]); a 2-D window's unchanged. Lengths that
    do not match the rank are left for the window's own checks."""
    if rank != 3:
        return attrs
    lifted = dict(attrs)
    for name in _PER_AXIS:
        if name in attrs and len(attrs[name]) == 1:
            lifted[name] = (0 if name == "output_padding" else 1, attrs[name][0])
    if "output_shape" in attrs and len(attrs["output_shape"]) in (1, 3):
        lifted["output_shape"] = (1, attrs["output_shape"][-1])
    if "pads" in attrs and len(attrs["pads"]) == 2:
        begin, end = attrs["pads"]
        lifted["pads"] = (0, begin, 0, end)
    return lifted


def image_weights(weights: np.ndarray, rank: int) -> np.ndarray:
    """[O, I, K] weights of a 1-D convolution as [O, I, 1, K]; weights of another rank
    than the input's are refused."""
    if weights.ndim != rank:
        raise ModelError(f"weights of rank {weights.ndim} for an input of rank {rank}")
    return weights[:, :, None, :] if rank == 3 else weights


def from_image(r, result: Tensor, rank: int) -> tuple[Tensor, tuple[int, ...]]:
    """A window's NHWC result held as the ONNX value of `rank` it stands for, and its
    layout."""
    if rank == 4:
        return result, TO_NHWC
    batch, height, length, channels = result.shape
    signal = r.emit("reshape", [result], (batch, length, channels), like=result,
                    name=f"{result.name}/signal")
    return signal, CHANNELS_LAST_1D


def signal_inputs(graph) -> set[str]:
    """The names of the ONNX graph's rank-3 inputs that a window reads (directly, or
    through QuantizeLinear/DequantizeLinear). The imported function takes them channels
    last, [N, L, C], as it takes images NHWC: a signal's samples arrive in time order (a
    stream hands them over by rows of L), and its first window reads them without a
    transposed copy. Other rank-3 inputs keep ONNX's order."""
    readers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)

    def read_by_window(name: str, hops: int = 2) -> bool:
        return any(node.op_type in _WINDOW_OPERATORS or (
            hops > 0 and node.op_type in _ON_THE_WAY and read_by_window(node.output[0],
                                                                        hops - 1))
            for node in readers.get(name, []))

    return {value.name for value in graph.input
            if len(value.type.tensor_type.shape.dim) == 3 and read_by_window(value.name)}
