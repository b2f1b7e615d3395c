"""Writes .tflite files: test models, and graphs for runtimes that only read TFLite.

`write_tflite(graph)` maps graph ops back to TFLite builtins. `TfliteWriter` is the
lower level (any builtin code, shape signatures) that tests use for malformed or
unsupported models. Tables are written through the same schema declarations the reader
uses, so the two cannot disagree on a field's slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import flatbuffers
import numpy as np

from pex.graph import NUMPY_TYPES, Graph, Op, Quantization, Tensor
from pex.importers.tflite import schema
from pex.importers.tflite.operators import explicit_padding
from pex.importers.tflite.flatbuf import (Scalar, ScalarVector, String, TableField, TableVector,
                                          UnionValue)

_TENSOR_TYPES = {**{dtype: code for code, dtype in schema.ELEMENT_TYPES.items()},
                 "resource": schema.TENSOR_TYPE_NAMES.index("RESOURCE")}


def _write_table(builder: flatbuffers.Builder, cls, fields: dict) -> int:
    """A table of `cls` from {field name: value}; vectors and strings are built first."""
    prepared = {}
    for name, value in fields.items():
        if value is None:
            continue
        field = cls.__dict__[name]
        if isinstance(field, ScalarVector):
            value = builder.CreateNumpyVector(np.asarray(value, field.dtype))
        elif isinstance(field, String):
            value = builder.CreateString(value)
        elif isinstance(field, TableVector):
            builder.StartVector(4, len(value), 4)
            for offset in reversed(value):
                builder.PrependUOffsetTRelative(offset)
            value = builder.EndVector()
        prepared[name] = (field, value)
    builder.StartObject(1 + max((f.slot for f, _ in prepared.values()), default=-1))
    for field, value in prepared.values():
        if isinstance(field, Scalar):
            builder.PrependSlot(field.flags, field.slot, value, None)
        elif isinstance(field, (ScalarVector, String, TableField, TableVector, UnionValue)):
            builder.PrependUOffsetTRelativeSlot(field.slot, value, 0)
    return builder.EndObject()


class TfliteWriter:
    def __init__(self) -> None:
        self._tensors: list[tuple[Tensor, object]] = []
        self._index: dict[Tensor, int] = {}
        self._operators: list[tuple[int, list, list, object, dict]] = []
        self._variables: set[Tensor] = set()

    def tensor(self, tensor: Tensor, shape_signature=None) -> int:
        if tensor not in self._index:
            self._index[tensor] = len(self._tensors)
            self._tensors.append((tensor, shape_signature))
        return self._index[tensor]

    def variable(self, tensor: Tensor) -> Tensor:
        """Marks `tensor` a variable: state an operator keeps between invocations."""
        self._variables.add(tensor)
        return tensor

    def constant(self, name: str, values, dtype: str = "i32") -> Tensor:
        values = np.asarray(values, NUMPY_TYPES[dtype])
        return Tensor(name, values.shape, dtype, None, values)

    def operator(self, code: int, inputs: list[Tensor | None], outputs: list[Tensor],
                 options=None, **fields) -> None:
        """An operator with a builtin code, its tensors and its options table's fields."""
        self._operators.append((code, [-1 if t is None else self.tensor(t) for t in inputs],
                                [self.tensor(t) for t in outputs], options, fields))

    def finish(self, name: str, inputs: list[Tensor], outputs: list[Tensor],
               subgraphs: list[tuple[str, TfliteWriter]] = ()) -> bytes:
        """The model: this writer's subgraph (the one TFLite runs), then `subgraphs`, each
        (name, writer), without inputs or outputs (a CALL_ONCE's initialisation)."""
        builder = flatbuffers.Builder(1024)
        buffers = [_write_table(builder, schema.Buffer, {})]
        parts = [(name, self, inputs, outputs), *((n, w, [], []) for n, w in subgraphs)]
        codes = sorted({code for _, writer, *_ in parts for code, *_ in writer._operators})
        written = [writer._subgraph(builder, buffers, codes, part_name, part_inputs,
                                    part_outputs)
                   for part_name, writer, part_inputs, part_outputs in parts]
        operator_codes = [_write_table(builder, schema.OperatorCode, {
            "deprecated_builtin_code": min(code, schema.BUILTIN_OPERATOR_CODES[
                "PLACEHOLDER_FOR_GREATER_OP_CODES"]), "builtin_code": code, "version": 1})
            for code in codes]
        model = _write_table(builder, schema.Model, {
            "version": 3, "operator_codes": operator_codes, "subgraphs": written,
            "description": "written by pex", "buffers": buffers})
        builder.Finish(model, file_identifier=schema.FILE_IDENTIFIER)
        return bytes(builder.Output())

    def _subgraph(self, builder: flatbuffers.Builder, buffers: list[int], codes: list[int],
                  name: str, inputs: list[Tensor], outputs: list[Tensor]) -> int:
        """This writer's tensors and operators as a SubGraph table; constant data appended
        to the model's `buffers`."""
        input_indices = [self.tensor(t) for t in inputs]
        output_indices = [self.tensor(t) for t in outputs]
        tensors = []
        for tensor, signature in self._tensors:
            buffer = 0
            if tensor.is_constant:
                data = np.ascontiguousarray(tensor.data).astype(
                    tensor.data.dtype.newbyteorder("<")).view(np.uint8).reshape(-1)
                buffers.append(_write_table(builder, schema.Buffer, {"data": data}))
                buffer = len(buffers) - 1
            quantization = None
            if tensor.quant is not None:
                quantization = _write_table(builder, schema.QuantizationParameters, {
                    "scale": tensor.quant.scale, "zero_point": tensor.quant.zero_point,
                    "quantized_dimension": tensor.quant.axis or 0})
            tensors.append(_write_table(builder, schema.Tensor, {
                "shape": np.array(tensor.shape, np.int32),
                "type": schema.UINT8 if tensor.unsigned else _TENSOR_TYPES[tensor.dtype],
                "buffer": buffer, "name": tensor.name, "quantization": quantization,
                "is_variable": True if tensor in self._variables else None,
                "shape_signature": signature}))
        operators = []
        for code, op_inputs, op_outputs, options, fields in self._operators:
            options_offset = _write_table(builder, options, fields) if options else None
            operators.append(_write_table(builder, schema.Operator, {
                "opcode_index": codes.index(code), "inputs": np.array(op_inputs, np.int32),
                "outputs": np.array(op_outputs, np.int32),
                "builtin_options_type": options.UNION_TYPE if options else None,
                "builtin_options": options_offset}))
        return _write_table(builder, schema.SubGraph, {
            "tensors": tensors, "inputs": np.array(input_indices, np.int32),
            "outputs": np.array(output_indices, np.int32), "operators": operators,
            "name": name})


