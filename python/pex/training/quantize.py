"""torch model -> ONNX -> pex graph -> calibrated int8 graph -> TOSA text for pexc.

The int8 model is what the TFLite converter would make of the network, using the
project's importer and quantiser (`pex.importers`, `pex.zoo.quantize`):

- export: `torch.onnx.export` in PRESERVE mode of an eval-mode net, so every
  BatchNormalization stays a node after its Conv and every weight initializer keeps
  its state-dict name (`stem.conv.weight`); the importer folds each BN into its conv
  (the folded conv is named after the BN's output). Initializers torch deduplicated
  into `Identity` nodes are written back as initializers.
- fusion: a ReLU6/ReLU that alone consumes a convolution's output becomes the
  convolution's fused activation (as TFLite does), so the convolution's output is
  quantised on the activation's range and no separate clamp/rescale remains.
- calibration: activation ranges (min/max, always containing 0) over real training
  images, run through the numpy interpreter (`pex.reference.interpreter`) in batches.
- quantisation: `pex.zoo.quantize`'s per-channel symmetric weights, int32 biases,
  asymmetric per-tensor activations; the input is fixed at scale 1/255, zero point
  -128 (so the int8 input is the grey level - 128, see `pex.training.data`).
"""

from __future__ import annotations

import os

import numpy as np

from pex.graph import Graph, Op, Quantization, Tensor
from pex.reference import interpreter
from pex.zoo.quantize import activation_quantization, quantize_graph

INPUT_QUANT = Quantization.per_tensor(1 / 255, -128)
_FUSABLE = {"relu": "RELU", "relu6": "RELU6"}
# ONNX exports ReLU6 as Clip(0, 6), which the importer reads as a clamp.
_FUSABLE_CLAMPS = {(0.0, 6.0): "RELU6", (0.0, float("inf")): "RELU"}


def _fused_activation(op: Op) -> str | None:
    if op.kind == "clamp":
        return _FUSABLE_CLAMPS.get((float(op.attrs["low"]), float(op.attrs["high"])))
    return _FUSABLE.get(op.kind)


def export_onnx(net, path: str, resolution: int) -> None:
    import onnx
    import torch
    from onnx import numpy_helper
    training = net.training
    net.eval()
    with torch.no_grad():
        torch.onnx.export(net, torch.zeros(1, 1, resolution, resolution), path,
                          opset_version=13, training=torch.onnx.TrainingMode.PRESERVE,
                          do_constant_folding=False, input_names=["image"],
                          output_names=["logits"])
    net.train(training)
    model = onnx.load(path)
    initializers = {t.name: t for t in model.graph.initializer}
    nodes = []
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in initializers:
            data = numpy_helper.to_array(initializers[node.input[0]])
            model.graph.initializer.append(numpy_helper.from_array(data, node.output[0]))
        else:
            nodes.append(node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def _consumers(graph: Graph) -> dict[Tensor, int]:
    count: dict[Tensor, int] = {}
    for op in graph.ops:
        for t in op.inputs:
            if t is not None:
                count[t] = count.get(t, 0) + 1
    for t in graph.outputs:
        count[t] = count.get(t, 0) + 1
    return count


def fuse_activations(graph: Graph) -> Graph:
    """Folds a ReLU/ReLU6 (or the clamp it was exported as) that alone reads a convolution's output into the convolution."""
    consumers = _consumers(graph)
    producer = {op.output: op for op in graph.ops}
    ops, fused = [], set()
    for op in graph.ops:
        source = producer.get(op.inputs[0]) if op.inputs else None
        activation = _fused_activation(op)
        if (activation is not None and source is not None and consumers[op.inputs[0]] == 1
                and source.kind in ("conv2d", "depthwise_conv2d")
                and source.attrs.get("activation", "NONE") == "NONE"):
            index = ops.index(source)
            ops[index] = Op(source.kind, source.inputs, op.outputs,
                            dict(source.attrs, activation=activation), source.loc)
            producer[op.output] = ops[index]
            fused.add(op)
            continue
        ops.append(op)
    return Graph(graph.name, graph.inputs, graph.outputs, ops)


def _batched(graph: Graph, n: int) -> Graph:
    """The same graph on a batch of n (every activation's first dimension is the batch)."""
    mapping: dict[Tensor, Tensor] = {}

    def convert(t):
        if t is None or t.is_constant:
            return t
        if t not in mapping:
            mapping[t] = Tensor(t.name, (n,) + tuple(t.shape[1:]), t.dtype, t.quant)
        return mapping[t]

    ops = [Op(op.kind, [convert(t) for t in op.inputs], [convert(t) for t in op.outputs],
              op.attrs, op.loc) for op in graph.ops]
    return Graph(graph.name, [convert(t) for t in graph.inputs],
                 [convert(t) for t in graph.outputs], ops)


def calibrate(graph: Graph, images: np.ndarray, batch: int = 50) -> dict[str, tuple]:
    """Per activation name, (min, max) over the uint8 images [N, R, R] (as x = u8/255)."""
    ranges: dict[str, list] = {}
    for start in range(0, len(images), batch):
        chunk = images[start:start + batch].astype(np.float64)[..., None] / 255.0
        batched = _batched(graph, len(chunk))
        values = interpreter.run(batched, [chunk])
        for tensor, value in values.items():
            low, high = float(value.min()), float(value.max())
            if tensor.name in ranges:
                ranges[tensor.name][0] = min(ranges[tensor.name][0], low)
                ranges[tensor.name][1] = max(ranges[tensor.name][1], high)
            else:
                ranges[tensor.name] = [low, high]
    return {name: tuple(r) for name, r in ranges.items()}


def quantize(graph: Graph, ranges: dict[str, tuple]) -> Graph:
    """int8 graph: `pex.zoo.quantize`'s scheme, the input at INPUT_QUANT and every other
    activation from its calibrated range in `ranges`."""
    return quantize_graph(graph, lambda tensor: INPUT_QUANT,
                          lambda tensor: activation_quantization(np.array(ranges[tensor.name])))


def float_graph(onnx_path: str) -> Graph:
    from pex.importers import load_graph
    return fuse_activations(load_graph(onnx_path))


def int8_tosa(net, calibration: np.ndarray, directory: str, name: str) -> str:
    """Exports `net` as DIR/NAME.onnx and writes its calibrated int8 TOSA to DIR/NAME.mlir."""
    from pex.tosa import emit_module
    onnx_path = os.path.join(directory, name + ".onnx")
    export_onnx(net, onnx_path, net.spec.resolution)
    graph = float_graph(onnx_path)
    mlir = emit_module(quantize(graph, calibrate(graph, calibration)))
    path = os.path.join(directory, name + ".mlir")
    with open(path, "w") as f:
        f.write(mlir)
    return path
