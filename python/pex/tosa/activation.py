"""The clamp a fused activation applies to an op's result (skipped when it clamps nothing)."""

from __future__ import annotations

import math

from pex.graph import Tensor
from pex.quantization import activation_range, float_activation_range
from pex.tosa.builder import FunctionBuilder, Value


def fused_activation(b: FunctionBuilder, x: Value, activation: str, output: Tensor) -> Value:
    if activation == "NONE":
        return x
    if x.dtype == "f32":
        low, high = float_activation_range(activation)
        if math.isinf(low) and math.isinf(high):
            return x
        return b.clamp(x, low, high)
    low, high = activation_range(activation, output.scale(), output.zero_point(), x.dtype)
    if (low, high) == activation_range("NONE", 1.0, 0, x.dtype):
        return x
    return b.clamp(x, low, high)
