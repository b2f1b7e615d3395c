"""Writes the body of one TOSA function: SSA values, constants and ops, each at a location.

The lowerings call the typed helpers below (rescale, clamp, reshape, ...) so the exact
TOSA 1.0 syntax (zero points and shifts as constant operands, shapes as
`tosa.const_shape`) lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pex.graph import Location, Tensor
from pex.quantization import quantize_multiplier, tosa_shift
from pex.tosa import text
from pex.tosa.text import TensorType


@dataclass(frozen=True)
class ShapeType:
    rank: int

    def __str__(self) -> str:
        return f"!tosa.shape<{self.rank}>"


@dataclass(frozen=True)
class Value:
    name: str
    type: TensorType | ShapeType

    @property
    def shape(self) -> tuple[int, ...]:
        return self.type.shape

    @property
    def dtype(self) -> str:
        return self.type.dtype


class FunctionBuilder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self._count = 0
        self._values: dict[Tensor, Value] = {}
        self._constants: dict[tuple, Value] = {}
        self._loc: Location | None = None
        # What the module's tosa.target_env declares: profiles by the element types ops
        # compute on, extensions by the features ops use.
        self.profiles: set[str] = set()
        self.extensions: set[str] = set()
        # Open scf.for loops, innermost last: (result name, carried types).
        self._loops: list[tuple[str, list]] = []
        # Module-level declarations of the state kept between runs, and the symbols of
        # named states (a model's variables) by name.
        self.globals: list[str] = []
        self._named_states: dict[str, str] = {}

    # Values of graph tensors.

    def bind(self, tensor: Tensor, value: Value) -> None:
        self._values[tensor] = value

    def value(self, tensor: Tensor) -> Value:
        """The value of a graph tensor; constants are materialised at first use."""
        if tensor not in self._values:
            if not tensor.is_constant:
                raise KeyError(f"tensor '{tensor.name}' is used before it is defined")
            return self.const(tensor.data, tensor.dtype)
        return self._values[tensor]

    def at(self, loc: Location | None) -> None:
        """Emits the following ops at `loc` (constants are shared within one location)."""
        self._loc = loc
        self._constants.clear()

    # Generic emission.

    def _fresh(self, type_) -> Value:
        value = Value(f"%{self._count}", type_)
        self._count += 1
        return value

    def uses_type(self, type_: TensorType | ShapeType) -> None:
        """Records the profile an op's data type needs (integer: pro_int, float: pro_fp)."""
        if isinstance(type_, TensorType):
            self.profiles.add("pro_fp" if type_.dtype == "f32" else "pro_int")

    def op(self, name: str, operands: list[Value], result: TensorType, attrs: str = "") -> Value:
        # The data operand and the result decide; other operands are parameters (a
        # float mul's i8 shift) or repeat the data operand's type.
        if operands:
            self.uses_type(operands[0].type)
        self.uses_type(result)
        value = self._fresh(result)
        args = ", ".join(v.name for v in operands)
        types = ", ".join(str(v.type) for v in operands)
        if "." in name:
            # An operator TOSA lacks (pex.grouped_conv2d), in the generic form: plain
            # mlir-opt --allow-unregistered-dialect still reads and validates the TOSA
            # around it.
            self.lines.append(f'{value.name} = "{name}"({args}) <{{{attrs}}}> : ({types}) -> '
                              f"{result}{text.location(self._loc)}")
            return value
        attrs = f" {{{attrs}}}" if attrs else ""
        self.lines.append(f"{value.name} = tosa.{name} {args}{attrs} : ({types}) -> {result}"
                          f"{text.location(self._loc)}")
        return value

    def const(self, values, dtype: str) -> Value:
        values = np.asarray(values, text.STORAGE_TYPES[dtype])
        key = (dtype, values.shape, values.tobytes())
        if key not in self._constants:
            type_ = TensorType(values.shape, dtype)
            value = self._fresh(type_)
            self.lines.append(f'{value.name} = "tosa.const"() <{{values = '
                              f"{text.dense(values, dtype)} : {type_}}}> : () -> {type_}"
                              f"{text.location(self._loc)}")
            self._constants[key] = value
        return self._constants[key]

    def scalar(self, value, dtype: str) -> Value:
        """A one-element constant: how TOSA 1.0 passes zero points, shifts and pad values."""
        return self.const(np.array([value]), dtype)

    def const_shape(self, dims) -> Value:
        dims = [int(d) for d in dims]
        key = ("shape", tuple(dims))
        if key not in self._constants:
            value = self._fresh(ShapeType(len(dims)))
            self.lines.append(
                f"{value.name} = tosa.const_shape {{values = {text.dense(np.array(dims), 'i64')}"
                f" : tensor<{len(dims)}xindex>}} : () -> {value.type}{text.location(self._loc)}")
            self._constants[key] = value
        return self._constants[key]

    # Typed helpers.

    def reshape(self, x: Value, shape) -> Value:
        shape = tuple(int(d) for d in shape)
        if shape == x.shape:
            return x
        return self.op("reshape", [x, self.const_shape(shape)], TensorType(shape, x.dtype))

    def slice(self, x: Value, start, size) -> Value:
        return self.op("slice", [x, self.const_shape(start), self.const_shape(size)],
                       TensorType(tuple(int(d) for d in size), x.dtype))

    def rescale(self, x: Value, multipliers, shifts, input_zp: int, output_zp: int,
                dtype: str, input_unsigned: bool = False,
                output_unsigned: bool = False) -> Value:
        """TOSA rescale with TFLite's rounding; `shifts` are TOSA right shifts. An unsigned
        side reads or writes the i8 data as uint8."""
        multipliers = np.atleast_1d(np.asarray(multipliers, np.int32))
        shifts = np.atleast_1d(np.asarray(shifts, np.int8))
        attrs = (f"input_unsigned = {str(input_unsigned).lower()}, "
                 f"output_unsigned = {str(output_unsigned).lower()}, "
                 f"per_channel = {'true' if multipliers.size > 1 else 'false'}, "
                 "rounding_mode = DOUBLE_ROUND, scale32 = true")
        self.extensions.add("doubleround")
        operands = [x, self.const(multipliers, "i32"), self.const(shifts, "i8"),
                    self.scalar(input_zp, x.dtype), self.scalar(output_zp, dtype)]
        return self.op("rescale", operands, TensorType(x.shape, dtype), attrs)

    def rescale16(self, x: Value, multipliers, shifts, output_zp: int, dtype: str) -> Value:
        """TOSA rescale of an i48 accumulator: 16-bit multipliers (scale32 = false), one
        rounding; `shifts` are TOSA right shifts."""
        multipliers = np.atleast_1d(np.asarray(multipliers, np.int16))
        attrs = ("input_unsigned = false, output_unsigned = false, "
                 f"per_channel = {'true' if multipliers.size > 1 else 'false'}, "
                 "rounding_mode = SINGLE_ROUND, scale32 = false")
        operands = [x, self.const(multipliers, "i16"),
                    self.const(np.atleast_1d(np.asarray(shifts, np.int8)), "i8"),
                    self.scalar(0, x.dtype), self.scalar(output_zp, dtype)]
        return self.op("rescale", operands, TensorType(x.shape, dtype), attrs)

    def requantize(self, x: Value, real_multiplier: float, input_zp: int, output_zp: int,
                   dtype: str) -> Value:
        """(x - input_zp) * real_multiplier + output_zp, as TFLite quantises the multiplier."""
        multiplier, shift = quantize_multiplier(real_multiplier)
        return self.rescale(x, multiplier, tosa_shift(shift), input_zp, output_zp, dtype)

    def clamp(self, x: Value, low, high) -> Value:
        if x.dtype == "f32":
            bounds = f"max_val = {text.float_literal(high)} : f32, " \
                     f"min_val = {text.float_literal(low)} : f32"
        else:
            bounds = f"max_val = {int(high)} : {x.dtype}, min_val = {int(low)} : {x.dtype}"
        return self.op("clamp", [x], x.type, bounds)

    def cast(self, x: Value, dtype: str) -> Value:
        return self.op("cast", [x], TensorType(x.shape, dtype))

    def elementwise(self, name: str, a: Value, b: Value, shape, dtype: str | None = None) -> Value:
        """A broadcasting binary op (add, sub, maximum, minimum)."""
        return self.op(name, [a, b], TensorType(tuple(shape), dtype or a.dtype))

    def mul(self, a: Value, b: Value, shape) -> Value:
        return self.op("mul", [a, b, self.scalar(0, "i8")], TensorType(tuple(shape), a.dtype))

    def table(self, x: Value, entries) -> Value:
        return self.op("table", [x, self.const(entries, "i8")], x.type)

    def reduce(self, name: str, x: Value, axis: int) -> Value:
        shape = list(x.shape)
        shape[axis] = 1
        return self.op(name, [x], TensorType(tuple(shape), x.dtype), f"axis = {axis} : i32")

    # A loop over time steps: scf.for carrying tensors, and slices at the step's index.

    def index(self, value: int) -> str:
        name = self._fresh(None).name
        self.lines.append(f"{name} = arith.constant {int(value)} : index{text.location(self._loc)}")
        return name

    def index_from_end(self, count: int, step: str) -> str:
        """count - 1 - step: a loop's steps taken from the last."""
        last = self.index(count - 1)
        name = self._fresh(None).name
        self.lines.append(f"{name} = arith.subi {last}, {step} : index"
                          f"{text.location(self._loc)}")
        return name

    def begin_loop(self, count: int, carried: list[Value]) -> tuple[str, list[Value]]:
        """Opens `scf.for` over 0 ... count - 1 carrying `carried`: the induction variable
        and the carried values as the body sees them. Constants are not shared across the
        loop's boundary (a body constant does not dominate what follows the loop)."""
        start, stop, step = self.index(0), self.index(count), self.index(1)
        result = self._fresh(None).name
        induction = self._fresh(None).name
        inside = [self._fresh(v.type) for v in carried]
        bindings = ", ".join(f"{a.name} = {v.name}" for a, v in zip(inside, carried))
        types = ", ".join(str(v.type) for v in carried)
        self.lines.append(f"{result}:{len(carried)} = scf.for {induction} = {start} to {stop} "
                          f"step {step} iter_args({bindings}) -> ({types}) {{")
        self._loops.append((result, [v.type for v in carried]))
        self._constants.clear()
        return induction, inside

    def end_loop(self, yielded: list[Value]) -> list[Value]:
        """Closes the innermost loop, yielding `yielded`: the loop's results."""
        result, types = self._loops.pop()
        self.lines.append(f"scf.yield {', '.join(v.name for v in yielded)} : "
                          f"{', '.join(str(t) for t in types)}{text.location(self._loc)}")
        self.lines.append(f"}}{text.location(self._loc)}")
        self._constants.clear()
        return [Value(f"{result}#{i}", type_) for i, type_ in enumerate(types)]

    # State kept between runs: a mutable ml_program.global (TOSA's variables have
    # no int16 type, which SVDF and LSTM states use), loaded where a run starts from
    # it and stored where the run leaves its new value (pex-thread-variables).

    def state(self, name: str, shape, dtype: str, initial, shared: bool = False) -> str:
        """Declares state of `shape` starting at `initial` in every element; returns its
        symbol. `shared`: one state per `name` (a model's variable, read and written by
        several operators)."""
        if shared and name in self._named_states:
            return self._named_states[name]
        symbol = f"{text.symbol_name(name)}_{len(self.globals)}"
        if shared:
            self._named_states[name] = symbol
        type_ = TensorType(tuple(int(d) for d in shape), dtype)
        self.globals.append(f"ml_program.global private mutable @{symbol}"
                            f"({text.dense(np.full(type_.shape, initial), dtype)} : {type_})"
                            f" : {type_}")
        return symbol

    def load_state(self, symbol: str, type_: TensorType) -> Value:
        value = self._fresh(type_)
        self.lines.append(f"{value.name} = ml_program.global_load @{symbol} : {type_}"
                          f"{text.location(self._loc)}")
        return value

    def store_state(self, symbol: str, value: Value) -> None:
        self.lines.append(f"ml_program.global_store @{symbol} = {value.name} : {value.type}"
                          f"{text.location(self._loc)}")

    def empty(self, type_: TensorType) -> Value:
        """A tensor every element of which is written before it is read."""
        value = self._fresh(type_)
        self.lines.append(f"{value.name} = tensor.empty() : {type_}{text.location(self._loc)}")
        return value

    def _slice_spec(self, offsets, sizes) -> str:
        return (f"[{', '.join(str(o) for o in offsets)}] [{', '.join(str(int(d)) for d in sizes)}]"
                f" [{', '.join('1' for _ in sizes)}]")

    def extract_slice(self, x: Value, offsets, sizes) -> Value:
        """x[offsets : offsets + sizes]; an offset may be an index value (a loop's step)."""
        value = self._fresh(TensorType(tuple(int(d) for d in sizes), x.dtype))
        self.lines.append(f"{value.name} = tensor.extract_slice {x.name}"
                          f"{self._slice_spec(offsets, sizes)} : {x.type} to {value.type}"
                          f"{text.location(self._loc)}")
        return value

    def insert_slice(self, x: Value, into: Value, offsets) -> Value:
        """`into` with x written at `offsets`."""
        value = self._fresh(into.type)
        self.lines.append(f"{value.name} = tensor.insert_slice {x.name} into {into.name}"
                          f"{self._slice_spec(offsets, x.shape)} : {x.type} into {into.type}"
                          f"{text.location(self._loc)}")
        return value
