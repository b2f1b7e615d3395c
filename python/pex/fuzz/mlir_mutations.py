"""Mutations of MLIR text (TOSA modules): tokens, lines, truncations, shapes, element types
and operation names. Each returns (mutant, description); a mutation that finds nothing to
change returns the text unchanged."""

from __future__ import annotations

import random
import re

# Strings (dense<"0x..."> blobs), SSA values, symbols, attribute and type aliases, numbers,
# identifiers, then any other character.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[%@^#!][\w.$-]+|-?\d+\.\d+(?:[eE][-+]?\d+)?|'
                    r'-?0x[0-9a-fA-F]+|-?\d+|[A-Za-z_][\w.$]*|->|\S')
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?![\w.])")
_SSA = re.compile(r"%[\w.$-]+")
_OP_NAME = re.compile(r"\b(?:tosa|pex|arith|func|tensor)\.[a-z_]+\b")
_TENSOR = re.compile(r"tensor<([^<>]*(?:<[^<>]*>[^<>]*)?)>")
_ELEMENT_TYPES = ("i1", "i8", "i16", "i32", "i48", "i64", "f16", "bf16", "f32", "f64", "ui8",
                  "index", "complex<f32>")
# Edges of what shapes, attributes and the arena's 32-bit indices hold.
INTERESTING = ("0", "1", "-1", "2", "3", "127", "128", "-128", "255", "65536", "2147483647",
               "2147483648", "-2147483648", "4294967296", "1000000000", "9223372036854775807")


def _tokens(text: str) -> list[re.Match]:
    return list(_TOKEN.finditer(text))


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def truncate(text: str, rng: random.Random, _) -> tuple[str, str]:
    if rng.random() < 0.5:
        lines = text.splitlines(keepends=True)
        keep = rng.randrange(len(lines))
        return "".join(lines[:keep]), f"keep the first {keep} of {len(lines)} lines"
    size = rng.randrange(len(text))
    return text[:size], f"truncate to {size} characters"


def delete_token(text: str, rng: random.Random, _) -> tuple[str, str]:
    token = rng.choice(_tokens(text))
    return _replace(text, token.start(), token.end(), ""), \
        f"delete {token.group()[:40]!r} at {token.start()}"


def duplicate_token(text: str, rng: random.Random, _) -> tuple[str, str]:
    token = rng.choice(_tokens(text))
    return _replace(text, token.start(), token.start(), token.group() + " "), \
        f"duplicate {token.group()[:40]!r} at {token.start()}"


def swap_tokens(text: str, rng: random.Random, _) -> tuple[str, str]:
    tokens = _tokens(text)
    index = rng.randrange(len(tokens))
    other = index + 1 if rng.random() < 0.5 and index + 1 < len(tokens) else \
        rng.randrange(len(tokens))
    first, second = sorted((tokens[index], tokens[other]), key=lambda m: m.start())
    if first.start() == second.start():
        return text, "swap a token with itself"
    mutant = text[:first.start()] + second.group() + text[first.end():second.start()] + \
        first.group() + text[second.end():]
    return mutant, f"swap {first.group()[:40]!r} at {first.start()} and " \
                   f"{second.group()[:40]!r} at {second.start()}"


def set_number(text: str, rng: random.Random, _) -> tuple[str, str]:
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        return text, "no number"
    number, value = rng.choice(numbers), rng.choice(INTERESTING)
    return _replace(text, number.start(), number.end(), value), \
        f"number {number.group()} at {number.start()} = {value}"


def swap_value(text: str, rng: random.Random, _) -> tuple[str, str]:
    """Use another SSA value: a use before its definition, or one of another type."""
    uses = [m for m in _SSA.finditer(text) if not text[m.end():m.end() + 3].lstrip()
            .startswith("=")]
    names = sorted({m.group() for m in _SSA.finditer(text)})
    if not uses or len(names) < 2:
        return text, "no SSA value"
    use, name = rng.choice(uses), rng.choice(names)
    return _replace(text, use.start(), use.end(), name), \
        f"use {name} instead of {use.group()} at {use.start()}"


