"""Small ONNX graphs in the styles of published models, written with onnx.helper (float,
NCHW), with seeded weights: what exporters other than torch.onnx write."""

from __future__ import annotations

import numpy as np


def _model(nodes, inputs, outputs, weights: dict, opset: int = 13, input_type=None,
           output_type=None):
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        nodes, "corpus",
        [helper.make_tensor_value_info(n, input_type or TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, output_type or TensorProto.FLOAT, s)
         for n, s in outputs],
        [numpy_helper.from_array(v if v.dtype.kind in "iu" else v.astype(np.float32), k)
         for k, v in weights.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7
    return model


def _node(op_type: str, inputs: list, output: str, **attrs):
    from onnx import helper
    return helper.make_node(op_type, inputs, [output], name=output, **attrs)


def _conv_weights(rng, out_channels: int, in_channels: int, kernel: int) -> np.ndarray:
    """He-initialised OIHW weights."""
    fan_in = in_channels * kernel * kernel
    return rng.normal(0, np.sqrt(2.0 / fan_in), (out_channels, in_channels, kernel, kernel))


def keyword_spotting(seed: int):
    """A keyword-spotting CNN on 49x10 MFCC frames: the input normalised by its peak
    magnitude (ReduceMax/ReduceMin, Sub, Max with an epsilon, Div), three 3x3 convolutions
    with LeakyRelu (the first followed by a BatchNormalization), a MaxPool, global average
    pooling, Gemm to 12 keywords, Softmax."""
    rng = np.random.default_rng(seed)
    weights = {"zero": np.array(0.0), "epsilon": np.array(1e-3),
               "w1": _conv_weights(rng, 16, 1, 3), "b1": rng.normal(0, 0.05, 16),
               "gamma": rng.uniform(0.8, 1.2, 16), "beta": rng.normal(0, 0.1, 16),
               "mean": rng.normal(0, 0.2, 16), "var": rng.uniform(0.5, 1.5, 16),
               "w2": _conv_weights(rng, 24, 16, 3), "b2": rng.normal(0, 0.05, 24),
               "w3": _conv_weights(rng, 32, 24, 3), "b3": rng.normal(0, 0.05, 32),
               "fc": rng.normal(0, np.sqrt(1.0 / 32), (12, 32)), "fc_b": rng.normal(0, 0.05, 12)}
    nodes = [_node("ReduceMax", ["x"], "peak", keepdims=1),
             _node("ReduceMin", ["x"], "trough", keepdims=1),
             _node("Sub", ["zero", "trough"], "depth"),
             _node("Max", ["peak", "depth", "epsilon"], "magnitude"),
             _node("Div", ["x", "magnitude"], "normalised"),
             _node("Conv", ["normalised", "w1", "b1"], "c1", pads=[1, 1, 1, 1], strides=[2, 2]),
             _node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], "bn1"),
             _node("LeakyRelu", ["bn1"], "a1", alpha=0.1),
             _node("Conv", ["a1", "w2", "b2"], "c2", pads=[1, 1, 1, 1]),
             _node("LeakyRelu", ["c2"], "a2", alpha=0.1),
             _node("MaxPool", ["a2"], "p2", kernel_shape=[2, 2], strides=[2, 2]),
             _node("Conv", ["p2", "w3", "b3"], "c3", pads=[1, 1, 1, 1]),
             _node("LeakyRelu", ["c3"], "a3", alpha=0.1),
             _node("GlobalAveragePool", ["a3"], "pool"),
             _node("Flatten", ["pool"], "flat"),
             _node("Gemm", ["flat", "fc", "fc_b"], "logits", transB=1),
             _node("Softmax", ["logits"], "y", axis=1)]
    return _model(nodes, [("x", [1, 1, 49, 10])], [("y", [1, 12])], weights)


