"""Conv, ConvTranspose, BatchNormalization, Gemm and MatMul (float; `quantized` calls the
shared helpers for int8)."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Quantization, Tensor
from pex.importers.onnx import lines
from pex.importers.onnx.layout import Activation, compact_transpose
from pex.importers.onnx.window import spatial_window
from pex.tosa.convolution import is_one_convolution


def weights_tensor(name: str, data: np.ndarray, quant: Quantization | None) -> Tensor:
    data = np.ascontiguousarray(data)
    return Tensor(name, data.shape, "i8" if quant is not None else "f32", quant, data)


def _sliced_quant(quant: Quantization | None, start: int, stop: int) -> Quantization | None:
    if quant is None or quant.scale.size == 1:
        return quant
    return Quantization(quant.scale[start:stop], quant.zero_point[start:stop], quant.axis)


def _accumulator_and_bias(x: Tensor, bias: np.ndarray | None, channels: int,
                          name: str) -> tuple[str, Tensor]:
    """A convolution's accumulator type (i32 for int8, else f32) and its bias in it (zeros
    when there is none)."""
    acc = "i32" if x.dtype == "i8" else "f32"
    values = np.zeros(channels) if bias is None else bias
    values = values.astype(np.int32 if acc == "i32" else np.float32)
    return acc, Tensor(f"{name}/bias", values.shape, acc, None, values)


def unfinished(acc: Tensor, name: str | None, channels: np.ndarray | None) -> Tensor:
    """A convolution's result is its accumulator (float; int8 requantised later)."""
    return acc


def convolve(r, x: Tensor, weights: np.ndarray, quant: Quantization | None,
             bias: np.ndarray | None, attrs: dict, name: str, finish=unfinished) -> Tensor:
    """ONNX Conv of NHWC `x` with OIHW `weights` (float, or int8 with zero points 0 and
    `quant`'s scales per output channel): f32, or for int8 the i32 accumulator with the
    bias (i32, in units of input x weight scale) added, made a result by
    `finish(acc, name, channels)`: `acc` holds the output channels `channels` (None: all),
    `name` names the result (None: the convolution's). The int8 path requantises there:
    a convolution of groups of unequal widths joins its groups' int8 results, no int32
    tensor."""
    batch, height, width, channels = x.shape
    if weights.ndim != 4:
        raise ModelError(f"weights of shape {list(weights.shape)}; 2-D convolutions take "
                         f"4-D weights")
    out_channels, group_channels, kh, kw = weights.shape
    if bias is not None and bias.shape != (out_channels,):
        raise ModelError(f"bias of shape {list(bias.shape)} for {out_channels} output "
                         f"channels")
    group = attrs.get("group", 1)
    if group < 1 or group_channels * group != channels or out_channels % group:
        raise ModelError(f"{group} groups of {group_channels} input channels do not fit an "
                         f"input of {channels} channels and {out_channels} outputs")
    window = spatial_window(height, width, attrs, (kh, kw))
    out_shape = (batch, *window.pop("out"), out_channels)
    acc, bias_tensor = _accumulator_and_bias(x, bias, out_channels, name)
    group_out = out_channels // group
    # One conv2d, grouped when its weights take a group's channels (TFLite's form);
    # depthwise and groups of unequal widths apart (the latter requantised per group).
    if group == 1 or (group_channels > 1 and
                      is_one_convolution(channels, group_channels, out_channels)):
        kernel = weights_tensor(f"{name}/weights", weights.transpose(0, 2, 3, 1), quant)
        return finish(r.emit("conv2d", [x, kernel, bias_tensor], out_shape, acc, name=name,
                             activation="NONE", **window), None, None)
    if group_channels == 1:  # depthwise: output channel c * M + m  ->  [KH, KW, C, M]
        multiplier = out_channels // channels
        kernel = weights_tensor(f"{name}/weights", weights.reshape(
            channels, multiplier, kh, kw).transpose(2, 3, 0, 1), quant)
        return finish(r.emit("depthwise_conv2d", [x, kernel, bias_tensor], out_shape, acc,
                             name=name, activation="NONE", **window), None, None)
    # Groups of unequal widths: one convolution per group of channels, joined along
    # the channels.
    parts = []
    for g in range(group):
        part_in = r.emit("slice", [x], (batch, height, width, group_channels), like=x,
                         name=f"{name}/group{g}/input", begin=(0, 0, 0, g * group_channels),
                         size=(batch, height, width, group_channels))
        rows = slice(g * group_out, (g + 1) * group_out)
        kernel = weights_tensor(f"{name}/group{g}/weights",
                                weights[rows].transpose(0, 2, 3, 1),
                                _sliced_quant(quant, rows.start, rows.stop))
        part_bias = Tensor(f"{name}/group{g}/bias", (group_out,), acc, None,
                           bias_tensor.data[rows])
        part = r.emit("conv2d", [part_in, kernel, part_bias], out_shape[:3] + (group_out,),
                      acc, name=f"{name}/group{g}", activation="NONE", **window)
        parts.append(finish(part, f"{name}/group{g}/result", np.arange(rows.start, rows.stop)))
    return r.emit("concat", parts, out_shape, like=parts[0], name=name, axis=3,
                  activation="NONE")


