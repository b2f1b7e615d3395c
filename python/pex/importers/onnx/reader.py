"""An ONNX model -> `pex.graph.Graph`: the node loop, values and layouts.

Every ONNX tensor is either known at import (initializers, Constant nodes, and whatever
`folding` computes from them, such as shape arithmetic on the now static shapes) or an
`Activation` computed at run time. Operator handlers (`OPERATORS`, one module per family)
read their inputs through the reader, emit graph ops and define their outputs.

The imported function takes and returns NHWC tensors for 4-D inputs and outputs (the
NCHW ones with channels last); other ranks keep ONNX's order.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from pex.errors import ModelError
from pex.graph import Graph, Location, Op, Quantization, Tensor
from pex.importers import limits
from pex.importers.onnx import folding, lines
from pex.importers.onnx.inputs import input_shapes
from pex.importers.onnx.loop import outer_names
from pex.importers.onnx.layout import (Activation, channels_last_interface, compact_transpose,
                                       preferred_perm, same_bytes, stored_shape,
                                       transpose_between)
from pex.importers.onnx.validation import check_node, element_type_name, tensor_array

_STANDARD_DOMAINS = ("", "ai.onnx")
_FLOAT_TYPES = ("FLOAT",)
_INT8_TYPES = ("INT8", "UINT8")
# Integer inputs are indices (token ids, categories): int32 on the device, as TFLite's
# converter makes them; an int64 index beyond int32's range selects nothing anyway.
_INDEX_TYPES = ("INT64", "INT32")


class OnnxReader:
    def __init__(self, model, path: str, given_shapes: dict, notes: list[str]) -> None:
        self.model = model
        self.file = os.path.basename(path)
        self.name = os.path.splitext(self.file)[0]
        self.opset = next((o.version for o in model.opset_import
                           if o.domain in _STANDARD_DOMAINS), 13)
        self.constants: dict[str, np.ndarray] = {
            init.name: tensor_array(init, f"initializer '{init.name}'")
            for init in model.graph.initializer}
        # DequantizeLinear of a constant: its integer data and parameters, for weights.
        self.quantized_constants: dict[str, tuple] = {}
        self.activations: dict[str, Activation] = {}
        self.ops: list[Op] = []
        self.loc: Location | None = None
        self.node = None
        self.given_shapes = given_shapes
        self.notes = notes
        # Nodes no graph output depends on are not imported (an LSTM's sequence
        # quantised but read by no one): their readers would keep it alive.
        self.nodes = _live_nodes(model.graph)
        self.consumers: dict[str, list] = {}
        for _, node in self.nodes:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        self.graph_outputs = {value.name for value in model.graph.output}
        # The 4-D inputs and outputs the function holds in ONNX's order (channels last).
        self.channels_last_interface = channels_last_interface(model.graph)
        self.skipped: set[str] = set()  # outputs a handler computed ahead of their node
        self._layouts: dict[tuple, Tensor] = {}
        self._floats: dict[int, Activation] = {}
        self.unquantized_inputs: dict[str, Tensor] = {}  # int8 inputs awaiting parameters
        self.inputs_as_float: dict[str, Activation] = {}  # int8 inputs cast to float
        self.interface_perms: dict[str, tuple[int, ...]] = {}  # Graph.interface_perms

    # The model.

    def read(self) -> Graph:
        inputs = self._inputs()
        self.defined = {t.name for t in inputs} | set(self.constants)
        for index, node in self.nodes:
            self.import_node(node, f"node {index}", index)
        if self.unquantized_inputs:
            name = next(iter(self.unquantized_inputs))
            raise ModelError(f"{self._integer_type(name)} input '{name}' is never "
                             f"dequantised: its scale is unknown")
        self.loc = Location("output", self.file, len(self.model.graph.node))
        outputs = [self._output(value) for value in self.model.graph.output]
        return Graph(self.name, inputs, outputs, self.ops, self.interface_perms)

    def import_node(self, node, position: str, line: int) -> None:
        """Checks and imports one node (of the graph, or of a Loop's body unrolled);
        `position` names it in errors, `line` is its location's."""
        from onnx import helper
        from pex.importers.onnx.operators import OPERATORS
        node_before, loc_before = self.node, self.loc
        self.node = node
        self.loc = Location(node.output[0] if node.output else node.op_type, self.file, line)
        where = f"{position} ({node.op_type} '{node.name or self.loc.name}')"
        try:
            check_node(node, self.opset, self.defined, self.constants)
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if all(name in self.skipped for name in node.output if name):
                return
            if self._foldable(node):
                self._fold(node, attrs)
                return
            handler = OPERATORS.get((_domain(node), node.op_type))
            if handler is None:
                raise ModelError("unsupported operator")
            handler(self, node, attrs)
        except ModelError as error:
            raise ModelError(f"{where}: {error}") from None
        except Exception as error:  # a node malformed in a way no check foresaw
            raise ModelError(f"{where}: cannot import it ({type(error).__name__}: "
                             f"{error})") from None
        finally:
            self.node, self.loc = node_before, loc_before

    def _inputs(self) -> list[Tensor]:
        values = [v for v in self.model.graph.input if v.name not in self.constants]
        shapes = input_shapes(values, self.given_shapes, self.notes)
        signals = lines.signal_inputs(self.model.graph)
        channels_last = self.channels_last_interface[0]
        tensors = []
        for value in values:
            element = element_type_name(value.type.tensor_type.elem_type)
            shape = shapes[value.name]
            limits.check_shape(f"input '{value.name}'", shape,
                               4 if element in _FLOAT_TYPES + _INDEX_TYPES else 1)
            if element in _INDEX_TYPES:
                perm = tuple(range(len(shape)))
            elif value.name in signals:
                perm = lines.CHANNELS_LAST_1D
            elif value.name in channels_last:
                perm = tuple(range(len(shape)))
            else:
                perm = preferred_perm(len(shape))
            if element in _FLOAT_TYPES:
                tensor = Tensor(value.name, stored_shape(shape, perm), "f32")
                self.activations[value.name] = Activation(tensor, perm)
            elif element in _INT8_TYPES:
                # Parameters come from the first DequantizeLinear or QLinear* reading it.
                tensor = Tensor(value.name, stored_shape(shape, perm), "i8",
                                unsigned=element == "UINT8")
                self.unquantized_inputs[value.name] = tensor
                self.activations[value.name] = Activation(tensor, perm,
                                                          unsigned=element == "UINT8")
            elif element in _INDEX_TYPES:
                tensor = Tensor(value.name, shape, "i32")
                self.activations[value.name] = Activation(tensor, perm)
            else:
                raise ModelError(f"input '{value.name}' is {element.lower()}; only float32, "
                                 f"int8, uint8 and (index) int64 and int32 inputs are "
                                 f"supported")
            self.interface_perms[value.name] = tuple(perm)
            tensors.append(tensor)
        return tensors

    def _output(self, value) -> Tensor:
        if value.name in self.constants or value.name not in self.activations:
            raise ModelError(f"output '{value.name}' is "
                             f"{'constant' if value.name in self.constants else 'never computed'}")
        act = self.activations[value.name]
        if act.form == "dequantized":
            act = self.float_activation(value.name)
        perm = tuple(range(act.rank)) if value.name in self.channels_last_interface[1] \
            else preferred_perm(act.rank)
        tensor = self.stored(act, perm)
        self.interface_perms[value.name] = tuple(perm)
        if act.unsigned:
            from pex.importers.onnx.quantization import to_unsigned
            tensor = to_unsigned(self, tensor, value.name)
        tensor.name = value.name
        return tensor

    # Constant folding.

    def _foldable(self, node) -> bool:
        if _domain(node) != "" or node.op_type not in folding.FOLDERS:
            return False
        if node.op_type in ("Shape", "Size") and node.input[0] in self.activations:
            return True
        return all(name in self.constants for name in node.input if name)

    def _fold(self, node, attrs) -> None:
        inputs = []
        for name in node.input:
            if not name:
                inputs.append(None)
            elif name in self.constants:
                inputs.append(self.constants[name])
            else:  # Shape or Size of an activation: its static shape (no memory behind it)
                inputs.append(np.broadcast_to(np.int8(0), self.activations[name].shape))
        try:
            results = folding.fold(node, attrs, inputs, self.opset)
        except (ValueError, IndexError, TypeError, KeyError) as error:
            raise ModelError(f"cannot evaluate it on its constant inputs: {error}") from None
        self.constants[node.output[0]] = results[0]

    # Values.

    def has_input(self, node, position: int) -> bool:
        return len(node.input) > position and bool(node.input[position])

    def is_constant(self, name: str) -> bool:
        return name in self.constants

    def constant(self, name: str, what: str = "input") -> np.ndarray:
        if name not in self.constants:
            if name not in self.activations:
                raise ModelError(f"'{name}' is used before it is defined")
            raise ModelError(f"{what} '{name}' is computed at run time; only constant "
                             f"{what}s are supported")
        return self.constants[name]

    def constant_ahead(self, name: str) -> np.ndarray | None:
        """The value of `name` when it is a constant: known already, or that of a Constant
        node later in the file (exporters write a Gather's index or a Q/DQ scale after
        the node looking ahead at it); None otherwise."""
        if name in self.constants:
            return np.asarray(self.constants[name])
        from onnx import helper
        from pex.importers.onnx.shape_ops import constant_value
        for _, node in self.nodes:
            if node.op_type == "Constant" and name in node.output:
                return constant_value({a.name: helper.get_attribute_value(a)
                                       for a in node.attribute})
        return None

    def optional_constant(self, node, position: int, what: str = "input"):
        return self.constant(node.input[position], what) if self.has_input(node, position) \
            else None

    def raw(self, name: str, gives_parameters: bool = False) -> Activation:
        """An activation in whatever form it is held (float, int8, or quantised views).
        An int8 model input has no quantisation until an operator that gives it
        (`gives_parameters`: DequantizeLinear, a QLinear operator) reads it."""
        if name in self.unquantized_inputs and not gives_parameters:
            raise ModelError(f"{self._integer_type(name)} input '{name}' is read before a "
                             f"DequantizeLinear or QLinear operator gives its quantisation")
        if name in self.activations:
            return self.activations[name]
        if name in self.constants:
            return self.constant_activation(self.constants[name], name)
        raise ModelError(f"'{name}' is used before it is defined")

    def _integer_type(self, name: str) -> str:
        return "uint8" if self.activations[name].unsigned else "int8"

    def float_activation(self, name: str) -> Activation:
        """The activation as a float tensor: a DequantizeLinear view becomes a dequantize."""
        act = self.raw(name)
        if act.form == "requantized":
            raise ModelError(f"'{name}' is only defined through QuantizeLinear")
        if act.form == "dequantized":
            if id(act) not in self._floats:
                out = self.emit("dequantize", [act.tensor], act.tensor.shape,
                                name=f"{name}/float")
                self._floats[id(act)] = Activation(out, act.perm)
            return self._floats[id(act)]
        if act.tensor.dtype != "f32":
            raise ModelError(f"'{name}' is an integer tensor; this operator takes float")
        return act

    def constant_activation(self, data: np.ndarray, name: str, perm=None) -> Activation:
        """A constant operand held like an activation (float32, in `perm`)."""
        data = np.asarray(data)
        perm = perm if perm is not None else preferred_perm(data.ndim)
        stored = np.ascontiguousarray(data.astype(np.float32).transpose(perm))
        return Activation(Tensor(name, stored.shape, "f32", None, stored), tuple(perm))

    def define(self, name: str, tensor: Tensor, perm, form: str = "value",
               unsigned: bool = False) -> Activation:
        act = Activation(tensor, tuple(perm), form, unsigned)
        self.activations[name] = act
        return act

    def alias(self, name: str, act: Activation) -> None:
        self.activations[name] = act

    # Layouts.

    def stored(self, act: Activation, perm) -> Tensor:
        """The activation's tensor in layout `perm` (a reshape or a transpose when it is
        held otherwise; computed once per layout)."""
        perm = tuple(perm)
        tensor = self.in_order(act, perm)
        target = stored_shape(act.shape, perm)
        if tensor.shape == target:
            return tensor
        key = (id(act.tensor), act.perm, perm, "shaped")
        if key not in self._layouts:
            self._layouts[key] = self.emit("reshape", [tensor], target, like=tensor,
                                           name=f"{act.tensor.name}/{_layout_name(perm)}")
        return self._layouts[key]

    def in_order(self, act: Activation, perm) -> Tensor:
        """A tensor holding the activation's elements in the order of layout `perm`, of
        whatever shape that takes (a transpose is done on as few axes as possible): for
        callers that reshape it anyway."""
        perm = tuple(perm)
        x = act.tensor
        if act.perm == perm or same_bytes(act.shape, act.perm, perm):
            return x
        key = (id(x), act.perm, perm)
        if key in self._layouts:
            return self._layouts[key]
        name = f"{x.name}/{_layout_name(perm)}"
        moves = transpose_between(act.perm, perm)
        if x.is_constant:
            data = np.ascontiguousarray(x.data.transpose(moves))
            result = Tensor(name, data.shape, x.dtype, x.quant, data)
        else:
            merged_shape, merged_perm = compact_transpose(x.shape, moves)
            merged = self.emit("reshape", [x], merged_shape, like=x, name=f"{name}/merged") \
                if merged_shape != x.shape else x
            result = self.emit("transpose", [merged],
                               tuple(merged_shape[p] for p in merged_perm), like=x, name=name,
                               perm=merged_perm)
        self._layouts[key] = result
        return result

    def nhwc(self, act: Activation, what: str = "input") -> Tensor:
        if act.rank != 4:
            raise ModelError(f"{what} '{act.tensor.name}' has rank {act.rank}; only 2-D images "
                             f"(4-D tensors, NCHW) are supported")
        return self.stored(act, preferred_perm(4))

    # Emission.

    def emit(self, kind: str, inputs: list, shape, dtype: str = "f32",
             quant: Quantization | None = None, name: str | None = None,
             like: Tensor | None = None, **attrs) -> Tensor:
        """Appends a graph op computing a new tensor of (stored) `shape`; `like` copies the
        element type and quantisation of an input (data movement)."""
        if like is not None:
            dtype, quant = like.dtype, like.quant
        return self.emit_results(kind, inputs, [shape], dtype, quant, name, **attrs)[0]

    def emit_results(self, kind: str, inputs: list, shapes: list,
                     dtype: str | list[str] = "f32", quant: Quantization | None = None,
                     name: str | None = None, **attrs) -> list[Tensor]:
        """Appends a graph op computing one new tensor per (stored) shape of `shapes`, of
        element type `dtype` (or one per result)."""
        name = name or self.loc.name
        dtypes = dtype if isinstance(dtype, list) else [dtype] * len(shapes)
        outs = [Tensor(name if i == 0 else f"{name}#{i}", tuple(int(d) for d in shape),
                       result_type, quant)
                for i, (shape, result_type) in enumerate(zip(shapes, dtypes))]
        self.ops.append(Op(kind, inputs, outs, attrs, Location(name, self.loc.file,
                                                                self.loc.line)))
        return outs

    # Graph structure.

    def consumers_of(self, name: str) -> list:
        return self.consumers.get(name, [])


def _layout_name(perm) -> str:
    if perm == tuple(range(len(perm))):
        return "nchw" if len(perm) == 4 else "onnx_order"
    return "nhwc" if perm == preferred_perm(4) else "perm" + "".join(str(a) for a in perm)


def _live_nodes(graph) -> list[tuple[int, object]]:
    """The nodes some graph output depends on, with their positions in the file (a
    Loop's body reads values of the graph by name, not as the node's inputs)."""
    needed = {value.name for value in graph.output}
    live = []
    for index in reversed(range(len(graph.node))):
        node = graph.node[index]
        if any(name in needed for name in node.output if name):
            live.append((index, node))
            needed.update(name for name in node.input if name)
            needed.update(outer_names(node))
    return live[::-1]


def _domain(node) -> str:
    return "" if node.domain in _STANDARD_DOMAINS else node.domain


def _parse(data: bytes):
    """The ModelProto; protobuf's warning that bytes were left over is an error here."""
    import onnx
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return onnx.load_model_from_string(data)


def looks_like_onnx(data: bytes) -> bool:
    try:
        return len(_parse(data).graph.node) > 0
    except Exception:  # protobuf raises various errors on non-ONNX bytes
        return False


def read_onnx(data: bytes, path: str, input_shapes: dict | None = None,
              notes: list[str] | None = None) -> Graph:
    """The graph of an ONNX model. `input_shapes` ({name or None: dims}) fixes dynamic
    input dimensions; messages about dimensions fixed by default go to `notes`."""
    try:
        model = _parse(data)
    except Exception as error:  # protobuf's DecodeError and friends
        cause = error.__cause__ or error  # a warning raised inside protobuf's C parser
        raise ModelError(f"corrupt or truncated ONNX file ({len(data)} bytes): {cause}") \
            from None
    if not model.graph.node:
        raise ModelError("no operators: not an ONNX model, or an empty graph")
    return OnnxReader(model, path, input_shapes or {}, notes if notes is not None else []).read()
