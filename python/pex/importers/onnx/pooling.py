"""MaxPool (also dilated), AveragePool, global pools and reductions (ReduceMean/Max/Min/Sum/
Prod)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx import folding, lines
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import Activation
from pex.importers.onnx.window import spatial_window


def pool_window(r, x, node, attrs) -> tuple[dict, tuple]:
    """The window of a pool over the NHWC image `x`; `attrs` are a 2-D window's
    (`lines.image_attributes`)."""
    if len(node.output) > 1 and node.output[1]:
        raise ModelError("the Indices output of MaxPool is not supported")
    if any(d != 1 for d in attrs.get("dilations", (1, 1))):
        raise ModelError(f"pooling with dilations {list(attrs['dilations'])} is not supported")
    kernel = tuple(attrs["kernel_shape"])
    window = spatial_window(x.shape[1], x.shape[2], attrs, kernel,
                            bool(attrs.get("ceil_mode", 0)))
    out_shape = (x.shape[0], *window.pop("out"), x.shape[3])
    window.pop("dilation")
    return dict(kernel=kernel, activation="NONE", **window), out_shape


def max_pool(r, node, attrs) -> None:
    """Also for int8 tensors and DequantizeLinear views: the maximum commutes with
    dequantisation, padding is left out. With dilations: `dilated_max_pool`."""
    if any(d != 1 for d in attrs.get("dilations", ())):
        dilated_max_pool(r, node, attrs)
        return
    x = r.raw(node.input[0])
    if x.form == "requantized" or not x.quantized:
        x = r.float_activation(node.input[0])
    tensor = lines.image(r, x)
    window, out_shape = pool_window(r, tensor, node, lines.image_attributes(attrs, x.rank))
    out = r.emit("max_pool2d", [tensor], out_shape, like=tensor, name=node.output[0], **window)
    r.define(node.output[0], *lines.from_image(r, out, x.rank), x.form, x.unsigned)


def dilated_max_pool(r, node, attrs) -> None:
    """A MaxPool with dilations (float; an int8 input dequantised): the input padded with
    -inf (only as far as a window reaches), the maximum of its kh x kw slices, tap (i, j)
    starting at row i * dh and column j * dw and as long as the stride-1 windows needed
    ((out - 1) * stride + 1), then every stride-th row and column kept (a 1 x 1 max_pool2d
    of that stride). ceil_mode's extra windows read the end padding (`spatial_window`)."""
    if len(node.output) > 1 and node.output[1]:
        raise ModelError("the Indices output of MaxPool is not supported")
    signal = r.float_activation(node.input[0])
    x = lines.image(r, signal)
    name = node.output[0]
    kernel = tuple(lines.image_attributes(attrs, signal.rank)["kernel_shape"])
    window = spatial_window(x.shape[1], x.shape[2], lines.image_attributes(attrs, signal.rank),
                            kernel, bool(attrs.get("ceil_mode", 0)))
    stride, dilation, out = window["stride"], window["dilation"], window["out"]
    top, _, left, _ = window["pad"]
    spans = [(o - 1) * s + 1 for o, s in zip(out, stride)]  # stride-1 windows needed
    reach = [span + (k - 1) * d for span, k, d in zip(spans, kernel, dilation)]
    bottom = max(reach[0] - top - x.shape[1], 0)
    right = max(reach[1] - left - x.shape[2], 0)
    if top or bottom or left or right:
        x = r.emit("pad", [x], (x.shape[0], x.shape[1] + top + bottom,
                                x.shape[2] + left + right, x.shape[3]),
                   name=f"{name}/padded", pads=((0, 0), (top, bottom), (left, right), (0, 0)),
                   value=float("-inf"))
    shape = (x.shape[0], spans[0], spans[1], x.shape[3])
    taps = [(i, j) for i in range(kernel[0]) for j in range(kernel[1])]
    strided = stride != (1, 1)
    result = None
    for index, (i, j) in enumerate(taps):
        last = index == len(taps) - 1 and not strided
        tap = r.emit("slice", [x], shape, like=x,
                     name=name if last and not index else f"{name}/tap{i}_{j}",
                     begin=(0, i * dilation[0], j * dilation[1], 0), size=shape)
        result = tap if result is None else \
            r.emit("maximum", [result, tap], shape, like=x,
                   name=name if last else f"{name}/max{i}_{j}")
    if strided:
        result = r.emit("max_pool2d", [result], (x.shape[0], *out, x.shape[3]), like=x,
                        name=name, kernel=(1, 1), stride=stride, pad=(0, 0, 0, 0),
                        activation="NONE")
    r.define(name, *lines.from_image(r, result, signal.rank))


