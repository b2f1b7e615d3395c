"""Tiny ONNX models for the importer tests, written with onnx.helper (float, NCHW).

One model per operator or small group of operators, with weights drawn from a fixed seed,
each with a single float input (4-D ones are NCHW: the imported function takes them NHWC);
then models the importer must refuse with a clear error. `MODELS` names them for
`python3 -m pex.testmodels NAME -o MODEL.onnx`.
"""

from __future__ import annotations

import numpy as np


def _graph(nodes, inputs, outputs, initializers: dict) -> bytes:
    """Float initializers are stored as float32, integer ones (shapes) keep their type."""
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        [numpy_helper.from_array(v if v.dtype.kind in "iu" else v.astype(np.float32), k)
         for k, v in initializers.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def _node(op_type: str, inputs: list, output: str, **attrs):
    from onnx import helper
    return helper.make_node(op_type, inputs, [output], name=output, **attrs)


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


def add() -> bytes:
    """Add of a per-channel constant [C,1,1], of two activations, and of a constant [W]
    broadcast along the width."""
    weights = {"channel_bias": np.array([0.25, -0.5, 0.75, -1.0]).reshape(4, 1, 1),
               "row": np.array([1.0, 2.0, 3.0, 4.0, 5.0])}
    nodes = [_node("Add", ["x", "channel_bias"], "biased"),
             _node("Add", ["biased", "x"], "sum"),
             _node("Add", ["sum", "row"], "y")]
    return _graph(nodes, [("x", [1, 4, 3, 5])], [("y", [1, 4, 3, 5])], weights)


def mul() -> bytes:
    """Mul by a per-channel constant [C,1,1], of two activations, and by a constant [H,1]
    broadcast along the height."""
    weights = {"channel_scale": np.array([0.5, -2.0, 1.5, -0.25]).reshape(4, 1, 1),
               "column": np.array([[3.0], [-1.0], [0.5]])}
    nodes = [_node("Mul", ["x", "channel_scale"], "scaled"),
             _node("Mul", ["scaled", "x"], "product"),
             _node("Mul", ["product", "column"], "y")]
    return _graph(nodes, [("x", [1, 4, 3, 5])], [("y", [1, 4, 3, 5])], weights)


def max_pool() -> bytes:
    """x - 1 (every value negative, so padding that counted as 0 would show), then a 3x2
    MaxPool, strides (2, 1), pads top 1, left 0, bottom 1, right 1."""
    nodes = [_node("Add", ["x", "minus_one"], "shifted"),
             _node("MaxPool", ["shifted"], "y", kernel_shape=[3, 2], strides=[2, 1],
                   pads=[1, 0, 1, 1])]
    return _graph(nodes, [("x", [1, 3, 7, 6])], [("y", [1, 3, 4, 6])],
                  {"minus_one": np.array(-1.0)})


def average_pool() -> bytes:
    """3x3 AveragePool, stride 2, pads 1, without (ONNX's default) and with
    count_include_pad, the two concatenated along the channels."""
    window = dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    nodes = [_node("AveragePool", ["x"], "excluding", **window),
             _node("AveragePool", ["x"], "including", count_include_pad=1, **window),
             _node("Concat", ["excluding", "including"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 7, 6])], [("y", [1, 6, 4, 3])], {})


def reshape() -> bytes:
    """Reshape [1,4,3,2] -> [0,-1] = [1,24] (NCHW element order), then -> [1,3,2,4] (a 4-D
    result, NHWC again)."""
    weights = {"flat_shape": np.array([0, -1], np.int64),
               "shape4": np.array([1, 3, 2, 4], np.int64)}
    nodes = [_node("Reshape", ["x", "flat_shape"], "flat"),
             _node("Reshape", ["flat", "shape4"], "y")]
    return _graph(nodes, [("x", [1, 4, 3, 2])], [("y", [1, 3, 2, 4])], weights)


def flatten() -> bytes:
    """Flatten (axis 1) of a batch of two [3,4,4] maps: [2,48] in NCHW element order."""
    nodes = [_node("Flatten", ["x"], "y")]
    return _graph(nodes, [("x", [2, 3, 4, 4])], [("y", [2, 48])], {})


def transpose() -> bytes:
    """Transpose perm [0,2,3,1] of [1,2,3,4], then Transpose with the default perm
    (reversed axes)."""
    nodes = [_node("Transpose", ["x"], "t", perm=[0, 2, 3, 1]),
             _node("Transpose", ["t"], "y")]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [2, 4, 3, 1])], {})