def dilate_input(r, x: Tensor, strides, name: str) -> Tensor:
    """x with stride - 1 zeros (real zeros: the zero point for int8) between rows and
    columns, as a transposed convolution reads it."""
    batch, height, width, channels = x.shape
    sh, sw = strides
    if sh > 1:
        rows = r.emit("reshape", [x], (batch * height, 1, width * channels), like=x,
                      name=f"{name}/rows")
        rows = r.emit("pad", [rows], (batch * height, sh, width * channels), like=x,
                      name=f"{name}/rows/padded", pads=((0, 0), (0, sh - 1), (0, 0)))
        rows = r.emit("reshape", [rows], (batch, height * sh, width, channels), like=x,
                      name=f"{name}/rows/spread")
        height = (height - 1) * sh + 1
        x = r.emit("slice", [rows], (batch, height, width, channels), like=x,
                   name=f"{name}/rows/dilated", begin=(0, 0, 0, 0),
                   size=(batch, height, width, channels))
    if sw > 1:
        columns = r.emit("reshape", [x], (batch * height * width, 1, channels), like=x,
                         name=f"{name}/columns")
        columns = r.emit("pad", [columns], (batch * height * width, sw, channels), like=x,
                         name=f"{name}/columns/padded", pads=((0, 0), (0, sw - 1), (0, 0)))
        columns = r.emit("reshape", [columns], (batch, height, width * sw, channels), like=x,
                         name=f"{name}/columns/spread")
        width = (width - 1) * sw + 1
        x = r.emit("slice", [columns], (batch, height, width, channels), like=x,
                   name=f"{name}/dilated", begin=(0, 0, 0, 0),
                   size=(batch, height, width, channels))
    return x


