"""Bounds-checked, declarative views over FlatBuffer tables (flatbuffers runtime underneath).

A table type is a `TableView` subclass whose fields are class attributes declared with
the descriptors below, by their schema slot (the field's position in the .fbs table):

    class Buffer(TableView):
        data = ScalarVector(0, np.uint8)

Every offset is checked against the buffer before it is read, so a truncated or corrupt
file raises ModelError naming the byte offset instead of reading garbage. A view of an
absent table (pos None) answers every field with its schema default.
"""

from __future__ import annotations

import functools

import numpy as np
from flatbuffers import number_types as N
from flatbuffers.table import Table

from pex.errors import ModelError

_UOFFSET = N.UOffsetTFlags.bytewidth


def _check(buf: bytes, pos: int, size: int, what: str) -> None:
    if pos < 0 or size < 0 or pos + size > len(buf):
        raise ModelError(f"corrupt or truncated flatbuffer: {what} at byte offset {pos} "
                         f"(size {size}) lies outside the {len(buf)}-byte file")


class TableView:
    TYPE_NAME = "table"

    def __init__(self, buf: bytes, pos: int | None) -> None:
        self._buf = buf
        self._tab = None
        if pos is None:
            return
        self._check(pos, 4, self.TYPE_NAME)
        vtable = pos - Table(buf, pos).Get(N.SOffsetTFlags, pos)
        self._check(vtable, 4, f"{self.TYPE_NAME} vtable")
        vtable_size = Table(buf, vtable).Get(N.VOffsetTFlags, vtable)
        object_size = Table(buf, vtable).Get(N.VOffsetTFlags, vtable + 2)
        self._check(vtable, vtable_size, f"{self.TYPE_NAME} vtable")
        self._check(pos, object_size, self.TYPE_NAME)
        self._tab = Table(buf, pos)

    @classmethod
    def root(cls, buf: bytes):
        _check(buf, 0, _UOFFSET, "root offset")
        return cls(buf, Table(buf, 0).Get(N.UOffsetTFlags, 0))

    def _check(self, pos: int, size: int, what: str) -> None:
        _check(self._buf, pos, size, what)

    def _table(self, slot: int, cls: type[TableView], what: str) -> TableView:
        """The table a field refers to (an all-defaults view when the field is absent)."""
        pos = self._field(slot)
        return cls(self._buf, None if pos is None else self._follow(pos, what))

    def _field(self, slot: int) -> int | None:
        """Absolute position of a field's value, or None when the field is absent."""
        if self._tab is None:
            return None
        offset = self._tab.Offset(4 + 2 * slot)
        return self._tab.Pos + offset if offset else None

    def _follow(self, pos: int, what: str) -> int:
        """The position a uoffset at `pos` points to."""
        self._check(pos, _UOFFSET, what)
        return pos + self._tab.Get(N.UOffsetTFlags, pos)

    def _vector(self, pos: int, element_size: int, what: str) -> tuple[int, int]:
        """(start, length) of the vector a field at `pos` refers to."""
        header = self._follow(pos, what)
        self._check(header, _UOFFSET, what)
        length = self._tab.Get(N.UOffsetTFlags, header)
        start = header + _UOFFSET
        self._check(start, length * element_size, what)
        return start, length


class Scalar:
    def __init__(self, slot: int, flags, default=0) -> None:
        self.slot, self.flags, self.default = slot, flags, default

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        pos = view._field(self.slot)
        if pos is None:
            return self.default
        view._check(pos, self.flags.bytewidth, f"{view.TYPE_NAME}.{self.name}")
        return view._tab.Get(self.flags, pos)


class ScalarVector:
    """A vector of numbers, returned as a numpy array (None when absent)."""

    def __init__(self, slot: int, dtype) -> None:
        self.slot, self.dtype = slot, np.dtype(dtype).newbyteorder("<")

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        pos = view._field(self.slot)
        if pos is None:
            return None
        start, length = view._vector(pos, self.dtype.itemsize, f"{view.TYPE_NAME}.{self.name}")
        return np.frombuffer(view._buf, self.dtype, length, start).copy()


class String:
    def __init__(self, slot: int) -> None:
        self.slot = slot

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        pos = view._field(self.slot)
        if pos is None:
            return None
        start, length = view._vector(pos, 1, f"{view.TYPE_NAME}.{self.name}")
        return view._buf[start:start + length].decode("utf-8", errors="replace")


class TableField:
    def __init__(self, slot: int, cls: type[TableView]) -> None:
        self.slot, self.cls = slot, cls

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        return view._table(self.slot, self.cls, f"{view.TYPE_NAME}.{self.name}")


class TableVector:
    def __init__(self, slot: int, cls: type[TableView]) -> None:
        self.slot, self.cls = slot, cls

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        pos = view._field(self.slot)
        if pos is None:
            return []
        what = f"{view.TYPE_NAME}.{self.name}"
        start, length = view._vector(pos, _UOFFSET, what)
        return [self.cls(view._buf, view._follow(start + i * _UOFFSET, what))
                for i in range(length)]


class UnionValue:
    """The table of a union field; read as `view.field(SomeTableView)`."""

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def __set_name__(self, owner, name) -> None:
        self.name = name

    def __get__(self, view: TableView, owner=None):
        return functools.partial(self._read, view)

    def _read(self, view: TableView, cls: type[TableView]) -> TableView:
        return view._table(self.slot, cls, f"{view.TYPE_NAME}.{self.name}")
