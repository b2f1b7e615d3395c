"""Converters of TFLite's data-movement builtins: slicing, splitting, stacking, gathering,
mirror padding and block rearrangements. Each becomes the graph's `slice`, `gather`,
`reshape`, `transpose`, `concat` or `pad` ops: they copy stored values, so int8 tensors
keep their quantisation (TFLite Micro requires the output's to equal the input's).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import Tensor
from pex.importers.tflite import schema


def _axis(axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ModelError(f"axis {axis} out of range for rank {rank}")
    return axis % rank


def _like(x: Tensor, name: str, shape) -> Tensor:
    """An intermediate tensor of x's element type and quantisation."""
    return Tensor(name, tuple(int(d) for d in shape), x.dtype, x.quant)


def _check_output(output: Tensor, shape) -> None:
    if tuple(shape) != output.shape:
        raise ModelError(f"the result has shape {list(shape)}, but the output "
                         f"'{output.name}' is declared {list(output.shape)}")


def _select(ctx, x: Tensor, indices: list[list[int]], output: Tensor) -> None:
    """output = x[indices[0], indices[1], ...] (one index list per axis), reshaped to the
    output's shape: one slice over the axes whose indices are consecutive, then a gather
    along each other axis."""
    consecutive = [i == list(range(i[0], i[0] + len(i))) for i in indices]
    begin = [i[0] if run else 0 for i, run in zip(indices, consecutive)]
    size = [len(i) if run else d for i, run, d in zip(indices, consecutive, x.shape)]
    value = x
    if begin != [0] * len(x.shape) or tuple(size) != x.shape:
        value = _like(x, f"{output.name}/slice", size)
        ctx.emit("slice", [x], [value], begin=tuple(begin), size=tuple(size))
    for axis, axis_indices in enumerate(indices):
        if consecutive[axis]:
            continue
        shape = list(value.shape)
        shape[axis] = len(axis_indices)
        gathered = _like(x, f"{output.name}/gather{axis}", shape)
        ctx.emit("gather", [value], [gathered], axis=axis, indices=tuple(axis_indices))
        value = gathered
    if value is x or value.shape != output.shape:
        if int(np.prod(value.shape)) != output.num_elements:
            raise ModelError(f"the result has {int(np.prod(value.shape))} elements, but the "
                             f"output '{output.name}' has shape {list(output.shape)}")
        ctx.emit("reshape", [value], [output])
    else:
        _rename(ctx, value, output)


def _rename(ctx, value: Tensor, output: Tensor) -> None:
    """Makes the last op's result the model's output tensor."""
    op = ctx.reader.ops[-1]
    op.outputs[op.outputs.index(value)] = output


def strided_slice(ctx) -> None:
    x = ctx.input(0)
    begin, end, strides = (np.atleast_1d(ctx.constant_input(i)).astype(np.int64).tolist()
                           for i in (1, 2, 3))
    options = ctx.options(schema.StridedSliceOptions)
    if options.ellipsis_mask or options.new_axis_mask:
        raise ModelError("ellipsis_mask and new_axis_mask are not supported")
    rank = len(x.shape)
    if not len(begin) == len(end) == len(strides) <= rank:
        raise ModelError(f"begin, end and strides must have at most {rank} equal lengths")
    indices, kept = [], []
    for axis, size in enumerate(x.shape):
        if axis >= len(begin):
            indices.append(list(range(size)))
            kept.append(size)
            continue
        b, e, s = begin[axis], end[axis], strides[axis]
        if s == 0:
            raise ModelError(f"stride 0 along axis {axis}")
        if options.offset:
            e = b + e
        if options.shrink_axis_mask >> axis & 1:
            position = b + size if b < 0 else b
            if not 0 <= position < size:
                raise ModelError(f"index {b} out of range for axis {axis} of size {size}")
            indices.append([position])
            continue
        chosen = list(range(size))[slice(None if options.begin_mask >> axis & 1 else b,
                                         None if options.end_mask >> axis & 1 else e, s)]
        if not chosen:
            raise ModelError(f"the slice of axis {axis} is empty")
        indices.append(chosen)
        kept.append(len(chosen))
    _check_output(ctx.output, kept)
    _select(ctx, x, indices, ctx.output)


def slice_(ctx) -> None:
    x = ctx.input(0)
    begin = np.atleast_1d(ctx.constant_input(1)).astype(np.int64).tolist()
    size = np.atleast_1d(ctx.constant_input(2)).astype(np.int64).tolist()
    if not len(begin) == len(size) == len(x.shape):
        raise ModelError(f"begin and size must have {len(x.shape)} elements")
    indices = []
    for axis, (b, n, dim) in enumerate(zip(begin, size, x.shape)):
        n = dim - b if n == -1 else n
        if b < 0 or n < 1 or b + n > dim:
            raise ModelError(f"begin {b}, size {n} out of range for axis {axis} of size {dim}")
        indices.append(list(range(b, b + n)))
    _check_output(ctx.output, [len(i) for i in indices])
    _select(ctx, x, indices, ctx.output)


