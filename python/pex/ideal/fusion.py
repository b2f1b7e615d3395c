"""Operators as the ideal counts them: the importers' graph ops, fused where one logical
operator was imported as several.

The TFLite importer keeps TFLite's operators (a convolution with its fused activation is
one op). The ONNX importer writes finer ops: an int8 convolution is a convolution into an
int32 tensor and a rescale, an int8 add rescales its inputs to int32 first, a Relu is a
separate op, HardSwish is four element-wise ops. No runtime stores those int32 tensors or
the values between element-wise functions, so the ideal fuses them back. Through a tensor
with a single reader that is not a model output:

  accumulator   an int32 result of a non-element-wise operator joins its reader;
  element-wise  element-wise operators join each other;
  epilogue      an element-wise operator whose only activation input is an operator's
                result joins that operator (a fused activation), unless it widens the
                result to int32 (that rescale belongs to the int32 arithmetic reading it)
                or the operator is a view (a reshape stays free).

A fused operator contains at most one operator that is not element-wise (its kind, weights
and attributes are the fused operator's); it reads what its members read from outside and
writes the one result read outside (every other member's result has a single reader in
the group, so the group is a tree and its last member writes the result).
"""

from __future__ import annotations

from dataclasses import dataclass

from pex.graph import Graph, Op, Tensor

VIEW_KINDS = frozenset({"reshape"})  # results that share their input's bytes
ELEMENTWISE_KINDS = frozenset({
    "relu", "relu6", "relu_n1_to_1", "leaky_relu", "logistic", "tanh", "quantize",
    "dequantize", "rescale", "clamp", "cast", "add", "sub", "mul", "div", "maximum",
    "minimum"})


def _activations(op: Op) -> list[Tensor]:
    return [t for t in dict.fromkeys(op.inputs) if t is not None and not t.is_constant]


@dataclass
class Fused:
    graph: Graph
    # Per fused operator: its main (or last) op's index in the model's graph and the kinds
    # of its members, "op 3 conv2d+rescale+clamp".
    labels: list[str]


def fuse(graph: Graph) -> Fused:
    ops = graph.ops
    producer = {t: i for i, op in enumerate(ops) for t in op.outputs}
    readers: dict[Tensor, list[int]] = {}
    for i, op in enumerate(ops):
        for t in _activations(op):
            readers.setdefault(t, []).append(i)
    outputs = set(map(id, graph.outputs))

    group = list(range(len(ops)))  # union-find

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    has_main = [op.kind not in ELEMENTWISE_KINDS for op in ops]
    for e, op in enumerate(ops):
        inputs = _activations(op)
        for t in inputs:
            p = producer.get(t)
            if (p is None or ops[p].kind in VIEW_KINDS or readers[t] != [e]
                    or id(t) in outputs or len(ops[p].outputs) != 1):
                continue
            gp, ge = find(p), find(e)
            if has_main[gp] and has_main[ge]:
                continue
            elementwise = op.kind in ELEMENTWISE_KINDS
            accumulator = t.dtype == "i32" and ops[p].kind not in ELEMENTWISE_KINDS
            if not has_main[gp]:
                joins = accumulator or elementwise
            else:
                widens = op.output.dtype == "i32" and t.dtype != "i32"
                joins = accumulator or (elementwise and inputs == [t] and not widens)
            if joins:
                group[gp] = ge
                has_main[ge] = has_main[ge] or has_main[gp]

    members: dict[int, list[int]] = {}
    for i in range(len(ops)):
        members.setdefault(find(i), []).append(i)
    fused_ops, labels = [], []
    for i in range(len(ops)):
        indices = members[find(i)]
        if i != indices[-1]:
            continue  # a group is placed at its last member, which writes its result
        fused_op, origin = _merge([ops[m] for m in indices], indices)
        fused_ops.append(fused_op)
        kinds = "+".join(ops[m].kind for m in indices)
        labels.append(f"op {origin} {kinds}")
    return Fused(Graph(graph.name, graph.inputs, graph.outputs, fused_ops), labels)


def _merge(group: list[Op], indices: list[int]) -> tuple[Op, int]:
    if len(group) == 1:
        return group[0], indices[0]
    written = {id(t) for op in group for t in op.outputs}
    mains = [k for k, op in enumerate(group) if op.kind not in ELEMENTWISE_KINDS]
    main = group[mains[0]] if mains else group[-1]
    inputs = list(main.inputs)
    for op in group:
        for t in op.inputs:
            if t is not None and id(t) not in written and all(t is not s for s in inputs):
                inputs.append(t)
    # Inputs the group computes itself are internal: a main op reading one (an int32
    # accumulator's reader) reads no stored tensor there.
    inputs = [None if t is not None and id(t) in written else t for t in inputs]
    kind = main.kind if mains else "elementwise"
    merged = Op(kind, inputs, [group[-1].output], dict(main.attrs), main.loc)
    return merged, indices[mains[0]] if mains else indices[-1]
