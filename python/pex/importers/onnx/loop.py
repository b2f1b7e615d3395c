"""Loop with a trip count known at import: unrolled, each iteration's body imported as
nodes of the graph. PyTorch exports nn.EmbeddingBag so, one iteration per bag, its
offsets known from the input's shape."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx.shape_ops import concat_activations, reshape_activation
from pex.importers.onnx.validation import tensor_array

# Beyond this, a loop is a recurrence pex should carry as one (see recurrent.py), not a
# body copied once per step.
MAX_ITERATIONS = 256


def outer_names(node) -> set[str]:
    """The values of enclosing graphs the node's subgraphs (a Loop's body) read by name."""
    from onnx import AttributeProto
    names: set[str] = set()
    for attribute in node.attribute:
        graphs = [attribute.g] if attribute.type == AttributeProto.GRAPH else \
            list(attribute.graphs) if attribute.type == AttributeProto.GRAPHS else []
        for graph in graphs:
            local = {v.name for v in graph.input} | {i.name for i in graph.initializer}
            for inner in graph.node:
                names.update(n for n in inner.input if n and n not in local)
                names.update(n for n in outer_names(inner) if n not in local)
                local.update(inner.output)
            names.update(v.name for v in graph.output if v.name not in local)
    return names


def _trip_count(r, node) -> int:
    if not r.has_input(node, 0):
        raise ModelError("a Loop without a trip count (until its condition fails) is not "
                         "supported")
    trips = r.constant_ahead(node.input[0])
    if trips is None:
        raise ModelError("the trip count is computed at run time; only a Loop whose trip "
                         "count is known at import is supported (unrolled)")
    count = int(np.asarray(trips).reshape(-1)[0])
    if r.has_input(node, 1) and not _is_true(r, node.input[1], "the condition"):
        count = 0
    if count < 1:
        raise ModelError("the Loop runs no iteration: its scan outputs would be empty")
    if count > MAX_ITERATIONS:
        raise ModelError(f"{count} iterations; a Loop is unrolled up to {MAX_ITERATIONS}")
    return count


def _is_true(r, name: str, what: str) -> bool:
    value = r.constant_ahead(name)
    if value is None:
        raise ModelError(f"{what} is computed at run time; only a Loop whose condition is "
                         f"known at import is supported")
    return bool(np.asarray(value).reshape(-1)[0])


def _renamed(node, names: dict[str, str], prefix: str):
    """A copy of a body node reading and writing the iteration's names."""
    from onnx import NodeProto
    copy = NodeProto()
    copy.CopyFrom(node)
    for position, name in enumerate(node.input):
        copy.input[position] = names.get(name, name)
    for position, name in enumerate(node.output):
        if name:
            names[name] = copy.output[position] = f"{prefix}/{name}"
    if node.name:
        copy.name = f"{prefix}/{node.name}"
    return copy


def loop(r, node, attrs) -> None:
    body = attrs["body"]
    count = _trip_count(r, node)
    carried = list(node.input[2:])
    inputs = [v.name for v in body.input]
    outputs = [v.name for v in body.output]
    if len(inputs) != 2 + len(carried) or len(outputs) < 1 + len(carried):
        raise ModelError(f"the body takes {len(inputs)} inputs and gives {len(outputs)} "
                         f"outputs for {len(carried)} loop-carried values")
    scans: list[list[str]] = [[] for _ in outputs[1 + len(carried):]]
    tag = node.output[0] or node.name
    for iteration in range(count):
        prefix = f"{tag}/iteration{iteration}"
        names = dict(zip(inputs[2:], carried))
        for name, value in ((inputs[0], np.array(iteration, np.int64)),
                            (inputs[1], np.array(True))):
            names[name] = f"{prefix}/{name}"
            r.constants[names[name]] = value
            r.defined.add(names[name])
        for initializer in body.initializer:
            names[initializer.name] = f"{prefix}/{initializer.name}"
            r.constants[names[initializer.name]] = tensor_array(
                initializer, f"initializer '{initializer.name}'")
            r.defined.add(names[initializer.name])
        copies = [_renamed(inner, names, prefix) for inner in body.node]
        for copy in copies:
            for name in copy.input:
                r.consumers.setdefault(name, []).append(copy)
        for index, copy in enumerate(copies):
            r.import_node(copy, f"iteration {iteration}, body node {index}", r.loc.line)
        carried = [names.get(name, name) for name in outputs[1:1 + len(carried)]]
        for values, name in zip(scans, outputs[1 + len(carried):]):
            values.append(names.get(name, name))
        if iteration + 1 < count and \
                not _is_true(r, names.get(outputs[0], outputs[0]), "the body's condition"):
            break
    for output, name in zip(node.output, carried):
        _alias(r, output, name)
    for output, values in zip(node.output[len(carried):], scans):
        if output:
            _stack(r, output, values)


def _alias(r, output: str, name: str) -> None:
    if name in r.constants:
        r.constants[output] = r.constants[name]
    else:
        r.alias(output, r.activations[name])


def _stack(r, output: str, names: list[str]) -> None:
    """A scan output: the iterations' values stacked along a new first axis."""
    if all(name in r.constants for name in names):
        r.constants[output] = np.stack([np.asarray(r.constants[n]) for n in names])
        return
    rows = []
    for index, name in enumerate(names):
        act = r.raw(name)
        rows.append(reshape_activation(r, act, (1,) + act.shape, f"{output}/{index}"))
    r.alias(output, rows[0] if len(rows) == 1 else
            concat_activations(r, rows, 0, output))


OPERATORS = {"Loop": loop}