def _mutate_shape(shape: str, rng: random.Random) -> str:
    dims = shape.split("x")
    element, dims = dims[-1], dims[:-1]
    choice = rng.randrange(4)
    if choice == 0 or not dims:
        element = rng.choice(_ELEMENT_TYPES)
    elif choice == 1:
        dims[rng.randrange(len(dims))] = rng.choice(("0", "1", "2", "7", "?", "65536",
                                                     "1000000000", "2147483648"))
    elif choice == 2:
        del dims[rng.randrange(len(dims))]
    else:
        dims.insert(rng.randrange(len(dims) + 1), rng.choice(("1", "2", "3")))
    return "x".join(dims + [element])


def change_tensor_type(text: str, rng: random.Random, _) -> tuple[str, str]:
    """One tensor type changed once, or everywhere it occurs (which keeps the operations
    that pass it on consistent and reaches the verifiers and passes behind them)."""
    types = list(_TENSOR.finditer(text))
    if not types:
        return text, "no tensor type"
    chosen = rng.choice(types)
    old = chosen.group(1)
    if "<" in old:  # quantised element types: change the dimensions only
        return text, "quantised tensor type"
    new = _mutate_shape(old, rng)
    if rng.random() < 0.5:
        return text.replace(f"tensor<{old}>", f"tensor<{new}>"), \
            f"every tensor<{old}> = tensor<{new}>"
    return _replace(text, chosen.start(), chosen.end(), f"tensor<{new}>"), \
        f"tensor<{old}> at {chosen.start()} = tensor<{new}>"


def swap_operation(text: str, rng: random.Random, _) -> tuple[str, str]:
    ops = list(_OP_NAME.finditer(text))
    names = sorted({m.group() for m in ops})
    if len(names) < 2:
        return text, "one operation name"
    op, name = rng.choice(ops), rng.choice(names)
    return _replace(text, op.start(), op.end(), name), \
        f"operation {op.group()} at {op.start()} = {name}"


def resize_blob(text: str, rng: random.Random, _) -> tuple[str, str]:
    """A dense<"0x..."> constant with bytes missing or added."""
    blobs = list(re.finditer(r'"0x([0-9A-Fa-f]*)"', text))
    if not blobs:
        return text, "no hex constant"
    blob = rng.choice(blobs)
    digits = blob.group(1)
    if rng.random() < 0.5 and len(digits) > 8:
        cut = rng.randrange(8, len(digits), 2)
        return _replace(text, blob.start(1), blob.end(1), digits[:cut]), \
            f"hex constant at {blob.start()} cut to {cut // 2 - 4} bytes"
    return _replace(text, blob.end(1), blob.end(1), "00" * rng.choice((1, 4, 64))), \
        f"hex constant at {blob.start()} extended"


def edit_lines(text: str, rng: random.Random, _) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    index, other = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(3)
    if choice == 0:
        del lines[index]
        return "".join(lines), f"delete line {index + 1}"
    if choice == 1:
        lines.insert(other, lines[index])
        return "".join(lines), f"copy line {index + 1} before line {other + 1}"
    lines[index], lines[other] = lines[other], lines[index]
    return "".join(lines), f"swap lines {index + 1} and {other + 1}"


def splice_lines(text: str, rng: random.Random, other: str) -> tuple[str, str]:
    """Lines of another seed in the middle of this one."""
    lines, foreign = text.splitlines(keepends=True), other.splitlines(keepends=True)
    at, start = rng.randrange(len(lines)), rng.randrange(len(foreign))
    count = rng.randrange(1, 8)
    lines[at:at] = foreign[start:start + count]
    return "".join(lines), f"{count} lines of another seed before line {at + 1}"


MUTATIONS = (truncate, delete_token, duplicate_token, swap_tokens, set_number, set_number,
             swap_value, change_tensor_type, change_tensor_type, change_tensor_type,
             swap_operation, resize_blob, edit_lines, splice_lines)
