"""One converter per supported TFLite builtin operator: TFLite semantics -> graph ops.

Converters resolve TFLite conventions (SAME padding, the depthwise weight layout, hybrid
int8 weights under float activations, negative axes) so the graph is explicit.
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor, same_quantization
from pex.importers.tflite import dilated, movement, resize_maps, schema
from pex.tflm_reference import (cell_state_scale_power, checked_log2,
                                int16_activation_parameters, log_softmax_int8_parameters,
                                softmax_int16_parameters)


def _activation(code: int) -> str:
    if code not in (0, 1, 2, 3):
        name = schema.ACTIVATION_NAMES[code] if 0 <= code < len(schema.ACTIVATION_NAMES) else code
        raise ModelError(f"unsupported fused activation {name}")
    return schema.ACTIVATION_NAMES[code]


def explicit_padding(padding: int, size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TFLite's explicit (before, after) padding of one spatial dimension."""
    if padding not in (0, 1):
        raise ModelError(f"unknown padding {padding}")
    if stride < 1 or dilation < 1 or kernel < 1:
        raise ModelError(f"invalid window: kernel {kernel}, stride {stride}, dilation {dilation}")
    if schema.PADDING_NAMES[padding] == "VALID":
        return 0, 0
    effective = (kernel - 1) * dilation + 1
    out = (size + stride - 1) // stride
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def _window(options, x: Tensor, kernel_h: int, kernel_w: int, dilation=(1, 1)) -> dict:
    if len(x.shape) != 4:
        raise ModelError(f"input '{x.name}' has rank {len(x.shape)}, expected 4 (NHWC)")
    stride = (options.stride_h, options.stride_w)
    top, bottom = explicit_padding(options.padding, x.shape[1], kernel_h, stride[0], dilation[0])
    left, right = explicit_padding(options.padding, x.shape[2], kernel_w, stride[1], dilation[1])
    return dict(stride=stride, pad=(top, bottom, left, right))


def _dequantized(weights: Tensor) -> Tensor:
    """Hybrid models keep int8 weights under float activations: import them as float."""
    quant = weights.quant
    if quant is None:
        raise ModelError(f"int8 weights '{weights.name}' have no quantisation")
    shape = [1] * len(weights.shape)
    if quant.per_channel:
        shape[quant.axis] = -1
    scale = quant.scale.reshape(shape)
    zero_point = quant.zero_point.reshape(shape)
    data = ((weights.data.astype(np.float32) - zero_point.astype(np.float32)) * scale)
    return Tensor(weights.name, weights.shape, "f32", None, data.astype(np.float32))


def _weights(ctx, position: int, x: Tensor) -> Tensor:
    weights = ctx.input(position)
    if not weights.is_constant:
        raise ModelError(f"weights '{weights.name}' are not constant")
    if x.dtype == "f32" and weights.dtype == "i8":
        return _dequantized(weights)
    if x.dtype == "i16":  # TFLite's 16x8 form
        if weights.dtype != "i8":
            raise ModelError(f"int16 input with {weights.dtype} weights; TFLite's 16x8 form "
                             f"has int8 weights")
        return weights
    if x.dtype != weights.dtype:
        raise ModelError(f"{x.dtype} input with {weights.dtype} weights")
    return weights


def _require_quantized(*tensors: Tensor) -> None:
    for tensor in tensors:
        if tensor is not None and tensor.dtype in ("i8", "i16") and tensor.quant is None:
            bits = tensor.dtype[1:]
            raise ModelError(f"int{bits} tensor '{tensor.name}' has no quantisation parameters")


