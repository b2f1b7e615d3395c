"""TensorFlow Lite Micro's activation plan (its arena's "head") for a .tflite model,
computed from the file alone, for models no TFLite Micro build here has run.

`python3 -m pex.reference.tflm_arena MODEL ...` prints one row per model: its head bytes.

What is modelled, as TFLite Micro's MicroAllocator and GreedyMemoryPlanner do it
(tflite-micro's micro_allocation_info.cc, micro_allocator.cc, greedy_memory_planner.cc):

- Buffers: every tensor of the first subgraph with no constant data, not a variable (an
  LSTM's or SVDF's state is persistent, in the tail) and of non-zero size; then the scratch
  buffers the reference kernels request in Prepare (`SCRATCH_REQUESTS`), in operator order.
- Lifetimes, in TFLite Micro's allocation scopes (operator i is scope i + 1): model inputs
  from scope 0, a tensor from the scope of the operator writing it to the last one reading
  it, model outputs to the last operator; a scratch buffer lives in its operator's scope.
- Sizes: bytes rounded up to 16 (kBufferAlignment, MicroArenaBufferAlignment()).
- Order: the planner fills its sort array from the tail, so the buffers start in reverse
  order of addition; its stable bubble sort then orders them by size, largest first, and
  equal sizes keep the later-added buffer first.
- Placement: the first buffer at offset 0; each next one at the first gap, walking the
  placed buffers in offset order, that fits it between the buffers alive at the same time
  (the end of the last one otherwise). The head is the largest offset + size.

Refused: models carrying offline-planned offsets (the "OfflineMemoryAllocation" metadata),
control flow (IF, WHILE, CALL_ONCE and their subgraphs) and hybrid operators (float input,
int8 weights), which TFLite Micro refuses. Optimized kernels (CMSIS-NN and the others)
request other scratch buffers: their plans differ. TFLite Micro shares no memory between a
RESHAPE's input and output: both are planned, as here.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass
from typing import Callable

from pex.errors import ModelError
from pex.importers.tflite import schema

# kBufferAlignment: every planned size is rounded up to it.
BUFFER_ALIGNMENT = 16
# ADD_N's scratch holds one data pointer per input; 4 bytes on the 32-bit MCU.
POINTER_BYTES = 4

# TfLiteTypeGetSize by schema TensorType. Types TFLite Micro cannot plan (STRING,
# RESOURCE, VARIANT, packed INT4) are absent: a planned tensor of such a type is refused.
_TYPE_BYTES = {"FLOAT32": 4, "FLOAT16": 2, "INT32": 4, "UINT8": 1, "INT64": 8, "BOOL": 1,
               "INT16": 2, "COMPLEX64": 8, "INT8": 1, "FLOAT64": 8, "COMPLEX128": 16,
               "UINT64": 8, "UINT32": 4, "UINT16": 2}
# kUninitializedLifetime: the lifetime of a tensor no operator writes or reads.
_UNSET_LIFETIME = -1
_CONTROL_FLOW = {"IF", "WHILE", "CALL_ONCE"}
# The metadata entry holding offline-planned offsets, which the planner keeps as given.
_OFFLINE_PLAN = "OfflineMemoryAllocation"
# (activation input, weights) operand indices of the operators TFLite Micro refuses in
# hybrid form (float activations, int8 weights): Prepare fails, so there is no plan.
_WEIGHTED_OPERANDS = {"CONV_2D": (0, 1), "DEPTHWISE_CONV_2D": (0, 1),
                      "FULLY_CONNECTED": (0, 1), "TRANSPOSE_CONV": (2, 1), "SVDF": (0, 1),
                      "UNIDIRECTIONAL_SEQUENCE_LSTM": (0, 2)}


@dataclass(frozen=True)
class Buffer:
    """One buffer of the plan: `size` already aligned, lifetime in allocation scopes."""
    name: str
    size: int
    first: int
    last: int


@dataclass(frozen=True)
class Plan:
    buffers: list[Buffer]
    offsets: list[int]

    @property
    def head(self) -> int:
        return max((offset + buffer.size for buffer, offset in zip(self.buffers, self.offsets)),
                   default=0)


def _align(size: int) -> int:
    return -(-size // BUFFER_ALIGNMENT) * BUFFER_ALIGNMENT


class _Operator:
    """One operator's view for the scratch rules: its code name, options and tensors."""

    def __init__(self, model: schema.Model, operator: schema.Operator, tensors: list) -> None:
        self.code = schema.builtin_operator_name(
            model.operator_codes[operator.opcode_index].code)
        self.view = operator
        self.inputs = [tensors[i] if i >= 0 else None for i in _indices(operator.inputs)]
        self.outputs = [tensors[i] for i in _indices(operator.outputs)]

    def options(self, cls):
        return self.view.builtin_options(cls)


def _indices(vector) -> list[int]:
    return [] if vector is None else [int(i) for i in vector]


