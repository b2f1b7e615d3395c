"""Checks on an imported graph before TOSA is emitted from it, whatever the format: every
operator reads values that exist by then, and no tensor exceeds `limits`. A corrupt file
whose operators are individually plausible (an output index pointing at a tensor that a
later operator computes, a shape of 10^9 elements) is refused here, naming the operator."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES, Graph, Op
from pex.importers import limits


def _where(op: Op, index: int) -> str:
    if op.loc is None:
        return f"operation {index} ({op.kind})"
    return f"operator {op.loc.line} ({op.kind} '{op.loc.name}')"


def check_graph(graph: Graph) -> None:
    if not graph.outputs:
        raise ModelError("the model has no outputs")
    computed = {id(tensor) for tensor in graph.inputs}
    for index, op in enumerate(graph.ops):
        for tensor in op.inputs:
            if tensor is not None and not tensor.is_constant and id(tensor) not in computed:
                raise ModelError(f"{_where(op, index)}: reads '{tensor.name}' before any "
                                 f"operator computes it")
        for tensor in op.outputs:
            limits.check_shape(f"{_where(op, index)}: output '{tensor.name}'", tensor.shape,
                               np.dtype(NUMPY_TYPES[tensor.dtype]).itemsize)
            computed.add(id(tensor))
    for tensor in graph.outputs:
        if not tensor.is_constant and id(tensor) not in computed:
            raise ModelError(f"the model's output '{tensor.name}' is never computed")
