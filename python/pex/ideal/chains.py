"""Channel-split chains: which operators can run as a loop over channel slices, and what
each step of that loop holds.

A chain is a producer, then channel-local operators, then either nothing (the slices of
the last channel-local operator's result are assembled into its full tensor) or a
consumer that sums over its input channels into a full-size accumulator. Every tensor
strictly inside the chain has that chain operator as its only reader and is not a model
output, so it exists one slice at a time. The rules are spelled out in docs/corpus.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from pex.errors import ModelError
from pex.graph import Op, Tensor
from pex.ideal.fusion import ELEMENTWISE_KINDS, VIEW_KINDS
from pex.ideal.problem import Problem, tensor_bytes
from pex.tosa.convolution import is_one_convolution, transpose_conv_out_pad
from pex.tosa.resize import tosa_resize_parameters
from pex.tosa.shape import is_descending_run

# Bytes of one accumulator element per element type of the consumer's input: TFLite and
# TOSA accumulate int8 in i32, int16 in i48 (held in 64 bits) and float in f32.
_ACCUMULATOR_BYTES = {"i8": 4, "i16": 8, "f32": 4}


@dataclass(frozen=True)
class Term:
    what: str
    bytes: int  # the whole tensor's bytes, or one channel's when in `SubStep.per_channel`


@dataclass(frozen=True)
class SubStep:
    """One step of the loop (or the finalising step): the chain's bytes live during it,
    besides the buffers live around the chain."""

    label: str
    fixed: tuple[Term, ...]
    per_channel: tuple[Term, ...]  # slices: one channel's bytes, times the slice width
    granularity: int = 1  # slices are whole groups of this many channels

    def terms(self, channels: int, slices: int) -> list[Term]:
        width = -(-channels // slices)
        width = -(-width // self.granularity) * self.granularity
        plural = "s" if width > 1 else ""
        return list(self.fixed) + [Term(f"{t.what} (slice of {width} channel{plural})",
                                        t.bytes * width) for t in self.per_channel]

    def bytes(self, channels: int, slices: int) -> int:
        return sum(t.bytes for t in self.terms(channels, slices))


@dataclass(frozen=True)
class Chain:
    members: tuple[int, ...]  # operator indices in execution order, views included
    producer: int
    consumer: int | None  # None: the last channel-local result is assembled
    channels: int
    loop: tuple[SubStep, ...]
    finalise: SubStep | None  # the accumulator turned into the consumer's result
    label: str  # e.g. "ops 2 conv2d -> 3 depthwise_conv2d (assembled, 16 channels)"

    @property
    def most_slices(self) -> int:
        """One channel per slice, or one group with a grouped convolution inside."""
        return -(-self.channels // self.loop[0].granularity)


def _channels(tensor: Tensor) -> int:
    return tensor.shape[-1] if tensor.shape else 1


def _has_constant_weights(op: Op) -> bool:
    return len(op.inputs) > 1 and op.inputs[1] is not None and op.inputs[1].is_constant


def group_width(op: Op) -> int:
    """A convolution's channels per group when its input and output groups are equally
    wide (1: one group), or 0 when they are not (no slice of it is channel-local)."""
    if op.kind != "conv2d" or not _has_constant_weights(op):
        return 1
    group_in, channels = op.inputs[1].shape[3], _channels(op.inputs[0])
    if group_in == channels:
        return 1
    return group_in if is_one_convolution(channels, group_in, _channels(op.output)) else 0


def is_producer(op: Op) -> bool:
    """Computes any slice of its output channels from its whole input."""
    if op.kind in ("conv2d", "fully_connected"):
        return _has_constant_weights(op)
    if op.kind == "depthwise_conv2d":
        return _has_constant_weights(op) and op.inputs[1].shape[2] == 1
    if op.kind == "transpose_conv2d":  # one tosa.transpose_conv2d, not a zero-inserted conv2d
        return _has_constant_weights(op) and transpose_conv_out_pad(op) is not None
    if op.kind == "gather_indexed":  # an embedding: columns of a constant table
        return op.inputs[0].is_constant and op.attrs["axis"] != len(op.inputs[0].shape) - 1
    return False


def _consumes_channels(op: Op, tensor: Tensor, channels: int) -> bool:
    """Sums over the input channels of `tensor` (read through views), so a slice of them
    adds into its accumulator with the matching weight rows."""
    if op.inputs[0] is not tensor or not _has_constant_weights(op):
        return False
    if op.kind == "conv2d":
        return _channels(tensor) == channels and group_width(op) == 1
    # Its input is flattened to [N, K]: every element, whatever channel it came from, meets
    # its own weight column, so a slice's elements add their products alone.
    return op.kind == "fully_connected"


def _is_channel_local(problem: Problem, op: Op, tensor: Tensor, channels: int) -> bool:
    """Maps each channel of `tensor` to the same channel of its output, alone."""
    if _channels(op.output) != channels or len(op.outputs) != 1:
        return False
    if op.kind in ELEMENTWISE_KINDS or op.kind == "elementwise":
        # Its only activation operand is the sliced tensor; constants (in flash) broadcast
        # to it, so a slice reads their matching channels.
        others = [t for t in op.inputs if t is not None and t is not tensor]
        return (tensor in op.inputs and not any(problem.is_activation(t) for t in others)
                and all(_broadcasts(t.shape, tensor.shape) for t in others)
                and op.output.shape == tensor.shape)
    if op.inputs[0] is not tensor:
        return False
    if op.kind in ("avg_pool2d", "max_pool2d"):
        return True
    if op.kind == "resize":  # one tosa.resize; gathers and tiles are views Pex pins
        return tosa_resize_parameters(op) is not None
    if op.kind == "depthwise_conv2d":
        return _has_constant_weights(op) and op.inputs[1].shape[3] == 1
    if op.kind == "conv2d":  # grouped: channel-local by whole groups
        return group_width(op) > 1
    if op.kind in ("mean", "reduce_sum", "reduce_max", "reduce_min"):
        return len(tensor.shape) - 1 not in op.attrs["axes"]
    if op.kind == "gather":  # a whole axis but the channels reversed: one tosa.reverse
        axis, indices = op.attrs["axis"], op.attrs["indices"]
        return (axis != len(tensor.shape) - 1 and len(indices) == tensor.shape[axis]
                and is_descending_run(indices))
    if op.kind == "gather_indexed":  # rows of an activation at run-time indices
        return op.attrs["axis"] != len(tensor.shape) - 1
    if op.kind == "pad":
        pads = op.attrs["pads"]
        return tuple(pads[0]) == (0, 0) and tuple(pads[-1]) == (0, 0)
    return False


def _broadcasts(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """numpy broadcasting of `shape` to `target` without growing it."""
    return len(shape) <= len(target) and all(
        d in (1, t) for d, t in zip(reversed(shape), reversed(target)))


def _only_reader(problem: Problem, tensor: Tensor) -> int | None:
    readers = problem.tensor_readers.get(tensor, [])
    if len(readers) != 1 or problem.is_model_output(tensor):
        return None
    return readers[0]


def _computing(problem: Problem, members: list[int]) -> list[int]:
    return [o for o in members if problem.ops[o].kind not in VIEW_KINDS]


def _assembled(problem: Problem, members: list[int], channels: int,
               granularity: int) -> Chain:
    ops = problem.ops
    computing = _computing(problem, members)
    result = ops[computing[-1]].output
    end = Term(f"{problem.labels[result]} (assembled)", tensor_bytes(result))
    loop = []
    for position, o in enumerate(computing):
        slices = []
        if position > 0:
            slices.append(_slice_term(problem, ops[computing[position - 1]].output, channels))
        if position < len(computing) - 1:
            slices.append(_slice_term(problem, ops[o].output, channels))
        loop.append(SubStep(problem.op_labels[o], (end,), tuple(slices), granularity))
    return Chain(tuple(members), members[0], None, channels, tuple(loop), None,
                 _label(problem, computing, "assembled", channels, granularity))


def _accumulated(problem: Problem, members: list[int], channels: int,
                 granularity: int) -> Chain:
    ops = problem.ops
    computing = _computing(problem, members)
    consumer = computing[-1]
    result = ops[consumer].output
    dtype = ops[consumer].inputs[0].dtype
    if dtype not in _ACCUMULATOR_BYTES:
        raise ModelError(f"{problem.op_labels[consumer]}: no accumulator type known "
                         f"for {dtype} inputs")
    accumulator = Term(f"accumulator of {problem.labels[result]}",
                       result.num_elements * _ACCUMULATOR_BYTES[dtype])
    loop = []
    for position, o in enumerate(computing):
        slices = []
        if position > 0:
            slices.append(_slice_term(problem, ops[computing[position - 1]].output, channels))
        if o != consumer:
            slices.append(_slice_term(problem, ops[o].output, channels))
        loop.append(SubStep(problem.op_labels[o], (accumulator,), tuple(slices),
                            granularity))
    finalise = [accumulator]
    stored = problem.buffers[problem.buffer_of[result]]
    if not stored.readers and not stored.is_output:
        finalise.append(Term(problem.labels[result], tensor_bytes(result)))  # written, then dead
    label = f"finalising {problem.op_labels[consumer]}"
    return Chain(tuple(members), members[0], consumer, channels, tuple(loop),
                 SubStep(label, tuple(finalise), (), granularity),
                 _label(problem, computing, "accumulated", channels, granularity))


def _label(problem: Problem, computing: list[int], end: str, channels: int,
           granularity: int) -> str:
    path = " -> ".join(problem.op_labels[o].removeprefix("op ") for o in computing)
    groups = f" in groups of {granularity}" if granularity > 1 else ""
    return f"ops {path} ({end}, {channels} channels{groups})"


def _slice_term(problem: Problem, tensor: Tensor, channels: int) -> Term:
    return Term(problem.labels[tensor], tensor_bytes(tensor) // channels)


def find_chains(problem: Problem) -> list[Chain]:
    """Every chain the graph allows, longest prefixes included: a producer followed by
    channel-local operators can stop at any of them."""
    chains = []
    ops = problem.ops
    for producer, op in enumerate(ops):
        if not is_producer(op) or not problem.is_activation(op.output):
            continue
        tensor, channels = op.output, _channels(op.output)
        if channels < 2:
            continue
        members = [producer]
        granularity = 1  # a grouped convolution inside: slices of whole groups
        flattened = False  # read through a reshape that moved the channels off the last axis
        while (reader := _only_reader(problem, tensor)) is not None:
            step = ops[reader]
            if step.kind in VIEW_KINDS:
                members.append(reader)
                flattened = flattened or _channels(step.output) != channels
                tensor = step.output
                continue
            if _consumes_channels(step, tensor, channels) and (
                    not flattened or step.kind == "fully_connected"):
                chains.append(_accumulated(problem, members + [reader], channels,
                                           granularity))
                break
            if flattened or not _is_channel_local(problem, step, tensor, channels):
                break
            width = group_width(step)
            if width > 1 and granularity not in (1, width):
                break  # no slice is whole groups of both
            granularity = max(granularity, width)
            members.append(reader)
            chains.append(_assembled(problem, members, channels, granularity))
            tensor = step.output
    return chains
