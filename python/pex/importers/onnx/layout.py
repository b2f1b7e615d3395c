"""How an ONNX tensor is held in the graph: its axes in some order (a permutation).

ONNX tensors are NCHW; the graph keeps every 4-D activation NHWC. Rather than fixing one
layout per rank, each activation carries the permutation it is stored in, so that ONNX
Transposes cost nothing and a Reshape is a plain reshape whenever the stored element
order allows it (e.g. the channel split of a channel shuffle). A transpose is emitted
only where an operator needs another order than the one a tensor is held in.

Size-1 axes do not constrain element order: two layouts that list the other axes in the
same order are the same bytes, so converting between them is a reshape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pex.graph import Tensor

TO_NHWC = (0, 2, 3, 1)


def preferred_perm(rank: int) -> tuple[int, ...]:
    """NHWC for 4-D tensors (what convolutions and the function interface use), else
    ONNX's own order."""
    return TO_NHWC if rank == 4 else tuple(range(rank))


TO_NCHW = (0, 3, 1, 2)
# Layout-free on the way between the interface and its transposes: a QDQ model quantises
# its float input before the Transpose, or dequantises after it.
_ELEMENTWISE_ON_THE_WAY = {"QuantizeLinear", "DequantizeLinear"}


def channels_last_interface(graph) -> tuple[set[str], set[str]]:
    """The 4-D inputs and outputs of an ONNX graph that are channels last already: every
    reader of the input is a Transpose (0, 3, 1, 2) to NCHW, the output is a Transpose
    (0, 2, 3, 1) of an NCHW tensor (tf2onnx's and Keras's models, a PyTorch `forward`
    that permutes a camera's NHWC frame). The function takes and gives them in ONNX's
    order, which is NHWC: no transposed copy, and the application's bytes as the model
    file says. Quantisations on the way do not count."""
    readers: dict[str, list] = {}
    producer = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
        for name in node.output:
            producer[name] = node

    def read_transposed(name: str, hops: int = 2) -> bool:
        nodes = readers.get(name, [])
        return bool(nodes) and all(
            (node.op_type == "Transpose" and _perm(node) == TO_NCHW) or
            (hops > 0 and node.op_type in _ELEMENTWISE_ON_THE_WAY and node.input[0] == name
             and read_transposed(node.output[0], hops - 1))
            for node in nodes)

    def written_transposed(name: str, hops: int = 2) -> bool:
        node = producer.get(name)
        if node is None:
            return False
        if node.op_type == "Transpose":
            return _perm(node) == TO_NHWC
        return hops > 0 and node.op_type in _ELEMENTWISE_ON_THE_WAY and \
            written_transposed(node.input[0], hops - 1)

    outputs = {value.name for value in graph.output}
    rank = lambda value: len(value.type.tensor_type.shape.dim)  # noqa: E731
    return ({value.name for value in graph.input
             if rank(value) == 4 and value.name not in outputs and read_transposed(value.name)},
            {value.name for value in graph.output
             if rank(value) == 4 and written_transposed(value.name)})


def _perm(node) -> tuple[int, ...] | None:
    for attribute in node.attribute:
        if attribute.name == "perm":
            return tuple(attribute.ints)
    return None


def stored_shape(shape, perm) -> tuple[int, ...]:
    return tuple(int(shape[a]) for a in perm)


def same_bytes(shape, perm_a, perm_b) -> bool:
    """Whether a tensor of ONNX shape `shape` has the same element order in both layouts."""
    return ([a for a in perm_a if shape[a] != 1] == [a for a in perm_b if shape[a] != 1])


def transpose_between(perm_from, perm_to) -> tuple[int, ...]:
    """The TOSA transpose perms that take a tensor stored in `perm_from` to `perm_to`."""
    return tuple(perm_from.index(a) for a in perm_to)


