"""A .tflite file -> `pex.graph.Graph` (its first subgraph, which TFLite runs)."""

from __future__ import annotations

import os

import numpy as np

from pex.errors import ModelError
from pex.graph import NUMPY_TYPES, Graph, Location, Op, Quantization, Tensor
from pex.importers import limits
from pex.importers.tflite import dilated, schema, shape_folding, variables
from pex.importers.tflite.operators import CONVERTERS, dilated_convolution
from pex.importers.tflite.padding import trim_unread_padding


def is_tflite(data: bytes) -> bool:
    return data[4:8] == schema.FILE_IDENTIFIER


class ModelReader:
    def __init__(self, data: bytes, path: str) -> None:
        if not is_tflite(data):
            found = data[4:8].decode("latin-1")
            raise ModelError(f"not a TFLite model: bytes 4-7 are {found!r}, expected "
                             f"{schema.FILE_IDENTIFIER.decode()!r}")
        self.data = data
        self.file = os.path.basename(path)
        self.name = os.path.splitext(self.file)[0]
        self.model = schema.Model.root(data)
        subgraphs = self.model.subgraphs
        if not subgraphs:
            raise ModelError("the model has no subgraph")
        self.subgraph = subgraphs[0]
        self.tensor_views = self.subgraph.tensors
        self.buffers = self.model.buffers
        self.ops: list[Op] = []
        self.loc: Location | None = None
        self._tensors: dict[int, Tensor] = {}
        self.variables = variables.ResourceVariables(self)

    def read(self) -> Graph:
        codes = self.model.operator_codes
        folds = dilated.find_folds(self.subgraph, codes)
        operators = self.subgraph.operators
        for index, operator in enumerate(operators):
            if operator.opcode_index >= len(codes):
                raise ModelError(f"operator {index}: operator code index "
                                 f"{operator.opcode_index} out of range")
            code = codes[operator.opcode_index].code
            name = schema.builtin_operator_name(code)
            if code == schema.BUILTIN_OPERATOR_CODES["CUSTOM"]:
                name = f"custom operator '{codes[operator.opcode_index].custom_code}'"
            try:
                if code in variables.CODES:  # resource tensors are no graph tensors
                    self.loc = Location(name, self.file, index)
                    self.variables.convert(code, index, operator)
                    continue
                outputs = [self.tensor(i) for i in _indices(operator.outputs)]
                self.loc = Location(outputs[0].name if outputs else name, self.file, index)
                context = OperatorContext(self, operator, outputs)
                if index in folds:
                    self._fold_dilated(folds[index], index, operators, codes, context)
                elif shape_folding.folds(code, context, code in CONVERTERS):
                    shape_folding.fold(code, context)
                elif code in CONVERTERS:
                    _check_ranks(name, context)
                    _check_int16(name, context)
                    _check_unsigned(name, context)
                    _check_element_types(name, context)
                    CONVERTERS[code](context)
                elif code in dilated.FOLDED_CODES:
                    raise ModelError(dilated.PATTERN)
                else:
                    raise ModelError("unsupported operator; the builtins pex imports are "
                                     "listed in docs/importers.md (TFLite builtins)")
            except ModelError as error:
                raise ModelError(f"operator {index} ({name}): {error}") from None
        inputs = [self.tensor(i) for i in _indices(self.subgraph.inputs)]
        outputs = [self.tensor(i) for i in _indices(self.subgraph.outputs)]
        for kind, tensors in (("input", inputs), ("output", outputs)):
            for tensor in tensors:
                if tensor.dtype == "i1":
                    raise ModelError(f"model {kind} '{tensor.name}' is BOOL; BOOL tensors are "
                                     f"supported inside a model only")
        graph = Graph(self.name, inputs, outputs, self.ops)
        trim_unread_padding(graph)
        return graph

    def _fold_dilated(self, fold: dilated.Fold, index: int, operators, codes,
                      context: OperatorContext) -> None:
        """A dilated convolution's three operators: emitted at the last one."""
        if index != fold.batch_to_space:
            return
        space_to_batch, convolution = (
            OperatorContext(self, operators[i], [self.tensor(t) for t in _indices(
                operators[i].outputs)]) for i in (fold.space_to_batch, fold.convolution))
        name = schema.builtin_operator_name(codes[operators[fold.convolution].opcode_index].code)
        for checked in (space_to_batch, convolution, context):
            _check_int16(name, checked)
            _check_unsigned(name, checked)
        _check_ranks(name, convolution)
        dilated_convolution(space_to_batch, convolution, context,
                            depthwise=name == "DEPTHWISE_CONV_2D")

    def emit(self, kind: str, inputs: list, outputs: list[Tensor], attrs: dict) -> Op:
        op = Op(kind, inputs, outputs, attrs, self.loc)
        self.ops.append(op)
        return op

    def tensor(self, index: int) -> Tensor:
        if index not in self._tensors:
            if not 0 <= index < len(self.tensor_views):
                raise ModelError(f"tensor index {index} out of range")
            self._tensors[index] = self.convert_tensor(self.tensor_views[index])
        return self._tensors[index]

    def alias(self, index: int, tensor: Tensor) -> None:
        """Makes a model tensor stand for an already converted one (folded ops)."""
        self._tensors[index] = tensor

    def convert_tensor(self, view: schema.Tensor) -> Tensor:
        name = view.name or "<unnamed>"
        # uint8 (TFLite's inference_input_type / inference_output_type = tf.uint8): held as
        # int8 data read as uint8 by the QUANTIZE next to it (_check_unsigned).
        unsigned = view.type == schema.UINT8
        if view.type not in schema.ELEMENT_TYPES and not unsigned:
            type_name = (schema.TENSOR_TYPE_NAMES[view.type]
                         if 0 <= view.type < len(schema.TENSOR_TYPE_NAMES) else str(view.type))
            raise ModelError(f"tensor '{name}' has unsupported type {type_name}")
        dtype = "i8" if unsigned else schema.ELEMENT_TYPES[view.type]
        shape = tuple(int(d) for d in (view.shape if view.shape is not None else ()))
        signature = view.shape_signature
        # Keras exports mark the batch dimension -1 in the signature and 1 in the shape.
        if any(d < 1 for d in shape) or (signature is not None and any(d < 0 for d in signature[1:])):
            shown = list(signature) if signature is not None else list(shape)
            raise ModelError(f"tensor '{name}' has a dynamic shape {shown}; "
                             f"only static shapes are supported")
        limits.check_shape(f"tensor '{name}'", shape, np.dtype(NUMPY_TYPES[dtype]).itemsize)
        data = self._constant_data(view, name, shape, dtype)
        if unsigned and data is not None:
            raise ModelError(f"tensor '{name}' is a uint8 constant; uint8 is imported only at "
                             f"the model's interface, converted by QUANTIZE")
        return Tensor(name, shape, dtype, self._quantization(view, name, shape, dtype), data,
                      unsigned)

    @staticmethod
    def _quantization(view: schema.Tensor, name: str, shape, dtype) -> Quantization | None:
        # int32 biases carry scales nothing reads (some with a stale axis)
        if dtype not in ("i8", "i16"):
            return None
        params = view.quantization
        scale, zero_point = params.scale, params.zero_point
        if scale is None or len(scale) == 0:
            return None
        invalid = scale[~(np.isfinite(scale) & (scale > 0))]
        if invalid.size:
            raise ModelError(f"tensor '{name}' has a scale of {invalid[0]}; scales are "
                             f"positive and finite")
        if zero_point is None or len(zero_point) != len(scale):
            zero_point = np.zeros(len(scale), np.int64)
        axis = params.quantized_dimension if len(scale) > 1 else None
        if axis is not None and not (0 <= axis < len(shape) and shape[axis] == len(scale)):
            raise ModelError(f"tensor '{name}': {len(scale)} scales do not match "
                             f"dimension {axis} of shape {list(shape)}")
        return Quantization(scale.astype(np.float32), zero_point.astype(np.int64), axis)

    def _constant_data(self, view: schema.Tensor, name: str, shape, dtype) -> np.ndarray | None:
        if view.buffer == 0:
            return None
        if view.buffer >= len(self.buffers):
            raise ModelError(f"tensor '{name}' refers to buffer {view.buffer}, "
                             f"but the model has {len(self.buffers)}")
        buffer = self.buffers[view.buffer]
        raw = buffer.data
        if buffer.offset > 1:
            end = buffer.offset + buffer.size
            if end > len(self.data):
                raise ModelError(f"tensor '{name}': buffer at byte offset {buffer.offset} "
                                 f"(size {buffer.size}) lies outside the file")
            raw = np.frombuffer(self.data, np.uint8, buffer.size, buffer.offset)
        if raw is None or raw.size == 0:
            return None
        element = np.dtype(NUMPY_TYPES[dtype]).newbyteorder("<")
        count = int(np.prod(shape, dtype=np.int64))
        if raw.size != count * element.itemsize:
            raise ModelError(f"tensor '{name}' of shape {list(shape)} has {raw.size} bytes "
                             f"of data, expected {count * element.itemsize}")
        return raw.view(element).astype(NUMPY_TYPES[dtype]).reshape(shape)


