"""What a well-formed ONNX model guarantees the operator handlers, checked first: tensors
whose data decode to their declared type and dimensions (within `limits`), and nodes with
the inputs, outputs and attributes their operator's schema (onnx.defs) declares, so
that a corrupt model is refused with a message instead of failing inside a handler."""

from __future__ import annotations

import numpy as np

from pex.errors import ModelError
from pex.importers import limits


def element_type_name(elem_type: int) -> str:
    from onnx import TensorProto
    try:
        return TensorProto.DataType.Name(elem_type)
    except ValueError:
        return f"element type {elem_type}"


def tensor_array(proto, what: str) -> np.ndarray:
    """The value of a TensorProto (an initializer or a Constant's value)."""
    from onnx import TensorProto, mapping, numpy_helper
    if proto.data_location == TensorProto.EXTERNAL or proto.external_data:
        raise ModelError(f"{what} keeps its data in an external file; only models with "
                         f"their weights inside the .onnx file are supported")
    if proto.data_type not in mapping.TENSOR_TYPE_TO_NP_TYPE or \
            proto.data_type == TensorProto.STRING:
        raise ModelError(f"{what} has unsupported {element_type_name(proto.data_type)}")
    dtype = np.dtype(mapping.TENSOR_TYPE_TO_NP_TYPE[proto.data_type])
    limits.check_shape(what, proto.dims, dtype.itemsize)
    try:
        return numpy_helper.to_array(proto).copy()
    except (ValueError, TypeError) as error:
        raise ModelError(f"{what}: its data do not fill its shape {list(proto.dims)} of "
                         f"{element_type_name(proto.data_type).lower()} ({error})") from None


# Operators whose inputs changed in an opset newer than the schemas of the onnx library
# (Debian 12's onnx 1.12 knows opset 17): the opset of the change and the least and most
# inputs from it. Opset 18 made the reductions' axes an input (as ReduceSum's since 13)
# and gave Pad an axes input; PyTorch's dynamo exporter writes opset 18.
_REDUCTIONS_AXES_INPUT = ("ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
                          "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd",
                          "ReduceSumSquare")
_NEWER_INPUTS = {**{op_type: (18, 1, 2) for op_type in _REDUCTIONS_AXES_INPUT},
                 "Pad": (18, 2, 4)}


def check_node(node, opset: int, defined: set[str], constants: dict[str, np.ndarray]) -> None:
    """The node against its operator's schema at the model's opset (nodes of operators
    onnx does not know are left to the handlers, which refuse them). `defined` holds the
    names of the values defined so far; the node's outputs are added to it. Constant
    inputs (`constants`) must hold the kind of data (integer, float, bool) the schema
    allows them."""
    from onnx import defs
    for name in node.output:
        if name and name in defined:
            raise ModelError(f"output '{name}' is already defined (ONNX values are "
                             f"assigned once)")
    defined.update(name for name in node.output if name)
    for attribute in node.attribute:
        if attribute.type == 0:  # UNDEFINED: no value to read
            raise ModelError(f"attribute '{attribute.name}' has no type")
        _check_text(attribute)
    domain = "" if node.domain in ("", "ai.onnx") else node.domain
    if not defs.has(node.op_type, domain):
        return
    try:
        schema = defs.get_schema(node.op_type, opset, domain)
    except defs.SchemaError:  # newer than the declared opset: exporters do that, handlers cope
        schema = defs.get_schema(node.op_type, domain)
    least, most = schema.min_input, schema.max_input
    newer = _NEWER_INPUTS.get(node.op_type) if domain == "" else None
    if newer and opset >= newer[0] > schema.since_version:
        least, most = newer[1:]
    _check_count("input", len(node.input), least, most)
    _check_count("output", len(node.output), schema.min_output, schema.max_output)
    for position, formal in enumerate(schema.inputs[:len(node.input)]):
        if formal.option == defs.OpSchema.FormalParameterOption.Single and \
                not node.input[position]:
            raise ModelError(f"input {position} ({formal.name}) is required but empty")
    _check_constant_kinds(node, schema, constants)
    given = {attribute.name: attribute for attribute in node.attribute}
    for name, declared in schema.attributes.items():
        attribute = given.get(name)
        if attribute is None:
            if declared.required:
                raise ModelError(f"attribute '{name}' is required")
        elif attribute.type != int(declared.type.value):
            raise ModelError(f"attribute '{name}' is {_attribute_type(attribute.type)}, "
                             f"expected {_attribute_type(int(declared.type.value))}")


_NUMPY_KINDS = {"f": "float", "i": "integer", "u": "integer", "b": "bool"}


def _schema_kind(type_str: str) -> str | None:
    """'float', 'integer', 'bool' or the element of a schema type string such as
    'tensor(int64)'; None for sequences and optionals."""
    if not type_str.startswith("tensor(") or not type_str.endswith(")"):
        return None
    element = type_str[len("tensor("):-1]
    if element.startswith(("float", "double", "bfloat")):
        return "float"
    if element.startswith(("int", "uint")):
        return "integer"
    return element


def _check_constant_kinds(node, schema, constants: dict[str, np.ndarray]) -> None:
    """A constant operand holds integers where the operator reads integers (shapes, axes,
    indices, sizes), floats where it reads floats: the handlers convert them as such."""
    from onnx import defs
    formals = schema.inputs
    for position, name in enumerate(node.input):
        if not name or name not in constants or not formals:
            continue
        formal = formals[min(position, len(formals) - 1)]
        if position >= len(formals) and \
                formal.option != defs.OpSchema.FormalParameterOption.Variadic:
            continue
        kinds = {_schema_kind(t) for t in formal.types} - {None}
        dtype = np.asarray(constants[name]).dtype
        if kinds and _NUMPY_KINDS.get(dtype.kind) not in kinds:
            raise ModelError(f"input {position} ({formal.name}) '{name}' holds {dtype} data; "
                             f"the operator takes {', '.join(sorted(formal.types))}")


def _check_text(attribute) -> None:
    """String attributes (modes, padding names) are read as UTF-8 text by the handlers."""
    from onnx import AttributeProto
    texts = [attribute.s] if attribute.type == AttributeProto.STRING else \
        attribute.strings if attribute.type == AttributeProto.STRINGS else []
    for text in texts:
        try:
            text.decode()
        except UnicodeDecodeError:
            raise ModelError(f"attribute '{attribute.name}' is not UTF-8 text: "
                             f"{text[:40]!r}") from None


def _check_count(what: str, count: int, least: int, most: int) -> None:
    if not least <= count <= most:
        expected = str(least) if least == most else \
            f"{least} or more" if most > 1 << 16 else f"{least} to {most}"
        raise ModelError(f"has {count} {what}{'' if count == 1 else 's'}, the operator "
                         f"takes {expected}")


def _attribute_type(value: int) -> str:
    from onnx import AttributeProto
    try:
        return AttributeProto.AttributeType.Name(value).lower()
    except ValueError:
        return f"of type {value}"