def detector(seed: int):
    """A YOLO-style detector head: four stride-2 3x3 convolutions (96 -> 6), the 6x6
    features upsampled 2x by a nearest Resize (PyTorch's export: asymmetric, floor),
    concatenated with the 12x12 ones, a 3x3 and a 1x1 convolution to 3 anchors x 7 values,
    reshaped to [1, 3, 7, 12, 12], transposed to [1, 3, 12, 12, 7], flattened to
    [1, 432, 7] and passed through a Sigmoid."""
    rng = np.random.default_rng(seed)
    widths = [3, 8, 16, 24, 32]
    weights = {}
    nodes = []
    x = "x"
    for i in range(4):
        weights[f"w{i}"] = _conv_weights(rng, widths[i + 1], widths[i], 3)
        weights[f"b{i}"] = rng.normal(0, 0.05, widths[i + 1])
        nodes += [_node("Conv", [x, f"w{i}", f"b{i}"], f"c{i}", pads=[1, 1, 1, 1],
                        strides=[2, 2]),
                  _node("Relu", [f"c{i}"], f"r{i}")]
        x = f"r{i}"
    weights.update({"lateral": _conv_weights(rng, 16, 32, 1), "roi": np.zeros(0, np.float32),
                    "scales": np.array([1.0, 1.0, 2.0, 2.0]),
                    "head": _conv_weights(rng, 24, 16 + 24, 3), "head_b": rng.normal(0, 0.05, 24),
                    "out": _conv_weights(rng, 21, 24, 1), "out_b": rng.normal(0, 0.05, 21),
                    "grid": np.array([1, 3, 7, 12, 12], np.int64),
                    "rows": np.array([1, 432, 7], np.int64)})
    nodes += [_node("Conv", ["r3", "lateral"], "lateral_out"),
              _node("Resize", ["lateral_out", "roi", "scales"], "upsampled", mode="nearest",
                    coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
              _node("Concat", ["upsampled", "r2"], "joined", axis=1),
              _node("Conv", ["joined", "head", "head_b"], "h", pads=[1, 1, 1, 1]),
              _node("Relu", ["h"], "hr"),
              _node("Conv", ["hr", "out", "out_b"], "raw"),
              _node("Reshape", ["raw", "grid"], "grid_out"),
              _node("Transpose", ["grid_out"], "cells", perm=[0, 1, 3, 4, 2]),
              _node("Reshape", ["cells", "rows"], "boxes"),
              _node("Sigmoid", ["boxes"], "y")]
    return _model(nodes, [("x", [1, 3, 96, 96])], [("y", [1, 432, 7])], weights)


def padded_to_multiple(seed: int):
    """A network whose first Pad rounds the input up to a multiple of 8 (pads computed at
    run time: Shape, Gather, Add, Div, Mul, Sub, ConstantOfShape, Concat, as converters
    from other frameworks write them), then 3x3 stride-2 VALID convolutions with Relu,
    global average pooling and a Gemm."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(seed)
    weights = {"hw": np.array([2, 3], np.int64), "seven": np.array([7, 7], np.int64),
               "eight": np.array([8, 8], np.int64), "six": np.array([6], np.int64),
               "w1": _conv_weights(rng, 12, 3, 3), "b1": rng.normal(0, 0.05, 12),
               "w2": _conv_weights(rng, 24, 12, 3), "b2": rng.normal(0, 0.05, 24),
               "w3": _conv_weights(rng, 32, 24, 3), "b3": rng.normal(0, 0.05, 32),
               "fc": rng.normal(0, np.sqrt(1.0 / 32), (10, 32)), "fc_b": rng.normal(0, 0.05, 10)}
    zero = helper.make_tensor("zero", TensorProto.INT64, [1], [0])
    nodes = [_node("Shape", ["x"], "shape"),
             _node("Gather", ["shape", "hw"], "size"),
             _node("Add", ["size", "seven"], "rounded_up"),
             _node("Div", ["rounded_up", "eight"], "blocks"),
             _node("Mul", ["blocks", "eight"], "padded_size"),
             _node("Sub", ["padded_size", "size"], "missing"),
             _node("ConstantOfShape", ["six"], "zeros", value=zero),
             _node("Concat", ["zeros", "missing"], "pads", axis=0),
             _node("Pad", ["x", "pads"], "padded")]
    x = "padded"
    for i in (1, 2, 3):
        nodes += [_node("Conv", [x, f"w{i}", f"b{i}"], f"c{i}", strides=[2, 2]),
                  _node("Relu", [f"c{i}"], f"r{i}")]
        x = f"r{i}"
    nodes += [_node("GlobalAveragePool", [x], "pool"), _node("Flatten", ["pool"], "flat"),
              _node("Gemm", ["flat", "fc", "fc_b"], "y", transB=1)]
    return _model(nodes, [("x", [1, 3, 60, 60])], [("y", [1, 10])], weights)


def text_recognizer(seed: int):
    """A text-line recogniser with a dynamic input ('N', 3, 'height', 'width'): three
    convolutions with Relu and MaxPools (the last 2x1), ReduceMean over the height,
    Transpose to [N, W, C] and a MatMul to 20 classes per column."""
    rng = np.random.default_rng(seed)
    weights = {"w1": _conv_weights(rng, 16, 3, 3), "b1": rng.normal(0, 0.05, 16),
               "w2": _conv_weights(rng, 32, 16, 3), "b2": rng.normal(0, 0.05, 32),
               "w3": _conv_weights(rng, 32, 32, 3), "b3": rng.normal(0, 0.05, 32),
               "classes": rng.normal(0, np.sqrt(1.0 / 32), (32, 20))}
    nodes = [_node("Conv", ["x", "w1", "b1"], "c1", pads=[1, 1, 1, 1]),
             _node("Relu", ["c1"], "r1"),
             _node("MaxPool", ["r1"], "p1", kernel_shape=[2, 2], strides=[2, 2]),
             _node("Conv", ["p1", "w2", "b2"], "c2", pads=[1, 1, 1, 1]),
             _node("Relu", ["c2"], "r2"),
             _node("MaxPool", ["r2"], "p2", kernel_shape=[2, 2], strides=[2, 2]),
             _node("Conv", ["p2", "w3", "b3"], "c3", pads=[1, 1, 1, 1]),
             _node("Relu", ["c3"], "r3"),
             _node("MaxPool", ["r3"], "p3", kernel_shape=[2, 1], strides=[2, 1]),
             _node("ReduceMean", ["p3"], "columns", axes=[2], keepdims=0),
             _node("Transpose", ["columns"], "sequence", perm=[0, 2, 1]),
             _node("MatMul", ["sequence", "classes"], "y")]
    return _model(nodes, [("x", ["N", 3, "height", "width"])], [("y", ["N", "steps", 20])],
                  weights)


def qlinear_network(seed: int):
    """ONNX Runtime's QOperator format: a uint8 input, QLinearConv 3x3 stride 2 (uint8
    weights, zero point 128), a depthwise QLinearConv with int8 weights per channel,
    a 1x1 QLinearConv; uint8 output."""
    from onnx import TensorProto
    rng = np.random.default_rng(seed)

    def params(name, scale, zero_point, dtype):
        return {f"{name}/scale": np.asarray(scale, np.float32),
                f"{name}/zero_point": np.asarray(zero_point, dtype)}

    weights = {"w1": rng.integers(0, 256, (16, 3, 3, 3)).astype(np.uint8),
               "b1": rng.integers(-2000, 2000, 16).astype(np.int32),
               "w2": rng.integers(-127, 128, (16, 1, 3, 3)).astype(np.int8),
               "b2": rng.integers(-500, 500, 16).astype(np.int32),
               "w3": rng.integers(-127, 128, (24, 16, 1, 1)).astype(np.int8)}
    weights.update(params("x", 1 / 255, 0, np.uint8))
    weights.update(params("w1q", 0.004, 128, np.uint8))
    weights.update(params("a1", 0.03, 110, np.uint8))
    weights.update(params("w2q", rng.uniform(0.005, 0.01, 16), np.zeros(16), np.int8))
    weights.update(params("a2", 0.05, 128, np.uint8))
    weights.update(params("w3q", 0.01, 0, np.int8))
    weights.update(params("y", 0.12, 120, np.uint8))

    def qconv(x, xp, w, wp, yp, output, bias=None, **attrs):
        inputs = [x, f"{xp}/scale", f"{xp}/zero_point", w, f"{wp}/scale", f"{wp}/zero_point",
                  f"{yp}/scale", f"{yp}/zero_point"] + ([bias] if bias else [])
        return _node("QLinearConv", inputs, output, **attrs)

    nodes = [qconv("x", "x", "w1", "w1q", "a1", "c1", "b1", pads=[1, 1, 1, 1], strides=[2, 2]),
             qconv("c1", "a1", "w2", "w2q", "a2", "c2", "b2", pads=[1, 1, 1, 1], group=16),
             qconv("c2", "a2", "w3", "w3q", "y", "y")]
    return _model(nodes, [("x", [1, 3, 32, 32])], [("y", [1, 24, 16, 16])], weights,
                  input_type=TensorProto.UINT8, output_type=TensorProto.UINT8)