def concat() -> bytes:
    """Concat along the channels (axis 1) of x, Sigmoid(x) and a constant, then along the
    height (axis -2) with another constant."""
    rng = np.random.default_rng(13)
    weights = {"channel_block": np.arange(12.0).reshape(1, 1, 3, 4) - 6,
               "row_block": rng.normal(0, 1, (1, 5, 2, 4))}
    nodes = [_node("Sigmoid", ["x"], "s"),
             _node("Concat", ["x", "s", "channel_block"], "channels", axis=1),
             _node("Concat", ["channels", "row_block"], "y", axis=-2)]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 5, 5, 4])], weights)


def matmul() -> bytes:
    """MatMul of a 4-D activation [1,2,3,4] by a constant [4,5]: over the width."""
    rng = np.random.default_rng(14)
    nodes = [_node("MatMul", ["x", "w"], "y")]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 2, 3, 5])],
                  {"w": rng.normal(0, 0.5, (4, 5))})


def gemm() -> bytes:
    """Flatten, Gemm with B [K,N] (transB 0), alpha 0.5 and a bias [N]; Gemm with B [N,K]
    (transB 1), beta 2 and a bias [1,N]."""
    rng = np.random.default_rng(15)
    weights = {"w1": rng.normal(0, 0.5, (12, 6)), "b1": rng.normal(0, 0.1, 6),
               "w2": rng.normal(0, 0.5, (4, 6)), "b2": rng.normal(0, 0.1, (1, 4))}
    nodes = [_node("Flatten", ["x"], "flat"),
             _node("Gemm", ["flat", "w1", "b1"], "hidden", alpha=0.5),
             _node("Gemm", ["hidden", "w2", "b2"], "y", transB=1, beta=2.0)]
    return _graph(nodes, [("x", [1, 3, 2, 2])], [("y", [1, 4])], weights)


def sigmoid() -> bytes:
    """Sigmoid of x - 0.5."""
    nodes = [_node("Add", ["x", "minus_half"], "centred"), _node("Sigmoid", ["centred"], "y")]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 3, 4, 5])],
                  {"minus_half": np.array(-0.5)})


def softmax() -> bytes:
    """Softmax over the channels (axis 1) of 3 * (x - 0.5): NHWC's last axis."""
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Mul", ["centred", "three"], "logits"),
             _node("Softmax", ["logits"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 2, 4])], [("y", [1, 3, 2, 4])],
                  {"minus_half": np.array(-0.5), "three": np.array(3.0)})


def conv_auto_pad() -> bytes:
    """Conv 3x3 stride 2 auto_pad SAME_UPPER (8 -> 4: no padding before, one after), Conv
    2x2 auto_pad SAME_LOWER (one before, none after), Conv 3x3 dilations (2, 1) with pads."""
    rng = np.random.default_rng(16)
    weights = {"w1": rng.normal(0, 0.3, (4, 3, 3, 3)), "b1": rng.normal(0, 0.1, 4),
               "w2": rng.normal(0, 0.3, (4, 4, 2, 2)), "b2": rng.normal(0, 0.1, 4),
               "w3": rng.normal(0, 0.3, (2, 4, 3, 3))}
    nodes = [_node("Conv", ["x", "w1", "b1"], "upper", strides=[2, 2], auto_pad="SAME_UPPER"),
             _node("Conv", ["upper", "w2", "b2"], "lower", auto_pad="SAME_LOWER"),
             _node("Conv", ["lower", "w3"], "y", dilations=[2, 1], pads=[2, 1, 2, 1])]
    return _graph(nodes, [("x", [1, 3, 8, 8])], [("y", [1, 2, 4, 4])], weights)


def grouped_conv() -> bytes:
    """Conv with 2 groups of 2 input channels (neither ordinary nor depthwise)."""
    rng = np.random.default_rng(17)
    nodes = [_node("Conv", ["x", "w"], "y", group=2, pads=[1, 1, 1, 1])]
    return _graph(nodes, [("x", [1, 4, 5, 5])], [("y", [1, 6, 5, 5])],
                  {"w": rng.normal(0, 0.3, (6, 2, 3, 3))})


def ceil_mode() -> bytes:
    """A Relu, then a MaxPool with ceil_mode 1, which the importer refuses."""
    nodes = [_node("Relu", ["x"], "r"),
             _node("MaxPool", ["r"], "y", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)]
    return _graph(nodes, [("x", [1, 2, 5, 5])], [("y", [1, 2, 3, 3])], {})


