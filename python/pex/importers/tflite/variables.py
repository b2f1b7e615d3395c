"""TFLite's resource variables: state a model keeps between invocations, as TensorFlow's
converter writes `tf.Variable`s (streaming models' buffers and recurrent states).

The main subgraph names a variable with VAR_HANDLE (its `container` and `shared_name`),
reads it with READ_VARIABLE and writes it with ASSIGN_VARIABLE; a CALL_ONCE runs an
initialisation subgraph on the first invocation, which ASSIGN_VARIABLEs each variable its
initial value. pex keeps each variable as state kept between runs (graph ops `read_state`
and `write_state`, a mutable global in TOSA's module; docs/memory-model.md): its type and
shape are those of its reads and writes, its initial value the constant the
initialisation subgraph assigns, which must be one repeated element (a reset fills it).
"""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES
from pex.importers.tflite import schema

_CODES = schema.BUILTIN_OPERATOR_CODES
VAR_HANDLE, READ_VARIABLE = _CODES["VAR_HANDLE"], _CODES["READ_VARIABLE"]
ASSIGN_VARIABLE, CALL_ONCE = _CODES["ASSIGN_VARIABLE"], _CODES["CALL_ONCE"]
CODES = (VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE, CALL_ONCE)


def _indices(vector) -> list[int]:
    return [int(i) for i in vector] if vector is not None else []


def _name(operator: schema.Operator) -> str:
    kind = operator.builtin_options_type
    if kind != schema.VarHandleOptions.UNION_TYPE:
        raise ModelError(f"builtin options of type {kind}, expected VarHandleOptions")
    options = operator.builtin_options(schema.VarHandleOptions)
    name = options.shared_name or ""
    if not name:
        raise ModelError("VAR_HANDLE without a shared_name")
    return f"{options.container}/{name}" if options.container else name


class ResourceVariables:
    """The variables of a model: which resource tensor of the main subgraph names which
    variable, and each variable's initial value."""

    def __init__(self, reader) -> None:
        self.reader = reader
        # Resource tensor index (main subgraph) -> variable name.
        self.handles: dict[int, str] = {}
        self.initial: dict[str, np.ndarray] = {}

    def convert(self, code: int, index: int, operator: schema.Operator) -> None:
        """Operator `index` of the main subgraph, one of CODES."""
        inputs, outputs = _indices(operator.inputs), _indices(operator.outputs)
        if code == CALL_ONCE:
            kind = operator.builtin_options_type
            if kind != schema.CallOnceOptions.UNION_TYPE:
                raise ModelError(f"builtin options of type {kind}, expected CallOnceOptions")
            if index != 0:
                raise ModelError("CALL_ONCE after other operators; pex initialises "
                                 "variables before the model's first operator")
            self._initialise(operator.builtin_options(schema.CallOnceOptions)
                             .init_subgraph_index)
            return
        if code == VAR_HANDLE:
            if len(outputs) != 1:
                raise ModelError("VAR_HANDLE has no resource output")
            self.handles[outputs[0]] = _name(operator)
            return
        if not inputs or inputs[0] not in self.handles:
            raise ModelError("the resource input is not a VAR_HANDLE of this subgraph")
        name = self.handles[inputs[0]]
        if (code == READ_VARIABLE and len(outputs) != 1) or \
                (code == ASSIGN_VARIABLE and len(inputs) != 2):
            raise ModelError("expected a resource and a value")
        if code == READ_VARIABLE:
            value = self.reader.tensor(outputs[0])
            self.reader.emit("read_state", [], [value],
                             {"state": name, "initial": self._initial_value(name, value)})
            return
        value = self.reader.tensor(inputs[1])
        self.reader.emit("write_state", [value], [],
                         {"state": name, "initial": self._initial_value(name, value)})

    def _initial_value(self, name: str, value) -> np.ndarray:
        """The variable's initial value, checked against a value read or written."""
        if name not in self.initial:
            raise ModelError(f"variable '{name}' is not initialised: no CALL_ONCE "
                             f"subgraph assigns it a constant before the model uses it")
        initial = self.initial[name]
        if initial.shape != tuple(value.shape) or initial.dtype != NUMPY_TYPES[value.dtype]:
            raise ModelError(f"variable '{name}' is initialised as {initial.dtype} "
                             f"{list(initial.shape)} but used as {value.dtype} "
                             f"{list(value.shape)}")
        return initial

    def _initialise(self, subgraph_index: int) -> None:
        """Runs a CALL_ONCE's subgraph at import: VAR_HANDLEs and ASSIGN_VARIABLEs of
        constants, nothing else."""
        subgraphs = self.reader.model.subgraphs
        if not 0 < subgraph_index < len(subgraphs):
            raise ModelError(f"init subgraph {subgraph_index} out of range")
        subgraph = subgraphs[subgraph_index]
        codes = self.reader.model.operator_codes
        handles: dict[int, str] = {}
        for operator in subgraph.operators or []:
            if operator.opcode_index >= len(codes):
                raise ModelError(f"init subgraph {subgraph_index}: operator code index "
                                 f"{operator.opcode_index} out of range")
            code = codes[operator.opcode_index].code
            inputs, outputs = _indices(operator.inputs), _indices(operator.outputs)
            if code == VAR_HANDLE and len(outputs) == 1:
                handles[outputs[0]] = _name(operator)
            elif code == ASSIGN_VARIABLE and len(inputs) == 2 and inputs[0] in handles:
                if not 0 <= inputs[1] < len(subgraph.tensors):
                    raise ModelError(f"init subgraph {subgraph_index}: tensor index "
                                     f"{inputs[1]} out of range")
                view = subgraph.tensors[inputs[1]]
                value = self.reader.convert_tensor(view)
                if not value.is_constant:
                    raise ModelError(f"init subgraph {subgraph_index} assigns variable "
                                     f"'{handles[inputs[0]]}' a value it computes; pex "
                                     f"initialises variables with constants")
                data = np.asarray(value.data)
                if data.size and np.any(data != data.reshape(-1)[0]):
                    raise ModelError(f"variable '{handles[inputs[0]]}' has an initial value "
                                     f"that is not one repeated element (pex resets state "
                                     f"by filling it)")
                self.initial[handles[inputs[0]]] = data
            else:
                raise ModelError(f"init subgraph {subgraph_index} has operator "
                                 f"{schema.builtin_operator_name(code)}; pex initialises "
                                 f"variables with constants (VAR_HANDLE, ASSIGN_VARIABLE)")
