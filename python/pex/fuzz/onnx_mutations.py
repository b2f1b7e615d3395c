"""Semantic mutations of an ONNX model, made with the onnx package so that the protobuf
stays well formed and the corruption reaches the importer's own checks: impossible input
shapes and types, initializers whose dimensions, type or data disagree (or live in an
external file), dangling and cyclic value names, attributes out of range or of the wrong
length, foreign operators and opsets, and folded nodes that would build huge constants."""

from __future__ import annotations

import random

import numpy as np

# Dimension values on the edges: empty, negative, a billion elements, past int32/int64.
EDGE_DIMS = (0, -1, -7, 2, 1000, 65536, 10**9, 2**31, 2**40, 2**62)
EDGE_INTS = (0, -1, 1, 2, 3, -2**31, 2**31 - 1, 10**9, 2**62, 100)
EDGE_FLOATS = (0.0, -1.0, float("nan"), float("inf"), -float("inf"), 1e30, 1e-30, 0.5)
OP_TYPES = ("Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Conv",
            "ConvTranspose", "DequantizeLinear", "Div", "Flatten", "Gather", "Gemm",
            "GlobalAveragePool", "HardSigmoid", "MatMul", "MaxPool", "Mul", "Pad", "PRelu",
            "QLinearConv", "QLinearMatMul", "QuantizeLinear", "ReduceMean", "ReduceSum",
            "Relu", "Reshape", "Resize", "Slice", "Softmax", "Split", "Squeeze", "Sum",
            "Transpose", "Unsqueeze", "Upsample", "ConstantOfShape", "Expand", "Range",
            "Shape", "Size", "Tile", "Where", "Equal", "LSTM", "Loop")
# Nodes the importer evaluates at import on constant inputs: a huge operand is a huge
# allocation unless it is refused first.
FOLDED_OP_TYPES = ("ConstantOfShape", "Expand", "Range", "Reshape", "Tile", "Concat",
                   "Gather", "Slice", "Unsqueeze", "Transpose", "Add", "Mul", "Cast")
ATTRIBUTE_NAMES = ("axis", "axes", "pads", "strides", "kernel_shape", "dilations", "group",
                   "perm", "auto_pad", "mode", "keepdims", "to", "value", "alpha", "split",
                   "output_padding", "output_shape", "ceil_mode", "transB", "scales")


def _dims(rng: random.Random, dims) -> str:
    dims = list(dims)
    choice = rng.randrange(4)
    if choice == 0 and dims:
        index = rng.randrange(len(dims))
        dims[index] = rng.choice(EDGE_DIMS)
    elif choice == 1:
        dims.insert(rng.randrange(len(dims) + 1), rng.choice(EDGE_DIMS))
    elif choice == 2 and dims:
        del dims[rng.randrange(len(dims))]
    else:
        dims = [rng.choice(EDGE_DIMS) for _ in range(rng.randrange(1, 6))]
    return dims


def input_shape(model, rng: random.Random) -> str:
    inputs = list(model.graph.input)
    if not inputs:
        return "no input to mutate"
    value = rng.choice(inputs)
    shape = value.type.tensor_type.shape
    choice = rng.randrange(4)
    if choice == 0:
        value.type.tensor_type.ClearField("shape")
        return f"input '{value.name}': shape removed"
    if choice == 1 and shape.dim:
        dim = rng.choice(list(shape.dim))
        dim.dim_param = rng.choice(("N", "height", ""))
        return f"input '{value.name}': a dimension made symbolic"
    dims = _dims(rng, [d.dim_value for d in shape.dim])
    value.type.tensor_type.ClearField("shape")
    for d in dims:
        value.type.tensor_type.shape.dim.add().dim_value = d
    return f"input '{value.name}': dims {dims}"


def value_type(model, rng: random.Random) -> str:
    values = list(model.graph.input) + list(model.graph.output)
    if not values:
        return "no value to mutate"
    value = rng.choice(values)
    value.type.tensor_type.elem_type = rng.choice((0, 2, 3, 5, 6, 7, 8, 9, 10, 11, 16, 99))
    return f"value '{value.name}': elem_type {value.type.tensor_type.elem_type}"