def _one_node(op_type: str, input_shape, output_shape, initializers=None, inputs=("x",),
              **attrs) -> bytes:
    return _graph([_node(op_type, list(inputs), "y", **attrs)], [("x", input_shape)],
                  [("y", output_shape)], initializers or {})


def pool_dilations() -> bytes:
    """A MaxPool with dilations (2, 2)."""
    return _one_node("MaxPool", [1, 2, 6, 6], [1, 2, 4, 4], kernel_shape=[2, 2],
                     dilations=[2, 2])


def softmax_axis() -> bytes:
    """A Softmax over the height of a 4-D tensor."""
    return _one_node("Softmax", [1, 3, 2, 2], [1, 3, 2, 2], axis=2)


def gemm_trans_a() -> bytes:
    """A Gemm with transA 1."""
    return _one_node("Gemm", [4, 1], [1, 3], {"w": np.ones((4, 3))}, ("x", "w"), transA=1)


def clip_range() -> bytes:
    """A Clip to [0, 3]."""
    weights = {"low": np.array(0.0), "high": np.array(3.0)}
    return _one_node("Clip", [1, 4], [1, 4], weights, ("x", "low", "high"))


def computed_weights() -> bytes:
    """A Conv whose weights are computed (Relu of a constant), not constant."""
    rng = np.random.default_rng(18)
    nodes = [_node("Relu", ["w"], "relu_w"), _node("Conv", ["x", "relu_w"], "y")]
    return _graph(nodes, [("x", [1, 2, 4, 4])], [("y", [1, 3, 4, 4])],
                  {"w": rng.normal(0, 1, (3, 2, 1, 1))})


def conv1d() -> bytes:
    """A 1-D Conv (3-D input)."""
    return _one_node("Conv", [1, 2, 8], [1, 3, 6], {"w": np.ones((3, 2, 3))}, ("x", "w"))


def lone_batch_norm() -> bytes:
    """A BatchNormalization of the input, with no convolution to fold it into."""
    weights = {"gamma": np.ones(2), "beta": np.zeros(2), "mean": np.zeros(2), "var": np.ones(2)}
    return _one_node("BatchNormalization", [1, 2, 3, 3], [1, 2, 3, 3], weights,
                     ("x", "gamma", "beta", "mean", "var"))


def dynamic_shape() -> bytes:
    """An input whose batch dimension is symbolic ('N')."""
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [_node("Relu", ["x"], "y")], "test",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def int8_input() -> bytes:
    """An int8 input (the ONNX importer takes float models)."""
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [_node("Relu", ["x"], "y")], "test",
        [helper.make_tensor_value_info("x", TensorProto.INT8, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.INT8, [1, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


def truncated() -> bytes:
    """The first 300 bytes of onnx_cnn: the protobuf stops inside a weight tensor."""
    return cnn()[:300]


def unsupported() -> bytes:
    """A Relu, then an Erf, which the importer does not handle."""
    from onnx import helper
    nodes = [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Erf", ["r"], ["y"])]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])], {})


MODELS = {
    "onnx_cnn": cnn,
    "onnx_add": add,
    "onnx_mul": mul,
    "onnx_max_pool": max_pool,
    "onnx_average_pool": average_pool,
    "onnx_reshape": reshape,
    "onnx_flatten": flatten,
    "onnx_transpose": transpose,
    "onnx_concat": concat,
    "onnx_matmul": matmul,
    "onnx_gemm": gemm,
    "onnx_sigmoid": sigmoid,
    "onnx_softmax": softmax,
    "onnx_conv_auto_pad": conv_auto_pad,
    # Refused with a clear error.
    "onnx_grouped_conv": grouped_conv,
    "onnx_ceil_mode": ceil_mode,
    "onnx_pool_dilations": pool_dilations,
    "onnx_softmax_axis": softmax_axis,
    "onnx_gemm_trans_a": gemm_trans_a,
    "onnx_clip_range": clip_range,
    "onnx_computed_weights": computed_weights,
    "onnx_conv1d": conv1d,
    "onnx_lone_batch_norm": lone_batch_norm,
    "onnx_dynamic_shape": dynamic_shape,
    "onnx_int8_input": int8_input,
    "onnx_truncated": truncated,
    "onnx_unsupported": unsupported,
}