def _elements(tensor: schema.Tensor) -> int:
    """Element count; a tensor without a shape is a scalar, as TFLite Micro reads it."""
    return math.prod(int(d) for d in tensor.shape) if tensor.shape is not None else 1


def _rank(tensor: schema.Tensor) -> int:
    return 0 if tensor.shape is None else len(tensor.shape)


def _type(tensor: schema.Tensor) -> str:
    return schema.TENSOR_TYPE_NAMES[tensor.type] if tensor.type < len(
        schema.TENSOR_TYPE_NAMES) else f"type {tensor.type}"


def _tensor_bytes(tensor: schema.Tensor) -> int:
    kind = _type(tensor)
    if kind not in _TYPE_BYTES:
        raise ModelError(f"tensor '{tensor.name}': TFLite Micro does not plan {kind} tensors")
    return _elements(tensor) * _TYPE_BYTES[kind]


# Scratch buffers of TFLite Micro's reference kernels: code name -> the byte sizes one
# operator requests, in its Prepare's order (tflite-micro/tensorflow/lite/micro/kernels).

def _svdf(op: _Operator) -> list[int]:
    # svdf_common.cc PrepareSvdf: the filters' int32 (or float) activations, then for the
    # integer kernel the units' int32 sums.
    x, weights_feature = op.inputs[0], op.inputs[1]
    batch, filters = int(x.shape[0]), int(weights_feature.shape[0])
    if _type(x) == "FLOAT32":
        return [batch * filters * 4]
    units = filters // op.options(schema.SVDFOptions).rank
    return [batch * filters * 4, batch * units * 4]


def _lstm(op: _Operator) -> list[int]:
    # unidirectional_sequence_lstm.cc: four buffers of batch x state elements of the cell
    # state's type, holding the gates and the updated cell within a time step.
    x, hidden_state, cell_state = op.inputs[0], op.inputs[18], op.inputs[19]
    batch = int(x.shape[1] if op.options(schema.UnidirectionalSequenceLSTMOptions).time_major
                else x.shape[0])
    return [batch * int(hidden_state.shape[1]) * _TYPE_BYTES[_type(cell_state)]] * 4


def _transpose_conv(op: _Operator) -> list[int]:
    # transpose_conv.cc: the scattered products, int32 for int8 and int64 for 16x8; a
    # 16x8 kernel with an int16 bias also gets an int64 copy of it.
    x, output = op.inputs[2], op.outputs[0]
    bias = op.inputs[3] if len(op.inputs) > 3 else None
    if _type(x) == "INT8":
        return [_elements(output) * 4]
    if _type(x) == "INT16":
        converted_bias = [_elements(bias) * 8] if bias is not None and _type(bias) == "INT16" \
            else []
        return [_elements(output) * 8] + converted_bias
    return []


def _mean_or_sum(op: _Operator) -> list[int]:
    # reduce_common.cc PrepareMeanOrSumHelper: int32 sums of the output's size.
    return [_elements(op.outputs[0]) * 4] if _type(op.inputs[0]) in ("INT8", "INT16") else []


def _min_or_max(op: _Operator) -> list[int]:
    # reduce_common.cc PrepareMinMaxHelper: an index per input dimension, a resolved axis
    # per axis element.
    return [_rank(op.inputs[0]) * 4, _elements(op.inputs[1]) * 4]


def _add_n(op: _Operator) -> list[int]:
    # add_n.cc: the inputs' data pointers.
    return [POINTER_BYTES * len(op.inputs)]


def _mirror_pad(op: _Operator) -> list[int]:
    # mirror_pad.cc: the output's and the input's per-dimension element counts.
    return [_rank(op.inputs[0]) * 4] * 2


def _int4_weights(op: _Operator) -> list[int]:
    # conv_common.cc, depthwise_conv_common.cc, fully_connected.cc: packed int4 weights
    # are unpacked to one byte each.
    weights = op.inputs[1]
    return [_elements(weights)] if _type(weights) == "INT4" else []


SCRATCH_REQUESTS: dict[str, Callable[[_Operator], list[int]]] = {
    "SVDF": _svdf,
    "UNIDIRECTIONAL_SEQUENCE_LSTM": _lstm,
    "TRANSPOSE_CONV": _transpose_conv,
    "MEAN": _mean_or_sum,
    "SUM": _mean_or_sum,
    "REDUCE_MAX": _min_or_max,
    "REDUCE_MIN": _min_or_max,
    "ADD_N": _add_n,
    "MIRROR_PAD": _mirror_pad,
    "CONV_2D": _int4_weights,
    "DEPTHWISE_CONV_2D": _int4_weights,
    "FULLY_CONNECTED": _int4_weights,
}


def _refuse_unplanned(position: int, op: _Operator) -> None:
    """Operators TFLite Micro would not plan as modelled here."""
    if op.code in _CONTROL_FLOW:
        raise ModelError(f"operator {position} ({op.code}): control flow subgraphs are not "
                         f"modelled")
    if op.code in _WEIGHTED_OPERANDS:
        x, weights = (op.inputs[i] for i in _WEIGHTED_OPERANDS[op.code])
        if _type(x) == "FLOAT32" and _type(weights) == "INT8":
            raise ModelError(f"operator {position} ({op.code}): hybrid (float input, int8 "
                             f"weights); TFLite Micro refuses it")


