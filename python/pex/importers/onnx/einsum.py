"""Einsum (PyTorch's torch.einsum) of one to three operands, as operators the importer
already has.

Each letter of an equation is an axis. Letters of one operand that neither the other
operand nor the output has are summed first (ReduceSum). What remains of two operands is
one batched matrix product: letters in both operands and the output are its batch, those
in both operands only are contracted, the others are the rows (first operand) and columns
(second). Each operand is transposed to [batch, rows, contracted] / [batch, contracted,
columns] (free: only its recorded layout changes; a letter group takes the order its
operand is stored in, so a transpose is emitted only where groups interleave) and
reshaped to 3-D; the product goes back to the output's letters the same way. A constant
operand is rearranged at import: without batch letters the product is a fully connected
layer, as MatMul by a constant matrix. Nothing contracted, it is a broadcast Mul. Three
operands are contracted two at a time: first the pair whose product is smallest (two
constants folded at import), keeping the letters the output or the third operand has.
Diagonals (a letter repeated within one operand) are refused.
"""

from __future__ import annotations

import math
import string

import numpy as np

from pex.errors import ModelError
from pex.importers.onnx import convolution, quantized
from pex.importers.onnx.elementwise import binary, operand
from pex.importers.onnx.layout import Activation
from pex.importers.onnx.pooling import reduce
from pex.importers.onnx.shape_ops import reshape_activation


def _parse(equation: str, shapes: list[tuple]) -> tuple[list[str], str, list[str]]:
    """The letters of each operand and of the output, with "..." spelled as letters the
    equation does not use (numpy's broadcasting: aligned at the right, first in an
    implicit output), and the letters still unused."""
    compact = "".join(equation.split())
    terms, arrow, output = compact.partition("->")
    terms = terms.split(",")
    if len(terms) != len(shapes):
        raise ModelError(f"equation '{equation}' has {len(terms)} operands for "
                         f"{len(shapes)} inputs")
    spare = [c for c in string.ascii_letters if c not in compact]
    named = [len(term.replace("...", "")) for term in terms]
    spread = [len(shape) - count if "..." in term else 0
              for term, shape, count in zip(terms, shapes, named)]
    if any(s < 0 or len(shape) != count + s
           for s, shape, count in zip(spread, shapes, named)):
        raise ModelError(f"equation '{equation}' does not match the inputs' ranks "
                         f"{[len(shape) for shape in shapes]}")
    ellipsis = "".join(spare[:max(spread)])
    operands = [term.replace("...", ellipsis[len(ellipsis) - s:])
                for term, s in zip(terms, spread)]
    if arrow:
        output = output.replace("...", ellipsis)
    else:  # ONNX's implicit output: the letters used once, in alphabetical order
        used = "".join(terms)
        output = ellipsis + "".join(sorted(c for c in set(used) if used.count(c) == 1
                                           and c in string.ascii_letters))
    for letters in operands + [output]:
        if not all(c in string.ascii_letters for c in letters):
            raise ModelError(f"equation '{equation}' has a subscript that is not a letter "
                             f"or '...'")
    for index, letters in enumerate(operands):
        if len(set(letters)) != len(letters):
            raise ModelError(f"operand {index} ('{terms[index]}') repeats a letter: "
                             f"diagonals are not supported")
    if len(set(output)) != len(output) or not set(output) <= set("".join(operands)):
        raise ModelError(f"output '{output}' of equation '{equation}' repeats a letter or "
                         f"has one no operand has")
    return operands, output, spare[len(ellipsis):]


def _broadcast(operands: list[str], shapes: list[tuple], spare: list[str],
               equation: str) -> tuple[list[str], dict]:
    """Each letter's size. A letter of size 1 in one operand and n in the other is
    renamed in the first (a unit axis summed away): numpy's broadcasting."""
    sizes: dict[str, int] = {}
    for letters, shape in zip(operands, shapes):
        for c, size in zip(letters, shape):
            sizes[c] = max(sizes.get(c, 1), int(size))
    renamed = []
    for letters, shape in zip(operands, shapes):
        own = ""
        for c, size in zip(letters, shape):
            if size != sizes[c]:
                if size != 1:
                    raise ModelError(f"letter '{c}' of equation '{equation}' has sizes "
                                     f"{size} and {sizes[c]}")
                c = spare.pop(0)
                sizes[c] = 1
            own += c
        renamed.append(own)
    return renamed, sizes


