"""The in-memory model graph that every front end produces and the TOSA emitter consumes.

A `Graph` is a list of `Op`s in execution order over `Tensor`s. Activations are NHWC with
channels last. Tensors carry their element type and, when quantised, their affine
quantisation (`real = scale * (q - zero_point)`); constant tensors carry their data.

Operator vocabulary (`Op.kind`, the inputs in order, then `Op.attrs`):

  conv2d            x, weights [O,KH,KW,I], bias [O] or None
                    stride (h, w), dilation (h, w), pad (top, bottom, left, right), activation
  depthwise_conv2d  x, weights [KH,KW,C,M], bias [C*M] or None
                    stride, dilation, pad, activation
  transpose_conv2d  x, weights [O,KH,KW,I], bias [O] or None;  stride (h, w), pad (top,
                    left), activation. TFLite's TRANSPOSE_CONV: input pixel (y, x) adds
                    x * weights[:, ky, kx] to output (stride_h y - top + ky, stride_w x -
                    left + kx) when that lies inside the output tensor's shape.
  fully_connected   x, weights [M,K], bias [M] or None;  activation.
                    The input is flattened to [N, K]; the output tensor's shape is kept.
  batch_matmul      a [..., M, K], b [..., K, N] with the output's batch dimensions:
                    a @ b per batch entry. int8: TFLite's BATCH_MATMUL (both zero points
                    subtracted, one multiplier from the float32 product of the scales).
  add, mul          a, b (same rank, numpy broadcasting);  activation
  avg_pool2d,
  max_pool2d        x;  kernel (h, w), stride, pad, activation.
                    Padded elements are excluded from averages and maxima.
  mean              x;  axes (sorted), keep_dims
  pad               x;  pads ((before, after) per dimension); the pad value is real 0
  reshape           x   (the output tensor's shape is the target)
  transpose         x;  perm
  concat            x0, x1, ...;  axis, activation
  softmax           x (over the last axis);  beta
  logistic, relu, relu6, relu_n1_to_1, leaky_relu (alpha)   x
  hard_swish, abs, neg, exp, log, sqrt, rsqrt, elu, square, floor, ceil, round, sin,
  cos
                    x (f32, or i8 through a 256-entry table of TFLite's int8 results)
  quantize          x (f32, i8 or i16) -> i8 or i16 with the output tensor's quantisation
  svdf              x [N, K], weights_feature [F, K], weights_time [F, M], bias [U] or None;
                    rank (F = U * rank), activation, state_dtype, state_quant (int8: i16
                    or i8 state; None for float). One TFLite SVDF invocation from the reset
                    state (all zero, the zero point for an int8 state): the state
                    [N, F, M] shifts one step in time, takes x's feature projection as
                    its newest column, is weighted by weights_time and summed per unit.
  lstm              x [N, T, K] ([T, N, K] when time_major), then TFLite's gate tensors in
                    its order: input weights [H, K] of the input, forget, cell and output
                    gates, their recurrent weights [H, H], their biases [H];  time_major,
                    activation (of the cell gate and the cell, "TANH" ...), cell_clip
                    (0: none); int8 also hidden_quant (h's quantisation) and cell_scale
                    (of the int16 cell state): TFLite Micro's integer kernel. One
                    invocation from the reset state (h = c = 0, an int8 h its zero
                    point); the output is every step's h, [N, T, H] (or [T, N, H]).
  dequantize        x (i8 or i16) -> f32
  compare           a, b (same rank, broadcasting; f32, or i8 compared as TFLite does:
                    each (x - zp) * 2^8 scaled by its scale) -> i1;  predicate (equal,
                    not_equal, greater, greater_equal; less ones swap the operands)
  logical_and, logical_or   a, b (i1, same rank, broadcasting)
  logical_not       x (i1)
  select            condition (i1), x, y (same rank, broadcasting): condition ? x : y
  cast              x -> the output's element type (TOSA's cast)

Kinds ONNX models add:

  conv2d, depthwise_conv2d, fully_connected with an i32 output tensor: the int8
                    accumulator (bias included), requantised by a separate rescale
  add, mul          also on i32 tensors (plain addition, multiplication)
  sub, div, maximum, minimum   a, b (same rank, numpy broadcasting; div is float, the
                    others also i32: arithmetic on indices)
  compare, select, reduce_sum, reduce_max, reduce_min   also on i32 tensors (indices,
                    counts)
  clamp             x;  low, high (reals for float, stored integers for integer tensors)
  tanh              x (float)
  tan, atan, asin, acos, sinh, cosh, asinh, acosh, atanh   x (float only: TOSA ops
                    composed by `pex.tosa.elementwise`, pexc has no kernels for them)
  rescale           x (i8 or i32) -> i8 or i32;  multiplier, shift (one, or one per
                    channel of the last axis), input_zp, output_zp, input_unsigned,
                    output_unsigned: (x - input_zp) * multiplier / 2^shift rounded half up,
                    plus output_zp, saturated
  table             x (i8) -> i8;  entries: the 256 results for x = -128 ... 127
  reduce_sum, reduce_max, reduce_min   x;  axes (sorted), keep_dims
  reduce_product    x (float);  axes (sorted), keep_dims
  slice             x;  begin, size (per dimension)
  resize            x (NHWC);  mode ("nearest" or "bilinear"), rows, columns: per output
                    row (column) the input indices i0, i1 and weight w of
                    x[i0] (1 - w) + x[i1] w
  pad               also a float pad value: attribute value

`activation` is one of ACTIVATIONS: the fused clamp TFLite applies to an op's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ACTIVATIONS = ("NONE", "RELU", "RELU_N1_TO_1", "RELU6")

# Element types by their MLIR spelling, with the numpy type that holds them.
NUMPY_TYPES = {"f32": np.float32, "i8": np.int8, "i16": np.int16, "i32": np.int32,
               "i64": np.int64, "i1": np.bool_}


@dataclass(frozen=True)
class Quantization:
    """Affine quantisation, per tensor (`axis` None) or per channel along `axis`."""

    scale: np.ndarray  # float32, one entry per tensor or per channel
    zero_point: np.ndarray  # int64, same length as scale
    axis: int | None = None

    @classmethod
    def per_tensor(cls, scale: float, zero_point: int) -> Quantization:
        return cls(np.array([scale], np.float32), np.array([zero_point], np.int64))

    @property
    def per_channel(self) -> bool:
        return self.axis is not None


@dataclass(eq=False)
class Tensor:
    name: str
    shape: tuple[int, ...]
    dtype: str  # a key of NUMPY_TYPES
    quant: Quantization | None = None
    data: np.ndarray | None = None  # the value of a constant tensor, in `shape`
    # An i8 tensor whose bytes are uint8 (its zero point a uint8 one): a model's uint8
    # input or output, converted to int8 by the operator next to it.
    unsigned: bool = False

    @property
    def numpy_type(self) -> type:
        return np.uint8 if self.unsigned else NUMPY_TYPES[self.dtype]

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def num_elements(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def scale(self) -> float:
        """The per-tensor scale (as the float32 value the model stores)."""
        return float(self.quant.scale[0])

    def zero_point(self) -> int:
        return int(self.quant.zero_point[0])


def same_quantization(a: Tensor, b: Tensor) -> bool:
    """Per-tensor quantisations that map the same integers to the same reals."""
    return a.scale() == b.scale() and a.zero_point() == b.zero_point()


@dataclass(frozen=True)
class Location:
    """Where an op comes from: the name it is known by and a line in the source model."""

    name: str
    file: str
    line: int


@dataclass(eq=False)
class Op:
    kind: str
    inputs: list[Tensor | None]
    outputs: list[Tensor]
    attrs: dict = field(default_factory=dict)
    loc: Location | None = None

    @property
    def output(self) -> Tensor:
        return self.outputs[0]


@dataclass(eq=False)
class Graph:
    name: str
    inputs: list[Tensor]
    outputs: list[Tensor]
    ops: list[Op]
    # Per input and output name, the source model's axes its dimensions hold when they
    # are not in the model's order (an ONNX NCHW tensor stored NHWC: (0, 2, 3, 1)).
    interface_perms: dict[str, tuple[int, ...]] = field(default_factory=dict)