def average_pool(r, node, attrs) -> None:
    """The graph's pools leave padding out of averages, as ONNX's count_include_pad 0
    does; count_include_pad 1 pads with zeros first."""
    signal = r.float_activation(node.input[0])
    x = lines.image(r, signal)
    window, out_shape = pool_window(r, x, node, lines.image_attributes(attrs, signal.rank))
    top, bottom, left, right = window["pad"]
    if attrs.get("count_include_pad", 0) and any(window["pad"]):
        if attrs.get("ceil_mode", 0):
            raise ModelError("AveragePool with ceil_mode and count_include_pad is not "
                             "supported")
        kernel, stride = window["kernel"], window["stride"]
        # Trailing padding no window reaches is left out.
        bottom -= min(bottom, (x.shape[1] + top + bottom - kernel[0]) % stride[0])
        right -= min(right, (x.shape[2] + left + right - kernel[1]) % stride[1])
        padded = (x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right, x.shape[3])
        x = r.emit("pad", [x], padded, name=f"{node.output[0]}/padded",
                   pads=((0, 0), (top, bottom), (left, right), (0, 0)))
        window["pad"] = (0, 0, 0, 0)
    out = r.emit("avg_pool2d", [x], out_shape, name=node.output[0], **window)
    r.define(node.output[0], *lines.from_image(r, out, signal.rank))


def _reduced_layout(x: Activation, axes, keepdims: bool) -> tuple[tuple, tuple]:
    """(perm, stored shape) of `x` reduced over ONNX `axes`: the reduced axes unit, or
    without keepdims dropped from the layout (a reshape at most)."""
    if keepdims:
        return x.perm, tuple(1 if a in axes else x.tensor.shape[i]
                             for i, a in enumerate(x.perm))
    kept = [a for a in x.perm if a not in axes]
    return (tuple(sorted(kept).index(a) for a in kept),
            tuple(x.tensor.shape[x.perm.index(a)] for a in kept))


def reduce(r, x: Activation, kind: str, axes, keepdims: bool, name: str) -> Activation:
    """A reduction over ONNX `axes` of the stored tensor (`_reduced_layout`)."""
    axes = sorted({normalized_axis(a, x.rank) for a in axes})
    stored_axes = tuple(sorted(x.stored_axis(a) for a in axes))
    perm, shape = _reduced_layout(x, axes, keepdims)
    out = r.emit(kind, [x.tensor], shape, like=x.tensor, name=name, axes=stored_axes,
                 keep_dims=keepdims)
    return Activation(out, perm, x.form, x.unsigned)


def _reduction_axes(r, node, attrs, rank: int, moved: int = 18):
    """A reduction's axes (attribute before opset `moved`, input from it); None for none
    at all with noop_with_empty_axes."""
    inputs = [None] + [r.constant(n, "axes") if n else None for n in node.input[1:]]
    axes = folding.axes_operand(node, attrs, inputs, 1, moved, r.opset)
    if not axes:
        return None if attrs.get("noop_with_empty_axes", 0) else range(rank)
    return axes