# The ranks of the inputs (by position) the converters of image operators index into.
_INPUT_RANKS = {"CONV_2D": (4, 4), "DEPTHWISE_CONV_2D": (4, 4), "AVERAGE_POOL_2D": (4,),
                "MAX_POOL_2D": (4,)}


def _check_ranks(name: str, context) -> None:
    for position, rank in enumerate(_INPUT_RANKS.get(name, ())):
        shape = context.input(position).shape
        if len(shape) != rank:
            raise ModelError(f"input {position} has shape {list(shape)}; the operator takes "
                             f"{rank}-D tensors")
    if name in _INPUT_RANKS and len(context.output.shape) != 4:
        raise ModelError(f"output of shape {list(context.output.shape)}; the operator gives "
                         f"4-D tensors")


# The operators whose int16 tensors are checked by their converters: QUANTIZE (to and
# from int16, any zero point), SVDF's int16 state and time weights and the int8 LSTM's
# int16 cell state.
_INT16_OPERATORS = ("QUANTIZE", "SVDF", "UNIDIRECTIONAL_SEQUENCE_LSTM")
# TFLite's 16x8 quantisation (int16 activations with zero point 0, int8 weights, int64
# biases): the other builtins whose int16 kernels are imported.
_16X8_OPERATORS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV", "ADD",
                   "SUB", "MUL", "DEQUANTIZE", "AVERAGE_POOL_2D", "MAX_POOL_2D", "PAD",
                   "STRIDED_SLICE", "RESHAPE", "LEAKY_RELU", "LOGISTIC", "TANH", "SOFTMAX",
                   "CONCATENATION", "SLICE", "SPLIT", "SPLIT_V", "EXPAND_DIMS", "TRANSPOSE",
                   "PADV2", "GELU")