def compact_transpose(shape, perms) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The same data movement on fewer axes: size-1 axes dropped and runs of axes that
    stay adjacent and in order merged. Returns (shape to reshape to, perms)."""
    kept = [a for a in range(len(shape)) if shape[a] != 1]
    order = [a for a in perms if shape[a] != 1]  # input axes in output order
    groups: list[list[int]] = []
    for axis in order:
        if groups and kept.index(axis) == kept.index(groups[-1][-1]) + 1:
            groups[-1].append(axis)
        else:
            groups.append([axis])
    by_input = sorted(groups, key=lambda g: g[0])
    merged_shape = tuple(int(np.prod([shape[a] for a in g])) for g in by_input)
    merged_perms = tuple(by_input.index(g) for g in groups)
    return merged_shape, merged_perms


def reshape_groups(source, target) -> list[tuple[list[int], list[int]]] | None:
    """Pairs (source axes, target axes) of non-unit axes with equal element counts, in
    order: how a reshape regroups axes. None if the sizes do not factor that way."""
    src = [a for a in range(len(source)) if source[a] != 1]
    dst = [a for a in range(len(target)) if target[a] != 1]
    groups, i, j = [], 0, 0
    while i < len(src) or j < len(dst):
        if i == len(src) or j == len(dst):
            return None
        group_src, group_dst = [src[i]], [dst[j]]
        size_src, size_dst = source[src[i]], target[dst[j]]
        i, j = i + 1, j + 1
        while size_src != size_dst:
            if size_src < size_dst:
                if i == len(src):
                    return None
                group_src.append(src[i])
                size_src *= source[src[i]]
                i += 1
            else:
                if j == len(dst):
                    return None
                group_dst.append(dst[j])
                size_dst *= target[dst[j]]
                j += 1
        groups.append((group_src, group_dst))
    return groups


def _with_unit_axes(order: list[int], rank: int) -> tuple[int, ...]:
    """A full permutation from the order of the non-unit axes: unit axes go first."""
    units = [a for a in range(rank) if a not in order]
    return tuple(units + order)


def reshape_result_perm(source, source_perm, target) -> tuple[int, ...] | None:
    """The layout of `target` that a plain reshape of the stored source produces, preferring
    `preferred_perm`; None when the stored element order needs a transpose first."""
    groups = reshape_groups(source, target)
    if groups is None:
        return None
    position = {a: i for i, a in enumerate(a for a in source_perm if source[a] != 1)}
    order = []
    for group_src, group_dst in sorted(groups, key=lambda g: position[g[0][0]]):
        places = [position[a] for a in group_src]
        if places != list(range(places[0], places[0] + len(places))):
            return None  # the group's axes are not adjacent and in order when stored
        order.extend(group_dst)
    preferred = preferred_perm(len(target))
    if [a for a in preferred if target[a] != 1] == order:
        return preferred
    return _with_unit_axes(order, len(target))


def reshape_source_perm(source, target, target_perm) -> tuple[int, ...] | None:
    """A layout of the source from which a plain reshape gives `target` in `target_perm`."""
    groups = reshape_groups(source, target)
    if groups is None:
        return None
    group_of = {a: g for g in groups for a in g[1]}
    stored = [a for a in target_perm if target[a] != 1]
    order, i = [], 0
    while i < len(stored):
        group_src, group_dst = group_of[stored[i]]
        if stored[i:i + len(group_dst)] != group_dst:
            return None  # target axes of one group stored apart or out of order
        order.extend(group_src)
        i += len(group_dst)
    return _with_unit_axes(order, len(source))


@dataclass(eq=False)
class Activation:
    """A tensor computed at run time, held as `tensor` with ONNX axis `perm[i]` stored
    as axis i.

    `form` says what the ONNX value is in terms of the tensor:
      "value"        the tensor itself (float, or int8: ONNX uint8 tensors are held as
                     int8 with the zero point lowered by 128, `unsigned` set);
      "dequantized"  the float tensor DequantizeLinear(tensor), exactly;
      "requantized"  a float tensor v of which only QuantizeLinear(v) (with the tensor's
                     parameters) is ever read, which the tensor holds.
    """

    tensor: Tensor
    perm: tuple[int, ...]
    form: str = "value"
    unsigned: bool = False

    @property
    def shape(self) -> tuple[int, ...]:
        """The ONNX shape."""
        shape = [0] * len(self.perm)
        for stored_axis, onnx_axis in enumerate(self.perm):
            shape[onnx_axis] = self.tensor.shape[stored_axis]
        return tuple(shape)

    @property
    def rank(self) -> int:
        return len(self.perm)

    @property
    def quantized(self) -> bool:
        return self.tensor.dtype == "i8"

    def stored_axis(self, onnx_axis: int) -> int:
        return self.perm.index(onnx_axis)

    def transposed(self, perm) -> "Activation":
        """ONNX's Transpose by `perm`: free, only the layout the tensor is known to be
        held in changes."""
        return Activation(self.tensor, tuple(perm.index(a) for a in self.perm), self.form,
                          self.unsigned)
