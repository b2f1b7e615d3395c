"""ONNX's sliding-window attributes (Conv, ConvTranspose, pools) -> the graph's window."""

from __future__ import annotations

from pex.errors import ModelError
from pex.importers.tflite.operators import explicit_padding


def spatial_window(height: int, width: int, attrs: dict, kernel, ceil_mode: bool = False) -> dict:
    """stride, dilation, pad (top, bottom, left, right) and out (h, w) of a 2-D window.

    ONNX's pads are (top, left, bottom, right). SAME_UPPER puts an odd padding element
    after, SAME_LOWER before. With ceil_mode the last window may run past the end: it is
    padded (pools leave padding out) unless it would start in the end padding, which
    PyTorch and ONNX Runtime drop.
    """
    stride = tuple(attrs.get("strides", (1, 1)))
    dilation = tuple(attrs.get("dilations", (1, 1)))
    pads = tuple(attrs.get("pads", (0, 0, 0, 0)))
    if len(kernel) != 2 or len(stride) != 2 or len(dilation) != 2 or len(pads) != 4:
        raise ModelError("only 2-D windows are supported")
    if min(stride) < 1 or min(dilation) < 1 or min(kernel) < 1 or min(pads) < 0:
        raise ModelError(f"invalid window: kernel {list(kernel)}, strides {list(stride)}, "
                         f"dilations {list(dilation)}, pads {list(pads)}")
    auto_pad = attrs.get("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    sizes = (height, width)
    if auto_pad in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        code = 1 if auto_pad == "VALID" else 0
        pad = [p for i in range(2)
               for p in explicit_padding(code, sizes[i], kernel[i], stride[i], dilation[i])]
        if auto_pad == "SAME_LOWER":
            pad = [pad[1], pad[0], pad[3], pad[2]]
    elif auto_pad == "NOTSET":
        top, left, bottom, right = pads
        pad = [top, bottom, left, right]
    else:
        raise ModelError(f"auto_pad {auto_pad} is not supported")
    out = []
    for i in range(2):
        span = sizes[i] + pad[2 * i] + pad[2 * i + 1] - (kernel[i] - 1) * dilation[i] - 1
        if span < 0:
            raise ModelError(f"a window of {kernel[i]} (dilation {dilation[i]}) is larger "
                             f"than the padded input ({sizes[i]})")
        count = span // stride[i] + 1
        if ceil_mode and span % stride[i]:
            count += 1
            if (count - 1) * stride[i] >= sizes[i] + pad[2 * i]:
                count -= 1
            pad[2 * i + 1] += max((count - 1) * stride[i] - span, 0)
        out.append(count)
    return dict(stride=stride, dilation=dilation, pad=tuple(pad), out=tuple(out))