def _check_int16(name: str, context) -> None:
    if name in _INT16_OPERATORS:
        return
    tensors = [context.optional_input(i) for i in range(len(context.input_indices))]
    for tensor in [t for t in tensors if t is not None] + context.outputs:
        if tensor.dtype != "i16":
            continue
        if name not in _16X8_OPERATORS:
            raise ModelError(f"int16 tensor '{tensor.name}': the operator's int16 form is not "
                             f"imported; int16 tensors are read by "
                             f"{', '.join(_16X8_OPERATORS + _INT16_OPERATORS)} "
                             f"(docs/importers.md, TFLite builtins)")
        if tensor.quant is not None and np.any(tensor.quant.zero_point != 0):
            raise ModelError(f"int16 tensor '{tensor.name}' has zero point "
                             f"{int(tensor.quant.zero_point[0])}; TFLite's 16x8 kernels take "
                             f"symmetric int16 (docs/importers.md)")


# Operators computing on int8 (quantised) or float32 tensors, with the positions of their
# data inputs, which have the output's element type; the other inputs are parameters
# (weights, biases, axes, sizes) that the converters check. _ALL: every input.
_ALL = None
_KERNEL_TYPES = ("i8", "f32")
_ARITHMETIC = {
    "TRANSPOSE_CONV": (2,),
    **dict.fromkeys(("ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM", "SQUARED_DIFFERENCE",
                     "PRELU"), (0, 1)),
    **dict.fromkeys(("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "AVERAGE_POOL_2D",
                     "MAX_POOL_2D", "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "SOFTMAX",
                     "LOG_SOFTMAX", "L2_NORMALIZATION", "LOGISTIC", "RELU", "RELU6",
                     "RELU_N1_TO_1", "LEAKY_RELU", "TANH", "GELU", "HARD_SWISH", "ABS", "RSQRT",
                     "NEG", "EXP",
                     "LOG", "SQRT", "RESIZE_NEAREST_NEIGHBOR", "RESIZE_BILINEAR"), (0,)),
}
# Operators moving data of any element type, with the positions of their data inputs.
_MOVEMENT = {
    **dict.fromkeys(("RESHAPE", "SQUEEZE", "TRANSPOSE", "UNPACK", "SPLIT_V", "STRIDED_SLICE",
                     "SLICE", "GATHER", "EXPAND_DIMS", "PAD", "PADV2", "MIRROR_PAD",
                     "DEPTH_TO_SPACE", "SPACE_TO_DEPTH"), (0,)),
    "SPLIT": (1,),
    "CONCATENATION": _ALL,
    "PACK": _ALL,
}
_TYPE_NAMES = {"i8": "int8", "i16": "int16", "f32": "float32"}
# The bias of an int8 kernel accumulates in int32, of a 16x8 one in int64 (as TFLite
# writes it), of a float one in float32.
_BIAS_POSITION = {"CONV_2D": 2, "DEPTHWISE_CONV_2D": 2, "FULLY_CONNECTED": 2,
                  "TRANSPOSE_CONV": 3}
_BIAS_TYPES = {"i8": "i32", "i16": "i64", "f32": "f32"}
# Operators converting between element types: (input types, output types).
_CONVERSIONS = {"QUANTIZE": (("f32", "i8", "i16"), ("i8", "i16")),
                "DEQUANTIZE": (("i8", "i16"), ("f32",))}


