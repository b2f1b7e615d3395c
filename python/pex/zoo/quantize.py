"""Post-training int8 quantisation of a float graph, as the TFLite converter does it.

Activations: per tensor, asymmetric, from the range the float network reaches on a
seeded calibration input (so values use the int8 range instead of saturating). Weights:
symmetric, per output channel for convolutions, per tensor for fully connected layers.
Biases: int32 in units of input scale x weight scale. Softmax outputs use TFLite's fixed
1/256 and -128; pooling, reshapes and pads keep their input's quantisation.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.graph import Graph, Op, Quantization, Tensor
from pex.reference import interpreter

_SAME_QUANTIZATION_AS_INPUT = ("avg_pool2d", "max_pool2d", "reshape", "transpose", "pad")


def activation_quantization(values: np.ndarray) -> Quantization:
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    scale = max((high - low) / 255.0, 1e-8)
    zero_point = int(np.clip(round(-128 - low / scale), -128, 127))
    return Quantization.per_tensor(scale, zero_point)


def _weights(tensor: Tensor, channel_axes: tuple[int, ...] | None) -> Tensor:
    """Symmetric int8: per channel along the output-channel axes, or per tensor."""
    data = tensor.data.astype(np.float64)
    if channel_axes is None:
        scale = np.array([max(np.abs(data).max(), 1e-8) / 127])
        quant, broadcast = Quantization(scale.astype(np.float32), np.zeros(1, np.int64)), scale
    else:
        reduce_axes = tuple(a for a in range(data.ndim) if a not in channel_axes)
        per_channel = np.maximum(np.abs(data).max(axis=reduce_axes, keepdims=True), 1e-8) / 127
        scale = per_channel.reshape(-1).astype(np.float32)
        quant = Quantization(scale, np.zeros(scale.size, np.int64), channel_axes[0])
        broadcast = scale.astype(np.float64).reshape(per_channel.shape)
    values = np.clip(np.round(data / broadcast), -127, 127).astype(np.int8)
    return Tensor(tensor.name, tensor.shape, "i8", quant, values)


def _bias(bias: Tensor | None, input_quant: Quantization, weight_quant: Quantization):
    if bias is None:
        return None
    scale = input_quant.scale.astype(np.float64) * weight_quant.scale.astype(np.float64)
    values = np.round(bias.data.astype(np.float64) / scale).astype(np.int32)
    return Tensor(bias.name, bias.shape, "i32", None, values)


# Output-channel axes of each op's weights (None: per tensor).
_WEIGHT_CHANNELS = {"conv2d": (0,), "depthwise_conv2d": (2, 3), "fully_connected": None}


def quantize_graph(graph: Graph, input_quantization: Callable[[Tensor], Quantization],
                   activation_range: Callable[[Tensor], Quantization]) -> Graph:
    """The int8 graph: weights and biases as above; each graph input quantised with
    `input_quantization(tensor)`, each operator's output with `activation_range(tensor)`
    (softmax: 1/256, -128; pooling, reshapes, transposes and pads: their input's)."""
    converted: dict[Tensor, Tensor] = {}

    def activation(tensor: Tensor, quant: Quantization) -> Tensor:
        converted[tensor] = Tensor(tensor.name, tensor.shape, "i8", quant)
        return converted[tensor]

    for tensor in graph.inputs:
        activation(tensor, input_quantization(tensor))
    ops = []
    for op in graph.ops:
        x = converted[op.inputs[0]]
        if op.kind in _WEIGHT_CHANNELS:
            weights = _weights(op.inputs[1], _WEIGHT_CHANNELS[op.kind])
            inputs = [x, weights, _bias(op.inputs[2], x.quant, weights.quant)]
        else:
            inputs = [converted.get(t, t) for t in op.inputs]
        if op.kind == "softmax":
            quant = Quantization.per_tensor(1 / 256, -128)
        elif op.kind in _SAME_QUANTIZATION_AS_INPUT:
            quant = x.quant
        else:
            quant = activation_range(op.output)
        ops.append(Op(op.kind, inputs, [activation(op.output, quant)], op.attrs, op.loc))
    return Graph(graph.name, [converted[t] for t in graph.inputs],
                 [converted[t] for t in graph.outputs], ops)


def quantize(graph: Graph, calibration_input: np.ndarray) -> Graph:
    """Activation ranges (inputs included) from one run on `calibration_input`."""
    values = interpreter.run(graph, [calibration_input])

    def measured(tensor: Tensor) -> Quantization:
        return activation_quantization(values[tensor])

    return quantize_graph(graph, measured, measured)
