"""`--state=INPUT=OUTPUT`: an input and an output of the model are state kept between runs.

A streaming model exported from PyTorch or ONNX tooling passes its memory through its
interface: a cache of past frames (or a recurrent h) is an input, and its next value an
output the application must hand back on the next run. With this option the pair is
state, as TFLite's variables are (docs/memory-model.md, "State kept between runs"): the
model reads the state where the input was and leaves its new value where the output was,
in a global beside the arena, so neither crosses the interface and the application keeps
no copy. The state is zero (a quantised tensor's zero point) until the first run and
after `pex_NAME_reset_state()`.

The input and the output must have the same shape, element type and quantisation.
"""

from __future__ import annotations

import argparse

import numpy as np

from pex.errors import ModelError
from pex.graph import Graph, Op, Tensor


def add_state_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", action="append", default=[], metavar="INPUT=OUTPUT",
                        help="keep the output OUTPUT between runs as the input INPUT "
                             "(a streaming model's cache; repeatable)")


def parse_states(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name_in, separator, name_out = value.partition("=")
        if not separator or not name_in or not name_out:
            raise ModelError(f"--state={value}: expected INPUT=OUTPUT, an input's and an "
                             f"output's names")
        pairs.append((name_in, name_out))
    return pairs


def keep_state(graph: Graph, pairs: list[tuple[str, str]]) -> None:
    """Rewrites `graph` in place so that each pair's input is read from, and its output
    written to, state kept between runs."""
    for name_in, name_out in pairs:
        before = _find(graph.inputs, name_in, "input")
        after = _find(graph.outputs, name_out, "output")
        graph.inputs.remove(before)
        graph.outputs.remove(after)
        kept = _in_layout_of(graph, after, before)
        _check_same_type(before, kept)
        attrs = {"state": name_in, "initial": np.full(before.shape, _zero(before))}
        graph.ops.insert(0, Op("read_state", [], [before], dict(attrs)))
        graph.ops.append(Op("write_state", [kept], [], dict(attrs)))
    if not graph.outputs:
        raise ModelError("--state: every output of the model is state; it would compute "
                         "nothing the application reads")


def _in_layout_of(graph: Graph, after: Tensor, before: Tensor) -> Tensor:
    """`after` with its dimensions in the order `before` stores its source axes (an ONNX
    cache a window reads is stored channels last as an input, in ONNX's order as an
    output): a transpose, unless the order is the same."""
    identity = tuple(range(len(after.shape)))
    perm_in = graph.interface_perms.get(before.name, identity)
    perm_out = graph.interface_perms.get(after.name, identity)
    if len(perm_in) != len(perm_out) or perm_in == perm_out:
        return after
    perm = tuple(perm_out.index(axis) for axis in perm_in)
    kept = Tensor(f"{after.name}/{before.name}_layout",
                  tuple(after.shape[axis] for axis in perm), after.dtype, after.quant)
    graph.ops.append(Op("transpose", [after], [kept], {"perm": perm}))
    return kept


def _find(tensors: list[Tensor], name: str, what: str) -> Tensor:
    for tensor in tensors:
        if tensor.name == name:
            return tensor
    names = ", ".join(f"'{t.name}'" for t in tensors) or "none"
    raise ModelError(f"--state: the model has no {what} '{name}' (its {what}s: {names})")


def _check_same_type(before: Tensor, after: Tensor) -> None:
    def describe(tensor: Tensor) -> str:
        shape = "x".join(str(d) for d in tensor.shape)
        quant = ""
        if tensor.quant is not None:
            quant = (" quantised per channel" if tensor.quant.per_channel else
                     f" (scale {tensor.scale()}, zero point {tensor.zero_point()})")
        return f"{shape} {'u' if tensor.unsigned else ''}{tensor.dtype}{quant}"
    same = (before.shape == after.shape and before.dtype == after.dtype
            and before.unsigned == after.unsigned
            and (before.quant is None) == (after.quant is None)
            and (before.quant is None
                 or (not before.quant.per_channel and not after.quant.per_channel
                     and before.scale() == after.scale()
                     and before.zero_point() == after.zero_point())))
    if not same:
        raise ModelError(f"--state: the input '{before.name}' ({describe(before)}) and the "
                         f"output '{after.name}' ({describe(after)}) differ; a state is "
                         f"read and written as one tensor")
    if before.unsigned:
        raise ModelError(f"--state: the input '{before.name}' is uint8; with --quantized-io "
                         f"the state is the int8 tensor next to it")


def _zero(tensor: Tensor) -> int:
    return tensor.zero_point() if tensor.quant is not None else 0
