"""A model graph as the ideal sees it: operators (`pex.ideal.fusion`) reading and writing
buffers.

A buffer is an activation tensor together with its views: a reshape writes no bytes, its
result shares its input's buffer. Constant tensors, and results computed from constants
only, are weights in flash and have no buffer. The model's inputs are buffers from the
start; its outputs stay live to the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pex.errors import ModelError
from pex.graph import Graph, Op, Tensor
from pex.ideal.fusion import VIEW_KINDS, fuse

# A boolean (a comparison's result) takes a byte, as pexc stores it.
ELEMENT_BYTES = {"i1": 1, "i8": 1, "i16": 2, "i32": 4, "f32": 4, "i64": 8}


def tensor_bytes(tensor: Tensor) -> int:
    if tensor.dtype not in ELEMENT_BYTES:
        raise ModelError(f"tensor '{tensor.name}': no size known for element type {tensor.dtype}")
    return tensor.num_elements * ELEMENT_BYTES[tensor.dtype]


def working_bytes(op: Op) -> int:
    """Bytes an operator holds during its step beyond its inputs and outputs: an LSTM's
    state h and c and its four gates (batch x units each; int8: h int8, c and the gates
    int16), as any kernel computing the gates as one matrix product holds them (TFLite
    Micro's: h and c as variable tensors, four gate scratch buffers); a GRU's h and the
    gates' products of x and of h (three units each); a plain RNN's h and its two
    products. h is not counted twice when it is a result (ONNX's Y_h)."""
    if op.kind not in ("lstm", "gru", "rnn"):
        return 0
    x = op.inputs[0]
    batch = x.shape[1] if op.attrs["time_major"] else x.shape[0]
    units = op.inputs[1].shape[0]
    hidden = 0 if len(op.outputs) > 1 or not op.attrs.get("sequence", True) else 1
    if op.kind == "gru":  # float: h and the gates' two products (x and h, 3 units each)
        return batch * units * 4 * (hidden + 6)
    if op.kind == "rnn":  # float: h and the products of x and of h
        return batch * units * 4 * (hidden + 2)
    per_unit = hidden + 2 + 4 * 2 if x.dtype == "i8" else 4 * (hidden + 1 + 4)
    return batch * units * per_unit


@dataclass
class Buffer:
    name: str
    bytes: int
    producer: int | None  # the writing operator; None for a model input
    readers: int = 0  # bit i: operator i reads the buffer or one of its views
    is_output: bool = False

    def live_after(self, executed: int) -> bool:
        """Whether the buffer still holds a value once the operators in `executed`
        (a bit set) have run; it must have been written already."""
        return self.is_output or bool(self.readers & ~executed)


@dataclass
class Problem:
    graph: Graph  # the fused operators
    op_labels: list[str]  # "op 3 conv2d": the model's graph op (pex.ideal.fusion)
    buffers: list[Buffer]
    reads: list[tuple[int, ...]]  # per operator: the buffers it reads
    writes: list[tuple[int, ...]]  # per operator: the buffers it creates (a view: none)
    predecessors: list[int]  # per operator: bit set of the operators it needs
    tensor_readers: dict[Tensor, list[int]] = field(default_factory=dict)
    buffer_of: dict[Tensor, int] = field(default_factory=dict)
    labels: dict[Tensor, str] = field(default_factory=dict)  # "op 3 conv2d", 'input "x"'

    @property
    def ops(self) -> list[Op]:
        return self.graph.ops

    def is_activation(self, tensor: Tensor | None) -> bool:
        return tensor is not None and tensor in self.buffer_of

    def is_model_output(self, tensor: Tensor) -> bool:
        return any(tensor is output for output in self.graph.outputs)

    def live_bytes(self, executed: int) -> int:
        """Bytes live between steps once the operators in `executed` have run."""
        return sum(b.bytes for b in self.live_buffers(executed))

    def live_buffers(self, executed: int) -> list[Buffer]:
        return [b for b in self.buffers
                if (b.producer is None or executed >> b.producer & 1) and b.live_after(executed)]


def build_problem(model: Graph) -> Problem:
    fused = fuse(model)
    graph = fused.graph
    buffers: list[Buffer] = []
    buffer_of: dict[Tensor, int] = {}
    producer_of: dict[Tensor, int] = {}
    tensor_readers: dict[Tensor, list[int]] = defaultdict(list)
    reads, writes, predecessors = [], [], []

    labels: dict[Tensor, str] = {}

    def new_buffer(tensor: Tensor, producer: int | None) -> None:
        buffer_of[tensor] = len(buffers)
        buffers.append(Buffer(labels[tensor], tensor_bytes(tensor), producer))

    for tensor in graph.inputs:
        labels[tensor] = f'input "{tensor.name}"'
        new_buffer(tensor, None)
    for index, op in enumerate(graph.ops):
        activations = []
        for tensor in op.inputs:
            if tensor is None or tensor.is_constant:
                continue
            if tensor not in buffer_of:
                if tensor in producer_of:  # computed from constants only
                    continue
                raise ModelError(f"{fused.labels[index]} reads tensor '{tensor.name}', "
                                 "which no earlier operator writes")
            if tensor not in activations:
                activations.append(tensor)
        for tensor in activations:
            tensor_readers[tensor].append(index)
        read = tuple(dict.fromkeys(buffer_of[t] for t in activations))
        written = []
        for position, tensor in enumerate(op.outputs):
            producer_of[tensor] = index
            labels[tensor] = fused.labels[index] + (f" #{position}" if position else "")
            if not activations:
                continue  # folded: flash, like the weights
            if op.kind in VIEW_KINDS:
                buffer_of[tensor] = buffer_of[activations[0]]
            else:
                new_buffer(tensor, index)
                written.append(buffer_of[tensor])
        needed = 0
        if activations and working_bytes(op):
            # Written and read by the step alone: live during it only.
            buffers.append(Buffer(f"{fused.labels[index]} state", working_bytes(op), index))
            written.append(len(buffers) - 1)
        for tensor in activations:
            if tensor in producer_of:
                needed |= 1 << producer_of[tensor]
        for b in read:
            buffers[b].readers |= 1 << index
        reads.append(read)
        writes.append(tuple(written))
        predecessors.append(needed)
    for tensor in graph.outputs:
        if tensor in buffer_of:
            buffers[buffer_of[tensor]].is_output = True
    return Problem(graph, fused.labels, buffers, reads, writes, predecessors,
                   dict(tensor_readers), buffer_of, labels)
