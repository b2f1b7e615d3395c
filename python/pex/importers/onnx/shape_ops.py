"""Operators that move data without arithmetic: Reshape, Flatten, Squeeze, Unsqueeze,
Transpose, Concat, Split, Slice, Gather, Pad, Identity, Tile. They keep the element type and
quantisation of their input, so they serve int8 tensors and DequantizeLinear views too."""

from __future__ import annotations

import math

import numpy as np

from pex.errors import ModelError
from pex.importers import limits
from pex.importers.onnx import folding
from pex.importers.onnx.convolution import weights_tensor
from pex.importers.onnx.folding import normalized_axis
from pex.importers.onnx.layout import (Activation, preferred_perm, reshape_result_perm,
                                       reshape_source_perm, stored_shape)
from pex.importers.onnx.validation import element_type_name, tensor_array


def reshape_activation(r, act: Activation, target, name: str) -> Activation:
    """ONNX's Reshape of `act` (row-major, NCHW order): a plain reshape of the stored
    tensor when its element order allows, else after one transpose, towards the preferred
    layout when possible."""
    target = tuple(int(d) for d in target)
    if int(np.prod(target)) != int(np.prod(act.shape)):
        raise ModelError(f"cannot reshape {list(act.shape)} to {list(target)}")
    perm = reshape_result_perm(act.shape, act.perm, target)
    source = act.tensor
    if perm is None:
        perm = preferred_perm(len(target))
        source_perm = reshape_source_perm(act.shape, target, perm)
        if source_perm is None:
            source_perm, perm = tuple(range(act.rank)), tuple(range(len(target)))
        source = r.in_order(act, source_perm)
    shape = stored_shape(target, perm)
    tensor = source if shape == source.shape and not source.is_constant else \
        r.emit("reshape", [source], shape, like=source, name=name)
    return Activation(tensor, perm, act.form, act.unsigned)


def _reshape(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    target = np.asarray(r.constant(node.input[1], "shape"))
    if target.ndim > 1:
        raise ModelError(f"the shape operand has shape {list(target.shape)}, not a vector")
    target = [int(d) for d in np.atleast_1d(target)]
    if attrs.get("allowzero", 0) and 0 in target:
        raise ModelError("Reshape to an empty tensor (allowzero 1 with a 0) is not supported")
    target = [x.shape[i] if d == 0 else d for i, d in enumerate(target)]
    if target.count(-1) > 1 or min(target, default=0) < -1:
        raise ModelError(f"Reshape target {target} infers more than one dimension")
    if -1 in target:
        known = int(np.prod([d for d in target if d != -1]))
        if known == 0 or int(np.prod(x.shape)) % known:
            raise ModelError(f"cannot reshape {list(x.shape)} to {target}")
        target[target.index(-1)] = int(np.prod(x.shape)) // known
    if math.prod(target) != math.prod(x.shape):
        raise ModelError(f"cannot reshape {list(x.shape)} to {target}")
    r.alias(node.output[0], reshape_activation(r, x, target, node.output[0]))


def _flatten(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    axis = attrs.get("axis", 1)
    axis = axis + x.rank if axis < 0 else axis
    target = (int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:])))
    r.alias(node.output[0], reshape_activation(r, x, target, node.output[0]))


