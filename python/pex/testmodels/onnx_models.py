"""Tiny ONNX models for the importer tests, written with onnx.helper (float, NCHW)."""

from __future__ import annotations

import numpy as np


def _graph(nodes, inputs, outputs, initializers: dict) -> bytes:
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        [numpy_helper.from_array(v.astype(np.float32), k) for k, v in initializers.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def cnn() -> bytes:
    """Conv + BatchNormalization + Relu, depthwise Conv + Clip(0, 6), GlobalAveragePool,
    Flatten, Gemm, Softmax."""
    from onnx import helper
    rng = np.random.default_rng(3)
    weights = {
        "w1": rng.normal(0, 0.3, (8, 3, 3, 3)), "b1": rng.normal(0, 0.1, 8),
        "gamma": rng.uniform(0.5, 1.5, 8), "beta": rng.normal(0, 0.1, 8),
        "mean": rng.normal(0, 0.1, 8), "var": rng.uniform(0.5, 2, 8),
        "w2": rng.normal(0, 0.3, (8, 1, 3, 3)), "w3": rng.normal(0, 0.3, (10, 8)),
        "b3": rng.normal(0, 0.1, 10),
    }
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], ["bn"]),
        helper.make_node("Relu", ["bn"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1], group=8),
        helper.make_node("Clip", ["c2", "zero", "six"], ["r2"]),
        helper.make_node("GlobalAveragePool", ["r2"], ["pool"]),
        helper.make_node("Flatten", ["pool"], ["flat"]),
        helper.make_node("Gemm", ["flat", "w3", "b3"], ["logits"], transB=1),
        helper.make_node("Softmax", ["logits"], ["y"], axis=-1),
    ]
    weights.update(zero=np.array(0.0), six=np.array(6.0))
    return _graph(nodes, [("x", [1, 3, 16, 16])], [("y", [1, 10])], weights)


def unsupported() -> bytes:
    """A Relu, then an Erf, which the importer does not handle."""
    from onnx import helper
    nodes = [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Erf", ["r"], ["y"])]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])], {})


MODELS = {"onnx_cnn": cnn, "onnx_unsupported": unsupported}