def _reduction(kind: str, axes_moved: int):
    def convert(r, node, attrs) -> None:
        from pex.importers.onnx import quantized
        if kind == "mean" and quantized.mean(r, node, attrs, axes_moved):
            return
        x = r.raw(node.input[0])
        if kind == "reduce_product" and x.tensor.dtype == "i32":
            raise ModelError(f"ReduceProd of integer '{node.input[0]}' is not supported; "
                             f"only float (TOSA 1.0 has no integer product reduction)")
        counts = x.tensor.dtype == "i32" and kind != "mean"  # (ids != 0).sum(1): lengths
        if not counts and (kind not in ("reduce_max", "reduce_min")
                           or x.form == "requantized" or not x.quantized):
            x = r.float_activation(node.input[0])
        axes = _reduction_axes(r, node, attrs, x.rank, axes_moved)
        if axes is None:
            r.alias(node.output[0], x)
            return
        r.alias(node.output[0], reduce(r, x, kind, axes, bool(attrs.get("keepdims", 1)),
                                       node.output[0]))
    return convert


def _arg_extreme(kind: str):
    """ArgMax / ArgMin: the graph's argmax / argmin along one axis, the first index of the
    extreme (select_last_index 0, PyTorch's) or the last (1). The indices are int32: TOSA
    has no int64, so a model output of ONNX's int64 indices is int32_t in C. An int8
    tensor is compared as stored (quantisation keeps the order)."""
    def convert(r, node, attrs) -> None:
        x = r.raw(node.input[0])
        if x.form == "requantized" or not x.quantized:
            x = r.float_activation(node.input[0])
        axis = normalized_axis(attrs.get("axis", 0), x.rank)
        perm, shape = _reduced_layout(x, [axis], bool(attrs.get("keepdims", 1)))
        out = r.emit(kind, [x.tensor], shape, dtype="i32", name=node.output[0],
                     axis=x.stored_axis(axis), last=bool(attrs.get("select_last_index", 0)))
        r.alias(node.output[0], Activation(out, perm))
    return convert


def hardmax(r, node, attrs) -> None:
    """1 at the first maximum along `axis`, 0 elsewhere (opset 13; before it, along all
    the axes from `axis` on, the input viewed as 2-D in ONNX order): ArgMax's lowering
    kept as a unit axis, compared with the positions along the axis, a select of 1 or 0."""
    from pex.importers.onnx.elementwise import binary
    from pex.importers.onnx.shape_ops import reshape_activation
    x = r.float_activation(node.input[0])
    name = node.output[0]
    axis = normalized_axis(attrs.get("axis", -1 if r.opset >= 13 else 1), x.rank)
    source = x
    if r.opset < 13 and sum(d != 1 for d in x.shape[axis:]) > 1:
        rows = int(np.prod(x.shape[:axis]))
        source = reshape_activation(r, x, (rows, int(np.prod(x.shape[axis:]))),
                                    f"{name}/rows")
        axis = 1
    elif r.opset < 13:  # one axis from `axis` on is not a unit one (or none is)
        axis = next((a for a in range(axis, x.rank) if x.shape[a] != 1), axis)
    perm, shape = _reduced_layout(source, [axis], True)
    first = r.emit("argmax", [source.tensor], shape, dtype="i32", name=f"{name}/argmax",
                   axis=source.stored_axis(axis), last=False)
    positions = np.arange(source.shape[axis], dtype=np.int32).reshape(
        [-1 if a == axis else 1 for a in range(source.rank)])
    hit = binary(r, "compare", [Activation(first, perm), positions], f"{name}/hit", "i1",
                 predicate="equal")
    ones = np.ones((1,) * source.rank, np.float32)
    result = binary(r, "select", [hit, ones, np.zeros_like(ones)],
                    name if source is x else f"{name}/flat")
    r.alias(name, result if source is x else reshape_activation(r, result, x.shape, name))