def _check_unsigned(name: str, context) -> None:
    """uint8 tensors (held as int8 marked unsigned) only cross QUANTIZE, to or from int8."""
    tensors = [context.optional_input(i) for i in range(len(context.input_indices))]
    unsigned = [t for t in tensors + context.outputs if t is not None and t.unsigned]
    if not unsigned:
        return
    x, out = context.input(0), context.output
    if name != "QUANTIZE" or x.unsigned == out.unsigned or \
            (out if x.unsigned else x).dtype != "i8":
        raise ModelError(f"uint8 tensor '{unsigned[0].name}': uint8 is imported only at the "
                         f"model's interface, converted to or from int8 by QUANTIZE (TFLite's "
                         f"inference_input_type / inference_output_type = tf.uint8)")


def _check_element_types(name: str, context) -> None:
    """The element types the converters of `name` take on trust (an int8 kernel given an
    int32 operand would fail on its missing quantisation)."""
    if name in _CONVERSIONS:
        allowed_in, allowed_out = _CONVERSIONS[name]
        for what, tensor, allowed in (("input", context.input(0), allowed_in),
                                      ("output", context.output, allowed_out)):
            if tensor.dtype not in allowed:
                raise ModelError(f"{what} '{tensor.name}' is {tensor.dtype}, expected "
                                 f"{' or '.join(allowed)}")
        return
    if name not in _ARITHMETIC and name not in _MOVEMENT:
        return
    out = context.output
    kernel_types = _KERNEL_TYPES + (("i16",) if name in _16X8_OPERATORS else ())
    if name in _ARITHMETIC and out.dtype not in kernel_types:
        names = [_TYPE_NAMES[t] for t in kernel_types]
        raise ModelError(f"output '{out.name}' is {out.dtype}; the operator computes "
                         f"{', '.join(names[:-1])} or {names[-1]}")
    positions = _ARITHMETIC.get(name, _MOVEMENT.get(name))
    if positions is _ALL:
        positions = range(len(context.input_indices))
    for position in positions:
        tensor = context.input(position)
        if tensor.dtype != out.dtype:
            raise ModelError(f"input {position} ('{tensor.name}') is {tensor.dtype}, its "
                             f"output '{out.name}' {out.dtype}")
    for tensor in context.outputs[1:]:
        if tensor.dtype != out.dtype:
            raise ModelError(f"outputs '{out.name}' and '{tensor.name}' are {out.dtype} and "
                             f"{tensor.dtype}")
    bias = context.optional_input(_BIAS_POSITION[name]) if name in _BIAS_POSITION else None
    if bias is not None and bias.dtype != _BIAS_TYPES[out.dtype]:
        raise ModelError(f"bias '{bias.name}' is {bias.dtype}, expected "
                         f"{_BIAS_TYPES[out.dtype]} for an {out.dtype} output")


def _indices(vector) -> list[int]:
    return [int(i) for i in vector] if vector is not None else []


class OperatorContext:
    """What a converter sees of one operator: its tensors, options and the graph to extend."""

    def __init__(self, reader: ModelReader, operator: schema.Operator, outputs: list[Tensor]):
        self.reader = reader
        self.operator = operator
        self.input_indices = _indices(operator.inputs)
        self.outputs = outputs

    @property
    def output(self) -> Tensor:
        if not self.outputs:
            raise ModelError("the operator has no output")
        return self.outputs[0]

    def input(self, position: int) -> Tensor:
        tensor = self.optional_input(position)
        if tensor is None:
            raise ModelError(f"input {position} is missing")
        return tensor

    def optional_input(self, position: int) -> Tensor | None:
        if position >= len(self.input_indices) or self.input_indices[position] < 0:
            return None
        return self.reader.tensor(self.input_indices[position])

    def is_variable(self, position: int) -> bool:
        """Whether input `position` is a variable tensor (state kept between invocations)."""
        return bool(self.reader.tensor_views[self.input_indices[position]].is_variable)

    def constant_input(self, position: int) -> np.ndarray:
        tensor = self.input(position)
        if not tensor.is_constant:
            raise ModelError(f"input {position} ('{tensor.name}') must be constant")
        return tensor.data

    def options(self, cls):
        kind = self.operator.builtin_options_type
        if kind not in (0, cls.UNION_TYPE):
            raise ModelError(f"builtin options of type {kind}, expected {cls.TYPE_NAME}")
        return self.operator.builtin_options(cls)

    def emit(self, kind: str, inputs: list, outputs: list[Tensor] | None = None, **attrs) -> Op:
        return self.reader.emit(kind, inputs, outputs or [self.output], attrs)

    def alias_output(self, tensor: Tensor) -> None:
        """The operator folds away: its output is `tensor`."""
        self.reader.alias(int(self.operator.outputs[0]), tensor)