def _relabel(x: Activation, letters: str, order: str) -> Activation:
    """x with its axes (named `letters`) in `order`: an ONNX Transpose, which only changes
    the layout x is known to be held in."""
    return x.transposed([letters.index(c) for c in order])


def _stored_order(x, letters: str) -> str:
    """The letters in the order x holds its axes (ONNX's for a constant)."""
    return "".join(letters[a] for a in x.perm) if isinstance(x, Activation) else letters


def _arranged(r, x, letters: str, order: str, shape: tuple, name: str):
    """x (an activation or a numpy constant) transposed to `order` and reshaped."""
    if isinstance(x, Activation):
        return reshape_activation(r, _relabel(x, letters, order), shape, name)
    return np.transpose(x, [letters.index(c) for c in order]).reshape(shape)


def _summed(r, x, letters: str, kept: str, name: str):
    """x summed over its letters not in `kept` (ReduceSum without keepdims)."""
    axes = [i for i, c in enumerate(letters) if c not in kept]
    remaining = "".join(c for c in letters if c in kept)
    if not axes:
        return x, letters
    if isinstance(x, Activation):
        return reduce(r, x, "reduce_sum", axes, False, name), remaining
    return np.sum(np.asarray(x, np.float64), axis=tuple(axes)), remaining


def _groups(a, la: str, b, lb: str, output: str) -> tuple[str, str, str, str]:
    """(batch, rows, contracted, columns) letters, each group in the order the operand
    that decides it is stored in: the first for rows, the second for columns, the first
    activation for batch and contracted letters."""
    leader, leading = (a, la) if isinstance(a, Activation) else (b, lb)
    shared = _stored_order(leader, leading)
    batch = "".join(c for c in shared if c in la and c in lb and c in output)
    contracted = "".join(c for c in shared if c in la and c in lb and c not in output)
    rows = "".join(c for c in _stored_order(a, la) if c not in lb)
    columns = "".join(c for c in _stored_order(b, lb) if c not in la)
    return batch, rows, contracted, columns


def _size(sizes: dict, letters: str) -> int:
    return math.prod(sizes[c] for c in letters)


def _float_product(r, a, la: str, b, lb: str, groups, sizes: dict, name: str):
    """The product of float operands (at least one an activation): the activation and
    its letters."""
    batch, rows, contracted, columns = groups
    count, m, k, n = (_size(sizes, g) for g in groups)
    if k > 1 and count == 1 and not all(isinstance(o, Activation) for o in (a, b)):
        # As MatMul by a constant matrix: a fully connected layer over the activation's
        # rows (the product transposed when the constant comes first).
        sides = [(a, la, rows), (b, lb, columns)]
        if not isinstance(a, Activation):
            sides.reverse()
        (x, lx, x_free), (w, lw, w_free) = sides
        x = _arranged(r, x, lx, batch + x_free + contracted, (_size(sizes, x_free), k),
                      f"{name}/rows")
        weights = _arranged(r, w, lw, batch + w_free + contracted, (_size(sizes, w_free), k),
                            f"{name}/weights")
        tensor, perm = convolution.fully_connect(r, x, weights.astype(np.float32), None,
                                                 None, name)
        return Activation(tensor, perm), batch + x_free + w_free
    left = _arranged(r, a, la, batch + rows + contracted, (count, m, k), f"{name}/a")
    right = _arranged(r, b, lb, batch + contracted + columns, (count, k, n), f"{name}/b")
    if k == 1:  # nothing summed: an outer product per batch
        return binary(r, "mul", [left, right], name, activation="NONE"), \
            batch + rows + columns
    tensors = [r.stored(o, (0, 1, 2)) if isinstance(o, Activation) else
               r.constant_activation(o, f"{name}/{side}", (0, 1, 2)).tensor
               for o, side in ((left, "a"), (right, "b"))]
    out = r.emit("batch_matmul", tensors, (count, m, n), name=name)
    return Activation(out, (0, 1, 2)), batch + rows + columns