def _axis(axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ModelError(f"axis {axis} out of range for rank {rank}")
    return axis % rank


def _convolution_operands(ctx, x: Tensor, depthwise: bool) -> tuple[str, list, tuple, type]:
    """A CONV_2D's or DEPTHWISE_CONV_2D's graph op kind, operands (x, the weights in
    TOSA's layout, the bias), kernel (h, w) and options table, for input x."""
    weights = _weights(ctx, 1, x)
    bias = ctx.optional_input(2)
    _require_quantized(x, weights, ctx.output)
    if not depthwise:
        return "conv2d", [x, weights, bias], weights.shape[1:3], schema.Conv2DOptions
    if len(weights.shape) != 4 or weights.shape[0] != 1:
        raise ModelError(f"depthwise weights '{weights.name}' of shape {list(weights.shape)}: "
                         f"TFLite's are [1, KH, KW, C*M]")
    _, kernel_h, kernel_w, channels_out = weights.shape
    channels = x.shape[3]
    if channels_out % channels:
        raise ModelError(f"{channels_out} output channels are not a multiple of {channels}")
    # TFLite stores [1, KH, KW, C*M]; TOSA wants [KH, KW, C, M]: the same bytes.
    kernel = Tensor(weights.name, (kernel_h, kernel_w, channels, channels_out // channels),
                    weights.dtype, weights.quant,
                    weights.data.reshape(kernel_h, kernel_w, channels, channels_out // channels))
    return ("depthwise_conv2d", [x, kernel, bias], (kernel_h, kernel_w),
            schema.DepthwiseConv2DOptions)


def _convolution(depthwise: bool):
    def convert(ctx) -> None:
        x = ctx.input(0)
        kind, operands, kernel, options_cls = _convolution_operands(ctx, x, depthwise)
        options = ctx.options(options_cls)
        dilation = (options.dilation_h_factor, options.dilation_w_factor)
        ctx.emit(kind, operands, dilation=dilation,
                 activation=_activation(options.fused_activation_function),
                 **_window(options, x, *kernel, dilation))
    return convert


def dilated_convolution(space_to_batch, convolution, batch_to_space, depthwise: bool) -> None:
    """TensorFlow's SPACE_TO_BATCH_ND -> convolution -> BATCH_TO_SPACE_ND (the three
    operators' contexts) as one convolution with the block shape as its dilation,
    reading the SPACE_TO_BATCH_ND's input, writing the BATCH_TO_SPACE_ND's output."""
    x = space_to_batch.input(0)
    if len(x.shape) != 4:
        raise ModelError(f"input '{x.name}' has rank {len(x.shape)}, expected 4 (NHWC)")
    block = np.atleast_1d(space_to_batch.constant_input(1))
    if not np.array_equal(block, np.atleast_1d(batch_to_space.constant_input(1))):
        raise ModelError("SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND have different block shapes")
    kind, operands, kernel, options_cls = _convolution_operands(convolution, x, depthwise)
    options = convolution.options(options_cls)
    if (options.stride_h, options.stride_w, options.dilation_h_factor,
            options.dilation_w_factor) != (1, 1, 1, 1):
        raise ModelError("the convolution between SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND "
                         "must have stride 1 and dilation 1")
    inner_pad = _window(options, convolution.input(0), *kernel)["pad"]
    pad = dilated.folded_padding(block, space_to_batch.constant_input(2),
                                 batch_to_space.constant_input(2), inner_pad)
    rows, columns = (x.shape[1 + axis] + pad[2 * axis] + pad[2 * axis + 1]
                     - int(block[axis]) * (kernel[axis] - 1) for axis in range(2))
    out = batch_to_space.output
    if out.shape[:3] != (x.shape[0], rows, columns) or \
            out.shape[3] != convolution.output.shape[3]:
        raise ModelError(f"the folded convolution gives {[x.shape[0], rows, columns]} "
                         f"positions, but the output '{out.name}' is {list(out.shape)}")
    batch_to_space.emit(kind, operands, stride=(1, 1), dilation=tuple(int(d) for d in block),
                        pad=pad, activation=_activation(options.fused_activation_function))


def transpose_conv(ctx) -> None:
    """TFLite's operands: the output shape, the weights [O, KH, KW, I], the input, an
    optional bias. Only the leading padding matters (TFLite's kernel scatters each input
    pixel to stride * position - padding and drops what falls outside the output)."""
    output_shape = [int(d) for d in np.atleast_1d(ctx.constant_input(0))]
    x = ctx.input(2)
    weights = _weights(ctx, 1, x)
    bias = ctx.optional_input(3)
    _require_quantized(x, weights, ctx.output)
    out = ctx.output
    if tuple(output_shape) != out.shape:
        raise ModelError(f"output shape {output_shape} is not the output tensor's "
                         f"{list(out.shape)}")
    if len(x.shape) != 4 or len(weights.shape) != 4 or len(out.shape) != 4:
        raise ModelError("input, weights and output must be 4-D (NHWC, OHWI)")
    channels_out, kernel_h, kernel_w, channels_in = weights.shape
    if channels_in != x.shape[3] or channels_out != out.shape[3] or out.shape[0] != x.shape[0]:
        raise ModelError(f"weights {list(weights.shape)} do not fit input {list(x.shape)} "
                         f"and output {list(out.shape)}")
    options = ctx.options(schema.TransposeConvOptions)
    stride = (options.stride_h, options.stride_w)
    # TFLite pads as for the convolution this one transposes: output -> input.
    top, _ = explicit_padding(options.padding, out.shape[1], kernel_h, stride[0], 1)
    left, _ = explicit_padding(options.padding, out.shape[2], kernel_w, stride[1], 1)
    ctx.emit("transpose_conv2d", [x, weights, bias], stride=stride, pad=(top, left),
             activation=_activation(options.fused_activation_function))


def fully_connected(ctx) -> None:
    x = ctx.input(0)
    weights = _weights(ctx, 1, x)
    bias = ctx.optional_input(2)
    _require_quantized(x, weights, ctx.output)
    options = ctx.options(schema.FullyConnectedOptions)
    if options.weights_format != 0:
        raise ModelError("shuffled FULLY_CONNECTED weights are not supported")
    if len(weights.shape) != 2 or x.num_elements % weights.shape[1]:
        raise ModelError(f"weights {list(weights.shape)} do not fit input {list(x.shape)}")
    ctx.emit("fully_connected", [x, weights, bias],
             activation=_activation(options.fused_activation_function))


def batch_matmul(ctx) -> None:
    """x [..., M, K] @ y [..., K, N] (either transposed first by adj_x / adj_y), the batch
    dimensions broadcast; a constant operand is broadcast at import, a computed one must
    have the output's batch dimensions."""
    x, y, out = ctx.input(0), ctx.input(1), ctx.output
    _require_quantized(x, y, out)
    if x.dtype != y.dtype:
        raise ModelError(f"{x.dtype} and {y.dtype} operands (hybrid BATCH_MATMUL is not "
                         f"supported)")
    for tensor in (x, y, out):
        if len(tensor.shape) < 2:
            raise ModelError(f"'{tensor.name}' has rank {len(tensor.shape)}, expected 2 or more")
        if tensor.quant is not None and tensor.quant.per_channel:
            raise ModelError(f"'{tensor.name}' is quantised per channel")
    options = ctx.options(schema.BatchMatMulOptions)
    batch = out.shape[:-2]
    left = _matrix_operand(ctx, x, bool(options.adj_x), batch)
    right = _matrix_operand(ctx, y, bool(options.adj_y), batch)
    if left.shape[-1] != right.shape[-2] or out.shape[-2:] != (left.shape[-2], right.shape[-1]):
        raise ModelError(f"operands {list(left.shape)} and {list(right.shape)} do not give "
                         f"the output's shape {list(out.shape)}")
    ctx.emit("batch_matmul", [left, right])


def _matrix_operand(ctx, tensor: Tensor, adjoint: bool, batch: tuple) -> Tensor:
    """`tensor` with its last two axes swapped if `adjoint`, with the output's batch
    dimensions."""
    rank = len(tensor.shape)
    perm = tuple(range(rank - 2)) + ((rank - 1, rank - 2) if adjoint else (rank - 2, rank - 1))
    matrix = (tensor.shape[perm[-2]], tensor.shape[perm[-1]])
    if tensor.is_constant:
        try:
            data = np.broadcast_to(tensor.data.transpose(perm), batch + matrix)
        except ValueError:
            raise ModelError(f"'{tensor.name}' {list(tensor.shape)} does not broadcast to the "
                             f"batch dimensions {list(batch)}") from None
        return Tensor(tensor.name, batch + matrix, tensor.dtype, tensor.quant,
                      np.ascontiguousarray(data))
    if tensor.shape[:-2] != batch:
        raise ModelError(f"'{tensor.name}' {list(tensor.shape)} is computed and does not have "
                         f"the output's batch dimensions {list(batch)}")
    if not adjoint:
        return tensor
    transposed = Tensor(f"{tensor.name}/adjoint", batch + matrix, tensor.dtype, tensor.quant)
    ctx.emit("transpose", [tensor], [transposed], perm=perm)
    return transposed


def add_n(ctx) -> None:
    """Float: the inputs added in order, as TFLite's kernel sums them."""
    inputs = [ctx.input(i) for i in range(len(ctx.input_indices))]
    out = ctx.output
    if out.dtype != "f32":
        raise ModelError(f"{out.dtype} is not supported, only float")
    if any(t.shape != out.shape for t in inputs):
        raise ModelError(f"inputs {[list(t.shape) for t in inputs]} do not all have the "
                         f"output's shape {list(out.shape)}")
    total = inputs[0]
    for index, term in enumerate(inputs[1:], 1):
        partial = out if index == len(inputs) - 1 else Tensor(f"{out.name}/sum{index}",
                                                               out.shape, "f32")
        ctx.emit("add", [total, term], [partial], activation="NONE")
        total = partial
    if total is not out:  # a single input
        ctx.emit("reshape", [total])


def l2_pool_2d(ctx) -> None:
    """Float: the square root of the mean of squares over the window (padding excluded,
    as TFLite counts only the elements inside the input), then the fused activation."""
    x, out = ctx.input(0), ctx.output
    if x.dtype != "f32":
        raise ModelError(f"{x.dtype} is not supported, only float")
    options = ctx.options(schema.Pool2DOptions)
    kernel = (options.filter_height, options.filter_width)
    activation = _activation(options.fused_activation_function)
    squares = Tensor(f"{out.name}/squares", x.shape, "f32")
    ctx.emit("mul", [x, x], [squares], activation="NONE")
    mean = Tensor(f"{out.name}/mean", out.shape, "f32")
    ctx.emit("avg_pool2d", [squares], [mean], kernel=kernel, activation="NONE",
             **_window(options, x, *kernel))
    if activation == "NONE":
        ctx.emit("sqrt", [mean])
        return
    root = Tensor(f"{out.name}/root", out.shape, "f32")
    ctx.emit("sqrt", [mean], [root])
    ctx.emit(activation.lower(), [root])


def _pool(kind: str):
    def convert(ctx) -> None:
        x = ctx.input(0)
        _require_quantized(x, ctx.output)
        options = ctx.options(schema.Pool2DOptions)
        kernel = (options.filter_height, options.filter_width)
        ctx.emit(kind, [x], kernel=kernel, activation=_activation(options.fused_activation_function),
                 **_window(options, x, *kernel))
    return convert


def _binary(kind: str, options_cls):
    def convert(ctx) -> None:
        a, b = ctx.input(0), ctx.input(1)
        _require_quantized(a, b, ctx.output)
        rank = len(ctx.output.shape)
        options = ctx.options(options_cls)
        ctx.emit(kind, [_with_rank(ctx, a, rank), _with_rank(ctx, b, rank)],
                 activation=_activation(options.fused_activation_function))
    return convert


def _with_rank(ctx, tensor: Tensor, rank: int) -> Tensor:
    """TOSA broadcasts only between equal ranks: prepend unit dimensions."""
    if len(tensor.shape) == rank:
        return tensor
    shape = (1,) * (rank - len(tensor.shape)) + tensor.shape
    if tensor.is_constant:
        return Tensor(tensor.name, shape, tensor.dtype, tensor.quant, tensor.data.reshape(shape))
    reshaped = Tensor(f"{tensor.name}/rank{rank}", shape, tensor.dtype, tensor.quant)
    ctx.emit("reshape", [tensor], [reshaped])
    return reshaped


def mean(ctx) -> None:
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    axes = sorted({_axis(int(a), len(x.shape)) for a in np.atleast_1d(ctx.constant_input(1))})
    keep_dims = bool(ctx.options(schema.ReducerOptions).keep_dims)
    ctx.emit("mean", [x], axes=tuple(axes), keep_dims=keep_dims)


def pad(ctx) -> None:
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    ctx.emit("pad", [x], pads=_paddings(ctx, x))


def _paddings(ctx, x: Tensor) -> tuple:
    pads = np.asarray(ctx.constant_input(1)).reshape(-1, 2)
    if pads.shape[0] != len(x.shape) or np.any(pads < 0):
        raise ModelError(f"paddings {pads.tolist()} do not fit rank {len(x.shape)}")
    return tuple((int(lo), int(hi)) for lo, hi in pads)


def pad_v2(ctx) -> None:
    """PADV2: PAD with an explicit constant value (a stored integer for int8)."""
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    value = ctx.optional_input(2)
    if value is None:
        pad(ctx)
        return
    if not value.is_constant or value.data.size != 1:
        raise ModelError(f"pad value '{value.name}' must be a constant scalar")
    if value.dtype != x.dtype:
        raise ModelError(f"{value.dtype} pad value for a {x.dtype} input")
    pads = _paddings(ctx, x)
    ctx.emit("pad", [x], pads=pads, value=value.data.reshape(-1)[0].item())


def reshape(ctx) -> None:
    x = ctx.input(0)
    if x.num_elements != ctx.output.num_elements:
        raise ModelError(f"cannot reshape {list(x.shape)} to {list(ctx.output.shape)}")
    target = ctx.optional_input(1)
    if target is not None and target.is_constant:  # SQUEEZE has none; a computed one is folded
        _check_reshape_target(target.data, x, ctx.output)
    ctx.emit("reshape", [x])


def _check_reshape_target(target: np.ndarray, x: Tensor, output: Tensor) -> None:
    """The target may hold one -1, the size that keeps the element count."""
    dims = [int(d) for d in np.atleast_1d(target)]
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    if dims.count(-1) == 1 and known > 0 and x.num_elements % known == 0:
        dims[dims.index(-1)] = x.num_elements // known
    if tuple(dims) != output.shape:
        raise ModelError(f"target shape {np.atleast_1d(target).tolist()} does not give the "
                         f"output's shape {list(output.shape)}")


def transpose(ctx) -> None:
    x = ctx.input(0)
    perm = [_axis(int(p), len(x.shape)) for p in np.atleast_1d(ctx.constant_input(1))]
    if sorted(perm) != list(range(len(x.shape))):
        raise ModelError(f"{perm} is not a permutation of rank {len(x.shape)}")
    ctx.emit("transpose", [x], perm=tuple(perm))


def concatenation(ctx) -> None:
    inputs = [ctx.input(i) for i in range(len(ctx.input_indices))]
    _require_quantized(*inputs, ctx.output)
    for tensor in inputs:
        # TFLite Micro copies int16 values as they are stored; requantising would be
        # another operator.
        if tensor.dtype == "i16" and not same_quantization(tensor, ctx.output):
            raise ModelError(f"int16 input '{tensor.name}' is quantised unlike the output "
                             f"'{ctx.output.name}' (scale {tensor.scale():g}, not "
                             f"{ctx.output.scale():g}); TFLite Micro concatenates int16 "
                             f"values without requantising")
    options = ctx.options(schema.ConcatenationOptions)
    ctx.emit("concat", inputs, axis=_axis(options.axis, len(ctx.output.shape)),
             activation=_activation(options.fused_activation_function))


def softmax(ctx) -> None:
    """int16 as TFLite Micro's SoftmaxInt16, whose output is Q0.15 (scale 1/32768 within
    0.1 %, zero point 0)."""
    x, out = ctx.input(0), ctx.output
    _require_quantized(x, out)
    if not x.shape:
        raise ModelError(f"input '{x.name}' is a scalar; SOFTMAX normalises along an axis")
    if out.dtype == "i16" and abs(np.float32(out.scale()) - np.float32(1 / 32768)) > \
            np.float32(0.001 / 32768):
        raise ModelError(f"int16 output '{out.name}' has scale {out.scale():g}; TFLite "
                         f"Micro's int16 SOFTMAX gives 1/32768")
    beta = float(ctx.options(schema.SoftmaxOptions).beta)
    if x.dtype == "i16":
        _check_softmax_int16(x, beta)
    ctx.emit("softmax", [x], beta=beta)


def _check_softmax_int16(x: Tensor, beta: float) -> None:
    """SoftmaxInt16's int32 arithmetic: x - max (down to -65535) shifted left by the input
    multiplier's exponent, and the row's sum of Q0.15 exps, fit in int32."""
    _, shift = softmax_int16_parameters(x.scale(), beta)
    if shift > 15:
        raise ModelError(f"int16 input '{x.name}' has scale {x.scale():g} (beta {beta:g}); "
                         f"TFLite Micro's int16 kernel shifts x - max left by {shift}, which "
                         f"overflows int32")
    depth = x.shape[-1]
    if depth * 32767 > (1 << 31) - 1:
        raise ModelError(f"rows of {depth} values; the sum of their exps (Q0.15) overflows "
                         f"TFLite Micro's int32 sum")


def _unary(kind: str):
    def convert(ctx) -> None:
        x = ctx.input(0)
        _require_quantized(x, ctx.output)
        ctx.emit(kind, [x])
    return convert


def tanh(ctx) -> None:
    """int8 as TFLite Micro's kernel, whose output is Q0.7 (scale 1/128, zero point 0);
    int16 as its int16 kernel (output Q0.15)."""
    x, out = ctx.input(0), ctx.output
    _require_quantized(x, out)
    if out.dtype == "i8" and (np.float32(out.scale()), out.zero_point()) != \
            (np.float32(1 / 128), 0):
        raise ModelError(f"int8 output '{out.name}' quantised ({out.scale()}, "
                         f"{out.zero_point()}); TFLite Micro's TANH gives 1/128, 0")
    if x.dtype == "i16":
        _check_int16_activation(x, out, tanh=True)
    ctx.emit("tanh", [x])


def logistic(ctx) -> None:
    """int16 as TFLite Micro's int16 kernel (output Q0.15); int8 and float as ever."""
    x, out = ctx.input(0), ctx.output
    _require_quantized(x, out)
    if x.dtype == "i16":
        _check_int16_activation(x, out, tanh=False)
    ctx.emit("logistic", [x])


def _check_int16_activation(x: Tensor, out: Tensor, tanh: bool) -> None:
    """What LogisticPrepare and TanhPrepare require of int16 (an output scale of 2^-15 by
    CheckedLog2) and what their kernels' int32 arithmetic assumes: x times the input
    multiplier fits in int32 (a multiplier below 2^16), and a multiplier that is not 0
    (which the kernels would read as the power-of-two case)."""
    power, exact = checked_log2(out.scale())
    if not exact or power != -15:
        raise ModelError(f"int16 output '{out.name}' has scale {out.scale():g}; TFLite "
                         f"Micro's int16 {'TANH' if tanh else 'LOGISTIC'} gives 2^-15")
    multiplier, shift = int16_activation_parameters(x.scale(), tanh)
    if multiplier >= 1 << 16 or (multiplier == 0 and shift > 1):
        raise ModelError(f"int16 input '{x.name}' has scale {x.scale():g}; TFLite Micro's "
                         f"int16 kernel's input multiplier {multiplier} (shift {shift}) "
                         f"overflows int32")


def leaky_relu(ctx) -> None:
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    alpha = float(ctx.options(schema.LeakyReluOptions).alpha)
    if x.dtype == "i16" and alpha < 0:  # TOSA's rescale multipliers are not negative
        raise ModelError(f"int16 LEAKY_RELU with alpha {alpha} < 0 is not supported")
    ctx.emit("leaky_relu", [x], alpha=alpha)


def gelu(ctx) -> None:
    """The erf form, or with `approximate` the tanh form: two graph kinds, each one
    function of the input (an int8 table)."""
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    approximate = bool(ctx.options(schema.GeluOptions).approximate)
    ctx.emit("gelu_tanh" if approximate else "gelu", [x])


def svdf(ctx) -> None:
    """The state input must be TFLite's variable tensor (which TFLite Micro keeps between
    invocations, reset to its zero point), not data the caller provides: pex keeps it
    too (the memory's older steps)."""
    x, weights_feature, weights_time = ctx.input(0), ctx.input(1), ctx.input(2)
    bias, state = ctx.optional_input(3), ctx.input(4)
    out = ctx.output
    options = ctx.options(schema.SVDFOptions)
    for tensor in (weights_feature, weights_time, bias):
        if tensor is not None and not tensor.is_constant:
            raise ModelError(f"'{tensor.name}' is not constant")
    if not ctx.is_variable(4) or state.is_constant:
        raise ModelError(f"state '{state.name}' is not a variable tensor")
    filters, depth = _shape_2d(weights_feature)
    memory = _shape_2d(weights_time)[1]
    rank = options.rank
    if rank < 1 or filters % rank:
        raise ModelError(f"rank {rank} does not divide {filters} filters")
    batch = _shape_2d(x)[0]
    expected = {x: (batch, depth), weights_time: (filters, memory),
                state: (batch, filters * memory), out: (batch, filters // rank)}
    if bias is not None:
        expected[bias] = (filters // rank,)
    for tensor, shape in expected.items():
        if tensor.shape != shape:
            raise ModelError(f"'{tensor.name}' has shape {list(tensor.shape)}, "
                             f"expected {list(shape)}")
    _check_svdf_types(x, weights_feature, weights_time, bias, state, out)
    # TFLite Micro's integer kernel applies no fused activation (its output is only
    # saturated to int8); its float kernel does.
    activation = (_activation(options.fused_activation_function) if x.dtype == "f32"
                  else "NONE")
    ctx.emit("svdf", [x, weights_feature, weights_time, bias], rank=rank, activation=activation,
             state_dtype=state.dtype, state_quant=state.quant)


def _shape_2d(tensor: Tensor) -> tuple[int, int]:
    if len(tensor.shape) != 2:
        raise ModelError(f"'{tensor.name}' has shape {list(tensor.shape)}, expected 2-D")
    return tensor.shape


def _check_svdf_types(x, weights_feature, weights_time, bias, state, out) -> None:
    if x.dtype == "f32":
        for tensor in (weights_feature, weights_time, bias, state, out):
            if tensor is not None and tensor.dtype != "f32":
                raise ModelError(f"float SVDF with {tensor.dtype} tensor '{tensor.name}' "
                                 f"(hybrid SVDF is not supported)")
        return
    types = {x: ("i8",), weights_feature: ("i8",), weights_time: ("i16", "i8"),
             state: (weights_time.dtype,), out: ("i8",)}
    if bias is not None:
        types[bias] = ("i32",)
    for tensor, allowed in types.items():
        if tensor.dtype not in allowed:
            raise ModelError(f"'{tensor.name}' is {tensor.dtype}, expected {' or '.join(allowed)}")
    _require_quantized(x, weights_feature, weights_time, state, out)
    for tensor in (x, weights_feature, weights_time, state, out):
        if tensor.quant.per_channel:
            raise ModelError(f"'{tensor.name}' is quantised per channel")
    for weights in (weights_feature, weights_time):
        if weights.zero_point() != 0:
            raise ModelError(f"weights '{weights.name}' have a non-zero zero point")
    if state.dtype == "i16" and state.zero_point() != 0:
        raise ModelError(f"int16 state '{state.name}' has a non-zero zero point")


# UNIDIRECTIONAL_SEQUENCE_LSTM's operands: the gate tensors (input, forget, cell, output
# gate each), the state variables, and the optional ones of the variants pex refuses.
_LSTM_INPUT_WEIGHTS, _LSTM_RECURRENT_WEIGHTS = (1, 2, 3, 4), (5, 6, 7, 8)
_LSTM_BIASES = (12, 13, 14, 15)
_LSTM_OUTPUT_STATE, _LSTM_CELL_STATE = 18, 19
_LSTM_VARIANTS = {9: "peephole", 10: "peephole", 11: "peephole", 16: "projection",
                  17: "projection", 20: "layer normalisation", 21: "layer normalisation",
                  22: "layer normalisation", 23: "layer normalisation"}
_LSTM_ACTIVATIONS = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH"}


def unidirectional_sequence_lstm(ctx) -> None:
    """Float, or TFLite's int8 form (int8 activations and weights, int32 biases, an int16
    cell state), without CIFG, peepholes, projection or layer normalisation (as TFLite
    Micro's kernel); h and c are kept between runs as TFLite Micro keeps its variable
    tensors (reset: zero, an int8 h its zero point)."""
    x, out = ctx.input(0), ctx.output
    options = ctx.options(schema.UnidirectionalSequenceLSTMOptions)
    if x.dtype not in ("f32", "i8"):
        raise ModelError(f"{x.dtype} input '{x.name}' is not supported, only float and int8 "
                         f"(TFLite's 16x8 LSTM is not imported)")
    if ctx.optional_input(1) is None or ctx.optional_input(5) is None:
        raise ModelError("CIFG (no input gate) is not supported")
    for position, variant in _LSTM_VARIANTS.items():
        if ctx.optional_input(position) is not None:
            raise ModelError(f"{variant} is not supported")
    if options.fused_activation_function not in _LSTM_ACTIVATIONS:
        raise ModelError(f"activation {options.fused_activation_function} is not supported")
    if len(x.shape) != 3:
        raise ModelError(f"input '{x.name}' has shape {list(x.shape)}, expected 3-D")
    time_major = bool(options.time_major)
    batch = x.shape[1] if time_major else x.shape[0]
    depth = x.shape[2]
    units = _shape_2d(ctx.input(_LSTM_INPUT_WEIGHTS[0]))[0]
    expected = {}
    for position in _LSTM_INPUT_WEIGHTS + _LSTM_RECURRENT_WEIGHTS + _LSTM_BIASES:
        tensor = ctx.input(position)
        if not tensor.is_constant:
            raise ModelError(f"'{tensor.name}' is not constant")
        expected[tensor] = ((units, depth) if position in _LSTM_INPUT_WEIGHTS else
                            (units, units) if position in _LSTM_RECURRENT_WEIGHTS else (units,))
    for position in (_LSTM_OUTPUT_STATE, _LSTM_CELL_STATE):
        state = ctx.input(position)
        if not ctx.is_variable(position) or state.is_constant:
            raise ModelError(f"state '{state.name}' is not a variable tensor")
        expected[state] = (batch, units)
    expected[out] = x.shape[:2] + (units,)
    for tensor, shape in expected.items():
        if tensor.shape != shape:
            raise ModelError(f"'{tensor.name}' has shape {list(tensor.shape)}, "
                             f"expected {list(shape)}")
    activation = _LSTM_ACTIVATIONS[options.fused_activation_function]
    attrs = {}
    if x.dtype == "f32":
        for tensor in expected:
            if tensor.dtype != "f32":
                raise ModelError(f"float LSTM with {tensor.dtype} tensor '{tensor.name}' "
                                 f"(hybrid LSTM is not supported)")
    else:
        attrs = _lstm_int8_attributes(ctx, activation)
    gates = [ctx.input(p) for p in _LSTM_INPUT_WEIGHTS + _LSTM_RECURRENT_WEIGHTS + _LSTM_BIASES]
    ctx.emit("lstm", [x, *gates], time_major=time_major, activation=activation,
             cell_clip=float(options.cell_clip), kept_state=True, **attrs)


def _lstm_int8_attributes(ctx, activation: str) -> dict:
    """The types and quantisations TFLite Micro's integer kernel takes (it checks the
    types; the rest is what its arithmetic assumes): the states' quantisation for the
    lowering."""
    x, out = ctx.input(0), ctx.output
    hidden, cell = ctx.input(_LSTM_OUTPUT_STATE), ctx.input(_LSTM_CELL_STATE)
    weights = [ctx.input(p) for p in _LSTM_INPUT_WEIGHTS + _LSTM_RECURRENT_WEIGHTS]
    biases = [ctx.input(p) for p in _LSTM_BIASES]
    if activation != "TANH":
        raise ModelError(f"int8 LSTM with activation {activation}: TFLite Micro's integer "
                         f"kernel computes only TANH")
    types = {x: "i8", out: "i8", hidden: "i8", cell: "i16",
             **dict.fromkeys(weights, "i8"), **dict.fromkeys(biases, "i32")}
    for tensor, dtype in types.items():
        if tensor.dtype != dtype:
            raise ModelError(f"int8 LSTM with {tensor.dtype} tensor '{tensor.name}', expected "
                             f"{dtype} (TFLite's 8x8_16 form: int16 cell state, int32 biases)")
    _require_quantized(x, out, hidden, cell, *weights)
    for tensor in (x, out, hidden, cell, *weights):
        if tensor.quant.per_channel:
            raise ModelError(f"'{tensor.name}' is quantised per channel")
    for tensor in weights + [cell]:
        if tensor.zero_point() != 0:
            raise ModelError(f"'{tensor.name}' has a non-zero zero point (TFLite Micro's "
                             f"integer LSTM takes it symmetric)")
    power = cell_state_scale_power(cell.scale())
    if power > 2:
        raise ModelError(f"cell state '{cell.name}' has scale {cell.scale():g}; the int16 "
                         f"tanh's input shift overflows above 4")
    return {"hidden_quant": hidden.quant, "cell_scale": float(cell.scale())}


def quantize(ctx) -> None:
    x = ctx.input(0)
    _require_quantized(x, ctx.output)
    if ctx.output.quant.per_channel:
        raise ModelError("only quantisation to per-tensor int8 or int16 is supported")
    for what, tensor in (("input", x), ("output", ctx.output)):
        if tensor.dtype == "i16" and (tensor.quant.per_channel or tensor.zero_point() != 0):
            raise ModelError(f"int16 {what} '{tensor.name}' is not symmetric per-tensor (zero "
                             f"point 0)")
    ctx.emit("quantize", [x])


def dequantize(ctx) -> None:
    x = ctx.input(0)
    _require_quantized(x)
    if x.is_constant:  # weights stored quantised in a float model: fold
        ctx.alias_output(Tensor(ctx.output.name, x.shape, "f32", None,
                                _dequantized(x).data))
        return
    ctx.emit("dequantize", [x])


def _elementwise(kind: str, options_cls=None):
    """A broadcasting binary op; `options_cls` holds its fused activation, if it has one."""
    def convert(ctx) -> None:
        a, b = ctx.input(0), ctx.input(1)
        _require_quantized(a, b, ctx.output)
        rank = len(ctx.output.shape)
        attrs = {}
        if options_cls is not None:
            attrs["activation"] = _activation(ctx.options(options_cls).fused_activation_function)
        ctx.emit(kind, [_with_rank(ctx, a, rank), _with_rank(ctx, b, rank)], **attrs)
    return convert


def _comparison(predicate: str, swapped: bool = False):
    """EQUAL ... LESS_EQUAL: LESS (LESS_EQUAL) is GREATER (GREATER_EQUAL) of the operands
    swapped."""
    def convert(ctx) -> None:
        a, b = ctx.input(0), ctx.input(1)
        _require_quantized(a, b)
        if a.dtype != b.dtype or a.dtype not in ("f32", "i8"):
            raise ModelError(f"{a.dtype} and {b.dtype} operands are not supported (float or "
                             f"int8)")
        if ctx.output.dtype != "i1":
            raise ModelError(f"{ctx.output.dtype} result, expected BOOL")
        rank = len(ctx.output.shape)
        operands = [_with_rank(ctx, a, rank), _with_rank(ctx, b, rank)]
        ctx.emit("compare", operands[::-1] if swapped else operands, predicate=predicate)
    return convert


def _logical(kind: str):
    def convert(ctx) -> None:
        inputs = [ctx.input(i) for i in range(len(ctx.input_indices))]
        if any(t.dtype != "i1" for t in inputs + [ctx.output]):
            raise ModelError("operands and result must be BOOL")
        rank = len(ctx.output.shape)
        ctx.emit(kind, [_with_rank(ctx, t, rank) for t in inputs])
    return convert


def select_v2(ctx) -> None:
    """condition ? x : y, broadcasting; int8 values are selected as stored, so x, y and
    the output must share one quantisation."""
    condition, x, y, out = ctx.input(0), ctx.input(1), ctx.input(2), ctx.output
    _require_quantized(x, y, out)
    if condition.dtype != "i1":
        raise ModelError(f"condition '{condition.name}' is {condition.dtype}, expected BOOL")
    if not x.dtype == y.dtype == out.dtype:
        raise ModelError(f"{x.dtype} and {y.dtype} values for a {out.dtype} result")
    if out.quant is not None and not (same_quantization(x, out) and same_quantization(y, out)):
        raise ModelError("x, y and the output are quantised differently")
    rank = len(out.shape)
    ctx.emit("select", [_with_rank(ctx, t, rank) for t in (condition, x, y)])


def prelu(ctx) -> None:
    x, alpha = ctx.input(0), ctx.input(1)
    _require_quantized(x, alpha, ctx.output)
    if not alpha.is_constant:
        raise ModelError(f"alpha '{alpha.name}' is not constant")
    if alpha.quant is not None and alpha.quant.per_channel:
        raise ModelError(f"alpha '{alpha.name}' is quantised per channel")
    ctx.emit("prelu", [x, _with_rank(ctx, alpha, len(x.shape))])


def cast(ctx) -> None:
    """Value conversions: integer to integer (wrapping) and integer to float. TFLite
    truncates float to integer, which TOSA's cast (rounding) cannot spell."""
    x, out = ctx.input(0), ctx.output
    if x.dtype == "f32" and out.dtype != "f32":
        raise ModelError(f"cast from float to {out.dtype} is not supported (TFLite truncates, "
                         f"TOSA rounds)")
    ctx.emit("cast", [x])


def _arg(kind: str):
    def convert(ctx) -> None:
        x = ctx.input(0)
        axis = _axis(int(np.asarray(ctx.constant_input(1)).reshape(-1)[0]), len(x.shape))
        if ctx.output.dtype != "i32":
            raise ModelError(f"{ctx.output.dtype} indices are not supported, only i32")
        ctx.emit(kind, [x], axis=axis)
    return convert


def _reduction(kind: str):
    def convert(ctx) -> None:
        x = ctx.input(0)
        _require_quantized(x, ctx.output)
        axes = sorted({_axis(int(a), len(x.shape)) for a in np.atleast_1d(ctx.constant_input(1))})
        keep_dims = bool(ctx.options(schema.ReducerOptions).keep_dims)
        ctx.emit(kind, [x], axes=tuple(axes), keep_dims=keep_dims)
    return convert


def _resize(kind: str, options_cls):
    def convert(ctx) -> None:
        x = ctx.input(0)
        _require_quantized(x, ctx.output)
        size = np.atleast_1d(ctx.constant_input(1)).astype(np.int64).tolist()
        n, height, width, channels = _nhwc(x)
        if len(size) != 2 or ctx.output.shape != (n, size[0], size[1], channels):
            raise ModelError(f"size {size} does not give the output's shape "
                             f"{list(ctx.output.shape)}")
        options = ctx.options(options_cls)
        align, half = bool(options.align_corners), bool(options.half_pixel_centers)
        maps = resize_maps.nearest if kind == "nearest" else (
            resize_maps.bilinear_int8 if x.dtype == "i8" else resize_maps.bilinear)
        ctx.emit("resize", [x], mode=kind, rows=maps(height, size[0], align, half),
                 columns=maps(width, size[1], align, half))
    return convert


def _nhwc(x: Tensor) -> tuple:
    if len(x.shape) != 4:
        raise ModelError(f"input '{x.name}' has rank {len(x.shape)}, expected 4 (NHWC)")
    return x.shape


def log_softmax(ctx) -> None:
    """int8 as TFLite Micro's kernel, whose output steps by 1/16 from 0 down (scale
    16/256, zero point 127), over rows of at most 4096 values (its Q12 sum of exps)."""
    x, out = ctx.input(0), ctx.output
    _require_quantized(x, out)
    if x.dtype not in ("f32", "i8"):
        raise ModelError(f"{x.dtype} is not supported, only float and int8")
    if x.dtype == "i8":
        if (np.float32(out.scale()), out.zero_point()) != (np.float32(16 / 256), 127):
            raise ModelError(f"int8 output '{out.name}' quantised ({out.scale():g}, "
                             f"{out.zero_point()}); TFLite Micro's LOG_SOFTMAX gives "
                             f"16/256, 127")
        if x.shape[-1] > 4096:
            raise ModelError(f"rows of {x.shape[-1]} values; TFLite Micro's Q12 sum of exps "
                             f"holds 4096")
        if log_softmax_int8_parameters(x.scale())["reverse_shift"] > 0:
            raise ModelError(f"int8 input '{x.name}' has scale {x.scale():g}; TFLite Micro's "
                             f"reverse scaling of the log would overflow int32")
    ctx.emit("log_softmax", [x])


def l2_normalization(ctx) -> None:
    """int8 as TFLite Micro's kernel, whose output is Q0.7 (scale 1/128, zero point 0)."""
    x, out = ctx.input(0), ctx.output
    _require_quantized(x, out)
    if x.dtype not in ("f32", "i8"):
        raise ModelError(f"{x.dtype} is not supported, only float and int8")
    if out.dtype == "i8" and (np.float32(out.scale()), out.zero_point()) != \
            (np.float32(1 / 128), 0):
        raise ModelError(f"int8 output '{out.name}' quantised ({out.scale()}, "
                         f"{out.zero_point()}); TFLite Micro's L2_NORMALIZATION gives 1/128, 0")
    if ctx.options(schema.L2NormOptions).fused_activation_function:
        raise ModelError("a fused activation is not supported")
    ctx.emit("l2_normalization", [x])


_CODES = schema.BUILTIN_OPERATOR_CODES
CONVERTERS = {
    _CODES["CONV_2D"]: _convolution(depthwise=False),
    _CODES["DEPTHWISE_CONV_2D"]: _convolution(depthwise=True),
    _CODES["FULLY_CONNECTED"]: fully_connected,
    _CODES["TRANSPOSE_CONV"]: transpose_conv,
    _CODES["BATCH_MATMUL"]: batch_matmul,
    _CODES["ADD_N"]: add_n,
    _CODES["EQUAL"]: _comparison("equal"),
    _CODES["NOT_EQUAL"]: _comparison("not_equal"),
    _CODES["GREATER"]: _comparison("greater"),
    _CODES["GREATER_EQUAL"]: _comparison("greater_equal"),
    _CODES["LESS"]: _comparison("greater", swapped=True),
    _CODES["LESS_EQUAL"]: _comparison("greater_equal", swapped=True),
    _CODES["LOGICAL_AND"]: _logical("logical_and"),
    _CODES["LOGICAL_OR"]: _logical("logical_or"),
    _CODES["LOGICAL_NOT"]: _logical("logical_not"),
    _CODES["SELECT_V2"]: select_v2,
    _CODES["L2_POOL_2D"]: l2_pool_2d,
    _CODES["REVERSE_V2"]: movement.reverse_v2,
    _CODES["ADD"]: _binary("add", schema.AddOptions),
    _CODES["MUL"]: _binary("mul", schema.MulOptions),
    _CODES["AVERAGE_POOL_2D"]: _pool("avg_pool2d"),
    _CODES["MAX_POOL_2D"]: _pool("max_pool2d"),
    _CODES["MEAN"]: mean,
    _CODES["PAD"]: pad,
    _CODES["PADV2"]: pad_v2,
    _CODES["RESHAPE"]: reshape,
    _CODES["SQUEEZE"]: reshape,
    _CODES["TRANSPOSE"]: transpose,
    _CODES["CONCATENATION"]: concatenation,
    _CODES["SOFTMAX"]: softmax,
    _CODES["LOGISTIC"]: logistic,
    _CODES["RELU"]: _unary("relu"),
    _CODES["RELU6"]: _unary("relu6"),
    _CODES["RELU_N1_TO_1"]: _unary("relu_n1_to_1"),
    _CODES["LEAKY_RELU"]: leaky_relu,
    _CODES["QUANTIZE"]: quantize,
    _CODES["SVDF"]: svdf,
    _CODES["UNIDIRECTIONAL_SEQUENCE_LSTM"]: unidirectional_sequence_lstm,
    _CODES["DEQUANTIZE"]: dequantize,
    _CODES["SUB"]: _elementwise("sub", schema.SubOptions),
    _CODES["DIV"]: _elementwise("div", schema.DivOptions),
    _CODES["MAXIMUM"]: _elementwise("maximum"),
    _CODES["MINIMUM"]: _elementwise("minimum"),
    _CODES["SQUARED_DIFFERENCE"]: _elementwise("squared_difference"),
    _CODES["HARD_SWISH"]: _unary("hard_swish"),
    _CODES["ABS"]: _unary("abs"),
    _CODES["RSQRT"]: _unary("rsqrt"),
    _CODES["NEG"]: _unary("neg"),
    _CODES["EXP"]: _unary("exp"),
    _CODES["LOG"]: _unary("log"),
    _CODES["SQRT"]: _unary("sqrt"),
    _CODES["TANH"]: tanh,
    _CODES["ELU"]: _unary("elu"),
    _CODES["GELU"]: gelu,
    _CODES["SQUARE"]: _unary("square"),
    _CODES["FLOOR"]: _unary("floor"),
    _CODES["CEIL"]: _unary("ceil"),
    _CODES["ROUND"]: _unary("round"),
    _CODES["SIN"]: _unary("sin"),
    _CODES["COS"]: _unary("cos"),
    _CODES["PRELU"]: prelu,
    _CODES["CAST"]: cast,
    _CODES["ARG_MAX"]: _arg("argmax"),
    _CODES["ARG_MIN"]: _arg("argmin"),
    _CODES["REDUCE_MAX"]: _reduction("reduce_max"),
    _CODES["REDUCE_MIN"]: _reduction("reduce_min"),
    _CODES["SUM"]: _reduction("reduce_sum"),
    _CODES["RESIZE_NEAREST_NEIGHBOR"]: _resize("nearest", schema.ResizeNearestNeighborOptions),
    _CODES["RESIZE_BILINEAR"]: _resize("bilinear", schema.ResizeBilinearOptions),
    _CODES["LOG_SOFTMAX"]: log_softmax,
    _CODES["L2_NORMALIZATION"]: l2_normalization,
    _CODES["STRIDED_SLICE"]: movement.strided_slice,
    _CODES["SLICE"]: movement.slice_,
    _CODES["SPLIT"]: movement.split,
    _CODES["SPLIT_V"]: movement.split_v,
    _CODES["UNPACK"]: movement.unpack,
    _CODES["PACK"]: movement.pack,
    _CODES["EXPAND_DIMS"]: movement.expand_dims,
    _CODES["GATHER"]: movement.gather,
    _CODES["EMBEDDING_LOOKUP"]: movement.embedding_lookup,
    _CODES["MIRROR_PAD"]: movement.mirror_pad,
    _CODES["DEPTH_TO_SPACE"]: movement.depth_to_space,
    _CODES["SPACE_TO_DEPTH"]: movement.space_to_depth,
}
