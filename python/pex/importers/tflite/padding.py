"""Explicit PAD operators before VALID windows, as PyTorch-to-TFLite converters write them.

Such converters pad every 3x3 (depthwise) convolution with a PAD of one row and column on
each side and run the convolution VALID. At stride 2 on an even size the last padded row
and column are never read; TOSA, which requires the windows to tile the input exactly,
would then need a slice after the pad. Dropping the unread trailing padding instead leaves
one pad feeding the convolution directly.
"""

from __future__ import annotations

from collections import defaultdict

from pex.graph import Graph, Op

_WINDOWED = ("conv2d", "depthwise_conv2d", "avg_pool2d", "max_pool2d")


def _kernel(op: Op) -> tuple[int, int]:
    if op.kind == "conv2d":
        return op.inputs[1].shape[1:3]
    if op.kind == "depthwise_conv2d":
        return op.inputs[1].shape[0:2]
    return op.attrs["kernel"]


def _extent(op: Op, dim: int) -> int:
    """How many input rows (dim 0) or columns (dim 1) the windows of a VALID op read."""
    dilation = op.attrs.get("dilation", (1, 1))[dim]
    return ((op.output.shape[1 + dim] - 1) * op.attrs["stride"][dim]
            + (_kernel(op)[dim] - 1) * dilation + 1)


def trim_unread_padding(graph: Graph) -> None:
    """Shrinks the trailing spatial padding of every PAD read only by VALID windows to the
    rows and columns they read (the PAD's output tensor shrinks with it)."""
    readers = defaultdict(list)
    for op in graph.ops:
        for tensor in op.inputs:
            readers[tensor].append(op)
    outputs = set(graph.outputs)
    for op in graph.ops:
        if op.kind != "pad":
            continue
        padded = op.output
        if padded in outputs or len(padded.shape) != 4:
            continue
        consumers = readers[padded]
        if not consumers or any(c.kind not in _WINDOWED or c.inputs[0] is not padded
                                or any(c.attrs["pad"]) for c in consumers):
            continue
        pads = [list(p) for p in op.attrs["pads"]]
        shape = list(padded.shape)
        for dim, axis in ((0, 1), (1, 2)):
            unread = min(shape[axis] - max(_extent(c, dim) for c in consumers), pads[axis][1])
            pads[axis][1] -= unread
            shape[axis] -= unread
        op.attrs["pads"] = tuple(tuple(p) for p in pads)
        padded.shape = tuple(shape)
