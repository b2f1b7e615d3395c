"""Structure-aware mutations of a .tflite flatbuffer: the file's fields are located by
walking it with the importer's own schema views, then one to three of them (offsets,
vector lengths, vtable entries, shapes, types, indices, buffer offsets and sizes) are
rewritten in place with values on the edges of what is valid."""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass

from flatbuffers import number_types as N

from pex.importers.tflite import flatbuf, schema
from pex.fuzz.byte_mutations import INTERESTING_32

_OPTIONS = {cls.UNION_TYPE: cls for cls in vars(schema).values()
            if isinstance(cls, type) and hasattr(cls, "UNION_TYPE")}
# Elements listed per vector (weights are left to the byte mutations).
_MAX_ELEMENTS = 16
_SIGNED = {1: "<b", 2: "<h", 4: "<i", 8: "<q"}


@dataclass(frozen=True)
class Field:
    path: str  # e.g. "subgraphs[0].tensors[3].shape[1]"
    pos: int
    width: int
    kind: str  # "offset", "length", "vtable", "vtable-entry", "scalar", "element"


def fields(data: bytes) -> list[Field]:
    """Every field of the model the importer's schema declares, where the file has it."""
    found: list[Field] = []
    _walk(schema.Model.root(data), "model", found, set())
    return found


def _u32(view: flatbuf.TableView, pos: int) -> int:
    return view._tab.Get(N.UOffsetTFlags, pos)


def _walk(view: flatbuf.TableView, path: str, found: list[Field], seen: set[int]) -> None:
    if view._tab is None or view._tab.Pos in seen:
        return
    seen.add(view._tab.Pos)
    table = view._tab.Pos
    found.append(Field(f"{path}.<vtable offset>", table, 4, "vtable"))
    vtable = table - view._tab.Get(N.SOffsetTFlags, table)
    vtable_size = view._tab.Get(N.VOffsetTFlags, vtable)
    for entry in range(vtable, vtable + vtable_size, 2):
        found.append(Field(f"{path}.<vtable+{entry - vtable}>", entry, 2, "vtable-entry"))
    for name, descriptor in vars(type(view)).items():
        slot = getattr(descriptor, "slot", None)
        pos = None if slot is None else view._field(slot)
        if pos is None:
            continue
        where = f"{path}.{name}"
        if isinstance(descriptor, flatbuf.Scalar):
            found.append(Field(where, pos, descriptor.flags.bytewidth, "scalar"))
            continue
        found.append(Field(f"{where}.<offset>", pos, 4, "offset"))
        header = pos + _u32(view, pos)
        if isinstance(descriptor, (flatbuf.ScalarVector, flatbuf.String, flatbuf.TableVector)):
            found.append(Field(f"{where}.<length>", header, 4, "length"))
        if isinstance(descriptor, flatbuf.ScalarVector) and name != "data":
            size = descriptor.dtype.itemsize
            for i in range(min(_u32(view, header), _MAX_ELEMENTS)):
                found.append(Field(f"{where}[{i}]", header + 4 + i * size, size, "element"))
        elif isinstance(descriptor, flatbuf.TableField):
            _walk(getattr(view, name), where, found, seen)
        elif isinstance(descriptor, flatbuf.TableVector):
            for i, element in enumerate(getattr(view, name)):
                found.append(Field(f"{where}[{i}].<offset>", header + 4 + 4 * i, 4, "offset"))
                _walk(element, f"{where}[{i}]", found, seen)
        elif isinstance(descriptor, flatbuf.UnionValue):
            cls = _OPTIONS.get(getattr(view, "builtin_options_type", None))
            if cls is not None:
                _walk(getattr(view, name)(cls), where, found, seen)


def _values(field: Field, data: bytes, original: int, rng: random.Random) -> list[int]:
    size = len(data)
    if field.width == 1:
        return [0, 1, 2, 3, 5, 0x7F, 0x80, 0xFF, original ^ 1, rng.randrange(256)]
    if field.width == 2:
        return [0, 2, 4, 0x7FFF, 0x8000, 0xFFFF, original + 2, original - 2, original + 64]
    if field.width == 8:
        return [0, 1, size, size - 1, size + 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64 - 1,
                10**9]
    values = list(INTERESTING_32) + [original + 1, original - 1, original * 1000, size,
                                     size - field.pos, size - field.pos + 1, rng.getrandbits(32)]
    if field.kind == "element":  # shapes, indices: negative, huge, off by one
        values += [-1, -2, -(2**31), 10**6, 46341, 2**16 + 1]
    return values


def mutate(data: bytes, rng: random.Random, found: list[Field]) -> tuple[bytes, str]:
    out = bytearray(data)
    changes = []
    by_kind: dict[str, list[Field]] = {}
    for field in found:
        by_kind.setdefault(field.kind, []).append(field)
    kinds = sorted(by_kind)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        # Kinds are drawn evenly: a model has far more vtable entries than offsets.
        field = rng.choice(by_kind[rng.choice(kinds)])
        fmt = _SIGNED[field.width]
        original = struct.unpack_from(fmt, data, field.pos)[0]
        value = rng.choice(_values(field, data, original, rng))
        bits = 8 * field.width
        value = (value + (1 << bits)) % (1 << bits)  # the value's two's complement bits
        out[field.pos:field.pos + field.width] = value.to_bytes(field.width, "little")
        signed = struct.unpack_from(fmt, out, field.pos)[0]
        changes.append(f"{field.path} = {signed}")
    return bytes(out), "; ".join(changes)
