"""A numpy interpreter of float graphs: calibration for the zoo, a check for front ends."""

from __future__ import annotations

import numpy as np

from pex.graph import Graph, Op, Tensor
from pex.quantization import float_activation_range


def _activation(x: np.ndarray, op: Op) -> np.ndarray:
    low, high = float_activation_range(op.attrs.get("activation", "NONE"))
    return np.clip(x, low, high)


def _windows(x: np.ndarray, kernel, stride, dilation, pad, pad_value=0.0) -> np.ndarray:
    """[N, OH, OW, C, KH, KW] views of the padded input under each window."""
    top, bottom, left, right = pad
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    span = ((kernel[0] - 1) * dilation[0] + 1, (kernel[1] - 1) * dilation[1] + 1)
    views = np.lib.stride_tricks.sliding_window_view(padded, span, axis=(1, 2))
    return views[:, ::stride[0], ::stride[1], :, ::dilation[0], ::dilation[1]]


def _conv2d(op: Op, x, weights, bias):
    views = _windows(x, weights.shape[1:3], op.attrs["stride"], op.attrs["dilation"], op.attrs["pad"])
    out = np.einsum("nhwckl,oklc->nhwo", views, weights, optimize=True)
    return out + (0 if bias is None else bias)


def _depthwise_conv2d(op: Op, x, weights, bias):
    kh, kw, channels, multiplier = weights.shape
    views = _windows(x, (kh, kw), op.attrs["stride"], op.attrs["dilation"], op.attrs["pad"])
    out = np.einsum("nhwckl,klcm->nhwcm", views, weights, optimize=True)
    out = out.reshape(out.shape[:3] + (channels * multiplier,))
    return out + (0 if bias is None else bias)


def _pool(op: Op, x, reduce):
    fill = -np.inf if reduce is np.max else np.nan
    views = _windows(x, op.attrs["kernel"], op.attrs["stride"], (1, 1), op.attrs["pad"], fill)
    return reduce(views, axis=(4, 5))  # padding excluded: -inf for max, NaN skipped for mean


def _softmax(op: Op, x):
    shifted = (x - x.max(axis=-1, keepdims=True)) * op.attrs["beta"]
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


_BINARY = {"sub": np.subtract, "div": np.divide, "maximum": np.maximum, "minimum": np.minimum}


def evaluate(op: Op, values: list) -> np.ndarray:
    x = values[0]
    kind = op.kind
    if kind == "conv2d":
        return _activation(_conv2d(op, *values), op)
    if kind == "depthwise_conv2d":
        return _activation(_depthwise_conv2d(op, *values), op)
    if kind == "fully_connected":
        weights, bias = values[1], values[2]
        flat = x.reshape(-1, weights.shape[1])
        return _activation(flat @ weights.T + (0 if bias is None else bias), op).reshape(
            op.output.shape)
    if kind == "add":
        return _activation(values[0] + values[1], op)
    if kind == "mul":
        return _activation(values[0] * values[1], op)
    if kind == "avg_pool2d":
        return _activation(_pool(op, x, np.nanmean), op)
    if kind == "max_pool2d":
        return _activation(_pool(op, x, np.max), op)
    if kind == "mean":
        return x.mean(axis=tuple(op.attrs["axes"]), keepdims=True).reshape(op.output.shape)
    if kind == "pad":
        return np.pad(x, op.attrs["pads"])
    if kind == "reshape":
        return x.reshape(op.output.shape)
    if kind == "transpose":
        return x.transpose(op.attrs["perm"])
    if kind == "concat":
        return _activation(np.concatenate(values, axis=op.attrs["axis"]), op)
    if kind == "softmax":
        return _softmax(op, x)
    if kind == "logistic":
        return 1.0 / (1.0 + np.exp(-x))
    if kind in ("relu", "relu6", "relu_n1_to_1"):
        low, high = float_activation_range({"relu": "RELU", "relu6": "RELU6",
                                            "relu_n1_to_1": "RELU_N1_TO_1"}[kind])
        return np.clip(x, low, high)
    if kind == "leaky_relu":
        return np.where(x > 0, x, x * op.attrs["alpha"])
    if kind == "clamp":
        return np.clip(x, op.attrs["low"], op.attrs["high"])
    if kind == "tanh":
        return np.tanh(x)
    if kind in _BINARY:
        return _BINARY[kind](values[0], values[1])
    raise ValueError(f"the float interpreter does not evaluate {kind}")


def run(graph: Graph, inputs: list[np.ndarray]) -> dict[Tensor, np.ndarray]:
    """Every tensor's value (float64) for the given inputs of a float graph."""
    values: dict[Tensor, np.ndarray] = {t: np.asarray(v, np.float64)
                                        for t, v in zip(graph.inputs, inputs)}

    def value(tensor: Tensor | None):
        if tensor is None:
            return None
        return values[tensor] if tensor in values else tensor.data.astype(np.float64)

    for op in graph.ops:
        values[op.output] = evaluate(op, [value(t) for t in op.inputs])
    return values