_CODES = schema.BUILTIN_OPERATOR_CODES
_ACTIVATION_CODES = {name: code for code, name in enumerate(schema.ACTIVATION_NAMES)}


def _padding_code(op: Op) -> int:
    """SAME or VALID: whichever gives the op's explicit padding (TFLite has nothing else)."""
    x = op.inputs[0]
    if tuple(op.attrs["pad"]) == (0, 0, 0, 0):
        return schema.PADDING_NAMES.index("VALID")
    kernel = op.attrs.get("kernel") or _kernel_size(op)
    dilation = op.attrs.get("dilation", (1, 1))
    same = tuple(explicit_padding(0, x.shape[1], kernel[0], op.attrs["stride"][0], dilation[0])
                 + explicit_padding(0, x.shape[2], kernel[1], op.attrs["stride"][1], dilation[1]))
    if same != tuple(op.attrs["pad"]):
        raise ValueError(f"{op.kind} padding {op.attrs['pad']} is neither SAME nor VALID")
    return schema.PADDING_NAMES.index("SAME")


def _kernel_size(op: Op) -> tuple[int, int]:
    weights = op.inputs[1]
    return weights.shape[1:3] if op.kind == "conv2d" else weights.shape[0:2]


def _quantized_bias(op: Op) -> Tensor | None:
    """The bias with the scales TFLite gives it (input scale x weight scale, per channel);
    runtimes such as Arm NN read them. The graph drops them: nothing else needs them."""
    x, weights, bias = op.inputs
    if bias is None or x.quant is None or weights.quant is None:
        return bias
    scales = (x.quant.scale.astype(np.float64) * weights.quant.scale).astype(np.float32)
    axis = 0 if scales.size > 1 else None
    return Tensor(bias.name, bias.shape, bias.dtype,
                  Quantization(scales, np.zeros(scales.size, np.int64), axis), bias.data)


def _computed_target(writer: TfliteWriter, x: Tensor, output: Tensor) -> Tensor:
    """Keras' RESHAPE target: the batch read at run time (SHAPE, STRIDED_SLICE), PACKed
    with the other dimensions."""
    name = output.name
    shape = Tensor(f"{name}/Shape", (len(x.shape),), "i32")
    batch = Tensor(f"{name}/strided_slice", (), "i32")
    target = Tensor(f"{name}/shape", (len(output.shape),), "i32")
    writer.operator(_CODES["SHAPE"], [x], [shape], schema.ShapeOptions,
                    out_type=schema.TENSOR_TYPE_NAMES.index("INT32"))
    writer.operator(_CODES["STRIDED_SLICE"], [shape, writer.constant(f"{name}/begin", [0]),
                                              writer.constant(f"{name}/end", [1]),
                                              writer.constant(f"{name}/strides", [1])],
                    [batch], schema.StridedSliceOptions, shrink_axis_mask=1)
    dims = [writer.constant(f"{name}/shape/{i}", np.int32(d))
            for i, d in enumerate(output.shape[1:], 1)]
    writer.operator(_CODES["PACK"], [batch] + dims, [target], schema.PackOptions,
                    values_count=len(output.shape), axis=0)
    return target


@dataclass(frozen=True)
class Style:
    """How a converter spells what the graph leaves open."""

    # Keras: every RESHAPE target computed from the input's shape at run time.
    computed_reshape_targets: bool = False
    # PADV2 with the zero point as an explicit value instead of PAD.
    pad_values: bool = False


