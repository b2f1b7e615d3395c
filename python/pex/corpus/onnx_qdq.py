"""A float ONNX model -> the QDQ int8 model ONNX Runtime's static quantiser would write,
with a simple calibration of our own.

Activation ranges come from running the float model (`pex.reference.onnx_evaluator`) on
calibration inputs: per tensor, asymmetric int8, the range widened to include 0.
Weights of Conv, ConvTranspose, Gemm and MatMul are symmetric int8 (per output channel
for convolutions, per tensor for matrices), biases int32 with scale input x weight; an
embedding table (Gather's constant data) is symmetric int8 per tensor, the gathered rows
keeping its parameters. Integer inputs (token ids) stay as they are.

Every float activation an operator produces (and the graph's input) gets QuantizeLinear
-> DequantizeLinear after it, except outputs of data-movement operators (Reshape,
Flatten, Transpose, MaxPool, ...), which keep their input's parameters as ONNX Runtime
does, and Relu/Clip directly after a Conv (the QuantizeLinear goes after the
activation). The graph's outputs end in a QuantizeLinear: the model returns int8.
"""

from __future__ import annotations

import numpy as np

# Operators whose output has the parameters of their (first) input.
_SAME_PARAMETERS = {"Reshape", "Flatten", "Transpose", "MaxPool", "Squeeze", "Unsqueeze",
                    "Identity", "Dropout", "Slice", "Split", "Gather", "Resize", "Upsample"}
# The axis of a weighted operator's per-channel scales (None: per tensor).
_WEIGHTED = {"Conv": 0, "ConvTranspose": 1, "Gemm": None, "MatMul": None}


def _ranges(model, inputs: list[dict]) -> dict[str, tuple[float, float]]:
    """(min, max) of every float tensor over the calibration inputs."""
    import torch
    from pex.reference.onnx_evaluator import Evaluator
    ranges: dict[str, tuple[float, float]] = {}
    for feeds in inputs:
        evaluator = Evaluator(model)
        with torch.no_grad():
            evaluator.run(feeds)
        for name, value in evaluator.values.items():
            if torch.is_tensor(value) and value.is_floating_point() and value.numel():
                low, high = float(value.min()), float(value.max())
                old = ranges.get(name, (low, high))
                ranges[name] = (min(old[0], low), max(old[1], high))
    return ranges


def _activation_params(low: float, high: float) -> tuple[np.float32, np.int8]:
    low, high = min(low, 0.0), max(high, 0.0)
    scale = np.float32(max(high - low, 1e-6) / 255.0)
    zero_point = int(np.clip(np.round(-128 - low / np.float64(scale)), -128, 127))
    return scale, np.int8(zero_point)