def _split_along(ctx, x: Tensor, axis: int, sizes: list[int], drop_axis: bool = False) -> None:
    if len(sizes) != len(ctx.outputs):
        raise ModelError(f"{len(sizes)} parts for {len(ctx.outputs)} outputs")
    start = 0
    for size, output in zip(sizes, ctx.outputs):
        indices = [list(range(d)) for d in x.shape]
        indices[axis] = list(range(start, start + size))
        shape = [len(i) for i in indices]
        _check_output(output, shape[:axis] + shape[axis + 1:] if drop_axis else shape)
        _select(ctx, x, indices, output)
        start += size


def split(ctx) -> None:
    """SPLIT's operands are (axis, input)."""
    x = ctx.input(1)
    axis = _axis(int(np.asarray(ctx.constant_input(0)).reshape(-1)[0]), len(x.shape))
    parts = ctx.options(schema.SplitOptions).num_splits or len(ctx.outputs)
    if x.shape[axis] % parts:
        raise ModelError(f"axis {axis} of size {x.shape[axis]} does not split in {parts}")
    _split_along(ctx, x, axis, [x.shape[axis] // parts] * parts)


def split_v(ctx) -> None:
    x = ctx.input(0)
    axis = _axis(int(np.asarray(ctx.constant_input(2)).reshape(-1)[0]), len(x.shape))
    sizes = np.atleast_1d(ctx.constant_input(1)).astype(np.int64).tolist()
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    if sum(sizes) != x.shape[axis] or min(sizes) < 1:
        raise ModelError(f"sizes {sizes} do not split axis {axis} of size {x.shape[axis]}")
    _split_along(ctx, x, axis, sizes)


def unpack(ctx) -> None:
    x = ctx.input(0)
    axis = _axis(ctx.options(schema.UnpackOptions).axis, len(x.shape))
    _split_along(ctx, x, axis, [1] * x.shape[axis], drop_axis=True)


def pack(ctx) -> None:
    inputs = [ctx.input(i) for i in range(len(ctx.input_indices))]
    out = ctx.output
    axis = _axis(ctx.options(schema.PackOptions).axis, len(out.shape))
    expanded = []
    for x in inputs:
        shape = x.shape[:axis] + (1,) + x.shape[axis:]
        if x.is_constant:
            expanded.append(Tensor(x.name, shape, x.dtype, x.quant, x.data.reshape(shape)))
            continue
        value = _like(x, f"{x.name}/expanded", shape)
        ctx.emit("reshape", [x], [value])
        expanded.append(value)
    ctx.emit("concat", expanded, axis=axis, activation="NONE")


def expand_dims(ctx) -> None:
    x = ctx.input(0)
    if x.num_elements != ctx.output.num_elements:
        raise ModelError(f"cannot expand {list(x.shape)} to {list(ctx.output.shape)}")
    ctx.emit("reshape", [x])


def gather(ctx) -> None:
    """GATHER (TFLite Micro's batch_dims 0 form): constant indices select slices; indices
    computed at run time (token ids: an embedding lookup) make a gather op."""
    x = ctx.input(0)
    options = ctx.options(schema.GatherOptions)
    if options.batch_dims:
        raise ModelError(f"batch_dims {options.batch_dims} is not supported")
    axis = _axis(options.axis, len(x.shape))
    if not ctx.input(1).is_constant:
        _gather_at_run_time(ctx, x, axis)
        return
    indices = np.asarray(ctx.constant_input(1)).astype(np.int64)
    if np.any(indices < 0) or np.any(indices >= x.shape[axis]):
        raise ModelError(f"indices {indices.tolist()} out of range for axis {axis} of size "
                         f"{x.shape[axis]}")
    _check_output(ctx.output, x.shape[:axis] + indices.shape + x.shape[axis + 1:])
    selection = [list(range(d)) for d in x.shape]
    selection[axis] = indices.reshape(-1).tolist()
    _select(ctx, x, selection, ctx.output)


def _gather_at_run_time(ctx, x: Tensor, axis: int) -> None:
    indices = ctx.input(1)
    if indices.dtype != "i32":
        raise ModelError(f"indices '{indices.name}' are {indices.dtype}; indices computed at "
                         f"run time must be int32")
    _check_output(ctx.output, x.shape[:axis] + indices.shape + x.shape[axis + 1:])
    ctx.emit("gather_indexed", [x, indices], axis=axis)


def embedding_lookup(ctx) -> None:
    """EMBEDDING_LOOKUP: rows of a table (float32 or int8) at int32 ids, copied; an int8
    table with a float32 output (hybrid) has its rows dequantised (zero point 0, one
    scale), as TFLite Micro's kernel does."""
    ids, table, out = ctx.input(0), ctx.input(1), ctx.output
    if ids.dtype != "i32" or len(ids.shape) != 1:
        raise ModelError(f"ids '{ids.name}' are {ids.dtype} of rank {len(ids.shape)}; "
                         f"EMBEDDING_LOOKUP takes int32 ids of rank 1")
    if len(table.shape) < 2:
        raise ModelError(f"table '{table.name}' has rank {len(table.shape)}, not 2 or more")
    _check_output(out, ids.shape + table.shape[1:])
    if table.dtype == out.dtype and table.dtype in ("f32", "i8"):
        ctx.emit("gather_indexed", [table, ids], axis=0)
        return
    if table.dtype != "i8" or out.dtype != "f32":
        raise ModelError(f"a {table.dtype} table with a {out.dtype} output; the lookup "
                         f"copies float32 or int8 rows, or dequantises int8 ones to float32")
    if table.quant is None or table.quant.per_channel or table.zero_point() != 0:
        raise ModelError(f"int8 table '{table.name}' is not quantised per tensor with zero "
                         f"point 0, as TFLite Micro's hybrid lookup requires")
    rows = _like(table, f"{out.name}/int8", out.shape)
    ctx.emit("gather_indexed", [table, ids], [rows], axis=0)
    ctx.emit("dequantize", [rows])


def reverse_v2(ctx) -> None:
    """REVERSE_V2 with constant axes: a gather of the reversed positions per axis (each a
    tosa.reverse)."""
    x = ctx.input(0)
    axes = {_axis(int(a), len(x.shape)) for a in np.atleast_1d(ctx.constant_input(1))}
    _check_output(ctx.output, x.shape)
    selection = [list(range(d - 1, -1, -1)) if axis in axes else list(range(d))
                 for axis, d in enumerate(x.shape)]
    _select(ctx, x, selection, ctx.output)


def mirror_pad(ctx) -> None:
    """REFLECT repeats no edge element, SYMMETRIC repeats it: a gather per padded axis."""
    x = ctx.input(0)
    pads = np.asarray(ctx.constant_input(1)).reshape(-1, 2).astype(np.int64).tolist()
    symmetric = ctx.options(schema.MirrorPadOptions).mode == 1
    if len(pads) != len(x.shape):
        raise ModelError(f"paddings {pads} do not fit rank {len(x.shape)}")
    selection = []
    for axis, ((before, after), size) in enumerate(zip(pads, x.shape)):
        limit = size if symmetric else size - 1
        if min(before, after) < 0 or max(before, after) > limit:
            raise ModelError(f"padding {[before, after]} of axis {axis} (size {size}) "
                             f"exceeds {limit}")
        edge = 0 if symmetric else 1
        selection.append(list(range(before - 1 + edge, edge - 1, -1)) + list(range(size))
                         + list(range(size - 1 - edge, size - 1 - edge - after, -1)))
    _check_output(ctx.output, [len(s) for s in selection])
    value = x
    for axis, axis_indices in enumerate(selection):
        if axis_indices == list(range(x.shape[axis])):
            continue
        shape = list(value.shape)
        shape[axis] = len(axis_indices)
        gathered = _like(x, f"{ctx.output.name}/pad{axis}", shape)
        ctx.emit("gather", [value], [gathered], axis=axis, indices=tuple(axis_indices))
        value = gathered
    if value is x:
        ctx.emit("reshape", [x])
    else:
        _rename(ctx, value, ctx.output)


def _block_size(ctx, options_cls) -> int:
    block = ctx.options(options_cls).block_size
    if block < 1:
        raise ModelError(f"block size {block}")
    return block


def depth_to_space(ctx) -> None:
    """out[n, h*b + i, w*b + j, c] = x[n, h, w, (i*b + j)*C + c]: rows of (i, j*C + c)
    blocks, transposed past the columns."""
    x = ctx.input(0)
    b = _block_size(ctx, schema.DepthToSpaceOptions)
    n, h, w, depth = _nhwc(x)
    if depth % (b * b):
        raise ModelError(f"depth {depth} is not a multiple of {b}x{b}")
    c = depth // (b * b)
    _check_output(ctx.output, (n, h * b, w * b, c))
    _rearrange(ctx, x, (n * h, w, b, b * c), (n * h, b, w, b * c))


def space_to_depth(ctx) -> None:
    x = ctx.input(0)
    b = _block_size(ctx, schema.SpaceToDepthOptions)
    n, h, w, c = _nhwc(x)
    if h % b or w % b:
        raise ModelError(f"{h}x{w} is not a multiple of the block {b}")
    _check_output(ctx.output, (n, h // b, w // b, b * b * c))
    _rearrange(ctx, x, (n * h // b, b, w // b, b * c), (n * h // b, w // b, b, b * c))


def _nhwc(x: Tensor) -> tuple[int, int, int, int]:
    if len(x.shape) != 4:
        raise ModelError(f"input '{x.name}' has rank {len(x.shape)}, expected 4 (NHWC)")
    return x.shape


def _rearrange(ctx, x: Tensor, grouped, swapped) -> None:
    """reshape to `grouped`, swap its middle axes (to `swapped`), reshape to the output."""
    name = ctx.output.name
    blocks = _like(x, f"{name}/blocks", grouped)
    moved = _like(x, f"{name}/moved", swapped)
    ctx.emit("reshape", [x], [blocks])
    ctx.emit("transpose", [blocks], [moved], perm=(0, 2, 1, 3))
    ctx.emit("reshape", [moved])