def initializer_dims(model, rng: random.Random) -> str:
    if not model.graph.initializer:
        return "no initializer"
    init = rng.choice(list(model.graph.initializer))
    dims = _dims(rng, init.dims)
    del init.dims[:]
    init.dims.extend(dims)
    return f"initializer '{init.name}': dims {dims}"


def initializer_type(model, rng: random.Random) -> str:
    if not model.graph.initializer:
        return "no initializer"
    init = rng.choice(list(model.graph.initializer))
    init.data_type = rng.choice((0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 99))
    return f"initializer '{init.name}': data_type {init.data_type}"


def initializer_data(model, rng: random.Random) -> str:
    if not model.graph.initializer:
        return "no initializer"
    init = rng.choice(list(model.graph.initializer))
    choice = rng.randrange(5)
    if choice == 0:
        size = rng.randrange(len(init.raw_data) + 1) if init.raw_data else 0
        init.raw_data = init.raw_data[:size]
        return f"initializer '{init.name}': raw_data cut to {size} bytes"
    if choice == 1:
        init.raw_data += bytes(rng.choice((1, 3, 4, 64)))
        return f"initializer '{init.name}': raw_data extended"
    if choice == 2:
        init.ClearField("raw_data")
        init.float_data.extend([1.0] * rng.choice((0, 1, 3)))
        init.int64_data.extend([7] * rng.choice((0, 2)))
        return f"initializer '{init.name}': raw_data replaced by typed fields"
    if choice == 3:
        from onnx import TensorProto
        init.data_location = TensorProto.EXTERNAL
        entry = init.external_data.add()
        entry.key, entry.value = "location", rng.choice(("/etc/hostname", "../weights.bin",
                                                         "missing.bin"))
        return f"initializer '{init.name}': external data at {entry.value}"
    model.graph.initializer.remove(init)
    return f"initializer '{init.name}' removed"


def _value_names(model) -> list[str]:
    names = [v.name for v in model.graph.input] + [i.name for i in model.graph.initializer]
    return names + [o for node in model.graph.node for o in node.output]


def node_inputs(model, rng: random.Random) -> str:
    node = rng.choice(list(model.graph.node))
    names = _value_names(model)
    choice = rng.randrange(4)
    if choice == 0 and node.input:
        index = rng.randrange(len(node.input))
        node.input[index] = rng.choice(names + ["", "ghost"])
        return f"node '{node.name}': input {index} = '{node.input[index]}'"
    if choice == 1 and node.input:
        index = rng.randrange(len(node.input))
        del node.input[index]
        return f"node '{node.name}': input {index} removed"
    if choice == 2 and node.output:
        node.output[0] = rng.choice(names)
        return f"node '{node.name}': output 0 = '{node.output[0]}'"
    node.input.append(rng.choice(names))
    return f"node '{node.name}': extra input '{node.input[-1]}'"


def attribute(model, rng: random.Random) -> str:
    from onnx import AttributeProto, helper
    node = rng.choice(list(model.graph.node))
    attrs = list(node.attribute)
    if not attrs or rng.random() < 0.3:
        name = rng.choice(ATTRIBUTE_NAMES)
        value = rng.choice((rng.choice(EDGE_INTS), [rng.choice(EDGE_INTS)] * rng.randrange(7),
                            rng.choice(EDGE_FLOATS), "bogus"))
        for existing in attrs:
            if existing.name == name:
                node.attribute.remove(existing)
        node.attribute.append(helper.make_attribute(name, value))
        return f"node '{node.name}': attribute {name} = {value}"
    attr = rng.choice(attrs)
    if rng.random() < 0.15:
        node.attribute.remove(attr)
        return f"node '{node.name}': attribute {attr.name} removed"
    if attr.type == AttributeProto.INT:
        attr.i = rng.choice(EDGE_INTS)
        shown = attr.i
    elif attr.type == AttributeProto.INTS:
        values = list(attr.ints)
        if values and rng.random() < 0.6:
            values[rng.randrange(len(values))] = rng.choice(EDGE_INTS)
        else:
            values = [rng.choice(EDGE_INTS) for _ in range(rng.randrange(7))]
        del attr.ints[:]
        attr.ints.extend(values)
        shown = values
    elif attr.type == AttributeProto.FLOAT:
        attr.f = rng.choice(EDGE_FLOATS)
        shown = attr.f
    elif attr.type == AttributeProto.FLOATS:
        del attr.floats[:]
        attr.floats.extend(rng.choice(EDGE_FLOATS) for _ in range(rng.randrange(5)))
        shown = list(attr.floats)
    elif attr.type == AttributeProto.TENSOR:
        dims = _dims(rng, attr.t.dims)
        del attr.t.dims[:]
        attr.t.dims.extend(dims)
        shown = f"tensor dims {dims}"
    else:
        attr.s = b"bogus"
        attr.type = AttributeProto.STRING
        shown = "'bogus'"
    return f"node '{node.name}': attribute {attr.name} = {shown}"