def _symmetric(weights: np.ndarray, axis: int | None) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights and their scales (per slice along `axis`, or one)."""
    if axis is None:
        scale = np.array([max(float(np.max(np.abs(weights))), 1e-8) / 127.0], np.float32)
        shaped = scale[0]
    else:
        reduce = tuple(a for a in range(weights.ndim) if a != axis)
        scale = (np.maximum(np.max(np.abs(weights), axis=reduce), 1e-8) / 127.0).astype(
            np.float32)
        shape = [1] * weights.ndim
        shape[axis] = -1
        shaped = scale.reshape(shape)
    q = np.clip(np.rint(weights / shaped), -127, 127).astype(np.int8)
    return q, scale


def quantize_model(model, calibration: list[dict]):
    """A QDQ copy of `model` (a float ModelProto with its initializers), calibrated on the
    feeds of `calibration` ({input name: NCHW torch tensor})."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    model = _without_identities(model)
    ranges = _ranges(model, calibration)
    initializers = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    new_initializers = dict(initializers)
    nodes = []
    params: dict[str, tuple[np.float32, np.int8]] = {}  # quantised tensor -> parameters
    renamed: dict[str, str] = {}  # float tensor -> its DequantizeLinear output
    consumers = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def add_params(name: str, scale, zero_point) -> tuple[str, str]:
        new_initializers[f"{name}/scale"] = np.asarray(scale, np.float32)
        new_initializers[f"{name}/zero_point"] = np.asarray(zero_point)
        return f"{name}/scale", f"{name}/zero_point"

    def quantize_activation(name: str, scale=None, zero_point=None) -> None:
        """name -> Q -> DQ; consumers read the DequantizeLinear output."""
        if scale is None:
            scale, zero_point = _activation_params(*ranges[name])
        params[name] = (scale, zero_point)
        s, z = add_params(name, scale, zero_point)
        nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [f"{name}/q"],
                                      name=f"{name}/quantize"))
        nodes.append(helper.make_node("DequantizeLinear", [f"{name}/q", s, z], [f"{name}/dq"],
                                      name=f"{name}/dequantize"))
        renamed[name] = f"{name}/dq"

    def quantized_weights(node, position: int, axis) -> str:
        name = node.input[position]
        data = np.asarray(initializers[name], np.float32)
        if node.op_type == "Gemm" and not _attribute(node, "transB", 0):
            axis = None
        q, scale = _symmetric(data, axis)
        new_initializers[f"{name}/int8"] = q
        s, z = add_params(f"{name}/int8", scale, np.zeros(scale.shape, np.int8))
        extra = {"axis": axis} if axis is not None else {}
        nodes.append(helper.make_node("DequantizeLinear", [f"{name}/int8", s, z],
                                      [f"{name}/dq"], name=f"{name}/dequantize", **extra))
        return f"{name}/dq", scale

    graph_outputs = _outputs(model)
    computed = set()  # tensors that depend on the input (not Constant nodes, not shapes)
    for value in model.graph.input:
        if value.name not in initializers:
            if value.type.tensor_type.elem_type == TensorProto.FLOAT:  # not token ids
                quantize_activation(value.name)
            computed.add(value.name)
    for node in model.graph.node:
        if not any(n in computed for n in node.input):
            nodes.append(node)
            continue
        computed.update(node.output)
        inputs = [renamed.get(n, n) for n in node.input]
        if node.op_type == "Gather" and node.input[0] in initializers and \
                np.asarray(initializers[node.input[0]]).dtype.kind == "f":
            # An embedding table: int8 (per tensor), its rows keeping its parameters.
            inputs[0], table_scale = quantized_weights(node, 0, None)
            params[node.input[0]] = (table_scale[0], np.int8(0))
        weight_axis = _WEIGHTED.get(node.op_type, "none")
        if weight_axis != "none" and node.input[0] in params and \
                len(node.input) > 1 and node.input[1] in initializers:
            inputs[1], weight_scale = quantized_weights(node, 1, weight_axis)
            if len(node.input) > 2 and node.input[2] in initializers:
                bias_scale = (np.float32(params[node.input[0]][0]) * weight_scale).astype(
                    np.float32)
                bias = np.asarray(initializers[node.input[2]], np.float64).reshape(-1)
                # A grouped ConvTranspose's axis 1 counts one group's output channels.
                bias_scale = np.tile(bias_scale, bias.size // bias_scale.size)
                q = np.rint(bias / np.broadcast_to(bias_scale, bias.shape)).astype(np.int32)
                name = f"{node.input[2]}/int32"
                new_initializers[name] = q
                s, z = add_params(name, np.broadcast_to(bias_scale, q.shape).copy(),
                                  np.zeros(q.shape, np.int32))
                nodes.append(helper.make_node("DequantizeLinear", [name, s, z], [f"{name}/dq"],
                                              name=f"{name}/dequantize", axis=0))
                inputs[2] = f"{name}/dq"
        nodes.append(helper.make_node(node.op_type, inputs, list(node.output), name=node.name,
                                      domain=node.domain))
        nodes[-1].attribute.extend(node.attribute)
        output = node.output[0]
        if output not in ranges:
            continue
        same = node.op_type in _SAME_PARAMETERS and node.input[0] in params
        if output in graph_outputs:
            params[output] = params[node.input[0]] if same else _activation_params(
                *ranges[output])
            continue
        if same:  # the same reals: the same parameters, as ONNX Runtime's quantiser does
            quantize_activation(output, *params[node.input[0]])
            continue
        follows = consumers.get(output, [])
        if node.op_type == "Conv" and len(follows) == 1 and \
                follows[0].op_type in ("Relu", "Clip"):
            continue  # quantised after the activation
        quantize_activation(output)
    outputs = []
    for value in model.graph.output:
        scale, zero_point = params[value.name]
        s, z = add_params(f"{value.name}/output", scale, zero_point)
        nodes.append(helper.make_node("QuantizeLinear", [value.name, s, z],
                                      [f"{value.name}/int8"], name=f"{value.name}/output"))
        shape = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
        outputs.append(helper.make_tensor_value_info(f"{value.name}/int8", TensorProto.INT8,
                                                     shape))
    graph = helper.make_graph(nodes, model.graph.name, list(model.graph.input), outputs,
                              [numpy_helper.from_array(np.asarray(v), k)
                               for k, v in new_initializers.items()])
    quantized = helper.make_model(graph, opset_imports=list(model.opset_import))
    onnx.checker.check_model(quantized)
    return quantized


def _attribute(node, name: str, default):
    from onnx import helper
    for attribute in node.attribute:
        if attribute.name == name:
            return helper.get_attribute_value(attribute)
    return default


def _outputs(model) -> set[str]:
    return {v.name for v in model.graph.output}


def _without_identities(model):
    """The model with Identity nodes of initializers folded (exporters emit them for
    shared weights)."""
    import onnx
    from onnx import numpy_helper
    model = onnx.ModelProto.FromString(model.SerializeToString())
    initializers = {i.name: i for i in model.graph.initializer}
    kept = []
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in initializers:
            copy = numpy_helper.from_array(numpy_helper.to_array(initializers[node.input[0]]),
                                           node.output[0])
            model.graph.initializer.append(copy)
            initializers[node.output[0]] = copy
        else:
            kept.append(node)
    del model.graph.node[:]
    model.graph.node.extend(kept)
    return model