def transposed_convolve(r, x: Tensor, weights: np.ndarray, quant: Quantization | None,
                        bias: np.ndarray | None, attrs: dict, name: str,
                        finish=unfinished) -> Tensor:
    """ConvTranspose: a `transpose_conv2d` (output row o = stride i + k - top); grouped
    (TOSA's transpose_conv2d has no groups) or with dilations, a convolution (stride 1, the
    kernel flipped, inputs and outputs swapped) of the input with stride - 1 zeros
    inserted, padded by d (k - 1) - pads, or, grouped with large strides or pads larger
    than the kernel, one convolution computing every output phase (`_phases_pay_off`).
    `finish` as `convolve`'s; the phases are requantised before they are interleaved."""
    auto_pad = attrs.get("auto_pad", b"NOTSET")
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad
    if auto_pad not in ("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"):
        raise ModelError(f"ConvTranspose with auto_pad {auto_pad} is not supported")
    if any(len(attrs.get(name, ())) not in (0, size) for name, size in
           (("strides", 2), ("dilations", 2), ("pads", 4), ("output_padding", 2))) or \
            len(attrs.get("output_shape", ())) not in (0, 2, 4):  # spatial, or N C H W
        raise ModelError("only 2-D windows are supported")
    group = attrs.get("group", 1)
    if weights.ndim != 4 or group < 1 or weights.shape[0] != x.shape[3] or \
            x.shape[3] % group:
        raise ModelError(f"ConvTranspose weights of shape {list(weights.shape)} in {group} "
                         f"groups do not fit an input of {x.shape[3]} channels")
    kh, kw = weights.shape[2:]
    strides = tuple(attrs.get("strides", (1, 1)))
    dilation = tuple(attrs.get("dilations", (1, 1)))
    extra_h, extra_w = attrs.get("output_padding", (0, 0))
    if "output_shape" in attrs or auto_pad.startswith("SAME"):
        # ONNX's pads for the requested size (SAME: input x stride): the difference to the
        # full result split in halves, the larger one at the end for SAME_UPPER, at the
        # start otherwise; negative halves add zero rows or columns.
        full = [s * (n - 1) + extra + d * (k - 1) + 1 for s, n, extra, d, k in
                zip(strides, x.shape[1:3], (extra_h, extra_w), dilation, (kh, kw))]
        sizes = list(attrs.get("output_shape", [n * s for n, s in zip(x.shape[1:3], strides)]))[-2:]
        totals = [f - int(size) for f, size in zip(full, sizes)]
        halves = [(t // 2, t - t // 2) if auto_pad == "SAME_UPPER" else (t - t // 2, t // 2)
                  for t in totals]
        (top, bottom), (left, right) = halves
    elif auto_pad == "NOTSET":
        top, left, bottom, right = attrs.get("pads", (0, 0, 0, 0))
    else:
        top, left, bottom, right = 0, 0, 0, 0
    before, after = (top, left), (bottom - extra_h, right - extra_w)
    if dilation == (1, 1) and group == 1:
        return finish(_transpose_conv2d(r, x, weights, quant, bias, strides, before, after,
                                        name), None, None)
    conv_weights = _as_conv_weights(weights, group)
    pad = [dilation[0] * (kh - 1) - top, dilation[0] * (kh - 1) - bottom + extra_h,
           dilation[1] * (kw - 1) - left, dilation[1] * (kw - 1) - right + extra_w]
    if dilation == (1, 1) and (min(pad) < 0 or _phases_pay_off(x.shape, (kh, kw), strides,
                                                               before, after)):
        return _transposed_by_phases(r, x, conv_weights, quant, bias, strides, before, after,
                                     group, name, finish)
    if min(pad) < 0:
        raise ModelError(f"dilated ConvTranspose pads {[top, left, bottom, right]} crop more "
                         f"than the dilated kernel spans ({dilation[0] * (kh - 1)} rows, "
                         f"{dilation[1] * (kw - 1)} columns); not supported")
    spread = dilate_input(r, x, strides, name)
    kernel_attrs = dict(strides=(1, 1), dilations=dilation, group=group,
                        pads=(pad[0], pad[2], pad[1], pad[3]))
    return convolve(r, spread, conv_weights[:, :, ::-1, ::-1], quant, bias, kernel_attrs,
                    name, finish)


def _phases_pay_off(shape, kernel, strides, before, after) -> bool:
    """Whether a grouped transposed convolution is computed by phases rather than over
    the zero-inserted input. The zero-inserted form is channel-local (a depthwise one runs
    in channel slices with its neighbours, so its zero-inserted input never exists whole)
    but multiplies every tap, mostly by inserted zeros; the phases' depth-to-space
    transpose holds the output twice. Phases when the zero-inserted form would do more
    than four times their MACs (large strides: a 4x4 kernel of stride 2 stays
    zero-inserted, 8x8 of stride 4 does not)."""
    phase_macs = zero_inserted_macs = 1
    for axis in range(2):
        size, k, stride = shape[1 + axis], kernel[axis], strides[axis]
        taps = -(-k // stride)
        phase_macs *= (size + taps - 1) * stride * taps
        zero_inserted_macs *= (stride * (size - 1) + k - before[axis] - after[axis]) * k
    return zero_inserted_macs > 4 * phase_macs


def _as_conv_weights(weights: np.ndarray, group: int) -> np.ndarray:
    """ConvTranspose's [I, O / group, KH, KW] weights as a Conv's [O, I / group, KH, KW]
    (the same taps, not flipped)."""
    channels_in, group_out, kh, kw = weights.shape
    grouped = weights.reshape(group, channels_in // group, group_out, kh, kw)
    return grouped.transpose(0, 2, 1, 3, 4).reshape(group * group_out, channels_in // group,
                                                     kh, kw)


def _transposed_by_phases(r, x: Tensor, weights: np.ndarray, quant: Quantization | None,
                          bias: np.ndarray | None, strides, before, after, group: int,
                          name: str, finish) -> Tensor:
    """A transposed convolution with Conv's [O, I / group, KH, KW] `weights` as one
    stride-1 convolution of the input computing every output phase: full-result row
    s q + p sums x[q - t] w[p + s t] over t, a correlation with every s-th tap from p,
    flipped, padded by taps - 1 on both sides; output channel (o, p_h, p_w) of the
    convolution is phase (p_h, p_w) of channel o (a depthwise one stays depthwise, its
    multiplier s_h s_w times larger). Only taps past the kernel's end (to a multiple of
    the stride) multiply zeros. A depth-to-space transpose interleaves the phases; a slice
    cuts the output."""
    batch, height, width, _ = x.shape
    channels_out, group_in, kh, kw = weights.shape
    sh, sw = strides
    out_h = sh * (height - 1) + kh - before[0] - after[0]
    out_w = sw * (width - 1) + kw - before[1] - after[1]
    if min(out_h, out_w) < 1:
        raise ModelError(f"ConvTranspose pads leave an empty output "
                         f"{[batch, out_h, out_w, channels_out]}")
    taps_h, taps_w = -(-kh // sh), -(-kw // sw)
    padded = np.zeros((channels_out, group_in, taps_h * sh, taps_w * sw), weights.dtype)
    padded[:, :, :kh, :kw] = weights
    phases = padded.reshape(channels_out, group_in, taps_h, sh, taps_w, sw)
    phases = phases.transpose(0, 3, 5, 1, 2, 4)[..., ::-1, ::-1].reshape(
        channels_out * sh * sw, group_in, taps_h, taps_w)
    phase_count = sh * sw
    if quant is not None and quant.scale.size > 1:
        quant = Quantization(np.repeat(quant.scale, phase_count),
                             np.repeat(quant.zero_point, phase_count), quant.axis)
    # Output rows of bias alone around the full result (negative pads): more padding,
    # each padded input row giving a stride of them.
    lead_h, lead_w = max(0, -(before[0] // sh)), max(0, -(before[1] // sw))
    top, left = before[0] + lead_h * sh, before[1] + lead_w * sw
    rows = height + taps_h - 1 + lead_h
    columns = width + taps_w - 1 + lead_w
    trail_h = max(0, -(-(top + out_h) // sh) - rows)
    trail_w = max(0, -(-(left + out_w) // sw) - columns)
    rows, columns = rows + trail_h, columns + trail_w
    attrs = dict(strides=(1, 1), group=group,
                 pads=(taps_h - 1 + lead_h, taps_w - 1 + lead_w, taps_h - 1 + trail_h,
                       taps_w - 1 + trail_w))
    acc = convolve(r, x, phases, quant, None if bias is None else np.repeat(bias, phase_count),
                   attrs, f"{name}/phases")
    full = finish(acc, f"{name}/phases/result",
                  np.repeat(np.arange(channels_out), phase_count))
    if phase_count > 1:
        split = (batch, rows, columns, channels_out, sh, sw)
        merged_shape, perm = compact_transpose(split, (0, 1, 4, 2, 5, 3))
        merged = r.emit("reshape", [full], merged_shape, like=full,
                        name=f"{name}/phases/split")
        moved = r.emit("transpose", [merged], tuple(merged_shape[p] for p in perm),
                       like=full, name=f"{name}/interleaved", perm=perm)
        full = r.emit("reshape", [moved], (batch, rows * sh, columns * sw, channels_out),
                      like=full, name=f"{name}/full")
    out_shape = (batch, out_h, out_w, channels_out)
    if full.shape == out_shape:
        return full
    return r.emit("slice", [full], out_shape, like=full, name=name,
                  begin=(0, top, left, 0), size=out_shape)


def _transpose_conv2d(r, x: Tensor, weights: np.ndarray, quant: Quantization | None,
                      bias: np.ndarray | None, strides, before, after, name: str) -> Tensor:
    """The graph's transpose_conv2d of NHWC `x` with ONNX's [I, O, KH, KW] `weights`,
    `before` rows and columns (top, left) cut from the full result and `after` from its
    end (negative: rows of the bias alone added)."""
    batch, height, width, _ = x.shape
    channels_out, kh, kw = weights.shape[1:]
    out_shape = (batch, strides[0] * (height - 1) + kh - before[0] - after[0],
                 strides[1] * (width - 1) + kw - before[1] - after[1], channels_out)
    if min(out_shape) < 1:
        raise ModelError(f"ConvTranspose pads leave an empty output {list(out_shape)}")
    acc, bias_tensor = _accumulator_and_bias(x, bias, channels_out, name)
    kernel = weights_tensor(f"{name}/weights", weights.transpose(1, 2, 3, 0), quant)
    return r.emit("transpose_conv2d", [x, kernel, bias_tensor], out_shape, acc, name=name,
                  stride=tuple(strides), pad=tuple(before), activation="NONE")


def fold_batch_norm(r, output: str, weights: np.ndarray, bias: np.ndarray):
    """When a float convolution's only consumer is a BatchNormalization, its scale and
    shift fold into the weights and bias (in double precision)."""
    from onnx import helper
    followers = r.consumers_of(output)
    if (len(followers) != 1 or followers[0].op_type != "BatchNormalization"
            or output in r.graph_outputs
            or not all(r.is_constant(n) for n in followers[0].input[1:5])):
        return weights, bias, output
    follower = followers[0]
    attrs = {a.name: helper.get_attribute_value(a) for a in follower.attribute}
    if _in_training_mode(r, follower, attrs):  # refused by the node itself
        return weights, bias, output
    scale, shift = batch_norm_affine(r, follower, attrs)
    weights = (weights * scale[:, None, None, None]).astype(np.float32)
    bias = (bias * scale + shift).astype(np.float32)
    r.skipped.add(follower.output[0])
    return weights, bias, follower.output[0]


def _in_training_mode(r, node, attrs) -> bool:
    """Normalising by the batch's statistics: training_mode from opset 14, before it the
    form with the statistics as outputs (PyTorch's export of a model in train())."""
    statistics_out = len([name for name in node.output if name]) > 1
    return bool(attrs.get("training_mode", 0)) or (r.opset < 14 and statistics_out)


def batch_norm_affine(r, node, attrs) -> tuple[np.ndarray, np.ndarray]:
    """BatchNormalization (inference) as x * scale + shift per channel, in double."""
    if _in_training_mode(r, node, attrs):
        raise ModelError("BatchNormalization in training mode (normalising by the batch's "
                         "statistics) is not supported; export the model in eval() mode")
    gamma, beta, mean, var = (r.constant(n, "parameter").astype(np.float64)
                              for n in node.input[1:5])
    scale = gamma / np.sqrt(var + attrs.get("epsilon", 1e-5))
    return scale, beta - mean * scale


def float_weights(r, name: str) -> np.ndarray:
    return r.constant(name, "weight").astype(np.float32)


def conv(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    image = lines.image(r, x)
    weights = lines.image_weights(float_weights(r, node.input[1]), x.rank)
    bias = r.optional_constant(node, 2, "bias")
    bias = np.zeros(weights.shape[0], np.float32) if bias is None else bias.astype(np.float32)
    weights, bias, output = fold_batch_norm(r, node.output[0], weights, bias)
    result = convolve(r, image, weights, None, bias, lines.image_attributes(attrs, x.rank),
                      output)
    r.define(output, *lines.from_image(r, result, x.rank))


def conv_transpose(r, node, attrs) -> None:
    x = r.float_activation(node.input[0])
    image = lines.image(r, x)
    weights = lines.image_weights(float_weights(r, node.input[1]), x.rank)
    bias = r.optional_constant(node, 2, "bias")
    bias = None if bias is None else bias.astype(np.float32)
    result = transposed_convolve(r, image, weights, None, bias,
                                 lines.image_attributes(attrs, x.rank), node.output[0])
    r.define(node.output[0], *lines.from_image(r, result, x.rank))


def batch_normalization(r, node, attrs) -> None:
    """Not after a convolution: a multiplication and an addition per channel (axis 1)."""
    from pex.importers.onnx.elementwise import binary
    x = r.float_activation(node.input[0])
    if x.rank < 2:
        raise ModelError(f"input of rank {x.rank}; BatchNormalization needs channels (axis 1)")
    scale, shift = batch_norm_affine(r, node, attrs)
    per_channel = (-1,) + (1,) * (x.rank - 2)
    scaled = binary(r, "mul", [x, scale.astype(np.float32).reshape(per_channel)],
                    f"{node.output[0]}/scaled", activation="NONE")
    r.alias(node.output[0], binary(r, "add", [scaled, shift.astype(np.float32).reshape(
        per_channel)], node.output[0], activation="NONE"))


def fully_connect(r, x: Activation, weights: np.ndarray, quant: Quantization | None,
                  bias: np.ndarray | None, name: str) -> tuple[Tensor, tuple]:
    """x's last ONNX axis times `weights` [M, K]. Returns the result held in x's layout
    (for int8 the i32 accumulator shaped [rows, 1, 1, M]) and that layout. x is read in a
    layout that keeps its last axis last (its own when it does, else ONNX's)."""
    units, depth = weights.shape
    if x.shape[-1] != depth:
        raise ModelError(f"an input of shape {list(x.shape)} times a [{depth}, {units}] matrix")
    last = x.rank - 1
    perm = x.perm if x.perm[-1] == last else tuple(range(x.rank))
    stored = r.stored(x, perm)
    acc = "i32" if stored.dtype == "i8" else "f32"
    if bias is None:
        bias = np.zeros(units)
    inputs = [stored, weights_tensor(f"{name}/weights", weights, quant),
              Tensor(f"{name}/bias", (units,), acc, None,
                     bias.astype(np.int32 if acc == "i32" else np.float32))]
    rows = stored.num_elements // depth
    shape = (rows, 1, 1, units) if acc == "i32" else stored.shape[:-1] + (units,)
    return r.emit("fully_connected", inputs, shape, acc, name=name, activation="NONE"), perm


def gemm_operands(r, node, attrs, x: Activation) -> tuple[Activation, np.ndarray]:
    """Gemm's A (transposed by its layout when transA) and B as an [N, K] matrix with alpha
    folded in."""
    if x.rank != 2:
        raise ModelError(f"input A of rank {x.rank}; Gemm takes a matrix")
    if attrs.get("transA", 0):
        x = Activation(x.tensor, tuple(reversed(x.perm)), x.form, x.unsigned)
    weights = r.constant(node.input[1], "weight")
    if weights.ndim != 2:
        raise ModelError(f"B has rank {weights.ndim}; Gemm takes a matrix")
    if not attrs.get("transB", 0):
        weights = weights.T
    return x, weights


def gemm_bias(r, node, attrs, units: int, rows: int) -> np.ndarray | None:
    """beta * C when it is one value per output unit ([N], [1, N] or a scalar); None when
    there is no C. A C that varies along the rows is refused."""
    c = r.optional_constant(node, 2, "C")
    if c is None:
        return None
    c = np.asarray(c, np.float64) * attrs.get("beta", 1.0)
    if c.ndim > 2 or (c.ndim == 2 and c.shape[0] != 1 and rows != 1) or \
            c.size not in (1, units):
        raise ModelError(f"Gemm with C of shape {list(c.shape)} is not supported (only one "
                         f"bias per output unit)")
    return np.broadcast_to(c.reshape(-1), (units,))


def gemm(r, node, attrs) -> None:
    x, weights = gemm_operands(r, node, attrs, r.float_activation(node.input[0]))
    weights = weights.astype(np.float64) * attrs.get("alpha", 1.0)
    bias = gemm_bias(r, node, attrs, weights.shape[0], x.shape[0])
    result, perm = fully_connect(r, x, weights.astype(np.float32), None,
                                 None if bias is None else bias.astype(np.float32),
                                 node.output[0])
    r.define(node.output[0], result, perm)


def matmul(r, node, attrs) -> None:
    """A constant matrix B [K, N]: a fully connected layer over A's last axis. Otherwise
    (attention's products of two activations, a constant stack of matrices) one batched
    product over the broadcast batch dimensions."""
    if r.is_constant(node.input[1]) and np.ndim(r.constants[node.input[1]]) == 2:
        x = r.float_activation(node.input[0])
        if x.rank < 2:
            raise ModelError(f"MatMul of an A of rank {x.rank}; only ranks 2 or more are "
                             f"supported")
        weights = r.constants[node.input[1]]
        result, perm = fully_connect(r, x, weights.T.astype(np.float32), None, None,
                                     node.output[0])
        r.define(node.output[0], result, perm)
        return
    batch_matmul(r, node)


def matmul_shape(a_shape, b_shape) -> tuple[tuple, tuple]:
    """numpy matmul's batch dimensions and output shape for operands of rank 2 or more."""
    if len(a_shape) < 2 or len(b_shape) < 2:
        raise ModelError("MatMul of a vector (rank 1) is not supported")
    try:
        batch = tuple(int(d) for d in np.broadcast_shapes(tuple(a_shape[:-2]),
                                                          tuple(b_shape[:-2])))
    except ValueError:
        raise ModelError(f"batch dimensions of {list(a_shape)} and {list(b_shape)} do not "
                         f"broadcast") from None
    if a_shape[-1] != b_shape[-2]:
        raise ModelError(f"MatMul of {list(a_shape)} and {list(b_shape)}: inner dimensions "
                         f"differ")
    return batch, batch + (int(a_shape[-2]), int(b_shape[-1]))


def matrices_in_order(r, act: Activation, batch: tuple) -> Tensor:
    """A computed MatMul operand in ONNX's order, which must have all `batch` dimensions
    (broadcasting a computed operand would need a copy per batch)."""
    if tuple(act.shape[:-2]) != batch:
        raise ModelError(f"computed operand {list(act.shape)} would be broadcast to the "
                         f"batch dimensions {list(batch)}; only equal ones are supported")
    return r.stored(act, tuple(range(act.rank)))


def batch_matmul(r, node) -> None:
    """numpy's matmul of operands of rank 2 or more, at least one computed: the batch
    dimensions broadcast, the matrices in ONNX's order."""
    from pex.importers.onnx.elementwise import operand
    a, b = (operand(r, name) for name in node.input)
    shapes = [o.shape if isinstance(o, Activation) else np.shape(o) for o in (a, b)]
    batch, out_shape = matmul_shape(*shapes)
    tensors = []
    for index, (o, shape) in enumerate(zip((a, b), shapes)):
        if isinstance(o, Activation):
            tensors.append(matrices_in_order(r, o, batch))
            continue
        data = np.broadcast_to(np.asarray(o, np.float32), batch + tuple(shape[-2:]))
        tensors.append(r.constant_activation(data, f"{node.output[0]}/operand{index}",
                                             tuple(range(len(out_shape)))).tensor)
    out = r.emit("batch_matmul", tensors, out_shape, name=node.output[0])
    r.define(node.output[0], out, tuple(range(len(out_shape))))


OPERATORS = {
    "Conv": conv,
    "ConvTranspose": conv_transpose,
    "BatchNormalization": batch_normalization,
    "Gemm": gemm,
    "MatMul": matmul,
}