def op_type(model, rng: random.Random) -> str:
    node = rng.choice(list(model.graph.node))
    node.op_type = rng.choice(OP_TYPES)
    if rng.random() < 0.2:
        node.domain = rng.choice(("com.microsoft", "ai.onnx.ml", "ai.onnx"))
    return f"node '{node.name}': op_type {node.op_type} domain '{node.domain}'"


def opset(model, rng: random.Random) -> str:
    if rng.random() < 0.2:
        del model.opset_import[:]
        return "opset_import removed"
    version = rng.choice((1, 6, 7, 9, 10, 11, 12, 18, 100))
    for entry in model.opset_import:
        entry.version = version
    return f"opset {version}"


def graph_outputs(model, rng: random.Random) -> str:
    names = _value_names(model)
    choice = rng.randrange(3)
    if choice == 0 and model.graph.output:
        model.graph.output[0].name = rng.choice(names + ["ghost"])
        return f"output 0 renamed '{model.graph.output[0].name}'"
    if choice == 1:
        del model.graph.output[:]
        return "outputs removed"
    extra = model.graph.output.add()
    extra.CopyFrom(model.graph.output[0] if model.graph.output else model.graph.input[0])
    extra.name = rng.choice(names)
    return f"extra output '{extra.name}'"


def node_order(model, rng: random.Random) -> str:
    nodes = list(model.graph.node)
    if len(nodes) < 2:
        return "one node"
    i, j = rng.sample(range(len(nodes)), 2)
    nodes[i], nodes[j] = nodes[j], nodes[i]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return f"nodes {i} and {j} swapped"


def folded_node(model, rng: random.Random) -> str:
    """A node the importer folds, on a constant operand of edge values, spliced in front
    of an existing node's input."""
    from onnx import helper, numpy_helper
    node = rng.choice(list(model.graph.node))
    if not node.input:
        return "node without inputs"
    index = rng.randrange(len(node.input))
    values = np.array([rng.choice(EDGE_DIMS) for _ in range(rng.randrange(1, 5))], np.int64)
    operand = numpy_helper.from_array(values, "fuzz_operand")
    model.graph.initializer.append(operand)
    kind = rng.choice(FOLDED_OP_TYPES)
    inputs = {"ConstantOfShape": ["fuzz_operand"],
              "Range": ["fuzz_operand", "fuzz_operand", "fuzz_operand"]}.get(
        kind, [node.input[index], "fuzz_operand"])
    model.graph.node.insert(list(model.graph.node).index(node),
                            helper.make_node(kind, inputs, ["fuzz_folded"], name="fuzz"))
    node.input[index] = "fuzz_folded"
    return f"node '{node.name}': input {index} through {kind}(..., {values.tolist()})"


MUTATIONS = (input_shape, value_type, initializer_dims, initializer_type, initializer_data,
             node_inputs, attribute, op_type, opset, graph_outputs, node_order, folded_node)


def parses(data: bytes) -> bool:
    import onnx
    try:
        return bool(onnx.load_model_from_string(data).graph.node)
    except Exception:  # protobuf's DecodeError and friends
        return False


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    import onnx
    model = onnx.load_model_from_string(data)
    changes = [rng.choice(MUTATIONS)(model, rng) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    return model.SerializeToString(), "; ".join(changes)