def _write_op(writer: TfliteWriter, op: Op, style: Style) -> None:
    kind, attrs, x = op.kind, op.attrs, op.inputs[0]
    if kind in ("conv2d", "depthwise_conv2d", "fully_connected"):
        op = Op(kind, [x, op.inputs[1], _quantized_bias(op)], op.outputs, attrs, op.loc)
    act = _ACTIVATION_CODES.get(attrs.get("activation", "NONE"))
    if kind == "conv2d":
        writer.operator(_CODES["CONV_2D"], op.inputs, op.outputs, schema.Conv2DOptions,
                        padding=_padding_code(op), stride_h=attrs["stride"][0],
                        stride_w=attrs["stride"][1], dilation_h_factor=attrs["dilation"][0],
                        dilation_w_factor=attrs["dilation"][1], fused_activation_function=act)
    elif kind == "depthwise_conv2d":
        weights = op.inputs[1]
        kh, kw, channels, multiplier = weights.shape
        flat = Tensor(weights.name, (1, kh, kw, channels * multiplier), weights.dtype,
                      weights.quant, weights.data.reshape(1, kh, kw, channels * multiplier))
        if weights.quant is not None and weights.quant.per_channel:
            flat.quant = Quantization(weights.quant.scale, weights.quant.zero_point, 3)
        writer.operator(_CODES["DEPTHWISE_CONV_2D"], [x, flat, op.inputs[2]], op.outputs,
                        schema.DepthwiseConv2DOptions, padding=_padding_code(op),
                        stride_h=attrs["stride"][0], stride_w=attrs["stride"][1],
                        depth_multiplier=multiplier, dilation_h_factor=attrs["dilation"][0],
                        dilation_w_factor=attrs["dilation"][1], fused_activation_function=act)
    elif kind == "fully_connected":
        writer.operator(_CODES["FULLY_CONNECTED"], op.inputs, op.outputs,
                        schema.FullyConnectedOptions, fused_activation_function=act)
    elif kind in ("add", "mul"):
        writer.operator(_CODES[kind.upper()], op.inputs, op.outputs,
                        schema.AddOptions if kind == "add" else schema.MulOptions,
                        fused_activation_function=act)
    elif kind in ("avg_pool2d", "max_pool2d"):
        code = _CODES["AVERAGE_POOL_2D" if kind == "avg_pool2d" else "MAX_POOL_2D"]
        writer.operator(code, [x], op.outputs, schema.Pool2DOptions, padding=_padding_code(op),
                        stride_h=attrs["stride"][0], stride_w=attrs["stride"][1],
                        filter_height=attrs["kernel"][0], filter_width=attrs["kernel"][1],
                        fused_activation_function=act)
    elif kind == "mean":
        axes = writer.constant(f"{op.output.name}/axes", np.array(attrs["axes"], np.int32))
        writer.operator(_CODES["MEAN"], [x, axes], op.outputs, schema.ReducerOptions,
                        keep_dims=attrs["keep_dims"])
    elif kind == "pad":
        pads = writer.constant(f"{op.output.name}/paddings", np.array(attrs["pads"], np.int32))
        if style.pad_values:
            value = writer.constant(f"{op.output.name}/value",
                                    [op.output.zero_point() if op.output.quant else 0],
                                    op.output.dtype)
            writer.operator(_CODES["PADV2"], [x, pads, value], op.outputs)
        else:
            writer.operator(_CODES["PAD"], [x, pads], op.outputs)
    elif kind == "reshape" and style.computed_reshape_targets:
        writer.operator(_CODES["RESHAPE"], [x, _computed_target(writer, x, op.output)],
                        op.outputs)
    elif kind == "reshape":
        shape = np.array(op.output.shape, np.int32)
        writer.operator(_CODES["RESHAPE"], [x, writer.constant(f"{op.output.name}/shape", shape)],
                        op.outputs, schema.ReshapeOptions, new_shape=shape)
    elif kind == "transpose":
        perm = writer.constant(f"{op.output.name}/perm", np.array(attrs["perm"], np.int32))
        writer.operator(_CODES["TRANSPOSE"], [x, perm], op.outputs)
    elif kind == "concat":
        writer.operator(_CODES["CONCATENATION"], op.inputs, op.outputs,
                        schema.ConcatenationOptions, axis=attrs["axis"],
                        fused_activation_function=act)
    elif kind == "softmax":
        writer.operator(_CODES["SOFTMAX"], [x], op.outputs, schema.SoftmaxOptions,
                        beta=attrs["beta"])
    elif kind == "leaky_relu":
        writer.operator(_CODES["LEAKY_RELU"], [x], op.outputs, schema.LeakyReluOptions,
                        alpha=attrs["alpha"])
    else:  # logistic, relu, relu6, relu_n1_to_1, quantize, dequantize: no options
        writer.operator(_CODES[kind.upper()], [x], op.outputs)


def write_tflite(graph: Graph, style: Style = Style()) -> bytes:
    writer = TfliteWriter()
    for op in graph.ops:
        _write_op(writer, op, style)
    return writer.finish(graph.name, graph.inputs, graph.outputs)
