"""Spelling of MLIR types, attributes, strings and locations in textual IR."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from pex.graph import NUMPY_TYPES, Location

# Constants with more elements than this are written as hex blobs (fast to parse, exact).
_LITERAL_LIMIT = 16
# Element types of constants: the graph's, and TOSA's i48 (16x8 convolution biases and
# zero points), held in int64 and always written as literals (MLIR packs i48 hex blobs
# in 6 bytes).
STORAGE_TYPES = {**NUMPY_TYPES, "i48": np.int64}


@dataclass(frozen=True)
class TensorType:
    shape: tuple[int, ...]
    dtype: str

    def __str__(self) -> str:
        dims = "".join(f"{d}x" for d in self.shape)
        return f"tensor<{dims}{self.dtype}>"


def string(text: str) -> str:
    """An MLIR string literal; bytes outside printable ASCII and quotes are hex-escaped."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if 0x20 <= byte < 0x7F and char not in '"\\':
            out.append(char)
        else:
            out.append(f"\\{byte:02X}")
    return '"' + "".join(out) + '"'


def location(loc: Location | None) -> str:
    """`loc("name"("file":line:0))`: the name a diagnostic shows, inside the model file."""
    if loc is None:
        return ""
    return f" loc({string(loc.name)}({string(loc.file)}:{loc.line}:0))"


def float_literal(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        bits = int(np.array([value], np.float32).view(np.uint32)[0])
        return f"0x{bits:08X}"  # MLIR spells non-finite floats by their bit pattern
    return repr(float(value))


def _element(value, dtype: str) -> str:
    if dtype == "i1":
        return "true" if value else "false"
    return float_literal(float(value)) if dtype == "f32" else str(int(value))


def dense(values: np.ndarray, dtype: str) -> str:
    """A `dense<...>` elements attribute (without its type) for `values`."""
    values = np.asarray(values, STORAGE_TYPES[dtype])
    flat = values.reshape(-1)
    if flat.size and np.all(flat == flat[0]) and not (dtype == "f32" and np.isnan(flat[0])):
        return f"dense<{_element(flat[0], dtype)}>"
    # MLIR's hex form holds i1 elements packed 8 to a byte: booleans are written out.
    if flat.size <= _LITERAL_LIMIT or dtype in ("i48", "i1"):
        return "dense<[" + ", ".join(_element(v, dtype) for v in flat) + "]>" \
            if values.ndim == 1 else "dense<" + _nested(values, dtype) + ">"
    return 'dense<"0x' + np.ascontiguousarray(values).astype(
        values.dtype.newbyteorder("<")).tobytes().hex().upper() + '">'


def _nested(values: np.ndarray, dtype: str) -> str:
    if values.ndim == 0:
        return _element(values, dtype)
    return "[" + ", ".join(_nested(v, dtype) for v in values) + "]"


def i64_array(values) -> str:
    return "array<i64: " + ", ".join(str(int(v)) for v in values) + ">"


def i32_array(values) -> str:
    return "array<i32: " + ", ".join(str(int(v)) for v in values) + ">"


_PROFILE_ORDER = ("pro_int", "pro_fp")


def target_env(profiles: set[str], extensions: set[str]) -> str:
    """The `tosa.target_env` attribute: TOSA 1.0 at level 8K with these profiles and
    extensions. MLIR 22 prints an empty extension list but cannot parse one back, so a
    module that needs no extension names doubleround, which every pexc target implements."""
    ordered = [p for p in _PROFILE_ORDER if p in profiles]
    return (f'#tosa.target_env<specification_version = "1.0", level = "8k", '
            f'profiles = [{", ".join(ordered)}], '
            f'extensions = [{", ".join(sorted(extensions)) or "doubleround"}]>')


def symbol_name(name: str) -> str:
    """A bare MLIR symbol from a name (a model's file stem, a variable's name)."""
    symbol = re.sub(r"[^A-Za-z0-9_]", "_", name) or "model"
    return symbol if not symbol[0].isdigit() else "_" + symbol
