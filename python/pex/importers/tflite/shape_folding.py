"""Shape arithmetic evaluated while the model is read.

Keras and other converters compute some operands at run time from tensor shapes, e.g. a
RESHAPE target as SHAPE -> STRIDED_SLICE -> PACK. Every shape is static here, so such
values are known at import: these operators become constant tensors, not graph ops. So do
FILL, ZEROS_LIKE and BROADCAST_TO of known values (of any type).
An operator of this family that depends on activation values is refused, naming the input.
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES, Tensor
from pex.importers import limits
from pex.importers.tflite import schema
from pex.quantization import float_activation_range

_INTEGER_TYPES = ("i32", "i64")


def _known(ctx, position: int) -> np.ndarray:
    tensor = ctx.input(position)
    if not tensor.is_constant:
        raise ModelError(f"input {position} ('{tensor.name}') is computed from activations at "
                         f"run time; only shape arithmetic known at import time is supported")
    return tensor.data


def _inputs(ctx) -> list[np.ndarray]:
    return [_known(ctx, i) for i in range(len(ctx.input_indices))]


def _axis(axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ModelError(f"axis {axis} out of range for rank {rank}")
    return axis % rank


def _activation(values: np.ndarray, code: int) -> np.ndarray:
    names = schema.ACTIVATION_NAMES
    if code not in (0, 1, 2, 3):
        raise ModelError(f"unsupported fused activation "
                         f"{names[code] if 0 <= code < len(names) else code}")
    low, high = float_activation_range(names[code])
    return np.clip(values, low, high) if code else values


def shape(ctx) -> np.ndarray:
    return np.array(ctx.input(0).shape, np.int64)


def strided_slice(ctx) -> np.ndarray:
    data, begin, end, strides = _inputs(ctx)[:4]
    options = ctx.options(schema.StridedSliceOptions)
    if options.ellipsis_mask or options.new_axis_mask:
        raise ModelError("ellipsis_mask and new_axis_mask are not supported")
    begin, end, strides = (np.atleast_1d(v).astype(np.int64) for v in (begin, end, strides))
    if not len(begin) == len(end) == len(strides) == data.ndim:
        raise ModelError(f"begin, end and strides must have {data.ndim} elements")
    if options.offset:
        end = begin + end
    index = []
    for axis, (b, e, s) in enumerate(zip(begin.tolist(), end.tolist(), strides.tolist())):
        if s == 0:
            raise ModelError(f"stride 0 along axis {axis}")
        if options.shrink_axis_mask >> axis & 1:
            position = b + data.shape[axis] if b < 0 else b
            if not 0 <= position < data.shape[axis]:
                raise ModelError(f"index {b} out of range for axis {axis} of size "
                                 f"{data.shape[axis]}")
            index.append(position)
            continue
        index.append(slice(None if options.begin_mask >> axis & 1 else b,
                           None if options.end_mask >> axis & 1 else e, s))
    return np.asarray(data[tuple(index)])


def pack(ctx) -> np.ndarray:
    values = _inputs(ctx)
    rank = values[0].ndim + 1
    return np.stack(values, axis=_axis(ctx.options(schema.PackOptions).axis, rank))


def concatenation(ctx) -> np.ndarray:
    values = _inputs(ctx)
    options = ctx.options(schema.ConcatenationOptions)
    joined = np.concatenate(values, axis=_axis(options.axis, values[0].ndim))
    return _activation(joined, options.fused_activation_function)


def gather(ctx) -> np.ndarray:
    params, indices = _inputs(ctx)[:2]
    options = ctx.options(schema.GatherOptions)
    if options.batch_dims:
        raise ModelError(f"batch_dims {options.batch_dims} is not supported")
    axis = _axis(options.axis, params.ndim)
    if np.any(indices < 0) or np.any(indices >= params.shape[axis]):
        raise ModelError(f"indices {np.asarray(indices).tolist()} out of range for axis "
                         f"{axis} of size {params.shape[axis]}")
    return np.take(params, indices.astype(np.int64), axis=axis)


def fill(ctx) -> np.ndarray:
    dims, value = _inputs(ctx)[:2]
    dims = [int(d) for d in np.atleast_1d(dims)]
    if any(d < 0 for d in dims) or np.asarray(value).size != 1:
        raise ModelError(f"dims {dims} and value of shape {list(np.shape(value))}: expected "
                         f"non-negative dims and a scalar")
    limits.check_shape("the result", dims, 8)
    return np.full(dims, np.asarray(value).reshape(-1)[0])


def zeros_like(ctx) -> np.ndarray:
    """Zeros of the input's shape: known even when the input's values are not."""
    return np.zeros(ctx.input(0).shape)


def broadcast_to(ctx) -> np.ndarray:
    data, shape = _inputs(ctx)[:2]
    shape = [int(d) for d in np.atleast_1d(shape)]
    limits.check_shape("the result", shape, 8)
    return np.broadcast_to(data, shape)


def cast(ctx) -> np.ndarray:
    return _known(ctx, 0)  # converted to the output's element type like every result


def reduce_prod(ctx) -> np.ndarray:
    data, axes = _inputs(ctx)[:2]
    axes = tuple(sorted({_axis(int(a), data.ndim) for a in np.atleast_1d(axes)}))
    keep_dims = bool(ctx.options(schema.ReducerOptions).keep_dims)
    return np.prod(data, axis=axes, keepdims=keep_dims)


def _division(a: np.ndarray, b: np.ndarray, floor: bool) -> np.ndarray:
    if np.any(b == 0):
        raise ModelError("division by zero")
    if a.dtype.kind == "f":
        quotient = a / b
        return np.floor(quotient) if floor else quotient
    # TFLite's integer DIV truncates towards zero like C; FLOOR_DIV rounds down.
    return np.floor_divide(a, b) if floor else np.trunc(a / b).astype(np.int64)


def _arithmetic(operation, options_cls):
    def fold(ctx) -> np.ndarray:
        a, b = _inputs(ctx)[:2]
        limits.check_shape("the result", np.broadcast_shapes(a.shape, b.shape), 8)
        result = operation(a.astype(np.int64) if a.dtype.kind == "i" else a,
                           b.astype(np.int64) if b.dtype.kind == "i" else b)
        if options_cls is None:
            return result
        return _activation(result, ctx.options(options_cls).fused_activation_function)
    return fold


_CODES = schema.BUILTIN_OPERATOR_CODES
FOLDERS = {
    _CODES["SHAPE"]: shape,
    _CODES["STRIDED_SLICE"]: strided_slice,
    _CODES["PACK"]: pack,
    _CODES["CONCATENATION"]: concatenation,
    _CODES["GATHER"]: gather,
    _CODES["CAST"]: cast,
    _CODES["FILL"]: fill,
    _CODES["ZEROS_LIKE"]: zeros_like,
    _CODES["BROADCAST_TO"]: broadcast_to,
    _CODES["REDUCE_PROD"]: reduce_prod,
    _CODES["ADD"]: _arithmetic(np.add, schema.AddOptions),
    _CODES["SUB"]: _arithmetic(np.subtract, schema.SubOptions),
    _CODES["MUL"]: _arithmetic(np.multiply, schema.MulOptions),
    _CODES["DIV"]: _arithmetic(lambda a, b: _division(a, b, floor=False), schema.DivOptions),
    _CODES["FLOOR_DIV"]: _arithmetic(lambda a, b: _division(a, b, floor=True), None),
}


def folds(code: int, ctx, has_converter: bool) -> bool:
    """Whether the operator is evaluated here: always when no converter lowers it, and
    when every input is known at import and it computes integers (shape arithmetic)."""
    if code not in FOLDERS:
        return False
    if not has_converter:
        return True
    inputs = [ctx.optional_input(i) for i in range(len(ctx.input_indices))]
    return ctx.output.dtype in _INTEGER_TYPES and all(t is None or t.is_constant
                                                      for t in inputs)


def fold(code: int, ctx) -> None:
    """Evaluates the operator and makes its output a constant tensor."""
    output = ctx.output
    try:
        result = np.asarray(FOLDERS[code](ctx))
    except (ValueError, IndexError, TypeError) as error:  # inputs numpy cannot combine
        raise ModelError(f"cannot evaluate it on its constant inputs: {error}") from None
    if output.shape and result.shape != output.shape:
        raise ModelError(f"computed a value of shape {list(result.shape)}, but the output "
                         f"'{output.name}' is declared {list(output.shape)}")
    ctx.alias_output(Tensor(output.name, result.shape, output.dtype, output.quant,
                            result.astype(NUMPY_TYPES[output.dtype])))