def planned_buffers(data: bytes) -> list[Buffer]:
    """The buffers TFLite Micro hands its planner, in the order it adds them: the tensors
    by index, then the scratch buffers by request."""
    if data[4:8] != schema.FILE_IDENTIFIER:
        raise ModelError("not a TFLite model")
    model = schema.Model.root(data)
    if not model.subgraphs:
        raise ModelError("the model has no subgraph")
    if any(entry.name == _OFFLINE_PLAN for entry in model.metadata):
        raise ModelError(f"the model carries an offline plan ({_OFFLINE_PLAN} metadata), "
                         f"not modelled")
    subgraph = model.subgraphs[0]
    tensors = subgraph.tensors
    first = [_UNSET_LIFETIME] * len(tensors)
    last = [_UNSET_LIFETIME] * len(tensors)
    for index in _indices(subgraph.inputs) + _indices(subgraph.outputs):
        first[index] = last[index] = 0
    scratch: list[Buffer] = []
    operators = subgraph.operators
    for position, view in enumerate(operators):
        op = _Operator(model, view, tensors)
        _refuse_unplanned(position, op)
        scope = position + 1
        for index in _indices(view.outputs):
            first[index] = last[index] = scope
        for index in _indices(view.inputs):
            if index >= 0:  # -1: an omitted optional operand
                last[index] = scope
        requests = SCRATCH_REQUESTS[op.code](op) if op.code in SCRATCH_REQUESTS else []
        scratch += [Buffer(f"op {position} {op.code} scratch {number}", _align(size), scope,
                           scope) for number, size in enumerate(requests)]
    for index in _indices(subgraph.outputs):
        last[index] = len(operators)
    planned = []
    for index, tensor in enumerate(tensors):
        data_buffer = model.buffers[tensor.buffer] if tensor.buffer < len(model.buffers) \
            else None
        constant = data_buffer is not None and data_buffer.data is not None \
            and len(data_buffer.data) > 0
        size = 0 if constant or tensor.is_variable else _tensor_bytes(tensor)
        if size:
            planned.append(Buffer(tensor.name or f"tensor {index}", _align(size), first[index],
                                  last[index]))
    return planned + scratch


def greedy_offsets(buffers: list[Buffer]) -> list[int]:
    """GreedyMemoryPlanner::CalculateOffsetsIfNeeded: each buffer's offset."""
    if not buffers:
        return []
    # Filled from the tail, then a stable sort by size, largest first.
    order = sorted(reversed(range(len(buffers))), key=lambda i: -buffers[i].size)
    offsets = [0] * len(buffers)
    by_offset: list[int] = [order[0]]  # the placed buffers, in increasing offset order
    for index in order[1:]:
        wanted = buffers[index]
        # Walk the buffers alive at the same time, by offset: the wanted one goes in the
        # first gap between the end of those passed and the next one that is large enough.
        candidate = 0
        for placed in by_offset:
            other = buffers[placed]
            if other.first > wanted.last or wanted.first > other.last:
                continue
            if offsets[placed] - candidate >= wanted.size:
                break
            candidate = max(candidate, offsets[placed] + other.size)
        offsets[index] = candidate
        # Inserted after every placed buffer at the same or a lower offset.
        position = next((p for p, placed in enumerate(by_offset)
                         if offsets[placed] > candidate), len(by_offset))
        by_offset.insert(position, index)
    return offsets


def plan(data: bytes) -> Plan:
    buffers = planned_buffers(data)
    return Plan(buffers, greedy_offsets(buffers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-tflm-arena", description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", metavar="MODEL", help=".tflite files")
    parser.add_argument("--buffers", action="store_true",
                        help="also print each model's planned buffers and offsets")
    args = parser.parse_args(argv)
    plans: list[tuple[str, Plan | None]] = []
    for path in args.models:
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, "rb") as file:
                plans.append((name, plan(file.read())))
        except (OSError, ModelError) as error:
            print(f"pex-tflm-arena: error: {path}: {error}", file=sys.stderr)
            plans.append((name, None))
    print("| model | TFLM head (B) |")
    print("|---|--:|")
    for name, result in plans:
        print(f"| {name} | {'refused' if result is None else result.head} |")
    if args.buffers:
        for name, result in plans:
            if result is not None:
                print(f"\n{name}: buffer, bytes, scopes, offset")
                for buffer, offset in zip(result.buffers, result.offsets):
                    print(f"  {buffer.name}: {buffer.size} B, {buffer.first}..{buffer.last}, "
                          f"at {offset}")
    return 0 if all(result is not None for _, result in plans) else 1


if __name__ == "__main__":
    sys.exit(main())
