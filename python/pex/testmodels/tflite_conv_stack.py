"""A 1-D convolution / transpose-convolution stack (issue 15), shaped like TFLite Micro's
audio encoder-decoders, float, int8 and 16x8:

    [1, 1, 64, 4] -> CONV_2D 1x5 /2 RELU -> CONV_2D 1x3 /2 RELU    (64 -> 32 -> 16 steps)
                  -> TRANSPOSE_CONV 1x4 x2 RELU -> TRANSPOSE_CONV 1x4 x2  (16 -> 32 -> 64)

The int8 model quantises the float one as TFLite's converter does: weights symmetric per
output channel, int32 biases at input scale x weight scale, activation ranges from the
float model run on the reference input (pex.reference.inputs, the image quantisation
1/255, -128 at the input). The 16x8 model quantises it as the converter's 16x8 mode:
int16 activations symmetric (scale max |x| / 32767, zero point 0; the input 1/32767),
int8 weights symmetric per output channel, int64 biases at input scale x weight scale,
ranges from the float model run on the int16 reference input dequantised.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from pex.graph import NUMPY_TYPES, Quantization, Tensor
from pex.importers.tflite import read_tflite, schema
from pex.importers.tflite.writer import TfliteWriter
from pex.reference import tflm_interpreter
from pex.reference.inputs import reference_input

_CODES = schema.BUILTIN_OPERATOR_CODES
_SAME = schema.PADDING_NAMES.index("SAME")
_RELU = schema.ACTIVATION_NAMES.index("RELU")
_INPUT_SHAPE = (1, 1, 64, 4)
# (builtin, kernel width, stride, output channels, fused activation) per layer.
_LAYERS = (("CONV_2D", 5, 2, 8, _RELU), ("CONV_2D", 3, 2, 16, _RELU),
           ("TRANSPOSE_CONV", 4, 2, 8, _RELU), ("TRANSPOSE_CONV", 4, 2, 4, 0))


def _float_parameters() -> list[tuple[np.ndarray, np.ndarray]]:
    """He-scaled weights [O, 1, KW, I] and small biases per layer."""
    rng = np.random.default_rng(1608)
    parameters, channels = [], _INPUT_SHAPE[3]
    for code, width, _, channels_out, _ in _LAYERS:
        fan_in = width * (channels if code == "CONV_2D" else channels_out)
        weights = rng.normal(0, np.sqrt(2 / fan_in), (channels_out, 1, width, channels))
        parameters.append((weights.astype(np.float32),
                           rng.uniform(-0.1, 0.1, channels_out).astype(np.float32)))
        channels = channels_out
    return parameters


def _output_width(code: str, width: int, stride: int) -> int:
    return -(-width // stride) if code == "CONV_2D" else width * stride


def _write(name: str, dtype: str, quantized: list | None) -> bytes:
    """The stack, float (`quantized` None) or int8 / int16 with `quantized`'s per-layer
    (weights, bias, output quantisation) and the input's quantisation first."""
    writer = TfliteWriter()
    input_quant = quantized[0] if quantized else None
    x = Tensor("signal", _INPUT_SHAPE, dtype, input_quant)
    current = x
    for index, (code, width, stride, channels_out, activation) in enumerate(_LAYERS):
        layer = f"layer{index}"
        shape = (1, 1, _output_width(code, current.shape[2], stride), channels_out)
        if quantized:
            weights, bias, out_quant = quantized[1 + index]
        else:
            weights, bias = (Tensor(f"{layer}/{part}", values.shape, "f32", None, values)
                             for part, values in zip(("weights", "bias"),
                                                     _float_parameters()[index]))
            out_quant = None
        out = Tensor(layer, shape, dtype, out_quant)
        if code == "CONV_2D":
            writer.operator(_CODES[code], [current, weights, bias], [out], schema.Conv2DOptions,
                            padding=_SAME, stride_h=1, stride_w=stride,
                            dilation_h_factor=1, dilation_w_factor=1,
                            fused_activation_function=activation)
        else:
            output_shape = writer.constant(f"{layer}/output_shape", list(shape))
            writer.operator(_CODES[code], [output_shape, weights, current, bias], [out],
                            schema.TransposeConvOptions, padding=_SAME, stride_h=1,
                            stride_w=stride, fused_activation_function=activation)
        current = out
    return writer.finish(name, [x], [current])


def _affine(low: float, high: float) -> Quantization:
    """int8 covering [min(low, 0), max(high, 0)], as TFLite's converter."""
    low, high = min(low, 0.0), max(high, 0.0)
    scale = (high - low) / 255 or 1.0
    return Quantization.per_tensor(scale, int(np.clip(round(-128 - low / scale), -128, 127)))


def _symmetric16(low: float, high: float) -> Quantization:
    """int16 as the converter's 16x8 mode: symmetric, max |x| / 32767, zero point 0."""
    return Quantization.per_tensor(max(abs(low), abs(high)) / 32767 or 1.0, 0)


_16X8_INPUT_SCALE = 1 / 32767


def _quantized_parameters(dtype: str) -> list:
    """Per layer (int8 weights, bias, output quantisation), the input's first: int8
    (int32 biases, asymmetric activations) or 16x8 (int64 biases, symmetric int16)."""
    graph = read_tflite(_write("conv_stack_f32", "f32", None), "conv_stack_f32.tflite")
    graph.outputs = [op.output for op in graph.ops]
    if dtype == "i16":
        calibration = (reference_input(_INPUT_SHAPE, "i16") * _16X8_INPUT_SCALE).astype(
            np.float32)
        in_scale = _16X8_INPUT_SCALE
        input_quant = Quantization.per_tensor(in_scale, 0)
    else:
        calibration = reference_input(_INPUT_SHAPE, "f32")
        in_scale = 1 / 255
        input_quant = Quantization.per_tensor(in_scale, -128)
    activations = tflm_interpreter.run(graph, [calibration])
    bias_type, output_quant = (("i64", _symmetric16) if dtype == "i16" else ("i32", _affine))
    quantized = [input_quant]
    for index, ((weights, bias), values) in enumerate(zip(_float_parameters(), activations)):
        scales = (np.abs(weights).reshape(len(weights), -1).max(axis=1) / 127).astype(np.float32)
        stored = np.clip(np.round(weights / scales[:, None, None, None]), -127, 127)
        weight_quant = Quantization(scales, np.zeros(len(scales), np.int64), 0)
        bias_scales = (np.float32(in_scale) * scales).astype(np.float64)
        out_quant = output_quant(float(values.min()), float(values.max()))
        quantized.append((Tensor(f"layer{index}/weights", weights.shape, "i8", weight_quant,
                                 stored.astype(np.int8)),
                          Tensor(f"layer{index}/bias", bias.shape, bias_type, None,
                                 np.round(bias / bias_scales).astype(NUMPY_TYPES[bias_type])),
                          out_quant))
        in_scale = float(out_quant.scale[0])
    return quantized


MODELS: dict[str, Callable[[], bytes]] = {
    "conv_stack_f32": lambda: _write("conv_stack_f32", "f32", None),
    "conv_stack_int8": lambda: _write("conv_stack_int8", "i8", _quantized_parameters("i8")),
    "conv_stack_int16": lambda: _write("conv_stack_int16", "i16", _quantized_parameters("i16")),
}