def _squeeze(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    axes = folding.axes_operand(node, attrs, _constant_inputs(r, node), 1, 13, r.opset)
    axes = [a for a in range(x.rank) if x.shape[a] == 1] if axes is None else \
        [normalized_axis(a, x.rank) for a in axes]
    if any(x.shape[a] != 1 for a in axes):
        raise ModelError(f"cannot squeeze axes {axes} of shape {list(x.shape)}")
    target = [d for a, d in enumerate(x.shape) if a not in axes]
    r.alias(node.output[0], reshape_activation(r, x, target, node.output[0]))


def _unsqueeze(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    axes = folding.axes_operand(node, attrs, _constant_inputs(r, node), 1, 13, r.opset)
    if axes is None:
        raise ModelError("Unsqueeze without axes")
    rank = x.rank + len(axes)
    axes = sorted(normalized_axis(a, rank) for a in axes)
    if len(set(axes)) != len(axes):
        raise ModelError(f"Unsqueeze axes {axes} repeat an axis")
    dims = iter(x.shape)
    target = [1 if a in axes else next(dims) for a in range(rank)]
    r.alias(node.output[0], reshape_activation(r, x, target, node.output[0]))


def _constant_inputs(r, node) -> list:
    return [r.constants.get(n) if n else None for n in node.input]


def _transpose(r, node, attrs) -> None:
    """Free: only the layout the tensor is known to be held in changes."""
    x = r.raw(node.input[0])
    perm = tuple(attrs.get("perm", range(x.rank - 1, -1, -1)))
    if sorted(perm) != list(range(x.rank)):
        raise ModelError(f"{list(perm)} is not a permutation of rank {x.rank}")
    r.alias(node.output[0], x.transposed(perm))


def concat_activations(r, acts: list, axis: int, name: str, like=None) -> Activation:
    """Activations of one form and element type joined along ONNX `axis`, in the layout of
    the first."""
    shape = list(acts[0].shape)
    if any(a.rank != len(shape) or
           any(d != shape[i] for i, d in enumerate(a.shape) if i != axis) for a in acts):
        raise ModelError(f"inputs {', '.join(str(list(a.shape)) for a in acts)} differ "
                         f"outside axis {axis}")
    perm = acts[0].perm
    tensors = [r.stored(a, perm) for a in acts]
    shape[axis] = sum(a.shape[axis] for a in acts)
    like = like or tensors[0]
    out = r.emit("concat", tensors, stored_shape(shape, perm), like=like, name=name,
                 axis=perm.index(axis), activation="NONE")
    return Activation(out, perm, acts[0].form, acts[0].unsigned)


def _concat(r, node, attrs) -> None:
    from pex.importers.onnx import quantized
    if quantized.concat(r, node, attrs):
        return
    names = [n for n in node.input if n]
    computed = [r.float_activation(n) for n in names if not r.is_constant(n)]
    if not computed:
        raise ModelError("no input is computed at run time")
    rank = computed[0].rank
    axis = normalized_axis(attrs["axis"], rank)
    perm = computed[0].perm
    for name in names:
        if r.is_constant(name) and np.ndim(r.constants[name]) != rank:
            raise ModelError(f"input '{name}' has shape {list(np.shape(r.constants[name]))}; "
                             f"the other inputs have rank {rank}")
    acts = [r.constant_activation(np.asarray(r.constants[n], np.float32), n, perm)
            if r.is_constant(n) else r.float_activation(n) for n in names]
    r.alias(node.output[0], concat_activations(r, acts, axis, node.output[0]))


def slice_activation(r, x: Activation, bounds: dict, name: str) -> Activation:
    """x[start:stop] along the ONNX axes of `bounds` (axis -> (start, stop))."""
    begin = [0] * x.rank
    size = list(x.shape)
    for axis, (start, stop) in bounds.items():
        if not 0 <= start < stop <= x.shape[axis]:
            raise ModelError(f"empty or out-of-range slice [{start}:{stop}] of axis {axis} "
                             f"(size {x.shape[axis]})")
        begin[axis], size[axis] = start, stop - start
    if size == list(x.shape):
        return x
    out = r.emit("slice", [x.tensor], stored_shape(size, x.perm), like=x.tensor, name=name,
                 begin=stored_shape(begin, x.perm), size=stored_shape(size, x.perm))
    return Activation(out, x.perm, x.form, x.unsigned)


def take(r, x: Activation, axis: int, indices, name: str) -> Activation:
    """x's elements at `indices` along `axis` (a gather: runs of consecutive indices
    become slices, descending runs reversed slices)."""
    indices = [int(i) for i in indices]
    if indices == list(range(x.shape[axis])):
        return x
    stored = x.stored_axis(axis)
    shape = list(x.tensor.shape)
    shape[stored] = len(indices)
    out = r.emit("gather", [x.tensor], tuple(shape), like=x.tensor, name=name, axis=stored,
                 indices=tuple(indices))
    return Activation(out, x.perm, x.form, x.unsigned)


def _slice(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    inputs = [None] + [r.constant(n, "bound") if n else None for n in node.input[1:]]
    result = x
    for axis, (start, end, step) in folding.slice_arguments(node, attrs, inputs, x.rank,
                                                             r.opset).items():
        kept = folding.slice_range(x.shape[axis], start, end, step)
        if len(kept) == 0:
            raise ModelError(f"the slice of axis {axis} is empty")
        if step == 1:
            result = slice_activation(r, result, {axis: (kept.start, kept.stop)},
                                      node.output[0])
        else:
            result = take(r, result, axis, list(kept), node.output[0])
    r.alias(node.output[0], result)


def _split_sizes(r, node, attrs, size: int) -> list[int]:
    if r.opset >= 13 and r.has_input(node, 1):
        sizes = [int(s) for s in r.constant(node.input[1], "split")]
    elif "split" in attrs:
        sizes = list(attrs["split"])
    else:
        parts = attrs.get("num_outputs", len(node.output))
        chunk = -(-size // parts)
        sizes = [min(chunk, size - i * chunk) for i in range(parts)]
    if sum(sizes) != size or len(sizes) != len(node.output) or min(sizes) < 1:
        raise ModelError(f"split {sizes} does not divide an axis of {size} into "
                         f"{len(node.output)} outputs")
    return sizes


def _split(r, node, attrs) -> None:
    x = r.raw(node.input[0])
    axis = normalized_axis(attrs.get("axis", 0), x.rank)
    start = 0
    for output, size in zip(node.output, _split_sizes(r, node, attrs, x.shape[axis])):
        if output:
            r.alias(output, slice_activation(r, x, {axis: (start, start + size)}, output))
        start += size


def _gather_at_run_time(r, node, x: Activation, axis: int) -> None:
    """Indices computed at run time (token ids, an ArgMax): a gather of x's slices along
    `axis` (an embedding lookup when x is a constant table), in ONNX's axis order."""
    indices = r.raw(node.input[1])
    if indices.tensor.dtype != "i32":
        raise ModelError(f"indices '{node.input[1]}' are not integers")
    order = tuple(range(x.rank))
    shape = x.shape[:axis] + indices.shape + x.shape[axis + 1:]
    limits.check_shape(f"'{node.output[0]}'", shape, 4)
    quantized = r.quantized_constants.get(node.input[0])
    if quantized is not None and quantized[1].per_tensor and \
            quantized[0].min() >= -128 and quantized[0].max() <= 127:
        # A QDQ model's int8 table (DequantizeLinear of int8 data): its rows gathered as
        # int8, a quarter of the float table's flash.
        integers, params = quantized
        table = weights_tensor(f"{node.input[0]}/int8", integers.astype(np.int8),
                               params.quantization())
        form, unsigned = "dequantized", False
    else:
        table, form, unsigned = r.stored(x, order), x.form, x.unsigned
    out = r.emit("gather_indexed", [table, r.stored(indices, tuple(range(indices.rank)))],
                 shape, like=table, name=node.output[0], axis=axis)
    r.alias(node.output[0], Activation(out, tuple(range(len(shape))), form, unsigned))


def _gather(r, node, attrs) -> None:
    """Constant indices: a gather of the positions they list, in order (slices of runs
    of consecutive ones joined, a descending run reversed), reshaped to the indices'
    shape in place of the axis (a scalar index drops it)."""
    x = r.raw(node.input[0])
    axis = normalized_axis(attrs.get("axis", 0), x.rank)
    if r.constant_ahead(node.input[1]) is None and node.input[1] in r.activations:
        _gather_at_run_time(r, node, x, axis)
        return
    indices = np.asarray(r.constant(node.input[1], "indices"))
    size = x.shape[axis]
    if np.any(indices < -size) or np.any(indices >= size):
        raise ModelError(f"an index is out of range for an axis of {size}")
    positions = [int(i) % size for i in indices.reshape(-1)]
    if not positions:
        raise ModelError("no index: the result would be empty")
    shape = x.shape[:axis] + indices.shape + x.shape[axis + 1:]
    flat = indices.ndim == 1
    taken = take(r, x, axis, positions, node.output[0] if flat else f"{node.output[0]}/taken")
    if not flat:
        taken = reshape_activation(r, taken, shape, node.output[0])
    r.alias(node.output[0], taken)


def _pad(r, node, attrs) -> None:
    """Constant mode: negative pads crop; an int8 tensor is padded with its zero point, so
    only a pad value of 0 keeps it int8. Reflect and edge modes: gathers."""
    mode = attrs.get("mode", b"constant").decode()
    if mode in ("reflect", "edge"):
        _pad_by_gathers(r, node, attrs, mode)
        return
    if mode != "constant":
        raise ModelError(f"Pad mode {mode} is not supported")
    x = r.raw(node.input[0])
    if r.opset < 11:
        value = float(attrs.get("value", 0.0))
    else:
        value = r.optional_constant(node, 2, "pad value")
        value = 0.0 if value is None else float(np.asarray(value).reshape(-1)[0])
    pads = _pad_widths(r, node, attrs, x.rank)
    if value != 0.0 or x.form == "requantized":
        x = r.float_activation(node.input[0])
    axes = list(pads)
    before = {a: lo for a, (lo, _) in pads.items()}
    after = {a: hi for a, (_, hi) in pads.items()}
    crop = {a: (max(-before[a], 0), x.shape[a] - max(-after[a], 0)) for a in axes
            if before[a] < 0 or after[a] < 0}
    if crop:
        x = slice_activation(r, x, crop, f"{node.output[0]}/cropped")
    widths = [(max(before.get(a, 0), 0), max(after.get(a, 0), 0)) for a in range(x.rank)]
    if not any(lo or hi for lo, hi in widths):
        r.alias(node.output[0], x)
        return
    shape = [d + lo + hi for d, (lo, hi) in zip(x.shape, widths)]
    extra = {"value": value} if value != 0.0 else {}
    out = r.emit("pad", [x.tensor], stored_shape(shape, x.perm), like=x.tensor,
                 name=node.output[0], pads=tuple(widths[a] for a in x.perm), **extra)
    r.define(node.output[0], out, x.perm, x.form, x.unsigned)


def _pad_widths(r, node, attrs, rank: int) -> dict:
    """{ONNX axis: (before, after)} of a Pad (attribute before opset 11, inputs from it)."""
    if r.opset < 11:
        pads, axes = list(attrs["pads"]), None
    else:
        pads = [int(p) for p in np.asarray(r.constant(node.input[1], "pads")).reshape(-1)]
        axes = r.optional_constant(node, 3, "axes")
    axes = list(range(rank)) if axes is None else \
        [normalized_axis(int(a), rank) for a in np.asarray(axes).reshape(-1)]
    if len(pads) != 2 * len(axes):
        raise ModelError(f"{len(pads)} pads for {len(axes)} axes")
    return {a: (pads[i], pads[i + len(axes)]) for i, a in enumerate(axes)}


def _pad_by_gathers(r, node, attrs, mode: str) -> None:
    """Reflect (the edge element not repeated) or edge (it repeated): per padded axis one
    gather of the stored tensor with the indices ONNX's Pad reads."""
    x = r.raw(node.input[0])
    tensor = x.tensor
    for axis, (before, after) in sorted(_pad_widths(r, node, attrs, x.rank).items()):
        size = x.shape[axis]
        limit = size - 1 if mode == "reflect" else size
        if min(before, after) < 0 or (mode == "reflect" and max(before, after) > limit):
            raise ModelError(f"{mode} pads {[before, after]} of axis {axis} (size {size}) "
                             f"are not supported (0 to {limit})")
        if not before and not after:
            continue
        if mode == "reflect":
            indices = list(range(before, 0, -1)) + list(range(size)) + \
                list(range(size - 2, size - 2 - after, -1))
        else:
            indices = [0] * before + list(range(size)) + [size - 1] * after
        stored = x.stored_axis(axis)
        shape = list(tensor.shape)
        shape[stored] = len(indices)
        tensor = r.emit("gather", [tensor], tuple(shape), like=tensor,
                        name=f"{node.output[0]}/axis{axis}", axis=stored,
                        indices=tuple(indices))
    r.define(node.output[0], tensor, x.perm, x.form, x.unsigned)


def _rearranged(r, x: Activation, grouped, perm, shape, name: str) -> Activation:
    """ONNX's Reshape to `grouped`, Transpose by `perm`, Reshape to `shape` (DepthToSpace,
    SpaceToDepth), on the layouts: a transpose only where the element order needs one."""
    blocks = reshape_activation(r, x, grouped, f"{name}/blocks")
    return reshape_activation(r, blocks.transposed(perm), shape, name)


def _image_and_block(r, node, attrs) -> tuple[Activation, int]:
    """DepthToSpace's and SpaceToDepth's NCHW input and block size."""
    x = r.raw(node.input[0])
    if x.rank != 4:
        raise ModelError(f"input of rank {x.rank}, expected 4 (NCHW)")
    block = int(attrs["blocksize"])
    if block < 1:
        raise ModelError(f"block size {block}")
    return x, block


def _depth_to_space(r, node, attrs) -> None:
    """DCR: depth index (i b + j) C + c; CRD (PyTorch's PixelShuffle): c b^2 + i b + j."""
    x, b = _image_and_block(r, node, attrs)
    n, depth, h, w = x.shape
    if depth % (b * b):
        raise ModelError(f"{depth} channels are not a multiple of {b}x{b}")
    c = depth // (b * b)
    if attrs.get("mode", b"DCR").decode() == "CRD":
        grouped, perm = (n, c, b, b, h, w), (0, 1, 4, 2, 5, 3)
    else:
        grouped, perm = (n, b, b, c, h, w), (0, 3, 4, 1, 5, 2)
    r.alias(node.output[0], _rearranged(r, x, grouped, perm, (n, c, h * b, w * b),
                                        node.output[0]))


def _space_to_depth(r, node, attrs) -> None:
    x, b = _image_and_block(r, node, attrs)
    n, c, h, w = x.shape
    if h % b or w % b:
        raise ModelError(f"{h}x{w} is not a multiple of the block {b}")
    r.alias(node.output[0], _rearranged(r, x, (n, c, h // b, b, w // b, b),
                                        (0, 3, 5, 1, 2, 4), (n, c * b * b, h // b, w // b),
                                        node.output[0]))


def _expand(r, node, attrs) -> None:
    """Of an activation (constants fold): numpy broadcasting to the shape, by adding zeros
    of the broadcast axes' sizes (a copy, as Expand's result is)."""
    from pex.importers.onnx.elementwise import binary
    x = r.float_activation(node.input[0])
    target = [int(d) for d in np.asarray(r.constant(node.input[1], "shape")).reshape(-1)]
    try:
        shape = tuple(int(d) for d in np.broadcast_shapes(x.shape, tuple(target)))
    except ValueError:
        raise ModelError(f"{list(x.shape)} does not broadcast to {target}") from None
    if shape == tuple(x.shape):
        r.alias(node.output[0], x)
        return
    padded = (1,) * (len(shape) - x.rank) + tuple(x.shape)
    zeros = np.zeros([d if p == 1 else 1 for d, p in zip(shape, padded)], np.float32)
    r.alias(node.output[0], binary(r, "add", [x, zeros], node.output[0], activation="NONE"))


def _tile(r, node, attrs) -> None:
    """Copies of the input joined along each repeated axis (`x.repeat(...)` in PyTorch):
    data movement, so int8 tensors and DequantizeLinear views stay as they are."""
    x = r.raw(node.input[0])
    repeats = folding.tile_repeats(r.constant(node.input[1], "repeats"), x.rank)
    limits.check_shape("the result", [d * k for d, k in zip(x.shape, repeats)],
                       np.dtype(x.tensor.numpy_type).itemsize)
    for axis, count in enumerate(repeats):
        if count > 1:
            x = concat_activations(r, [x] * count, axis, f"{node.output[0]}/axis{axis}")
    r.alias(node.output[0], x)


def _identity(r, node, attrs) -> None:
    if len(node.output) > 1 and node.output[1] and r.consumers_of(node.output[1]):
        raise ModelError("the mask output of Dropout is not supported")
    r.alias(node.output[0], r.raw(node.input[0]))


def _cast(r, node, attrs) -> None:
    target = element_type_name(attrs["to"])
    if target == "FLOAT" and (node.input[0] in r.unquantized_inputs
                              or node.input[0] in r.inputs_as_float):
        r.alias(node.output[0], _integer_input_as_float(r, node.input[0]))
        return
    x = r.raw(node.input[0])
    if x.tensor.dtype == "i1":
        from pex.importers.onnx.logical import cast_boolean
        cast_boolean(r, node, target)
        return
    if x.tensor.dtype == "f32" and x.form == "value" and target in ("INT64", "INT32"):
        _truncated(r, node, x)
        return
    if x.tensor.dtype == "i32" and target == "FLOAT":  # counts, one-hot rows
        r.alias(node.output[0], Activation(
            r.emit("cast", [x.tensor], x.tensor.shape, "f32", name=node.output[0]), x.perm))
        return
    # A Cast to the type a tensor already has is the identity: PyTorch's quantized export
    # casts each QuantizeLinear result to its own type. Indices (int64 in ONNX) are i32.
    if x.form == "dequantized":
        held_as = ("FLOAT",)
    elif x.tensor.dtype == "i8":
        held_as = ("UINT8",) if x.unsigned else ("INT8",)
    else:
        held_as = {"f32": ("FLOAT",), "i32": ("INT64", "INT32")}.get(x.tensor.dtype,
                                                                   (x.tensor.dtype,))
    if target not in held_as or x.form == "requantized":
        raise ModelError(f"Cast of a {held_as[0].lower()} tensor to {target.lower()} is not "
                         f"supported")
    r.alias(node.output[0], x)


def _truncated(r, node, x: Activation) -> None:
    """A float cast to an integer (torch.div(rounding_mode='trunc'), .long()): rounded
    towards zero (the floor above zero, the ceiling below) in float, then int32 as
    indices are."""
    from pex.importers.onnx.elementwise import binary, unary
    name = node.output[0]
    negative = binary(r, "compare", [np.zeros((1,) * x.rank, np.float32), x],
                      f"{name}/negative", "i1", predicate="greater")
    whole = binary(r, "select", [negative, unary(r, None, "ceil", f"{name}/ceil", x),
                                 unary(r, None, "floor", f"{name}/floor", x)],
                   f"{name}/whole")
    r.alias(name, Activation(r.emit("cast", [whole.tensor], whole.tensor.shape, "i32",
                                    name=name), whole.perm))


def _integer_input_as_float(r, name: str) -> Activation:
    """An int8 or uint8 model input cast to float (a camera's bytes, `x.float() / 255` in
    the model): its values dequantised with scale 1 and zero point 0, once per input."""
    from pex.importers.onnx.quantization import Params, input_view
    if name not in r.inputs_as_float:
        unsigned = r.activations[name].unsigned
        params = Params(np.ones(1, np.float32),
                        np.full(1, -128 if unsigned else 0, np.int64),  # in int8 terms
                        None, unsigned)
        act = input_view(r, name, params)
        r.inputs_as_float[name] = Activation(act.tensor, act.perm, "dequantized",
                                             act.unsigned)
    return r.inputs_as_float[name]


def constant_value(attrs: dict) -> np.ndarray:
    """The value a Constant node with attributes `attrs` defines."""
    if "value" in attrs:
        return tensor_array(attrs["value"], "its value")
    if "value_float" in attrs or "value_floats" in attrs:
        return np.array(attrs.get("value_float", attrs.get("value_floats")), np.float32)
    if "value_int" in attrs or "value_ints" in attrs:
        return np.array(attrs.get("value_int", attrs.get("value_ints")), np.int64)
    raise ModelError(f"Constant with {', '.join(sorted(attrs)) or 'no value'} "
                     f"is not supported")


def _constant(r, node, attrs) -> None:
    r.constants[node.output[0]] = constant_value(attrs)


OPERATORS = {
    "Reshape": _reshape,
    "Flatten": _flatten,
    "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze,
    "Transpose": _transpose,
    "Concat": _concat,
    "Slice": _slice,
    "Split": _split,
    "Gather": _gather,
    "Pad": _pad,
    "Identity": _identity,
    "Dropout": _identity,
    "Cast": _cast,
    "DepthToSpace": _depth_to_space,
    "SpaceToDepth": _space_to_depth,
    "Expand": _expand,
    "Tile": _tile,
    "Constant": _constant,
}