def _int8_product(r, node, la: str, lb: str, output: str, sizes: dict, name: str):
    """Two int8 (DequantizeLinear) views with contracted letters whose product is only
    requantised: MatMul's int8 batch_matmul; None otherwise (the float product then)."""
    a, b = (quantized.dequantized_view(r, n) for n in node.input)
    if a is None or b is None:
        return None
    params = quantized.requantization_target(r, node.output[0])
    groups = _groups(a, la, b, lb, output)
    batch, rows, contracted, columns = groups
    count, m, k, n = (_size(sizes, g) for g in groups)
    # A letter only one operand has and the output has not would be summed first, which
    # for int8 values needs their zero point taken out: the float product does that.
    if params is None or k == 1 or not set(rows + columns) <= set(output):
        return None
    left = _arranged(r, a, la, batch + rows + contracted, (count, m, k), f"{name}/a")
    right = _arranged(r, b, lb, batch + contracted + columns, (count, k, n), f"{name}/b")
    quantized.batch_matmul_int8(r, left, right, params, f"{name}/product")
    return r.activations.pop(f"{name}/product"), batch + rows + columns


def _pair(r, a, la: str, b, lb: str, keep: str, sizes: dict, name: str):
    """The float product of two operands (at least one an activation) keeping the
    letters of `keep` (the output's, and a further operand's): each operand's letters
    nothing else has summed first. The activation and its letters."""
    a, la = _summed(r, a, la, lb + keep, f"{name}/a/sum")
    b, lb = _summed(r, b, lb, la + keep, f"{name}/b/sum")
    return _float_product(r, a, la, b, lb, _groups(a, la, b, lb, keep), sizes, name)


def _first_pair(operands: list, letters: list[str], output: str, sizes: dict):
    """Which two of three operands to contract first: two constants (folded at import),
    else the pair whose product (the letters the output or the third operand reads) is
    smallest, the earlier pair on a tie."""
    pairs = [(0, 1), (0, 2), (1, 2)]
    constant = [p for p in pairs if not any(isinstance(operands[i], Activation) for i in p)]
    if constant:
        return constant[0]

    def size(pair):
        rest = letters[3 - sum(pair)]
        kept = {c for i in pair for c in letters[i] if c in output or c in rest}
        return _size(sizes, kept)
    return min(pairs, key=size)


def _three(r, operands: list, letters: list[str], output: str, sizes: dict, name: str):
    """Three operands: the pair `_first_pair` picks contracted first, its product (or two
    constants folded) then contracted with the third."""
    i, j = _first_pair(operands, letters, output, sizes)
    k = 3 - i - j
    rest = letters[k]
    keep = "".join(dict.fromkeys(c for c in letters[i] + letters[j]
                                 if c in output or c in rest))
    if not any(isinstance(operands[n], Activation) for n in (i, j)):
        first = np.einsum(f"{letters[i]},{letters[j]}->{keep}",
                          np.asarray(operands[i], np.float64),
                          np.asarray(operands[j], np.float64))
        first_letters = keep
    else:
        product, product_letters = _pair(r, operands[i], letters[i], operands[j], letters[j],
                                         output + rest, sizes, f"{name}/pair")
        first_letters = product_letters
        first = reshape_activation(r, product, [sizes[c] for c in product_letters],
                                   f"{name}/pair/shaped")
    sides = [(first, first_letters), (operands[k], rest)]
    if k < i:  # in the equation's order: rows and columns as the output likely has them
        sides.reverse()
    return _pair(r, *sides[0], *sides[1], output, sizes, name)


def einsum(r, node, attrs) -> None:
    equation = attrs["equation"]
    equation = equation.decode() if isinstance(equation, bytes) else equation
    names = list(node.input)
    name = node.output[0]
    if len(names) > 3:
        raise ModelError(f"Einsum of {len(names)} operands is not supported (one to three)")
    shapes = [np.shape(r.constants[n]) if r.is_constant(n) else r.raw(n).shape for n in names]
    letters, output, spare = _parse(equation, shapes)
    letters, sizes = _broadcast(letters, shapes, spare, equation)
    if all(r.is_constant(n) for n in names):  # parameters only: folded at import
        r.constants[name] = np.einsum(f"{','.join(letters)}->{output}",
                                      *(r.constants[n] for n in names))
        return
    result = _int8_product(r, node, *letters, output, sizes, name) if len(names) == 2 \
        else None
    if result is None:
        operands = [operand(r, n) for n in names]
        if len(names) == 1:
            result = _summed(r, operands[0], letters[0], output, f"{name}/sum")
        elif len(names) == 2:
            result = _pair(r, operands[0], letters[0], operands[1], letters[1], output, sizes,
                           name)
        else:
            result = _three(r, operands, letters, output, sizes, name)
    product, product_letters = result
    shaped = reshape_activation(r, product, [sizes[c] for c in product_letters],
                                f"{name}/shaped")
    r.alias(name, _relabel(shaped, product_letters, output))


OPERATORS = {
    "Einsum": einsum,
}
