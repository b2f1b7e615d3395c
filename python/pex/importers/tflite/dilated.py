"""TensorFlow's dilated convolutions: SPACE_TO_BATCH_ND -> CONV_2D or DEPTHWISE_CONV_2D ->
BATCH_TO_SPACE_ND, folded into one convolution with a dilation.

SPACE_TO_BATCH_ND pads the input by P and splits it into d x d phases (batch entries);
the convolution runs over each phase (stride 1, its own padding p); BATCH_TO_SPACE_ND
interleaves the phases back and crops C. Output row r is then the dilated correlation
sum_k x[r - (P_before + d p_before - C_before) + d k]: one convolution with dilation d,
padding P + d p - C on each side. The fold is found before the operators are converted,
so the three operators may be interleaved with others; the convolution
(`operators.dilated_convolution`) is emitted at the BATCH_TO_SPACE_ND, where its output
is defined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pex.errors import ModelError
from pex.importers.tflite import schema

_CODES = schema.BUILTIN_OPERATOR_CODES
_CONVOLUTIONS = (_CODES["CONV_2D"], _CODES["DEPTHWISE_CONV_2D"])
# The operators imported only as part of a fold.
FOLDED_CODES = (_CODES["SPACE_TO_BATCH_ND"], _CODES["BATCH_TO_SPACE_ND"])
PATTERN = ("only TensorFlow's dilated convolution is supported (SPACE_TO_BATCH_ND -> CONV_2D "
           "or DEPTHWISE_CONV_2D -> BATCH_TO_SPACE_ND, each read only by the next)")


@dataclass(frozen=True)
class Fold:
    space_to_batch: int  # operator indices
    convolution: int
    batch_to_space: int


def find_folds(subgraph, codes) -> dict[int, Fold]:
    """Every fold by each of its three operator indices."""
    operators = list(subgraph.operators)
    code_of = [codes[op.opcode_index].code if op.opcode_index < len(codes) else -1
               for op in operators]
    readers: dict[int, list[int]] = {}
    for index, op in enumerate(operators):
        for tensor in (op.inputs if op.inputs is not None else []):
            readers.setdefault(int(tensor), []).append(index)
    graph_outputs = {int(t) for t in (subgraph.outputs if subgraph.outputs is not None else [])}

    def only_reader(op_index: int) -> int | None:
        outputs = operators[op_index].outputs
        if outputs is None or len(outputs) != 1 or int(outputs[0]) in graph_outputs:
            return None
        found = readers.get(int(outputs[0]), [])
        return found[0] if len(found) == 1 else None

    folds: dict[int, Fold] = {}
    for index, code in enumerate(code_of):
        if code != _CODES["SPACE_TO_BATCH_ND"]:
            continue
        convolution = only_reader(index)
        if convolution is None or code_of[convolution] not in _CONVOLUTIONS or \
                int(operators[convolution].inputs[0]) != int(operators[index].outputs[0]):
            continue
        batch_to_space = only_reader(convolution)
        if batch_to_space is None or code_of[batch_to_space] != _CODES["BATCH_TO_SPACE_ND"] or \
                int(operators[batch_to_space].inputs[0]) != int(operators[convolution].outputs[0]):
            continue
        fold = Fold(index, convolution, batch_to_space)
        folds.update({index: fold, convolution: fold, batch_to_space: fold})
    return folds


def folded_padding(block, paddings, crops, inner_pad) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the dilated convolution: SPACE_TO_BATCH_ND's
    paddings, the inner convolution's padding (of one phase) d times, less the crops."""
    block = np.atleast_1d(np.asarray(block, np.int64))
    paddings = np.asarray(paddings, np.int64)
    crops = np.asarray(crops, np.int64)
    if block.shape != (2,) or np.any(block < 1):
        raise ModelError(f"block shape {block.tolist()}: expected two positive factors")
    for name, pairs in (("paddings", paddings), ("crops", crops)):
        if pairs.shape != (2, 2) or np.any(pairs < 0):
            raise ModelError(f"{name} {pairs.tolist()}: expected [[top, bottom], [left, "
                             f"right]] of non-negative values")
    pad = tuple(int(paddings[axis][side] + block[axis] * inner_pad[2 * axis + side]
                    - crops[axis][side]) for axis in range(2) for side in range(2))
    if min(pad) < 0:
        raise ModelError(f"crops {crops.tolist()} exceed the padding {paddings.tolist()}")
    return pad