def _norm_reduction(before: str, after: str | None = None):
    """ReduceL1 (sum of abs), ReduceSumSquare (sum of squares), ReduceL2 (its sqrt): a
    float element-wise step, a sum, maybe a final function."""
    def convert(r, node, attrs) -> None:
        from pex.importers.onnx.elementwise import binary, unary
        x = r.float_activation(node.input[0])
        name = node.output[0]
        terms = binary(r, "mul", [x, x], f"{name}/terms", activation="NONE") \
            if before == "square" else unary(r, None, before, f"{name}/terms", x)
        axes = _reduction_axes(r, node, attrs, x.rank)
        # No axes with noop_with_empty_axes: a sum of one term.
        total = terms if axes is None else \
            reduce(r, terms, "reduce_sum", axes, bool(attrs.get("keepdims", 1)),
                   name if after is None else f"{name}/sum")
        r.alias(name, total if after is None else unary(r, None, after, name, total))
    return convert


def reduce_log_sum_exp(r, node, attrs) -> None:
    """log(sum(exp(x))) over the axes, as log(sum(exp(x - max))) + max (torch.logsumexp's
    way: no exp overflows); the max clamped to float32's finite range, so that a row of
    -inf (all masked) gives -inf and one holding +inf gives +inf, not NaN."""
    from pex.importers.onnx.elementwise import binary, unary
    from pex.importers.onnx.shape_ops import reshape_activation
    x = r.float_activation(node.input[0])
    axes = _reduction_axes(r, node, attrs, x.rank)
    name = node.output[0]
    if axes is None:  # nothing reduced: log(exp(x))
        r.alias(name, x)
        return
    keepdims = bool(attrs.get("keepdims", 1))
    largest = float(np.finfo(np.float32).max)
    peak = unary(r, None, "clamp", f"{name}/finite_max",
                 reduce(r, x, "reduce_max", axes, True, f"{name}/max"),
                 low=-largest, high=largest)
    shifted = binary(r, "sub", [x, peak], f"{name}/shifted")
    total = reduce(r, unary(r, None, "exp", f"{name}/exp", shifted), "reduce_sum", axes,
                   True, f"{name}/sum")
    result = binary(r, "add", [unary(r, None, "log", f"{name}/log", total), peak],
                    name if keepdims else f"{name}/kept", activation="NONE")
    if not keepdims:
        reduced = {normalized_axis(a, x.rank) for a in axes}
        result = reshape_activation(r, result, tuple(d for a, d in enumerate(result.shape)
                                                     if a not in reduced), name)
    r.alias(name, result)


def _global(kind: str):
    def convert(r, node, attrs) -> None:
        from pex.importers.onnx import quantized
        if kind == "mean" and quantized.mean(r, node, attrs, None):
            return
        x = r.raw(node.input[0])
        if kind != "reduce_max" or x.form == "requantized" or not x.quantized:
            x = r.float_activation(node.input[0])
        if x.rank < 3:
            raise ModelError(f"input of rank {x.rank}; global pooling needs spatial axes")
        r.alias(node.output[0], reduce(r, x, kind, range(2, x.rank), True, node.output[0]))
    return convert


OPERATORS = {
    "ArgMax": _arg_extreme("argmax"),
    "ArgMin": _arg_extreme("argmin"),
    "Hardmax": hardmax,
    "MaxPool": max_pool,
    "AveragePool": average_pool,
    "GlobalAveragePool": _global("mean"),
    "GlobalMaxPool": _global("reduce_max"),
    "ReduceMean": _reduction("mean", 18),
    "ReduceMax": _reduction("reduce_max", 18),
    "ReduceMin": _reduction("reduce_min", 18),
    "ReduceSum": _reduction("reduce_sum", 13),
    "ReduceProd": _reduction("reduce_product", 18),
    "ReduceLogSumExp": reduce_log_sum_exp,
    "ReduceL1": _norm_reduction("abs"),
    "ReduceL2": _norm_reduction("square", "sqrt"),
    "ReduceSumSquare": _norm_reduction("square"),
}
