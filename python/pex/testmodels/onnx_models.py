"""Tiny ONNX models for the importer tests, written with onnx.helper (float, NCHW).

One model per operator or small group of operators, with weights drawn from a fixed seed,
each with a single float input (4-D ones are NCHW: the imported function takes them NHWC);
then models the importer must refuse with a clear error. `MODELS` names them for
`python3 -m pex.testmodels NAME -o MODEL.onnx`.
"""

from __future__ import annotations

import numpy as np


def _graph(nodes, inputs, outputs, initializers: dict, opset: int = 13,
           input_type=None, output_type=None, domains=()) -> bytes:
    """Float initializers are stored as float32, integer ones (shapes, quantised weights)
    keep their type. Inputs and outputs are float unless given an ONNX element type."""
    from onnx import TensorProto, helper, numpy_helper
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, input_type or TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, output_type or TensorProto.FLOAT, s)
         for n, s in outputs],
        [numpy_helper.from_array(v if v.dtype.kind in "iu" else v.astype(np.float32), k)
         for k, v in initializers.items()])
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in domains]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()


def _node(op_type: str, inputs: list, output: str, **attrs):
    from onnx import helper
    return helper.make_node(op_type, inputs, [output], name=output, **attrs)


def helper_node(op_type: str, inputs: list, outputs: list, **attrs):
    """A node of several outputs, named after its first."""
    from onnx import helper
    return helper.make_node(op_type, inputs, outputs, name=outputs[0], **attrs)


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


def fire_unet() -> bytes:
    """A SqueezeNet fire module (1x1 and 3x3 expansions of one squeeze, concatenated on
    the channels) whose result is pooled, convolved, upsampled (ConvTranspose 2x2 stride 2)
    and concatenated with it again as a U-Net's skip, then mixed by a 1x1 Conv."""
    rng = np.random.default_rng(41)

    def conv(name, inputs, out, shape, relu=True, **attrs):
        weights[f"{name}_w"] = rng.normal(0, 0.5, shape)
        weights[f"{name}_b"] = rng.normal(0, 0.1, (shape[1] if name == "up" else shape[0],))
        op = "ConvTranspose" if name == "up" else "Conv"
        nodes.append(_node(op, [inputs, f"{name}_w", f"{name}_b"],
                           f"{out}_pre" if relu else out, **attrs))
        if relu:
            nodes.append(_node("Relu", [f"{out}_pre"], out))

    weights, nodes = {}, []
    conv("squeeze", "x", "s", (4, 4, 1, 1))
    conv("expand1", "s", "e1", (8, 4, 1, 1))
    conv("expand3", "s", "e3", (8, 4, 3, 3), pads=[1, 1, 1, 1])
    nodes.append(_node("Concat", ["e1", "e3"], "fire", axis=1))
    nodes.append(_node("MaxPool", ["fire"], "pooled", kernel_shape=[2, 2], strides=[2, 2]))
    conv("down", "pooled", "d", (16, 16, 3, 3), pads=[1, 1, 1, 1])
    conv("up", "d", "u", (16, 16, 2, 2), relu=False, strides=[2, 2])
    nodes.append(_node("Concat", ["u", "fire"], "skip", axis=1))
    conv("mix", "skip", "y", (4, 32, 1, 1), relu=False)
    return _graph(nodes, [("x", [1, 4, 16, 16])], [("y", [1, 4, 16, 16])], weights)


def inception_block() -> bytes:
    """An Inception block: 1x1, 3x3, 5x5 and 7x7 convolutions, a 3x3 max pool followed by
    a 1x1 convolution and a 3x3 average pool, each of the image and through a Relu, concatenated on the channels and mixed by a 1x1 Conv (PyTorch's export of
    a GoogLeNet-style block)."""
    rng = np.random.default_rng(43)
    weights, nodes, branches = {}, [], []
    for index, (source, channels, kernel) in enumerate(
            [("x", 4, 1), ("x", 6, 3), ("x", 2, 5), ("pool", 4, 1), ("x", 3, 7)]):
        name = f"branch{index}"
        weights[f"{name}_w"] = rng.normal(0, 0.5, (channels, 3, kernel, kernel))
        weights[f"{name}_b"] = rng.normal(0, 0.1, (channels,))
        nodes.append(_node("Conv", [source, f"{name}_w", f"{name}_b"], f"{name}_conv",
                           pads=[kernel // 2] * 4))
        nodes.append(_node("Relu", [f"{name}_conv"], name))
        branches.append(name)
    nodes.insert(0, _node("MaxPool", ["x"], "pool", kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    nodes.append(_node("AveragePool", ["x"], "mean", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                       count_include_pad=1))
    nodes.append(_node("Relu", ["mean"], "mean_relu"))
    nodes.append(_node("Concat", branches + ["mean_relu"], "cat", axis=1))
    weights["post_w"] = rng.normal(0, 0.5, (8, 22, 1, 1))
    weights["post_b"] = rng.normal(0, 0.1, (8,))
    nodes.append(_node("Conv", ["cat", "post_w", "post_b"], "y"))
    return _graph(nodes, [("x", [1, 3, 32, 32])], [("y", [1, 8, 32, 32])], weights)


def unet_nearest() -> bytes:
    """A U-Net level as PyTorch exports nn.Upsample(scale_factor=2): a 3x3 Conv, pooled
    and convolved again, the result upsampled by a nearest Resize (asymmetric, floor)
    and concatenated with the first convolution's (the skip), then mixed by a 1x1 Conv."""
    rng = np.random.default_rng(45)
    weights = {"enc_w": rng.normal(0, 0.5, (8, 4, 3, 3)), "enc_b": rng.normal(0, 0.1, (8,)),
               "down_w": rng.normal(0, 0.3, (16, 8, 3, 3)), "down_b": rng.normal(0, 0.1, (16,)),
               "mix_w": rng.normal(0, 0.3, (4, 24, 1, 1)), "mix_b": rng.normal(0, 0.1, (4,)),
               "roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 2.0, 2.0])}
    nodes = [_node("Conv", ["x", "enc_w", "enc_b"], "enc_pre", pads=[1, 1, 1, 1]),
             _node("Relu", ["enc_pre"], "enc"),
             _node("MaxPool", ["enc"], "pooled", kernel_shape=[2, 2], strides=[2, 2]),
             _node("Conv", ["pooled", "down_w", "down_b"], "down_pre", pads=[1, 1, 1, 1]),
             _node("Relu", ["down_pre"], "down"),
             _node("Resize", ["down", "roi", "scales"], "up", mode="nearest",
                   coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
             _node("Concat", ["up", "enc"], "skip", axis=1),
             _node("Conv", ["skip", "mix_w", "mix_b"], "y")]
    return _graph(nodes, [("x", [1, 4, 16, 16])], [("y", [1, 4, 16, 16])], weights)


def c2f_block() -> bytes:
    """YOLOv8's C2f block as PyTorch exports it: a 1x1 Conv split in two halves (chunk),
    two bottlenecks of two 3x3 Convs each, the first reading the second half, the second
    reading the first's output, all four concatenated on the channels (each bottleneck's
    output is read by the concatenation and the next bottleneck) and mixed by a 1x1
    Conv; Relu after each Conv."""
    rng = np.random.default_rng(47)
    weights = {"halves": np.array([8, 8], np.int64)}
    nodes = []

    def conv(name, source, out_channels, in_channels, kernel):
        weights[f"{name}_w"] = rng.normal(0, 0.3, (out_channels, in_channels, kernel, kernel))
        weights[f"{name}_b"] = rng.normal(0, 0.1, (out_channels,))
        nodes.append(_node("Conv", [source, f"{name}_w", f"{name}_b"], f"{name}_pre",
                           pads=[kernel // 2] * 4))
        nodes.append(_node("Relu", [f"{name}_pre"], name))
        return name

    first = conv("cv1", "x", 16, 8, 1)
    nodes.append(helper_node("Split", [first, "halves"], ["left", "right"], axis=1))
    branch = "right"
    outputs = ["left", "right"]
    for index in range(2):
        branch = conv(f"m{index}b", conv(f"m{index}a", branch, 8, 8, 3), 8, 8, 3)
        outputs.append(branch)
    nodes.append(_node("Concat", outputs, "joined", axis=1))
    weights["cv2_w"] = rng.normal(0, 0.3, (8, 32, 1, 1))
    weights["cv2_b"] = rng.normal(0, 0.1, (8,))
    nodes.append(_node("Conv", ["joined", "cv2_w", "cv2_b"], "y"))
    return _graph(nodes, [("x", [1, 8, 16, 16])], [("y", [1, 8, 16, 16])], weights)


def _quantized_like_onnx_runtime(model: bytes, shape: list[int], seed: int) -> bytes:
    """`model` quantised as ONNX Runtime's static quantiser would (`pex.corpus.onnx_qdq`),
    calibrated on four uniform [0, 1) inputs of `shape`."""
    import onnx
    import torch
    from pex.corpus.onnx_qdq import quantize_model
    rng = np.random.default_rng(seed)
    calibration = [{"x": torch.from_numpy(rng.uniform(0, 1, shape))} for _ in range(4)]
    return quantize_model(onnx.load_from_string(model), calibration).SerializeToString()


def fire_unet_qdq() -> bytes:
    """`fire_unet` in int8 (QDQ)."""
    return _quantized_like_onnx_runtime(fire_unet(), [1, 4, 16, 16], 42)


def unet_nearest_qdq() -> bytes:
    """`unet_nearest` in int8 (QDQ)."""
    return _quantized_like_onnx_runtime(unet_nearest(), [1, 4, 16, 16], 46)


def c2f_block_qdq() -> bytes:
    """`c2f_block` in int8 (QDQ)."""
    return _quantized_like_onnx_runtime(c2f_block(), [1, 8, 16, 16], 48)


def inception_block_qdq() -> bytes:
    """`inception_block` in int8 (QDQ)."""
    return _quantized_like_onnx_runtime(inception_block(), [1, 3, 32, 32], 44)


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
    """x - 1 (all negative), then a 3x3 stride-2 MaxPool with ceil_mode 1 (SqueezeNet's):
    on 6x6 the last window starts inside and runs one column past the end."""
    nodes = [_node("Add", ["x", "minus_one"], "shifted"),
             _node("MaxPool", ["shifted"], "y", kernel_shape=[3, 3], strides=[2, 2],
                   ceil_mode=1)]
    return _graph(nodes, [("x", [1, 2, 6, 6])], [("y", [1, 2, 3, 3])],
                  {"minus_one": np.array(-1.0)})


def _flat_concat(names: list[str], output: str) -> list:
    """Each tensor flattened to [1, n], then joined: one output for several results."""
    nodes = [_node("Flatten", [n], f"{n}/flat") for n in names]
    return nodes + [_node("Concat", [f"{n}/flat" for n in names], output, axis=1)]


def activations() -> bytes:
    """On c = 4 (x - 0.5): LeakyRelu 0.1, PRelu with a slope per channel (one negative),
    HardSigmoid (alpha 0.3, beta 0.4), HardSwish, Tanh, Clip(-0.5, 2) and Clip with only a
    maximum (the input form), joined along the channels."""
    weights = {"minus_half": np.array(-0.5), "four": np.array(4.0),
               "slope": np.array([0.25, -0.5, 1.5]).reshape(3, 1, 1),
               "low": np.array(-0.5), "high": np.array(2.0), "cap": np.array(0.75)}
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Mul", ["centred", "four"], "c"),
             _node("LeakyRelu", ["c"], "leaky", alpha=0.1),
             _node("PRelu", ["c", "slope"], "prelu"),
             _node("HardSigmoid", ["c"], "hard_sigmoid", alpha=0.3, beta=0.4),
             _node("HardSwish", ["c"], "hard_swish"),
             _node("Tanh", ["c"], "tanh"),
             _node("Clip", ["c", "low", "high"], "clip"),
             _node("Clip", ["c", "", "cap"], "clip_max"),
             _node("Concat", ["leaky", "prelu", "hard_sigmoid", "hard_swish", "tanh", "clip",
                              "clip_max"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 21, 4, 5])], weights)


def exponential_activations() -> bytes:
    """On c = 8 (x - 0.5) (large enough for Softplus's tail): Elu alpha 0.5, Celu alpha 2,
    Selu (default alpha and gamma), Softplus, and Mish as PyTorch exports it (Softplus, Tanh,
    Mul), joined along the channels."""
    weights = {"minus_half": np.array(-0.5), "eight": np.array(8.0)}
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Mul", ["centred", "eight"], "c"),
             _node("Elu", ["c"], "elu", alpha=0.5),
             _node("Celu", ["c"], "celu", alpha=2.0),
             _node("Selu", ["c"], "selu"),
             _node("Softplus", ["c"], "softplus"),
             _node("Tanh", ["softplus"], "mish_gate"),
             _node("Mul", ["c", "mish_gate"], "mish"),
             _node("Concat", ["elu", "celu", "selu", "softplus", "mish"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 15, 4, 5])], weights)


def shrinking_activations() -> bytes:
    """On c = 8 (x - 0.5): Softsign, ThresholdedRelu (alpha 0.7), Shrink as hardshrink
    (lambd 1) and as softshrink (lambd and bias 0.5), joined along the channels."""
    weights = {"minus_half": np.array(-0.5), "eight": np.array(8.0)}
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Mul", ["centred", "eight"], "c"),
             _node("Softsign", ["c"], "softsign"),
             _node("ThresholdedRelu", ["c"], "thresholded", alpha=0.7),
             _node("Shrink", ["c"], "hardshrink", lambd=1.0),
             _node("Shrink", ["c"], "softshrink", lambd=0.5, bias=0.5),
             _node("Concat", ["softsign", "thresholded", "hardshrink", "softshrink"], "y",
                   axis=1)]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 12, 4, 5])], weights)


def normalizations() -> bytes:
    """PyTorch's GroupNorm(2 groups of 2 channels) as exported (Reshape to [1, 2, -1],
    InstanceNormalization with unit scale, Reshape back, Mul, Add per channel), then
    F.normalize over the channels (ReduceL2, Clip at 1e-12, Expand to the input's shape,
    Div)."""
    rng = np.random.default_rng(44)
    weights = {"groups": np.array([1, 2, -1], np.int64), "shape": np.array([1, 4, 3, 5]),
               "ones": np.ones(2), "zeros": np.zeros(2),
               "gamma": rng.uniform(0.5, 1.5, (4, 1, 1)), "beta": rng.normal(0, 0.1, (4, 1, 1)),
               "tiny": np.array(1e-12)}
    nodes = [_node("Reshape", ["x", "groups"], "grouped"),
             _node("InstanceNormalization", ["grouped", "ones", "zeros"], "group_normed",
                   epsilon=1e-5),
             _node("Reshape", ["group_normed", "shape"], "normed"),
             _node("Mul", ["normed", "gamma"], "scaled"),
             _node("Add", ["scaled", "beta"], "shifted"),
             _node("ReduceL2", ["shifted"], "norm", axes=[1], keepdims=1),
             _node("Clip", ["norm", "tiny"], "clipped"),
             _node("Expand", ["clipped", "shape"], "expanded"),
             _node("Div", ["shifted", "expanded"], "y")]
    return _graph(nodes, [("x", [1, 4, 3, 5])], [("y", [1, 4, 3, 5])], weights)


def tiles() -> bytes:
    """`x.repeat(1, 2, 1, 3)` (Tile of an activation) plus a per-channel constant tiled to
    the same shape (Tile of a constant: folded)."""
    rng = np.random.default_rng(45)
    weights = {"repeats": np.array([1, 2, 1, 3]), "spread": np.array([1, 1, 3, 12]),
               "bias": rng.normal(0, 1, (1, 4, 1, 1))}
    nodes = [_node("Tile", ["x", "repeats"], "tiled"),
             _node("Tile", ["bias", "spread"], "bias_tiled"),
             _node("Add", ["tiled", "bias_tiled"], "y")]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 4, 3, 12])], weights)


def qdq_tile() -> bytes:
    """Tile of an int8 tensor between DequantizeLinear and QuantizeLinear of the same
    parameters: data movement of the int8 values; int8 output."""
    from onnx import TensorProto
    weights = {"repeats": np.array([1, 3, 2, 1])}
    weights.update(_params("p", 1 / 100, -7))
    nodes = [_quantize_node("x", "xq", "p"), _dequantize_node("xq", "xd", "p"),
             _node("Tile", ["xd", "repeats"], "tiled"),
             _quantize_node("tiled", "y", "p")]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 6, 6, 4])], weights,
                  output_type=TensorProto.INT8)


def rearrangements() -> bytes:
    """PixelShuffle (DepthToSpace CRD, block 2) of an 8-channel map, reflect Pad by 1 and
    edge Pad by (2, 1) of the 2-channel result, SpaceToDepth (block 2) of that, and
    DepthToSpace DCR back."""
    weights = {"reflect": np.array([0, 0, 1, 1, 0, 0, 1, 1]),
               "edge": np.array([0, 0, 2, 0, 0, 0, 0, 2])}
    nodes = [_node("DepthToSpace", ["x"], "shuffled", blocksize=2, mode="CRD"),
             _node("Pad", ["shuffled", "reflect"], "reflected", mode="reflect"),
             _node("Pad", ["reflected", "edge"], "edged", mode="edge"),
             _node("SpaceToDepth", ["edged"], "packed", blocksize=2),
             _node("DepthToSpace", ["packed"], "y", blocksize=2, mode="DCR")]
    return _graph(nodes, [("x", [1, 8, 3, 4])], [("y", [1, 2, 10, 12])], weights)


def masks() -> bytes:
    """On c = 4 (x - 0.5): hardshrink as PyTorch exports it (Greater, Less, Cast to bool,
    Or, Where(mask, c, 0)), then a float mask (Cast of Not(Equal) And LessOrEqual and
    GreaterOrEqual against an activation) times c; both joined along the channels."""
    from onnx import TensorProto
    weights = {"minus_half": np.array(-0.5), "four": np.array(4.0), "high": np.array(0.5),
               "low": np.array(-0.5), "zero": np.array(0.0), "cap": np.array(1.5)}
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Mul", ["centred", "four"], "c"),
             _node("Greater", ["c", "high"], "above"),
             _node("Less", ["c", "low"], "below"),
             _node("Cast", ["above"], "above_b", to=TensorProto.BOOL),
             _node("Or", ["above_b", "below"], "outside"),
             _node("Where", ["outside", "c", "zero"], "shrunk"),
             _node("Equal", ["shrunk", "zero"], "zeroed"),
             _node("Not", ["zeroed"], "kept"),
             _node("LessOrEqual", ["c", "cap"], "capped"),
             _node("GreaterOrEqual", ["c", "shrunk"], "not_below"),
             _node("And", ["kept", "capped"], "both"),
             _node("And", ["both", "not_below"], "chosen"),
             _node("Cast", ["chosen"], "mask", to=TensorProto.FLOAT),
             _node("Mul", ["mask", "c"], "masked"),
             _node("Concat", ["shrunk", "masked"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 4, 3, 4])], weights)


def clip_attributes() -> bytes:
    """Opset 6: Clip's bounds are attributes (min -0.25, max 0.75), of x - 0.5."""
    nodes = [_node("Add", ["x", "minus_half"], "centred"),
             _node("Clip", ["centred"], "y", min=-0.25, max=0.75)]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 2, 3, 4])],
                  {"minus_half": np.array(-0.5)}, opset=6)


def arithmetic() -> bytes:
    """Sub of a per-channel constant, Div by a constant and by an activation (1 + Relu),
    a three-input Max, Min with a [W] row, Sum of three."""
    weights = {"channel": np.array([0.1, 0.5, 0.9]).reshape(3, 1, 1),
               "four": np.array(4.0), "one": np.array(1.0),
               "row": np.array([0.2, 0.4, 0.6, 0.8, 1.0])}
    nodes = [_node("Sub", ["x", "channel"], "sub"),
             _node("Div", ["sub", "four"], "quarter"),
             _node("Relu", ["sub"], "positive"),
             _node("Add", ["positive", "one"], "divisor"),
             _node("Div", ["x", "divisor"], "ratio"),
             _node("Max", ["sub", "quarter", "ratio"], "max"),
             _node("Min", ["max", "row"], "min"),
             _node("Sum", ["min", "x", "sub"], "y")]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 3, 4, 5])], weights)


def reductions() -> bytes:
    """ReduceMean over H and W without keepdims ([1,C]), ReduceMax over the channels,
    ReduceSum over W (axes as an input, opset 13), ReduceMin over H, GlobalMaxPool."""
    weights = {"width": np.array([3], np.int64)}
    nodes = [_node("ReduceMean", ["x"], "mean", axes=[2, 3], keepdims=0),
             _node("ReduceMax", ["x"], "max", axes=[1]),
             _node("ReduceSum", ["x", "width"], "sum"),
             _node("ReduceMin", ["x"], "min", axes=[-2]),
             _node("GlobalMaxPool", ["x"], "global_max")]
    nodes += _flat_concat(["mean", "max", "sum", "min", "global_max"], "y")
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 3 + 20 + 12 + 15 + 3])], weights)


def batch_norm() -> bytes:
    """A BatchNormalization of the input (not after a convolution)."""
    weights = {"gamma": np.array([1.5, 0.5]), "beta": np.array([0.1, -0.2]),
               "mean": np.array([0.4, 0.6]), "var": np.array([0.25, 2.0])}
    return _one_node("BatchNormalization", [1, 2, 3, 3], [1, 2, 3, 3], weights,
                     ("x", "gamma", "beta", "mean", "var"), epsilon=1e-3)


def pad_computed() -> bytes:
    """Pads computed as exporters write them: ConstantOfShape([6]) zeros (before N, C, H, W;
    after N, C) joined with 8 - [H, W] from Shape -> Gather, so x [1,3,5,6] is padded to
    8x8 with 0.5 at the end; then a Pad with negative pads (a crop) of one row on top."""
    from onnx import TensorProto, helper
    weights = {"six": np.array([6], np.int64), "hw": np.array([2, 3], np.int64),
               "eight": np.array([8, 8], np.int64), "half": np.array(0.5),
               "crop": np.array([0, 0, -1, 0, 0, 0, 0, 0], np.int64)}
    zeros = helper.make_tensor("zero", TensorProto.INT64, [1], [0])
    nodes = [_node("Shape", ["x"], "shape"),
             _node("Gather", ["shape", "hw"], "size"),
             _node("Sub", ["eight", "size"], "missing"),
             _node("ConstantOfShape", ["six"], "zeros", value=zeros),
             _node("Concat", ["zeros", "missing"], "pads", axis=0),
             _node("Pad", ["x", "pads", "half"], "padded"),
             _node("Pad", ["padded", "crop"], "y")]
    return _graph(nodes, [("x", [1, 3, 5, 6])], [("y", [1, 3, 7, 8])], weights)


def channel_shuffle() -> bytes:
    """ShuffleNet's block as torch.onnx.export writes it: a 1x1 Conv, channel shuffle with
    the Reshape targets computed from Shape/Gather/Div/Cast/Unsqueeze/Concat
    ([N, 2, C/2, H, W], Transpose (0,2,1,3,4), [N, -1, H, W]), Split in two (opset 13),
    a 1x1 Conv on the second half, Concat."""
    rng = np.random.default_rng(19)
    weights = {"w1": rng.normal(0, 0.5, (8, 3, 1, 1)), "w2": rng.normal(0, 0.5, (4, 4, 1, 1)),
               "i0": np.array(0, np.int64), "i1": np.array(1, np.int64),
               "i2": np.array(2, np.int64), "i3": np.array(3, np.int64),
               "two": np.array(2, np.int64), "two_1d": np.array([2], np.int64),
               "minus_one": np.array([-1], np.int64), "axes0": np.array([0], np.int64),
               "halves": np.array([4, 4], np.int64)}
    nodes = [_node("Conv", ["x", "w1"], "c")]
    for i in range(4):
        nodes += [_node("Shape", ["c"], f"shape{i}"),
                  _node("Gather", [f"shape{i}", f"i{i}"], f"d{i}")]
    nodes += [_node("Div", ["d1", "two"], "per_group"),
              _node("Cast", ["per_group"], "per_group_int", to=7)]
    for name in ("d0", "per_group_int", "d2", "d3"):
        nodes.append(_node("Unsqueeze", [name, "axes0"], f"{name}/1d"))
    nodes += [_node("Concat", ["d0/1d", "two_1d", "per_group_int/1d", "d2/1d", "d3/1d"],
                    "split_shape", axis=0),
              _node("Reshape", ["c", "split_shape"], "grouped"),
              _node("Transpose", ["grouped"], "shuffled", perm=[0, 2, 1, 3, 4]),
              _node("Concat", ["d0/1d", "minus_one", "d2/1d", "d3/1d"], "merged_shape", axis=0),
              _node("Reshape", ["shuffled", "merged_shape"], "merged")]
    from onnx import helper
    nodes += [helper.make_node("Split", ["merged", "halves"], ["left", "right"], axis=1,
                               name="split"),
              _node("Conv", ["right", "w2"], "right_conv"),
              _node("Concat", ["left", "right_conv"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 8, 4, 5])], weights)


def slicing() -> bytes:
    """Slice of every other column (steps 2, axes as inputs), Slice of the last two
    channels (a negative start), Gather of row 2 (a scalar index: the axis goes), Gather of
    channels [3, 0], Unsqueeze and Squeeze."""
    weights = {"start": np.array([0], np.int64), "end": np.array([9], np.int64),
               "width": np.array([3], np.int64), "step": np.array([2], np.int64),
               "last2": np.array([-2], np.int64), "big": np.array([100], np.int64),
               "channels": np.array([1], np.int64), "row": np.array(2, np.int64),
               "pick": np.array([3, 0], np.int64), "axis0": np.array([0], np.int64)}
    nodes = [_node("Slice", ["x", "start", "end", "width", "step"], "columns"),
             _node("Slice", ["x", "last2", "big", "channels"], "tail"),
             _node("Gather", ["x", "row"], "row2", axis=2),
             _node("Gather", ["x", "pick"], "picked", axis=1),
             _node("Unsqueeze", ["row2", "axis0"], "unsqueezed"),
             _node("Squeeze", ["unsqueezed", "axis0"], "squeezed")]
    nodes += _flat_concat(["columns", "tail", "squeezed", "picked"], "y")
    return _graph(nodes, [("x", [1, 4, 3, 5])], [("y", [1, 36 + 30 + 20 + 30])], weights)


def flip() -> bytes:
    """torch.flip(conv(x), [3]) as PyTorch exports it (Slice from -1 to INT64_MIN, step
    -1), a ReLU, then every other row from the last (step -2)."""
    rng = np.random.default_rng(29)
    weights = {"w": rng.normal(0, 0.5, (4, 3, 3, 3)), "b": rng.normal(0, 0.1, 4),
               "last": np.array([-1], np.int64),
               "before_first": np.array([np.iinfo(np.int64).min], np.int64),
               "width": np.array([3], np.int64), "height": np.array([2], np.int64),
               "back": np.array([-1], np.int64), "back2": np.array([-2], np.int64)}
    nodes = [_node("Conv", ["x", "w", "b"], "c", pads=[1, 1, 1, 1]),
             _node("Slice", ["c", "last", "before_first", "width", "back"], "flipped"),
             _node("Relu", ["flipped"], "r"),
             _node("Slice", ["r", "last", "before_first", "height", "back2"], "y")]
    return _graph(nodes, [("x", [1, 3, 7, 6])], [("y", [1, 4, 4, 6])], weights)


def resize_nearest() -> bytes:
    """Resize nearest: 2x by scales (PyTorch's export: asymmetric, floor; a tile), and to
    sizes 5x7 from 3x4 (ONNX's default half_pixel, round_prefer_floor; gathered rows and
    columns)."""
    weights = {"roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 2.0, 2.0]),
               "sizes": np.array([1, 2, 5, 7], np.int64), "none": np.zeros(0, np.float32)}
    nodes = [_node("Resize", ["x", "roi", "scales"], "twice", mode="nearest",
                   coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
             _node("Resize", ["x", "roi", "none", "sizes"], "sized", mode="nearest")]
    nodes += _flat_concat(["twice", "sized"], "y")
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 96 + 70])], weights)


def resize_bilinear() -> bytes:
    """Resize linear: 2x by scales (half_pixel, PyTorch's bilinear) and to sizes 4x7 with
    align_corners."""
    weights = {"roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 2.0, 2.0]),
               "sizes": np.array([1, 2, 4, 7], np.int64), "none": np.zeros(0, np.float32)}
    nodes = [_node("Resize", ["x", "roi", "scales"], "twice", mode="linear"),
             _node("Resize", ["x", "roi", "none", "sizes"], "corners", mode="linear",
                   coordinate_transformation_mode="align_corners")]
    nodes += _flat_concat(["twice", "corners"], "y")
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 96 + 56])], weights)


def resize_cubic() -> bytes:
    """Resize cubic: 2x by scales (half_pixel, A -0.75: PyTorch's bicubic) and to sizes
    5x3 from 3x4 with align_corners, A -0.5 and exclude_outside."""
    weights = {"roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 2.0, 2.0]),
               "sizes": np.array([1, 2, 5, 3], np.int64), "none": np.zeros(0, np.float32)}
    nodes = [_node("Resize", ["x", "roi", "scales"], "twice", mode="cubic"),
             _node("Resize", ["x", "roi", "none", "sizes"], "sized", mode="cubic",
                   coordinate_transformation_mode="align_corners", cubic_coeff_a=-0.5,
                   exclude_outside=1)]
    nodes += _flat_concat(["twice", "sized"], "y")
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 96 + 30])], weights)


def upsampling_decoder() -> bytes:
    """A segmentation decoder's step as PyTorch exports it: Conv 4 -> 16, ReLU,
    F.interpolate(scale_factor=2, mode="bilinear") (half_pixel), Conv 16 -> 2."""
    rng = np.random.default_rng(31)
    weights = {"w1": rng.normal(0, 0.4, (16, 4, 3, 3)), "b1": rng.normal(0, 0.1, 16),
               "w2": rng.normal(0, 0.3, (2, 16, 1, 1)), "b2": rng.normal(0, 0.1, 2),
               "roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 2.0, 2.0])}
    nodes = [_node("Conv", ["x", "w1", "b1"], "c1", pads=[1, 1, 1, 1]),
             _node("Relu", ["c1"], "r1"),
             _node("Resize", ["r1", "roi", "scales"], "up", mode="linear"),
             _node("Conv", ["up", "w2", "b2"], "y")]
    return _graph(nodes, [("x", [1, 4, 16, 16])], [("y", [1, 2, 32, 32])], weights)


def transposed_decoder() -> bytes:
    """A segmentation decoder's step with a learned upsampling, as PyTorch exports
    nn.ConvTranspose2d(16, 16, 2, stride=2): Conv 4 -> 16 at 16x16, ReLU, ConvTranspose
    2x2 stride 2 to 32x32, ReLU, Conv 16 -> 2."""
    rng = np.random.default_rng(32)
    weights = {"w1": rng.normal(0, 0.4, (16, 4, 3, 3)), "b1": rng.normal(0, 0.1, 16),
               "wt": rng.normal(0, 0.3, (16, 16, 2, 2)), "bt": rng.normal(0, 0.1, 16),
               "w2": rng.normal(0, 0.3, (2, 16, 1, 1)), "b2": rng.normal(0, 0.1, 2)}
    nodes = [_node("Conv", ["x", "w1", "b1"], "c1", pads=[1, 1, 1, 1]),
             _node("Relu", ["c1"], "r1"),
             _node("ConvTranspose", ["r1", "wt", "bt"], "up", kernel_shape=[2, 2],
                   strides=[2, 2]),
             _node("Relu", ["up"], "r2"),
             _node("Conv", ["r2", "w2", "b2"], "y")]
    return _graph(nodes, [("x", [1, 4, 16, 16])], [("y", [1, 2, 32, 32])], weights)


def many_branches() -> bytes:
    """Sixteen independent branches (Conv 1x1 3 -> 4..16, Conv 1x1 -> 2) joined by a
    Concat: more orders than the reordering search's beam keeps, so pexc remarks that the
    order found may not be the best."""
    rng = np.random.default_rng(33)
    nodes, weights, branches = [], {}, []
    for i in range(16):
        width = 4 + (i * 7) % 13
        weights[f"w{i}"] = rng.normal(0, 0.3, (width, 3, 1, 1))
        weights[f"v{i}"] = rng.normal(0, 0.3, (2, width, 1, 1))
        nodes += [_node("Conv", ["x", f"w{i}"], f"a{i}"),
                  _node("Conv", [f"a{i}", f"v{i}"], f"b{i}")]
        branches.append(f"b{i}")
    nodes.append(_node("Concat", branches, "y", axis=1))
    return _graph(nodes, [("x", [1, 3, 8, 8])], [("y", [1, 32, 8, 8])], weights)


def conv1d_pool_mean() -> bytes:
    """An audio embedding as PyTorch exports it: Conv1d 1 -> 8 (kernel 9, stride 2),
    ReLU, max_pool1d(2), mean over time (ReduceMean of the last axis)."""
    rng = np.random.default_rng(37)
    weights = {"w": rng.normal(0, 0.4, (8, 1, 9)), "b": rng.normal(0, 0.1, 8)}
    nodes = [_node("Conv", ["x", "w", "b"], "c", strides=[2]),
             _node("Relu", ["c"], "r"),
             _node("MaxPool", ["r"], "p", kernel_shape=[2], strides=[2]),
             _node("ReduceMean", ["p"], "y", axes=[-1], keepdims=0)]
    return _graph(nodes, [("x", [1, 1, 400])], [("y", [1, 8])], weights)


def conv_permute_linear() -> bytes:
    """nn.Linear over the channels as PyTorch exports `fc(conv(x).permute(0, 2, 3, 1))
    .permute(0, 3, 1, 2)`: Conv 3 -> 8 (3x3), Transpose to NHWC, MatMul by [8, 6] and Add
    of the bias, Transpose back."""
    rng = np.random.default_rng(43)
    weights = {"w": rng.normal(0, 0.4, (8, 3, 3, 3)), "b": rng.normal(0, 0.1, 8),
               "fc": rng.normal(0, 0.3, (8, 6)), "fc_b": rng.normal(0, 0.1, 6)}
    nodes = [_node("Conv", ["x", "w", "b"], "c", pads=[1, 1, 1, 1]),
             _node("Transpose", ["c"], "nhwc", perm=[0, 2, 3, 1]),
             _node("MatMul", ["nhwc", "fc"], "projected"),
             _node("Add", ["projected", "fc_b"], "biased"),
             _node("Transpose", ["biased"], "y", perm=[0, 3, 1, 2])]
    return _graph(nodes, [("x", [1, 3, 16, 16])], [("y", [1, 6, 16, 16])], weights)


def upsample() -> bytes:
    """Opset 9 Upsample (nearest) by 2 in height, 3 in width."""
    weights = {"scales": np.array([1.0, 1.0, 2.0, 3.0])}
    return _graph([_node("Upsample", ["x", "scales"], "y", mode="nearest")],
                  [("x", [1, 2, 3, 4])], [("y", [1, 2, 6, 12])], weights, opset=9)


def two_inputs_two_outputs() -> bytes:
    """Two inputs and two outputs: "image" [1, 3, 5, 5] (300 bytes, so the next tensor
    is not 16-byte aligned when packed) through Conv 3x3 3 -> 4 and Relu to "features";
    its ReduceMean over H and W plus "gain" [1, 3] to "stats"."""
    rng = np.random.default_rng(48)
    weights = {"w": rng.normal(0, 0.5, (4, 3, 3, 3)), "b": rng.normal(0, 0.1, 4)}
    nodes = [_node("Conv", ["image", "w", "b"], "conv", pads=[1, 1, 1, 1]),
             _node("Relu", ["conv"], "features"),
             _node("ReduceMean", ["image"], "mean", axes=[2, 3], keepdims=0),
             _node("Add", ["mean", "gain"], "stats")]
    return _graph(nodes, [("image", [1, 3, 5, 5]), ("gain", [1, 3])],
                  [("features", [1, 4, 5, 5]), ("stats", [1, 3])], weights)


def channels_last_interface() -> bytes:
    """A model that takes and gives images NHWC itself (tf2onnx's and Keras's models, a
    PyTorch forward permuting a camera frame): "frame" [1, 6, 5, 3] quantised to int8 and
    dequantised, Transpose (0, 3, 1, 2), Conv 3x3 3 -> 4 pads 1, Relu, Transpose
    (0, 2, 3, 1) to "mask" [1, 6, 5, 4]; the Relu's GlobalAveragePool is "pooled"
    [1, 4, 1, 1] (NCHW: the function gives it NHWC); "side" [1, 2, 3, 4] is read by a
    Transpose (0, 3, 1, 2) and by an Add, so it keeps the NHWC interface of an NCHW
    tensor, and so does the output "sum" its Add writes."""
    rng = np.random.default_rng(50)
    weights = {"w": rng.normal(0, 0.5, (4, 3, 3, 3)), "b": rng.normal(0, 0.1, 4),
               "offset": rng.normal(0, 1, (1, 2, 3, 4))}
    weights.update(_params("in", 1 / 64, 3))
    nodes = [_quantize_node("frame", "frameq", "in"), _dequantize_node("frameq", "framed", "in"),
             _node("Transpose", ["framed"], "nchw", perm=[0, 3, 1, 2]),
             _node("Conv", ["nchw", "w", "b"], "conv", pads=[1, 1, 1, 1]),
             _node("Relu", ["conv"], "relu"),
             _node("Transpose", ["relu"], "mask", perm=[0, 2, 3, 1]),
             _node("GlobalAveragePool", ["relu"], "pooled"),
             _node("Transpose", ["side"], "side_t", perm=[0, 3, 1, 2]),
             _node("Add", ["side", "offset"], "sum"),
             _node("ReduceSum", ["side_t"], "side_total", keepdims=0)]
    return _graph(nodes, [("frame", [1, 6, 5, 3]), ("side", [1, 2, 3, 4])],
                  [("mask", [1, 6, 5, 4]), ("pooled", [1, 4, 1, 1]), ("sum", [1, 2, 3, 4]),
                   ("side_total", [])], weights)


def conv_transpose() -> bytes:
    """ConvTranspose 3x3 stride 2, pads 1, output_padding 1 (4x4 -> 8x8) with a bias, then
    ConvTranspose 2x2 stride 1 without pads (8x8 -> 9x9)."""
    rng = np.random.default_rng(20)
    weights = {"w1": rng.normal(0, 0.5, (3, 4, 3, 3)), "b1": rng.normal(0, 0.1, 4),
               "w2": rng.normal(0, 0.5, (4, 2, 2, 2))}
    nodes = [_node("ConvTranspose", ["x", "w1", "b1"], "up", strides=[2, 2],
                   pads=[1, 1, 1, 1], output_padding=[1, 1]),
             _node("ConvTranspose", ["up", "w2"], "y")]
    return _graph(nodes, [("x", [1, 3, 4, 4])], [("y", [1, 2, 9, 9])], weights)


def grouped_conv_transpose() -> bytes:
    """Grouped ConvTransposes of a 5x4 map with 4 channels, joined along the channels:
    depthwise 4x4 stride 2 pads 1 with bilinear weights and no bias (a segmentation or
    keypoint head's fixed upsampling), depthwise 3x3 stride 2 with 2 outputs per channel
    and output_padding 1, 2 groups 5x3 strides [2, 3] pads [2, 3, 2, 3] output_padding
    [1, 2] with a bias, 2 groups 3x3 stride 1 output_shape [10, 8] from a full 7x6
    (rows and columns of bias alone on both sides), 2 groups 2x2 stride 2 dilations 2,
    and depthwise 8x8 stride 4 pads [1, 2] of the 2x2 max-pooled input."""
    rng = np.random.default_rng(46)
    taps = 1 - np.abs(np.arange(4) - 1.5) / 2
    weights = {"bilinear": np.tile(np.outer(taps, taps), (4, 1, 1, 1)),
               "w1": rng.normal(0, 0.5, (4, 2, 3, 3)), "b1": rng.normal(0, 0.1, 8),
               "w2": rng.normal(0, 0.5, (4, 2, 5, 3)), "b2": rng.normal(0, 0.1, 4),
               "w3": rng.normal(0, 0.5, (4, 1, 3, 3)), "b3": rng.normal(0, 0.1, 2),
               "w4": rng.normal(0, 0.5, (4, 1, 2, 2)), "w5": rng.normal(0, 0.5, (4, 1, 8, 8))}
    nodes = [_node("ConvTranspose", ["x", "bilinear"], "up", strides=[2, 2], group=4,
                   pads=[1, 1, 1, 1]),
             _node("ConvTranspose", ["x", "w1", "b1"], "multiplied", strides=[2, 2],
                   group=4, pads=[1, 1, 1, 1], output_padding=[1, 1]),
             _node("ConvTranspose", ["x", "w2", "b2"], "strided", strides=[2, 3], group=2,
                   pads=[2, 3, 2, 3], output_padding=[1, 2]),
             _node("ConvTranspose", ["x", "w3", "b3"], "grown", group=2,
                   output_shape=[10, 8]),
             _node("ConvTranspose", ["x", "w4"], "dilated", group=2, strides=[2, 2],
                   dilations=[2, 2], pads=[1, 1, 0, 0]),
             _node("MaxPool", ["x"], "pooled", kernel_shape=[2, 2], strides=[2, 2]),
             _node("ConvTranspose", ["pooled", "w5"], "up4", group=4, strides=[4, 4],
                   pads=[1, 2, 1, 2]),
             _node("Concat", ["up", "multiplied", "strided", "grown", "dilated", "up4"], "y",
                   axis=1)]
    return _graph(nodes, [("x", [1, 4, 5, 4])], [("y", [1, 24, 10, 8])], weights)


def grouped_conv_transpose_qdq() -> bytes:
    """`grouped_conv_transpose` quantised as ONNX Runtime's static quantiser would
    (`pex.corpus.onnx_qdq`: int8 weights per output channel along axis 1, int32 biases),
    calibrated on four normal inputs."""
    import onnx
    import torch
    from pex.corpus.onnx_qdq import quantize_model
    rng = np.random.default_rng(47)
    calibration = [{"x": torch.from_numpy(rng.normal(0, 1, (1, 4, 5, 4)))} for _ in range(4)]
    model = onnx.load_from_string(grouped_conv_transpose())
    return quantize_model(model, calibration).SerializeToString()


def conv_transpose_sized() -> bytes:
    """ConvTranspose 3x3 of a 4x5 map sized without pads (as tf2onnx writes Keras's
    Conv2DTranspose): auto_pad SAME_UPPER stride 2 (8x10: the full 9x11 cropped by one
    row and column at the end), output_shape [8, 10] stride 2 (cropped at the start),
    output_shape [8, 10] with output_padding 1 (cropped on both sides), and output_shape
    [8, 10] stride 1 (the full 6x7 grown by rows and columns of bias alone); joined
    along the channels."""
    rng = np.random.default_rng(45)
    weights = {f"w{i}": rng.normal(0, 0.5, (3, 2, 3, 3)) for i in range(4)}
    weights.update({f"b{i}": rng.normal(0, 0.1, 2) for i in range(4)})
    nodes = [_node("ConvTranspose", ["x", "w0", "b0"], "same_upper", strides=[2, 2],
                   auto_pad="SAME_UPPER"),
             _node("ConvTranspose", ["x", "w1", "b1"], "shaped", strides=[2, 2],
                   output_shape=[8, 10]),
             _node("ConvTranspose", ["x", "w2", "b2"], "shaped_padded", strides=[2, 2],
                   output_shape=[8, 10], output_padding=[1, 1]),
             _node("ConvTranspose", ["x", "w3", "b3"], "grown", output_shape=[8, 10]),
             _node("Concat", ["same_upper", "shaped", "shaped_padded", "grown"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 8, 8, 10])], weights)


def signal() -> bytes:
    """A 1-D network over [N, C, L] as PyTorch exports Conv1d and friends: Conv k5 stride 2
    pads [2, 1] + BatchNormalization + Relu, depthwise Conv k3 dilation 2 pads [2, 2],
    MaxPool k3 stride 2 ceil_mode, AveragePool k3 stride 2 pads [1, 0] (uneven, padding
    left out), ConvTranspose k4 stride 2 pads [1, 1], GlobalAveragePool, Flatten, Gemm,
    LogSoftmax."""
    rng = np.random.default_rng(31)
    weights = {
        "w1": rng.normal(0, 0.3, (6, 2, 5)), "b1": rng.normal(0, 0.1, 6),
        "gamma": rng.uniform(0.5, 1.5, 6), "beta": rng.normal(0, 0.1, 6),
        "mean": rng.normal(0, 0.1, 6), "var": rng.uniform(0.5, 2, 6),
        "w2": rng.normal(0, 0.3, (6, 1, 3)), "w3": rng.normal(0, 0.3, (6, 4, 4)),
        "w4": rng.normal(0, 0.3, (5, 4)), "b4": rng.normal(0, 0.1, 5),
    }
    nodes = [
        _node("Conv", ["x", "w1", "b1"], "c1", pads=[2, 1], strides=[2]),
        _node("BatchNormalization", ["c1", "gamma", "beta", "mean", "var"], "bn"),
        _node("Relu", ["bn"], "r1"),
        _node("Conv", ["r1", "w2"], "c2", pads=[2, 2], dilations=[2], group=6),
        _node("MaxPool", ["c2"], "p1", kernel_shape=[3], strides=[2], ceil_mode=1),
        _node("AveragePool", ["p1"], "p2", kernel_shape=[3], strides=[2], pads=[1, 0]),
        _node("ConvTranspose", ["p2", "w3"], "up", kernel_shape=[4], strides=[2], pads=[1, 1]),
        _node("GlobalAveragePool", ["up"], "pool"),
        _node("Flatten", ["pool"], "flat"),
        _node("Gemm", ["flat", "w4", "b4"], "logits", transB=1),
        _node("LogSoftmax", ["logits"], "y", axis=-1),
    ]
    return _graph(nodes, [("x", [1, 2, 40])], [("y", [1, 5])], weights)


def qdq_signal() -> bytes:
    """QDQ 1-D layers: QuantizeLinear of the input, Conv k3 pads [1, 1] with int8 weights
    per output channel and an int32 bias, Relu, MaxPool k2 stride 2 of the int8 tensor,
    depthwise Conv k3 stride 2 with per-tensor weights; results requantised."""
    from onnx import TensorProto
    rng = np.random.default_rng(32)
    w1_scale = rng.uniform(0.002, 0.004, 8).astype(np.float32)
    s_in, s1, s2 = np.float32(1 / 255), np.float32(0.02), np.float32(0.015)
    weights = {"w1": _int8_weights(rng, (8, 3, 3)),
               "b1": rng.integers(-2000, 2000, 8).astype(np.int32),
               "w2": _int8_weights(rng, (8, 1, 3))}
    weights.update(_params("in", s_in, -128))
    weights.update(_params("w1q", w1_scale, np.zeros(8)))
    weights.update(_params("b1q", s_in * w1_scale, np.zeros(8), np.int32))
    weights.update(_params("a1", s1, -128))
    weights.update(_params("w2q", np.float32(0.01), 0))
    weights.update(_params("out", s2, 3))
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in"),
             _dequantize_node("w1", "w1d", "w1q", axis=0),
             _dequantize_node("b1", "b1d", "b1q", axis=0),
             _node("Conv", ["xd", "w1d", "b1d"], "c1", pads=[1, 1]),
             _node("Relu", ["c1"], "r1"),
             _quantize_node("r1", "r1q", "a1"), _dequantize_node("r1q", "r1d", "a1"),
             _node("MaxPool", ["r1d"], "p1", kernel_shape=[2], strides=[2]),
             _quantize_node("p1", "p1q", "a1"), _dequantize_node("p1q", "p1d", "a1"),
             _dequantize_node("w2", "w2d", "w2q"),
             _node("Conv", ["p1d", "w2d"], "c2", pads=[1, 1], strides=[2], group=8),
             _quantize_node("c2", "y", "out")]
    return _graph(nodes, [("x", [1, 3, 32])], [("y", [1, 8, 8])], weights,
                  output_type=TensorProto.INT8)


def qdq_signal_chain() -> bytes:
    """A QDQ 1-D chain over 500 steps: Conv 8 -> 64 k3, Relu, depthwise Conv k3, Relu,
    Conv 64 -> 16 (per-tensor int8 weights), each result requantised."""
    from onnx import TensorProto
    rng = np.random.default_rng(40)
    weights = {"w1": _int8_weights(rng, (64, 8, 3)), "w2": _int8_weights(rng, (64, 1, 3)),
               "w3": _int8_weights(rng, (16, 64, 1))}
    for name, scale, zero_point in (("in", 1 / 255, -128), ("a1", 0.02, -128),
                                    ("a2", 0.02, -128), ("out", 0.02, 0), ("w1q", 0.003, 0),
                                    ("w2q", 0.01, 0), ("w3q", 0.003, 0)):
        weights.update(_params(name, np.float32(scale), zero_point))
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in"),
             _dequantize_node("w1", "w1d", "w1q"),
             _node("Conv", ["xd", "w1d"], "c1", pads=[1, 1]), _node("Relu", ["c1"], "r1"),
             _quantize_node("r1", "r1q", "a1"), _dequantize_node("r1q", "r1d", "a1"),
             _dequantize_node("w2", "w2d", "w2q"),
             _node("Conv", ["r1d", "w2d"], "c2", pads=[1, 1], group=64),
             _node("Relu", ["c2"], "r2"),
             _quantize_node("r2", "r2q", "a2"), _dequantize_node("r2q", "r2d", "a2"),
             _dequantize_node("w3", "w3d", "w3q"), _node("Conv", ["r2d", "w3d"], "c3"),
             _quantize_node("c3", "y", "out")]
    return _graph(nodes, [("x", [1, 8, 500])], [("y", [1, 16, 500])], weights,
                  output_type=TensorProto.INT8)


def lstm() -> bytes:
    """An LSTM over 5 steps of 3 features (time-major [seq, batch, input]), 4 units, with
    the bias B and zero initial states given; Y [5, 1, 1, 4] and Relu(Y_h) flattened and
    joined into one output."""
    rng = np.random.default_rng(33)
    weights = {"w": rng.normal(0, 0.5, (1, 16, 3)), "r": rng.normal(0, 0.5, (1, 16, 4)),
               "b": rng.normal(0, 0.2, (1, 32)), "h0": np.zeros((1, 1, 4)),
               "c0": np.zeros((1, 1, 4))}
    from onnx import helper
    nodes = [helper.make_node("LSTM", ["x", "w", "r", "b", "", "h0", "c0"], ["y", "h", ""],
                              name="lstm", hidden_size=4),
             _node("Relu", ["h"], "h_relu"),
             _node("Flatten", ["y"], "y/flat", axis=0),
             _node("Flatten", ["h_relu"], "h_relu/flat", axis=0),
             _node("Concat", ["y/flat", "h_relu/flat"], "out", axis=1)]
    return _graph(nodes, [("x", [5, 1, 3])], [("out", [1, 24])], weights, opset=14)


def gru() -> bytes:
    """A GRU over 6 steps of 3 features (batch first: layout 1), 4 units, with the bias B
    and linear_before_reset 0 (the reset gate scales h before its product, ONNX's default;
    PyTorch exports 1); Y [1, 6, 1, 4] and Y_h [1, 1, 4] flattened and joined into one
    output."""
    rng = np.random.default_rng(36)
    weights = {"w": rng.normal(0, 0.5, (1, 12, 3)), "r": rng.normal(0, 0.5, (1, 12, 4)),
               "b": rng.normal(0, 0.2, (1, 24))}
    from onnx import helper
    nodes = [helper.make_node("GRU", ["x", "w", "r", "b"], ["y", "h"], name="gru",
                              hidden_size=4, layout=1),
             _node("Flatten", ["y"], "y/flat", axis=0),
             _node("Flatten", ["h"], "h/flat", axis=0),
             _node("Concat", ["y/flat", "h/flat"], "out", axis=1)]
    return _graph(nodes, [("x", [1, 6, 3])], [("out", [1, 28])], weights, opset=14)


def recurrent_initial_state() -> bytes:
    """Learned initial states (PyTorch's nn.Parameter h0 passed to nn.LSTM / nn.GRU): a
    bidirectional LSTM over 5 steps of 3 features with non-zero initial_h and initial_c,
    one per direction, and a GRU (linear_before_reset 1, PyTorch's) over the same input
    with a non-zero initial_h; their Y_h flattened and joined."""
    rng = np.random.default_rng(40)
    weights = {"w": rng.normal(0, 0.5, (2, 16, 3)), "r": rng.normal(0, 0.5, (2, 16, 4)),
               "b": rng.normal(0, 0.2, (2, 32)), "h0": rng.normal(0, 0.5, (2, 1, 4)),
               "c0": rng.normal(0, 0.5, (2, 1, 4)), "gw": rng.normal(0, 0.5, (1, 12, 3)),
               "gr": rng.normal(0, 0.5, (1, 12, 4)), "gb": rng.normal(0, 0.2, (1, 24)),
               "gh0": rng.normal(0, 0.5, (1, 1, 4))}
    from onnx import helper
    nodes = [helper.make_node("LSTM", ["x", "w", "r", "b", "", "h0", "c0"], ["", "h", ""],
                              name="lstm", hidden_size=4, direction="bidirectional"),
             helper.make_node("GRU", ["x", "gw", "gr", "gb", "", "gh0"], ["", "gh"],
                              name="gru", hidden_size=4, linear_before_reset=1),
             _node("Flatten", ["h"], "h/flat", axis=0),
             _node("Flatten", ["gh"], "gh/flat", axis=0),
             _node("Concat", ["h/flat", "gh/flat"], "out", axis=1)]
    return _graph(nodes, [("x", [5, 1, 3])], [("out", [1, 12])], weights, opset=14)


def rnn() -> bytes:
    """Two plain RNNs of 4 units over 6 steps of 3 features: a batch-first (layout 1) Tanh
    one whose Y [1, 6, 1, 4] and Y_h are flattened and joined, and a bidirectional Relu
    one (PyTorch's nonlinearity='relu') of which only Y_h is read."""
    rng = np.random.default_rng(38)
    weights = {"w": rng.normal(0, 0.5, (1, 4, 3)), "r": rng.normal(0, 0.5, (1, 4, 4)),
               "b": rng.normal(0, 0.2, (1, 8)), "w2": rng.normal(0, 0.5, (2, 4, 3)),
               "r2": rng.normal(0, 0.5, (2, 4, 4)), "b2": rng.normal(0, 0.2, (2, 8))}
    from onnx import helper
    nodes = [helper.make_node("RNN", ["x", "w", "r", "b"], ["y", "h"], name="rnn",
                              hidden_size=4, layout=1),
             helper.make_node("RNN", ["x", "w2", "r2", "b2"], ["", "h2"], name="rnn_relu",
                              hidden_size=4, layout=1, direction="bidirectional",
                              activations=["Relu", "Relu"]),
             _node("Flatten", ["y"], "y/flat", axis=0),
             _node("Flatten", ["h"], "h/flat", axis=0),
             _node("Flatten", ["h2"], "h2/flat", axis=0),
             _node("Concat", ["y/flat", "h/flat", "h2/flat"], "out", axis=1)]
    return _graph(nodes, [("x", [1, 6, 3])], [("out", [1, 36])], weights, opset=14)


def rnn_mixed_activations() -> bytes:
    """A bidirectional RNN with Tanh forward and Relu backward."""
    rng = np.random.default_rng(39)
    weights = {"w": rng.normal(0, 0.5, (2, 4, 3)), "r": rng.normal(0, 0.5, (2, 4, 4))}
    from onnx import helper
    nodes = [helper.make_node("RNN", ["x", "w", "r"], ["y", "h"], name="rnn", hidden_size=4,
                              direction="bidirectional", activations=["Tanh", "Relu"])]
    return _graph(nodes, [("x", [6, 1, 3])], [("h", [2, 1, 4])], weights, opset=14)


def gru_last_state() -> bytes:
    """A GRU (time-major, PyTorch's linear_before_reset 1) of which only Y_h is read, as
    `_, h = gru(x)` leaves it: Relu(Y_h)."""
    rng = np.random.default_rng(37)
    weights = {"w": rng.normal(0, 0.5, (1, 12, 3)), "r": rng.normal(0, 0.5, (1, 12, 4)),
               "b": rng.normal(0, 0.2, (1, 24))}
    from onnx import helper
    nodes = [helper.make_node("GRU", ["x", "w", "r", "b"], ["y", "h"], name="gru",
                              hidden_size=4, linear_before_reset=1),
             _node("Relu", ["h"], "out")]
    return _graph(nodes, [("x", [6, 1, 3])], [("out", [1, 1, 4])], weights, opset=14)


def gru_returns_state() -> bytes:
    """A GRU whose last hidden state is the model's output itself (an encoder returning
    `h_n`): the loop's carried value is returned, nothing computed after it."""
    rng = np.random.default_rng(39)
    weights = {"w": rng.normal(0, 0.5, (1, 12, 3)), "r": rng.normal(0, 0.5, (1, 12, 4)),
               "b": rng.normal(0, 0.2, (1, 24))}
    from onnx import helper
    nodes = [helper.make_node("GRU", ["x", "w", "r", "b"], ["", "h"], name="gru",
                              hidden_size=4, linear_before_reset=1)]
    return _graph(nodes, [("x", [6, 1, 3])], [("h", [1, 1, 4])], weights, opset=14)


def lstm_last_step() -> bytes:
    """`y, _ = lstm(x); y[:, -1, :]` of a batch-first nn.LSTM as torch.onnx.export writes
    it: Transpose of x to time-major, LSTM, then (Constant nodes after it) Squeeze of the
    direction axis, Transpose back to batch-first, Gather of index -1 along time; Relu."""
    from onnx import helper, numpy_helper
    rng = np.random.default_rng(38)
    weights = {"w": rng.normal(0, 0.5, (1, 16, 3)), "r": rng.normal(0, 0.5, (1, 16, 4)),
               "b": rng.normal(0, 0.2, (1, 32))}
    constant = lambda name, value: helper.make_node(
        "Constant", [], [name], name=name,
        value=numpy_helper.from_array(np.asarray(value, np.int64), name))
    nodes = [_node("Transpose", ["x"], "x_t", perm=[1, 0, 2]),
             helper.make_node("LSTM", ["x_t", "w", "r", "b"], ["y", "h", "c"], name="lstm",
                              hidden_size=4),
             constant("direction_axis", [1]),
             _node("Squeeze", ["y", "direction_axis"], "y_squeezed"),
             _node("Transpose", ["y_squeezed"], "y_batch_first", perm=[1, 0, 2]),
             constant("last", -1),
             _node("Gather", ["y_batch_first", "last"], "y_last", axis=1),
             _node("Relu", ["y_last"], "out")]
    return _graph(nodes, [("x", [1, 7, 3])], [("out", [1, 4])], weights, opset=14)


def lstm_bidirectional() -> bytes:
    """A bidirectional LSTM (time-major, 4 steps, 2 units per direction) and a reverse GRU
    reading its Y as [seq, batch, 2 units]: Y of both, flattened and joined with the
    LSTM's Y_h [2, 1, 2]."""
    from onnx import helper
    rng = np.random.default_rng(34)
    weights = {"w": rng.normal(0, 0.5, (2, 8, 3)), "r": rng.normal(0, 0.5, (2, 8, 2)),
               "b": rng.normal(0, 0.2, (2, 16)), "gw": rng.normal(0, 0.5, (1, 9, 4)),
               "gr": rng.normal(0, 0.5, (1, 9, 3)),
               "shape": np.array([4, 1, 4], np.int64)}
    nodes = [helper.make_node("LSTM", ["x", "w", "r", "b"], ["y", "h"], name="lstm",
                              hidden_size=2, direction="bidirectional"),
             _node("Transpose", ["y"], "y_t", perm=[0, 2, 1, 3]),
             _node("Reshape", ["y_t", "shape"], "y_joined"),
             helper.make_node("GRU", ["y_joined", "gw", "gr"], ["g"], name="gru",
                              hidden_size=3, direction="reverse", linear_before_reset=1),
             _node("Flatten", ["g"], "g/flat", axis=0),
             _node("Flatten", ["h"], "h/flat", axis=0),
             _node("Concat", ["g/flat", "h/flat"], "out", axis=1)]
    return _graph(nodes, [("x", [4, 1, 3])], [("out", [1, 16])], weights, opset=14)


def lstm_clip() -> bytes:
    """An LSTM with clip (of the gates' pre-activations), which the graph's lstm lacks."""
    from onnx import helper
    rng = np.random.default_rng(39)
    weights = {"w": rng.normal(0, 0.5, (1, 8, 3)), "r": rng.normal(0, 0.5, (1, 8, 2))}
    nodes = [helper.make_node("LSTM", ["x", "w", "r"], ["y"], name="lstm", hidden_size=2,
                              clip=1.0)]
    return _graph(nodes, [("x", [4, 1, 3])], [("y", [4, 1, 1, 2])], weights, opset=14)


def lstm_cell_output() -> bytes:
    """An LSTM whose cell state Y_c is a graph output (and Y, not Y_h)."""
    from onnx import helper
    rng = np.random.default_rng(35)
    weights = {"w": rng.normal(0, 0.5, (1, 8, 3)), "r": rng.normal(0, 0.5, (1, 8, 2))}
    nodes = [helper.make_node("LSTM", ["x", "w", "r"], ["y", "", "c"], name="lstm",
                              hidden_size=2)]
    return _graph(nodes, [("x", [4, 1, 3])], [("y", [4, 1, 1, 2]), ("c", [1, 1, 2])], weights,
                  opset=14)


def streaming_lstm() -> bytes:
    """A streaming LSTM as an application runs it frame by frame, its state handed in and
    out: bidirectional over 3 steps, initial_h and initial_c graph inputs (computed at run
    time), Y, Y_h and Y_c graph outputs."""
    from onnx import helper
    rng = np.random.default_rng(41)
    weights = {"w": rng.normal(0, 0.5, (2, 12, 4)), "r": rng.normal(0, 0.5, (2, 12, 3)),
               "b": rng.normal(0, 0.2, (2, 24))}
    nodes = [helper.make_node("LSTM", ["x", "w", "r", "b", "", "h0", "c0"], ["y", "h", "c"],
                              name="lstm", hidden_size=3, direction="bidirectional")]
    return _graph(nodes, [("x", [3, 1, 4]), ("h0", [2, 1, 3]), ("c0", [2, 1, 3])],
                  [("y", [3, 2, 1, 3]), ("h", [2, 1, 3]), ("c", [2, 1, 3])], weights, opset=14)


def streaming_gru() -> bytes:
    """A streaming GRU (batch first, layout 1; PyTorch's linear_before_reset) whose initial
    h is a graph input computed by a Tanh of it, Y_h its only output: the loop starts from
    an activation of the graph."""
    from onnx import helper
    rng = np.random.default_rng(42)
    weights = {"w": rng.normal(0, 0.5, (1, 12, 3)), "r": rng.normal(0, 0.5, (1, 12, 4)),
               "b": rng.normal(0, 0.2, (1, 24))}
    nodes = [_node("Tanh", ["h_in"], "h0"),
             helper.make_node("GRU", ["x", "w", "r", "b", "", "h0"], ["", "h"], name="gru",
                              hidden_size=4, linear_before_reset=1, layout=1)]
    return _graph(nodes, [("x", [1, 5, 3]), ("h_in", [1, 1, 4])], [("h", [1, 1, 4])],
                  weights, opset=14)


def softmax_opset11() -> bytes:
    """Opset 11 Softmax with axis 1 of [1,3,2,4]: over all of C, H and W at once."""
    return _graph([_node("Softmax", ["x"], "y", axis=1)], [("x", [1, 3, 2, 4])],
                  [("y", [1, 3, 2, 4])], {}, opset=11)


def dynamic_batch() -> bytes:
    """A Conv whose input and output batch is symbolic ('batch_size'), as
    torch.onnx.export's dynamic_axes writes it."""
    rng = np.random.default_rng(21)
    return _graph([_node("Conv", ["x", "w"], "y", pads=[1, 1, 1, 1])],
                  [("x", ["batch_size", 2, 4, 4])], [("y", ["batch_size", 3, 4, 4])],
                  {"w": rng.normal(0, 0.5, (3, 2, 3, 3))})


def dynamic_resolution() -> bytes:
    """Symbolic batch, height and width ('N', 'height', 'width'): Conv, GlobalAveragePool,
    Flatten, Gemm; the height and width must come from --input-shape."""
    rng = np.random.default_rng(22)
    nodes = [_node("Conv", ["x", "w"], "c", pads=[1, 1, 1, 1], strides=[2, 2]),
             _node("Relu", ["c"], "r"), _node("GlobalAveragePool", ["r"], "pool"),
             _node("Flatten", ["pool"], "flat"), _node("Gemm", ["flat", "fc"], "y", transB=1)]
    return _graph(nodes, [("x", ["N", 3, "height", "width"])], [("y", ["N", 5])],
                  {"w": rng.normal(0, 0.5, (4, 3, 3, 3)), "fc": rng.normal(0, 0.5, (5, 4))})


def _quantize_node(x: str, output: str, params: str):
    return _node("QuantizeLinear", [x, f"{params}/scale", f"{params}/zero_point"], output)


def _dequantize_node(x: str, output: str, params: str, **attrs):
    return _node("DequantizeLinear", [x, f"{params}/scale", f"{params}/zero_point"], output,
                 **attrs)


def _params(name: str, scale, zero_point, dtype=np.int8) -> dict:
    return {f"{name}/scale": np.asarray(scale, np.float32),
            f"{name}/zero_point": np.asarray(zero_point, dtype)}


def _int8_weights(rng, shape) -> np.ndarray:
    return rng.integers(-127, 128, size=shape).astype(np.int8)


def argmax_segmentation() -> bytes:
    """A segmentation head as PyTorch exports `logits.argmax(1)`: Conv 3x3 (3 -> 5 classes,
    pads 1) over a 1x3x8x8 image, ArgMax over the classes (axis 1, keepdims 0): int64
    indices [1, 8, 8]."""
    from onnx import TensorProto
    rng = np.random.default_rng(41)
    nodes = [_node("Conv", ["x", "w", "b"], "logits", pads=[1, 1, 1, 1]),
             _node("ArgMax", ["logits"], "classes", axis=1, keepdims=0)]
    return _graph(nodes, [("x", [1, 3, 8, 8])], [("classes", [1, 8, 8])],
                  {"w": rng.normal(0, 0.5, (5, 3, 3, 3)), "b": rng.normal(0, 0.1, 5)},
                  opset=13, output_type=TensorProto.INT64)


def embedding() -> bytes:
    """nn.Embedding as PyTorch exports it: Gather (axis 0) of a 20x8 table at int64 token
    ids [1, 6] computed at run time, the rows summed over the tokens (ReduceSum) into a
    Linear (Gemm) of 3 classes."""
    from onnx import TensorProto
    rng = np.random.default_rng(43)
    nodes = [_node("Gather", ["table", "tokens"], "rows", axis=0),
             _node("ReduceSum", ["rows", "axes"], "pooled", keepdims=0),
             _node("Gemm", ["pooled", "w", "b"], "logits", transB=1)]
    return _graph(nodes, [("tokens", [1, 6])], [("logits", [1, 3])],
                  {"table": rng.normal(0, 1, (20, 8)), "axes": np.array([1], np.int64),
                   "w": rng.normal(0, 0.5, (3, 8)), "b": rng.normal(0, 0.1, 3)},
                  input_type=TensorProto.INT64)


def padding_mask() -> bytes:
    """A masked mean as PyTorch exports it with padding id 0: `mask = (ids != 0)` (Equal,
    Not), the rows times the mask as float (Cast), summed over the tokens and divided by
    the count of real tokens, `(ids != 0).sum(1).clamp(1, 2**63 - 1)` in int64 (Cast,
    ReduceSum, Clip: the upper bound clips nothing) then float."""
    from onnx import TensorProto
    rng = np.random.default_rng(44)
    nodes = [_node("Equal", ["tokens", "pad"], "is_pad"),
             _node("Not", ["is_pad"], "real"),
             _node("Unsqueeze", ["real", "last"], "real_column"),
             _node("Cast", ["real_column"], "weights", to=TensorProto.FLOAT),
             _node("Gather", ["table", "tokens"], "rows", axis=0),
             _node("Mul", ["rows", "weights"], "kept"),
             _node("ReduceSum", ["kept", "time"], "total", keepdims=0),
             _node("Cast", ["real"], "real_ids", to=TensorProto.INT64),
             _node("ReduceSum", ["real_ids", "time"], "count", keepdims=1),
             _node("Clip", ["count", "one", "int64_max"], "at_least_one"),
             _node("Cast", ["at_least_one"], "count_float", to=TensorProto.FLOAT),
             _node("Div", ["total", "count_float"], "mean")]
    return _graph(nodes, [("tokens", [1, 6])], [("mean", [1, 8])],
                  {"table": rng.normal(0, 1, (20, 8)), "pad": np.array(0, np.int64),
                   "last": np.array([2], np.int64), "time": np.array([1], np.int64),
                   "one": np.array(1, np.int64),
                   "int64_max": np.array(np.iinfo(np.int64).max, np.int64)},
                  input_type=TensorProto.INT64)


def shifted_ids() -> bytes:
    """Arithmetic on ids before an embedding: ids past the vocabulary replaced by 0
    (Where of GreaterOrEqual), then ids * 2 plus 1 where they were past it (Mul, a Where of
    two integer constants, Add) into a table of 16 rows."""
    from onnx import TensorProto
    rng = np.random.default_rng(45)
    nodes = [_node("GreaterOrEqual", ["tokens", "vocabulary"], "unknown"),
             _node("Where", ["unknown", "zero", "tokens"], "known"),
             _node("Mul", ["known", "two"], "doubled"),
             _node("Where", ["unknown", "one", "zero"], "bump"),
             _node("Add", ["doubled", "bump"], "ids"),
             _node("Gather", ["table", "ids"], "rows", axis=0)]
    return _graph(nodes, [("tokens", [1, 6])], [("rows", [1, 6, 4])],
                  {"table": rng.normal(0, 1, (16, 4)), "vocabulary": np.array(6, np.int64),
                   "zero": np.array(0, np.int64), "two": np.array(2, np.int64),
                   "one": np.array(1, np.int64)},
                  input_type=TensorProto.INT64)


def one_hot() -> bytes:
    """F.one_hot(ids, 5).float() as PyTorch exports it (OneHot of int64 values [0, 1] on a
    new last axis, Cast to float), transposed to channels, scaled: [1, 5, 6]."""
    from onnx import TensorProto
    nodes = [_node("OneHot", ["tokens", "depth", "values"], "hot"),
             _node("Cast", ["hot"], "hot_float", to=TensorProto.FLOAT),
             _node("Transpose", ["hot_float"], "channels", perm=[0, 2, 1]),
             _node("Mul", ["channels", "scale"], "y")]
    return _graph(nodes, [("tokens", [1, 6])], [("y", [1, 5, 6])],
                  {"depth": np.array(5, np.int64), "values": np.array([0, 1], np.int64),
                   "scale": np.array(2.0)},
                  input_type=TensorProto.INT64)


def image_bytes() -> bytes:
    """A camera's bytes normalised in the model, as PyTorch exports `x.float() / 255`: a
    uint8 input [1, 3, 4, 4], Cast to float, Div by 255, a 1x1 Conv to 2 channels; a
    second Cast of the input gives its values as a second output."""
    from onnx import TensorProto
    rng = np.random.default_rng(47)
    nodes = [_node("Cast", ["image"], "pixels", to=TensorProto.FLOAT),
             _node("Div", ["pixels", "full"], "unit"),
             _node("Conv", ["unit", "w", "b"], "y"),
             _node("Cast", ["image"], "raw", to=TensorProto.FLOAT)]
    return _graph(nodes, [("image", [1, 3, 4, 4])], [("y", [1, 2, 4, 4]), ("raw", [1, 3, 4, 4])],
                  {"full": np.array(255.0), "w": rng.normal(0, 1, (2, 3, 1, 1)),
                   "b": rng.normal(0, 0.1, 2)}, input_type=TensorProto.UINT8)


def sign_nan_xor() -> bytes:
    """Sign of x - 0.5 (LPPool's and torch.sign's), IsNaN of log(x - 0.5) (NaN below 0.5)
    replaced by 0 with Where, Xor of the two halves' signs: [1, 2, 3, 4] -> three outputs."""
    from onnx import TensorProto, helper
    nodes = [_node("Sub", ["x", "half"], "centred"),
             _node("Sign", ["centred"], "sign"),
             _node("Log", ["centred"], "log"),
             _node("IsNaN", ["log"], "nan"),
             _node("Where", ["nan", "zero", "log"], "finite"),
             _node("Greater", ["centred", "zero"], "positive"),
             helper_node("Split", ["positive"], ["top", "bottom"], axis=1),
             _node("Xor", ["top", "bottom"], "differ"),
             _node("Cast", ["differ"], "differ_float", to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes, "test", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape) for n, shape in
         (("sign", [1, 2, 3, 4]), ("finite", [1, 2, 3, 4]), ("differ_float", [1, 1, 3, 4]))],
        [helper.make_tensor("half", TensorProto.FLOAT, [], [0.5]),
         helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]) \
        .SerializeToString()


def log_sum_exp() -> bytes:
    """torch.logsumexp over the channels and over H and W without keepdims: x [1, 3, 4, 5]
    times 40 (exp(x) alone would overflow float32 in places); and over rows all masked to
    -inf (x > 2 is never true), which give -inf."""
    nodes = [_node("Mul", ["x", "forty"], "large"),
             _node("ReduceLogSumExp", ["large"], "channels", axes=[1]),
             _node("ReduceLogSumExp", ["large"], "plane", axes=[2, 3], keepdims=0),
             _node("Greater", ["x", "two"], "kept"),
             _node("Where", ["kept", "x", "minus_infinity"], "masked"),
             _node("ReduceLogSumExp", ["masked"], "nothing", axes=[1], keepdims=0)]
    return _graph(nodes, [("x", [1, 3, 4, 5])],
                  [("channels", [1, 1, 4, 5]), ("plane", [1, 3]), ("nothing", [1, 4, 5])],
                  {"forty": np.array(40.0), "two": np.array(2.0),
                   "minus_infinity": np.array(-np.inf)})


def weight_normalized() -> bytes:
    """Weights normalised in the graph, as PyTorch exports weight_norm and spectral_norm
    without constant folding: w = g * v / ||v|| (ReduceL2, Div, Mul of initializers) into
    a Gemm, plus u w (a MatMul of constants) added to its output."""
    from onnx import TensorProto
    rng = np.random.default_rng(48)
    nodes = [_node("ReduceL2", ["v"], "norm", axes=[1], keepdims=1),
             _node("Div", ["v", "norm"], "direction"),
             _node("Mul", ["direction", "g"], "w"),
             _node("MatMul", ["u", "w"], "offset"),
             _node("Gemm", ["x", "w", "b"], "linear", transB=1),
             _node("Add", ["linear", "offset"], "y")]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])],
                  {"v": rng.normal(0, 1, (4, 4)), "g": rng.normal(1, 0.1, (4, 1)),
                   "u": rng.normal(0, 1, (1, 4)), "b": rng.normal(0, 0.1, 4)})


def truncated_division() -> bytes:
    """torch.div((8x - 4), 3, rounding_mode='trunc') as PyTorch exports it for floats: Div,
    Cast to int64 (towards zero), Cast back to float."""
    from onnx import TensorProto
    nodes = [_node("Mul", ["x", "eight"], "scaled"),
             _node("Sub", ["scaled", "four"], "centred"),
             _node("Div", ["centred", "three"], "quotient"),
             _node("Cast", ["quotient"], "whole", to=TensorProto.INT64),
             _node("Cast", ["whole"], "y", to=TensorProto.FLOAT)]
    return _graph(nodes, [("x", [1, 2, 3, 4])], [("y", [1, 2, 3, 4])],
                  {"eight": np.array(8.0), "four": np.array(4.0), "three": np.array(3.0)})


def one_hot_channels() -> bytes:
    """OneHot on axis 1 with float values [-1, 3]: ids [1, 6] -> [1, 4, 6] (the channels of
    an NCL signal)."""
    from onnx import TensorProto
    nodes = [_node("OneHot", ["tokens", "depth", "values"], "y", axis=1)]
    return _graph(nodes, [("tokens", [1, 6])], [("y", [1, 4, 6])],
                  {"depth": np.array(4, np.int64), "values": np.array([-1.0, 3.0])},
                  input_type=TensorProto.INT64)


def ids_plus_float() -> bytes:
    """int64 ids plus a float constant (a mistyped graph): refused, not cast."""
    from onnx import TensorProto
    return _graph([_node("Add", ["tokens", "half"], "y")], [("tokens", [1, 6])],
                  [("y", [1, 6])], {"half": np.array(0.5)}, input_type=TensorProto.INT64)


def one_hot_of_float() -> bytes:
    """OneHot of a float activation: refused, OneHot takes indices."""
    nodes = [_node("Relu", ["x"], "r"),
             _node("OneHot", ["r", "depth", "values"], "y")]
    return _graph(nodes, [("x", [1, 6])], [("y", [1, 6, 5])],
                  {"depth": np.array(5, np.int64), "values": np.array([0.0, 1.0])})


def _scatter_model(indices: np.ndarray, data_shape, updates_shape) -> bytes:
    from onnx import TensorProto, helper
    nodes = [_node("Relu", ["x"], "data"),
             _node("ScatterND", ["data", "indices", "u"], "y")]
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, data_shape),
         helper.make_tensor_value_info("u", TensorProto.FLOAT, updates_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, data_shape)],
        [helper.make_tensor("indices", TensorProto.INT64, indices.shape,
                            indices.reshape(-1).tolist())])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]) \
        .SerializeToString()


def scatter_nd() -> bytes:
    """ScatterND as PyTorch exports `y[:, 1:3] = u`: relu(x) [2, 5, 3], its rows 1 and 2
    of both batches (index tuples (b, r), row-major) replaced by a second input u
    [2, 2, 3]."""
    indices = np.array([[[0, 1], [0, 2]], [[1, 1], [1, 2]]], np.int64)
    return _scatter_model(indices, [2, 5, 3], [2, 2, 3])


def scatter_nd_rows() -> bytes:
    """ScatterND of rows 0 and 2 of relu(x) [5, 3]: not a box, refused."""
    return _scatter_model(np.array([[0], [2]], np.int64), [5, 3], [2, 3])


def causal_mask() -> bytes:
    """Causal attention's masking as PyTorch exports `masked_fill(torch.triu(ones, 1),
    -inf)` and a softmax: Trilu of a constant (folded) as a boolean, Where of that
    constant condition with -inf over the scores x [1, 4, 4]."""
    from onnx import TensorProto
    nodes = [_node("Trilu", ["ones", "one"], "upper", upper=1),
             _node("Cast", ["upper"], "mask", to=TensorProto.BOOL),
             _node("Where", ["mask", "minus_inf", "x"], "masked"),
             _node("Softmax", ["masked"], "y", axis=-1)]
    return _graph(nodes, [("x", [1, 4, 4])], [("y", [1, 4, 4])],
                  {"ones": np.ones((4, 4), np.float32), "one": np.array(1, np.int64),
                   "minus_inf": np.array(-np.inf, np.float32)})


def constant_functions() -> bytes:
    """Constants a `forward` computes (a positional encoding): Sin, Cos and Pow of
    constants and a ScatterND of rows 0, 2, 4 (not a box) into zeros, all folded at
    import, added to x [6, 4]."""
    rng = np.random.default_rng(45)
    nodes = [_node("Sin", ["angles"], "sines"),
             _node("ScatterND", ["zeros", "rows", "sines"], "scattered"),
             _node("Cos", ["angles6"], "cosines"),
             _node("Pow", ["bases", "half"], "roots"),
             _node("Add", ["scattered", "cosines"], "encoding0"),
             _node("Add", ["encoding0", "roots"], "encoding"),
             _node("Add", ["x", "encoding"], "y")]
    return _graph(nodes, [("x", [6, 4])], [("y", [6, 4])],
                  {"angles": rng.uniform(-3, 3, (3, 4)), "angles6": rng.uniform(-3, 3, (6, 4)),
                   "zeros": np.zeros((6, 4)), "rows": np.array([[0], [2], [4]], np.int64),
                   "bases": rng.uniform(0, 4, (6, 4)), "half": np.array(0.5)})


def gather_matrix() -> bytes:
    """Gather along axis 1 of an activation (x [2, 5, 3] + 1) at constant indices
    [[4, 0], [-1, 2]] (a matrix: the result [2, 2, 2, 3])."""
    from onnx import TensorProto
    nodes = [_node("Add", ["x", "one"], "shifted"),
             _node("Gather", ["shifted", "ids"], "taken", axis=1)]
    return _graph(nodes, [("x", [2, 5, 3])], [("taken", [2, 2, 2, 3])],
                  {"one": np.array(1.0, np.float32),
                   "ids": np.array([[4, 0], [-1, 2]], np.int64)},
                  output_type=TensorProto.FLOAT)


def qdq_embedding() -> bytes:
    """A QDQ model's embedding: DequantizeLinear of an int8 table [16, 4] (scale 0.1, zero
    point 2), Gather at int64 token ids [1, 5], QuantizeLinear with the table's parameters
    (ONNX Runtime's quantiser keeps them across a Gather): an int8 output."""
    from onnx import TensorProto
    rng = np.random.default_rng(44)
    weights = {**_params("table/q", 0.1, 2), "table": _int8_weights(rng, (16, 4))}
    nodes = [_dequantize_node("table", "rows/table", "table/q"),
             _node("Gather", ["rows/table", "tokens"], "rows", axis=0),
             _quantize_node("rows", "rows/int8", "table/q")]
    return _graph(nodes, [("tokens", [1, 5])], [("rows/int8", [1, 5, 4])], weights,
                  input_type=TensorProto.INT64, output_type=TensorProto.INT8)


def _loop_body(condition_from_data: bool = False):
    """A Loop body over rows: row = relu(x)[i] (read from the graph by name), total +=
    row (carried), 2 row (a scan output); the condition passed on, or computed from the
    data (whether the total's largest element exceeds itself: false, but only at run
    time)."""
    from onnx import TensorProto, helper
    nodes = [_node("Gather", ["rows", "i"], "row", axis=0),
             _node("Add", ["total", "row"], "total/next"),
             _node("Mul", ["row", "two"], "twice")]
    if condition_from_data:
        nodes += [_node("ReduceMax", ["total/next"], "largest", keepdims=0),
                  _node("Greater", ["largest", "largest"], "keep_going/next")]
    else:
        nodes.append(_node("Identity", ["keep_going"], "keep_going/next"))
    return helper.make_graph(
        nodes, "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("keep_going", TensorProto.BOOL, []),
         helper.make_tensor_value_info("total", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("keep_going/next", TensorProto.BOOL, []),
         helper.make_tensor_value_info("total/next", TensorProto.FLOAT, [4]),
         helper.make_tensor_value_info("twice", TensorProto.FLOAT, [4])],
        [helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])])


def _loop_model(trip_count_input: bool, trips: int,
                condition_from_data: bool = False) -> bytes:
    from onnx import TensorProto, helper
    nodes = [_node("Relu", ["x"], "rows"),
             helper.make_node("Loop", ["count", "", "zeros"], ["total", "doubled"],
                              name="loop", body=_loop_body(condition_from_data))]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])]
    initializers = [helper.make_tensor("zeros", TensorProto.FLOAT, [4], [0.0] * 4)]
    if trip_count_input:
        inputs.append(helper.make_tensor_value_info("count", TensorProto.INT64, []))
    else:
        initializers.append(helper.make_tensor("count", TensorProto.INT64, [], [trips]))
    graph = helper.make_graph(
        nodes, "test", inputs,
        [helper.make_tensor_value_info("total", TensorProto.FLOAT, [4]),
         helper.make_tensor_value_info("doubled", TensorProto.FLOAT, [trips, 4])],
        initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]) \
        .SerializeToString()


def loop_unrolled() -> bytes:
    """A Loop of 3 iterations over the rows of relu(x) [3, 4]: their sum (a carried
    value) and the rows doubled (a scan output), as PyTorch's exports of
    nn.EmbeddingBag loop over bags."""
    return _loop_model(False, 3)


def loop_run_time_count() -> bytes:
    """The same Loop with its trip count a model input: refused."""
    return _loop_model(True, 3)


def loop_run_time_condition() -> bytes:
    """The same Loop with its body's condition computed from the data: refused."""
    return _loop_model(False, 3, condition_from_data=True)


def loop_too_long() -> bytes:
    """The same Loop with a trip count of 1,000: refused (unrolled up to 256)."""
    return _loop_model(False, 1000)


def gather_at_indices() -> bytes:
    """Gather along axis 1 of an activation (x [2, 5, 3] + 1) at int32 indices [2, 2], a
    second input (ONNX counts a negative index from the axis's end): each of x's two rows
    reads the same four positions."""
    from onnx import TensorProto, helper
    nodes = [_node("Add", ["x", "one"], "shifted"),
             _node("Gather", ["shifted", "ids"], "taken", axis=1)]
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5, 3]),
         helper.make_tensor_value_info("ids", TensorProto.INT32, [2, 2])],
        [helper.make_tensor_value_info("taken", TensorProto.FLOAT, [2, 2, 2, 3])],
        [helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]) \
        .SerializeToString()


def qdq_argmax_last() -> bytes:
    """ArgMax with select_last_index 1 of coarsely quantised int8 values (scale 0.25: the
    maximum repeats along a row), the last axis, keepdims 1."""
    from onnx import TensorProto
    nodes = [_quantize_node("x", "xq", "x/q"), _dequantize_node("xq", "xd", "x/q"),
             _node("ArgMax", ["xd"], "last", axis=1, keepdims=1, select_last_index=1)]
    return _graph(nodes, [("x", [6, 12])], [("last", [6, 1])], _params("x/q", 0.25, 0),
                  opset=13, output_type=TensorProto.INT64)


def qdq_argmin() -> bytes:
    """ArgMin of an int8 (QDQ) Gemm's outputs, the last axis, keepdims 1: the int8 values
    compared as stored."""
    from onnx import TensorProto
    rng = np.random.default_rng(42)
    weights = {**_params("x/q", 0.02, 3), **_params("y/q", 0.05, -7),
               **_params("w/q", 0.01, 0), "w": _int8_weights(rng, (6, 10))}
    nodes = [_quantize_node("x", "xq", "x/q"), _dequantize_node("xq", "xd", "x/q"),
             _dequantize_node("w", "wd", "w/q"),
             _node("Gemm", ["xd", "wd"], "y", transB=1),
             _quantize_node("y", "yq", "y/q"), _dequantize_node("yq", "yd", "y/q"),
             _node("ArgMin", ["yd"], "smallest", axis=-1, keepdims=1)]
    return _graph(nodes, [("x", [4, 10])], [("smallest", [4, 1])], weights, opset=13,
                  output_type=TensorProto.INT64)


def einsum_attention() -> bytes:
    """Single-head attention written with torch.einsum over x [1, 6, 8]: projections
    "bij,jk->bik" by parameters [8, 4], scores "bqd,bkd->bqk", Softmax, context
    "bqk,bkd->bqd"; and "nchw,dc->ndhw" (a 1x1 convolution) of the context read as an
    image [1, 6, 1, 4] by a parameter [3, 6]: y [1, 3, 1, 4]."""
    rng = np.random.default_rng(63)
    weights = {f"w{name}": rng.normal(0, 0.4, (8, 4)) for name in "qkv"}
    weights.update(mix=rng.normal(0, 0.4, (3, 6)), image=np.array([1, 6, 1, 4], np.int64))
    nodes = [_node("Einsum", ["x", f"w{name}"], name, equation="bij,jk->bik")
             for name in "qkv"]
    nodes += [_node("Einsum", ["q", "k"], "scores", equation="bqd,bkd->bqk"),
              _node("Softmax", ["scores"], "attention", axis=-1),
              _node("Einsum", ["attention", "v"], "context", equation="bqk,bkd->bqd"),
              _node("Reshape", ["context", "image"], "map"),
              _node("Einsum", ["map", "mix"], "y", equation="nchw,dc->ndhw")]
    return _graph(nodes, [("x", [1, 6, 8])], [("y", [1, 3, 1, 4])], weights)


def einsum_heads() -> bytes:
    """Per-head scores "bhqd,bhkd->bhqk" of x [1, 2, 6, 4] with itself (a Gram matrix per
    head): one batched product over the heads; the 4-D result returned NHWC."""
    return _graph([_node("Einsum", ["x", "x"], "y", equation="bhqd,bhkd->bhqk")],
                  [("x", [1, 2, 6, 4])], [("y", [1, 2, 6, 6])], {})


def einsum_forms() -> bytes:
    """Einsum's other forms over x [3, 4, 5]: a letter only x has summed first and one
    contracted with a parameter [5, 2] ("bij,jk->bk"), a row-wise dot product
    ("bk,bk->b"), an implicit outer product by a parameter [2] ("b,c": output "bc"), an
    ellipsis ("...c->c...") and a matrix times a parameter vector [3] ("ij,j->i"): y [2]."""
    rng = np.random.default_rng(64)
    weights = {"m": rng.normal(0, 0.5, (5, 2)), "w": rng.normal(0, 0.5, 2),
               "u": rng.normal(0, 0.5, 3)}
    nodes = [_node("Einsum", ["x", "m"], "sums", equation="bij,jk->bk"),
             _node("Einsum", ["sums", "sums"], "dots", equation="bk,bk->b"),
             _node("Einsum", ["dots", "w"], "outer", equation="b,c"),
             _node("Einsum", ["outer"], "swapped", equation="...c->c..."),
             _node("Einsum", ["swapped", "u"], "y", equation="ij,j->i")]
    return _graph(nodes, [("x", [3, 4, 5])], [("y", [2])], weights)


def qdq_einsum() -> bytes:
    """Attention scores "bqd,bkd->bqk" of a QDQ int8 x [2, 6, 4] with itself, quantised:
    an int8 batch_matmul (both zero points), one rescale; int8 output."""
    from onnx import TensorProto
    weights = {**_params("in", 0.02, 5), **_params("out", 0.05, -3)}
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in"),
             _node("Einsum", ["xd", "xd"], "scores", equation="bqd,bkd->bqk"),
             _quantize_node("scores", "y", "out")]
    return _graph(nodes, [("x", [2, 6, 4])], [("y", [2, 6, 6])], weights,
                  output_type=TensorProto.INT8)


def einsum_three() -> bytes:
    """Einsum of three operands over x [2, 12] (opset 12): an outer product per row of
    three slices ("bi,bj,bk->bijk", [2, 3, 4, 5]); a chain "ij,jk,kl->il" of x read as
    [4, 6], its transpose [6, 4] and a parameter [4, 2] (the product of the last two,
    [6, 2], is the smallest: a fully connected layer first), flattened: y [120 + 8]."""
    rng = np.random.default_rng(65)
    weights = {"starts": np.array([0, 3, 7]), "ends": np.array([3, 7, 12]),
               "axes": np.array([1]), "matrix": np.array([4, 6]),
               "w": rng.normal(0, 0.5, (4, 2)), "flat": np.array([-1])}
    nodes = [_node("Slice", ["x", "starts_a", "ends_a", "axes"], "a"),
             _node("Slice", ["x", "starts_b", "ends_b", "axes"], "b"),
             _node("Slice", ["x", "starts_c", "ends_c", "axes"], "c"),
             _node("Einsum", ["a", "b", "c"], "outer", equation="bi,bj,bk->bijk"),
             _node("Reshape", ["x", "matrix"], "m"),
             _node("Transpose", ["m"], "mt", perm=[1, 0]),
             _node("Einsum", ["m", "mt", "w"], "chain", equation="ij,jk,kl->il"),
             _node("Reshape", ["outer", "flat"], "outer_flat"),
             _node("Reshape", ["chain", "flat"], "chain_flat"),
             _node("Concat", ["outer_flat", "chain_flat"], "y", axis=0)]
    for index, letter in enumerate("abc"):
        weights[f"starts_{letter}"] = weights["starts"][index:index + 1]
        weights[f"ends_{letter}"] = weights["ends"][index:index + 1]
    del weights["starts"], weights["ends"]
    return _graph(nodes, [("x", [2, 12])], [("y", [128])], weights, opset=12)


def einsum_four() -> bytes:
    """Einsum of four operands, "i,i,i,i->i" of x [3] (refused: one to three)."""
    return _graph([_node("Einsum", ["x", "x", "x", "x"], "y", equation="i,i,i,i->i")],
                  [("x", [3])], [("y", [3])], {}, opset=12)


def einsum_diagonal() -> bytes:
    """Einsum "ii->i" (a diagonal: a letter repeated within one operand)."""
    return _graph([_node("Einsum", ["x"], "y", equation="ii->i")], [("x", [4, 4])],
                  [("y", [4])], {})


def qdq_conv() -> bytes:
    """A QDQ network as ONNX Runtime's quantiser writes it, float input, int8 output:
    QuantizeLinear of the input; Conv 3x3 stride 2 with int8 weights per output channel
    (axis 0) and an int32 bias of scale input x weight; Relu; depthwise Conv with
    per-tensor weights; Clip(0, 6); GlobalAveragePool; Flatten; Gemm (transB) with
    per-tensor weights and bias; every result requantised by a QuantizeLinear."""
    from onnx import TensorProto
    rng = np.random.default_rng(23)
    w1_scale = rng.uniform(0.002, 0.004, 8).astype(np.float32)
    w2_scale, w3_scale = np.float32(0.01), np.float32(0.004)
    s_in, s1, s2, s3 = np.float32(1 / 255), np.float32(0.02), np.float32(0.025), np.float32(0.01)
    weights = {"w1": _int8_weights(rng, (8, 3, 3, 3)),
               "b1": rng.integers(-2000, 2000, 8).astype(np.int32),
               "w2": _int8_weights(rng, (8, 1, 3, 3)),
               "w3": _int8_weights(rng, (5, 8)), "b3": rng.integers(-500, 500, 5).astype(np.int32),
               "zero": np.array(0.0), "six": np.array(6.0)}
    weights.update(_params("in", s_in, -128))
    weights.update(_params("w1q", w1_scale, np.zeros(8)))
    weights.update(_params("b1q", s_in * w1_scale, np.zeros(8), np.int32))
    weights.update(_params("a1", s1, -128))
    weights.update(_params("w2q", w2_scale, 0))
    weights.update(_params("a2", s2, -128))
    weights.update(_params("a3", s3, -128))
    weights.update(_params("w3q", w3_scale, 0))
    weights.update(_params("b3q", s3 * w3_scale, 0, np.int32))
    weights.update(_params("out", np.float32(0.03), 5))
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in"),
             _dequantize_node("w1", "w1d", "w1q", axis=0),
             _dequantize_node("b1", "b1d", "b1q", axis=0),
             _node("Conv", ["xd", "w1d", "b1d"], "c1", pads=[1, 1, 1, 1], strides=[2, 2]),
             _node("Relu", ["c1"], "r1"),
             _quantize_node("r1", "r1q", "a1"), _dequantize_node("r1q", "r1d", "a1"),
             _dequantize_node("w2", "w2d", "w2q"),
             _node("Conv", ["r1d", "w2d"], "c2", pads=[1, 1, 1, 1], group=8),
             _node("Clip", ["c2", "zero", "six"], "r2"),
             _quantize_node("r2", "r2q", "a2"), _dequantize_node("r2q", "r2d", "a2"),
             _node("GlobalAveragePool", ["r2d"], "pool"),
             _quantize_node("pool", "poolq", "a3"), _dequantize_node("poolq", "poold", "a3"),
             _node("Flatten", ["poold"], "flat"),
             _dequantize_node("w3", "w3d", "w3q"), _dequantize_node("b3", "b3d", "b3q"),
             _node("Gemm", ["flat", "w3d", "b3d"], "logits", transB=1),
             _quantize_node("logits", "y", "out")]
    return _graph(nodes, [("x", [1, 3, 8, 8])], [("y", [1, 5])], weights,
                  output_type=TensorProto.INT8)


def qdq_add() -> bytes:
    """QDQ Add: x quantised twice (scales 1/255 and 1/100, different zero points), the two
    added and requantised (scale 0.011); then Add of a per-channel int8 constant and
    MatMul by an int8 matrix over the width, both requantised; int8 output."""
    from onnx import TensorProto
    rng = np.random.default_rng(24)
    weights = {"bias": rng.integers(-100, 100, (3, 1, 1)).astype(np.int8),
               "m": _int8_weights(rng, (5, 4))}
    weights.update(_params("p", 1 / 255, -128))
    weights.update(_params("q", 1 / 100, -20))
    weights.update(_params("s", 0.011, -60))
    weights.update(_params("c", 0.004, 0))
    weights.update(_params("t", 0.013, -10))
    weights.update(_params("mq", 0.01, 0))
    weights.update(_params("out", 0.02, 7))
    nodes = [_quantize_node("x", "xp", "p"), _dequantize_node("xp", "a", "p"),
             _quantize_node("x", "xq", "q"), _dequantize_node("xq", "b", "q"),
             _node("Add", ["a", "b"], "sum"),
             _quantize_node("sum", "sumq", "s"), _dequantize_node("sumq", "sumd", "s"),
             _dequantize_node("bias", "biasd", "c"),
             _node("Add", ["sumd", "biasd"], "shifted"),
             _quantize_node("shifted", "shiftedq", "t"),
             _dequantize_node("shiftedq", "shiftedd", "t"),
             _dequantize_node("m", "md", "mq"),
             _node("MatMul", ["shiftedd", "md"], "product"),
             _quantize_node("product", "y", "out")]
    return _graph(nodes, [("x", [1, 3, 2, 5])], [("y", [1, 3, 2, 4])], weights,
                  output_type=TensorProto.INT8)


def qdq_uint8() -> bytes:
    """uint8 activations (zero points 128 and 30) and int8 weights: QuantizeLinear, Conv,
    QuantizeLinear, MaxPool of the dequantised tensor (its parameters kept), Concat of
    inputs quantised alike, DequantizeLinear to a float output."""
    rng = np.random.default_rng(25)
    weights = {"w": _int8_weights(rng, (4, 2, 3, 3)),
               "b": rng.integers(-300, 300, 4).astype(np.int32)}
    weights.update(_params("in", 1 / 128, 128, np.uint8))
    weights.update(_params("wq", 0.005, 0))
    weights.update(_params("bq", np.float32(1 / 128) * np.float32(0.005), 0, np.int32))
    weights.update(_params("a", 0.02, 30, np.uint8))
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in"),
             _dequantize_node("w", "wd", "wq"), _dequantize_node("b", "bd", "bq"),
             _node("Conv", ["xd", "wd", "bd"], "c", pads=[1, 1, 1, 1]),
             _quantize_node("c", "cq", "a"), _dequantize_node("cq", "cd", "a"),
             _node("MaxPool", ["cd"], "pooled", kernel_shape=[2, 2], strides=[2, 2]),
             _quantize_node("pooled", "pooledq", "a"),
             _dequantize_node("pooledq", "pooledd", "a"),
             _node("Concat", ["pooledd", "pooledd"], "joined", axis=1),
             _quantize_node("joined", "joinedq", "a"),
             _dequantize_node("joinedq", "y", "a")]
    return _graph(nodes, [("x", [1, 2, 6, 6])], [("y", [1, 8, 3, 3])], weights)


def qdq_two_inputs_two_outputs() -> bytes:
    """QDQ with two float inputs and two float outputs: "image" [1, 3, 5, 5] quantised to
    uint8 (zero point 128), Conv 3x3 3 -> 4 with Relu requantised (int8, zero point -128)
    and dequantised to "features"; the dequantised image's ReduceMean over H and W plus
    "gain" [1, 3] (quantised to int8, zero point 5) requantised (zero point -3) and
    dequantised to "stats"."""
    rng = np.random.default_rng(49)
    weights = {"w": _int8_weights(rng, (4, 3, 3, 3)),
               "b": rng.integers(-300, 300, 4).astype(np.int32)}
    weights.update(_params("in", 1 / 128, 128, np.uint8))
    weights.update(_params("gq", 0.02, 5))
    weights.update(_params("wq", 0.005, 0))
    weights.update(_params("bq", np.float32(1 / 128) * np.float32(0.005), 0, np.int32))
    weights.update(_params("f", 0.01, -128))
    weights.update(_params("s", 0.015, -3))
    nodes = [_quantize_node("image", "imageq", "in"), _dequantize_node("imageq", "imaged", "in"),
             _quantize_node("gain", "gainq", "gq"), _dequantize_node("gainq", "gaind", "gq"),
             _dequantize_node("w", "wd", "wq"), _dequantize_node("b", "bd", "bq"),
             _node("Conv", ["imaged", "wd", "bd"], "conv", pads=[1, 1, 1, 1]),
             _node("Relu", ["conv"], "relu"),
             _quantize_node("relu", "featuresq", "f"),
             _dequantize_node("featuresq", "features", "f"),
             _node("ReduceMean", ["imaged"], "mean", axes=[2, 3], keepdims=0),
             _node("Add", ["mean", "gaind"], "sum"),
             _quantize_node("sum", "statsq", "s"), _dequantize_node("statsq", "stats", "s")]
    return _graph(nodes, [("image", [1, 3, 5, 5]), ("gain", [1, 3])],
                  [("features", [1, 4, 5, 5]), ("stats", [1, 3])], weights)


def torch_quantized() -> bytes:
    """A network as `torch.onnx.export` writes a model PyTorch quantised itself (FX graph
    mode, qnnpack): a float input quantised to uint8; every QuantizeLinear result Cast to
    its own type before its DequantizeLinear; each bias an int32 DequantizeLinear whose zero
    point is ConstantOfShape Cast to int32; Conv + Relu and a Conv (stride 2) whose results
    meet in an Add + Relu; GlobalAveragePool; a float output (the last
    DequantizeLinear)."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(26)
    weights = {"w1": _int8_weights(rng, (8, 3, 3, 3)), "w2": _int8_weights(rng, (8, 3, 1, 1)),
               "b1": rng.integers(-2000, 2000, 8).astype(np.int32),
               "b2": rng.integers(-2000, 2000, 8).astype(np.int32),
               "one": np.array([1], np.int64)}
    weights.update(_params("in", 1 / 255, 0, np.uint8))
    weights.update(_params("w1q", 0.004, 0))
    weights.update(_params("w2q", 0.006, 0))
    weights.update({"b1q/scale": np.asarray([np.float32(1 / 255) * np.float32(0.004)],
                                            np.float32),
                    "b2q/scale": np.asarray([np.float32(1 / 255) * np.float32(0.006)],
                                            np.float32)})
    weights.update(_params("c1", 0.01, 0, np.uint8))
    weights.update(_params("c2", 0.02, 131, np.uint8))
    weights.update(_params("sum", 0.015, 0, np.uint8))
    weights.update(_params("pool", 0.008, 0, np.uint8))

    def requantized(x: str, name: str, params: str) -> list:
        return [_quantize_node(x, f"{name}/q", params),
                _node("Cast", [f"{name}/q"], f"{name}/cast", to=TensorProto.UINT8),
                _dequantize_node(f"{name}/cast", f"{name}/dq", params)]

    def bias(name: str) -> list:
        zeros = helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0])
        return [_node("ConstantOfShape", ["one"], f"{name}/zeros", value=zeros),
                _node("Cast", [f"{name}/zeros"], f"{name}/zero_point", to=TensorProto.INT32),
                _node("DequantizeLinear", [name, f"{name}q/scale", f"{name}/zero_point"],
                      f"{name}/dq")]

    nodes = [*requantized("x", "x", "in"),
             _dequantize_node("w1", "w1/dq", "w1q"), _dequantize_node("w2", "w2/dq", "w2q"),
             *bias("b1"), *bias("b2"),
             _node("Conv", ["x/dq", "w1/dq", "b1/dq"], "conv1", pads=[1, 1, 1, 1],
                   strides=[2, 2]),
             _node("Relu", ["conv1"], "relu1"), *requantized("relu1", "a", "c1"),
             _node("Conv", ["x/dq", "w2/dq", "b2/dq"], "conv2", strides=[2, 2]),
             *requantized("conv2", "b", "c2"),
             _node("Add", ["a/dq", "b/dq"], "sum"), _node("Relu", ["sum"], "relu"),
             *requantized("relu", "s", "sum"),
             _node("GlobalAveragePool", ["s/dq"], "pooled"),
             _quantize_node("pooled", "p/q", "pool"),
             _node("Cast", ["p/q"], "p/cast", to=TensorProto.UINT8),
             _dequantize_node("p/cast", "y", "pool")]
    return _graph(nodes, [("x", [1, 3, 8, 8])], [("y", [1, 8, 1, 1])], weights)


def cast_uint8_to_int8() -> bytes:
    """A uint8 QuantizeLinear result Cast to int8 (a change of type, not PyTorch's Cast to
    the same type): refused."""
    from onnx import TensorProto
    weights = _params("in", 1 / 255, 0, np.uint8)
    weights.update(_params("s", 1 / 255, 0))
    nodes = [_quantize_node("x", "xq", "in"),
             _node("Cast", ["xq"], "signed", to=TensorProto.INT8),
             _dequantize_node("signed", "y", "s")]
    return _graph(nodes, [("x", [1, 3, 4, 4])], [("y", [1, 3, 4, 4])], weights)


def reduce_axes_opset17() -> bytes:
    """ReduceMax with an axes input in a model of opset 17, where its axes are an
    attribute (the input came with opset 18): refused."""
    weights = {"axes": np.array([2, 3], np.int64)}
    nodes = [_node("ReduceMax", ["x", "axes"], "y", keepdims=0)]
    return _graph(nodes, [("x", [1, 2, 3, 3])], [("y", [1, 2])], weights, opset=17)


def group_norm_scale_per_channel() -> bytes:
    """GroupNormalization of 2 groups at opset 18 with scale and bias per channel (opset
    21's form): refused."""
    weights = {"s": np.ones(4), "b": np.zeros(4)}
    nodes = [_node("GroupNormalization", ["x", "s", "b"], "y", num_groups=2)]
    return _graph(nodes, [("x", [1, 4, 3, 3])], [("y", [1, 4, 3, 3])], weights, opset=18)


def gelu_unknown_approximation() -> bytes:
    """Gelu with approximate "sigmoid" (ONNX knows none and tanh): refused."""
    nodes = [_node("Gelu", ["x"], "y", approximate="sigmoid")]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])], {}, opset=20)


def conv_transpose_empty() -> bytes:
    """ConvTranspose 1x1 of a 2x2 map with pads [1, 0, 1, 0]: nothing is left of the 2x2
    full result's rows: refused."""
    weights = {"w": np.ones((2, 2, 1, 1))}
    nodes = [_node("ConvTranspose", ["x", "w"], "y", pads=[1, 0, 1, 0])]
    return _graph(nodes, [("x", [1, 2, 2, 2])], [("y", [1, 2, 0, 2])], weights)


def conv_transpose_dilated_cropped() -> bytes:
    """Grouped ConvTranspose 2x2 stride 2 dilations 2 with pads [3, 0, 0, 0]: three rows
    cropped where the dilated kernel reaches two (its zero-inserted form would need a
    negative pad): refused."""
    weights = {"w": np.ones((2, 1, 2, 2))}
    nodes = [_node("ConvTranspose", ["x", "w"], "y", group=2, strides=[2, 2],
                   dilations=[2, 2], pads=[3, 0, 0, 0])]
    return _graph(nodes, [("x", [1, 2, 3, 3])], [("y", [1, 2, 4, 7])], weights)


def qdq_unary(extra_functions=(), opset: int = 13) -> bytes:
    """QDQ LeakyRelu, Sigmoid, Tanh, HardSigmoid and HardSwish (and `extra_functions`,
    (op type, attributes) pairs) of a dequantised input (scale 0.05, zero point -10: reals
    from -5.9 to 6.9), each requantised: 256-entry tables; joined along the channels
    (equal parameters), int8 output."""
    from onnx import TensorProto
    weights = {"three": np.array(3.0)}
    weights.update(_params("x", 1 / 255, -128))
    weights.update(_params("c", 0.05, -10))
    weights.update(_params("out", 0.04, -30))
    nodes = [_quantize_node("x", "xq", "x"), _dequantize_node("xq", "xd", "x"),
             _node("Mul", ["xd", "three"], "scaled"),
             _quantize_node("scaled", "cq", "c"), _dequantize_node("cq", "c", "c")]
    names = []
    for op_type, attrs in (("LeakyRelu", {"alpha": 0.2}), ("Sigmoid", {}), ("Tanh", {}),
                           ("HardSigmoid", {"alpha": 0.25}), ("HardSwish", {})) + \
            extra_functions:
        name = op_type.lower() + "".join(f"_{v}" for v in attrs.values() if isinstance(v, str))
        nodes += [_node(op_type, ["c"], name, **attrs),
                  _quantize_node(name, f"{name}/q", "out"),
                  _dequantize_node(f"{name}/q", f"{name}/dq", "out")]
        names.append(f"{name}/dq")
    nodes += [_node("Concat", names, "joined", axis=1), _quantize_node("joined", "y", "out")]
    channels = 2 * (5 + len(extra_functions))
    return _graph(nodes, [("x", [1, 2, 4, 4])], [("y", [1, channels, 4, 4])], weights,
                  output_type=TensorProto.INT8, opset=opset)


def qdq_newer_unary() -> bytes:
    """`qdq_unary` with the activations opsets 18 and 20 made operators: Gelu (exact and
    tanh), Mish."""
    return qdq_unary((("Gelu", {}), ("Gelu", {"approximate": "tanh"}), ("Mish", {})),
                     opset=20)


def newer_opsets() -> bytes:
    """Opset 20 (as PyTorch's dynamo exporter and newer onnx versions write, beyond Debian
    12's onnx 1.12, which knows opset 17): Conv 3x3 4 -> 6, Pad with an axes input (18),
    GroupNormalization of 3 groups with scale and bias per group (18), Split by
    num_outputs (18) into 3 and 3 channels; Gelu (20), its tanh form and Mish (18) of the
    first half, their Mean, ReduceMean with an axes input (18) over H and W; ReduceMax
    (axes input) of the second half."""
    from onnx import helper
    rng = np.random.default_rng(51)
    weights = {"w": rng.normal(0, 0.5, (6, 4, 3, 3)), "b": rng.normal(0, 0.1, 6),
               "pads": np.array([1, 2, 1, 0], np.int64), "pad_axes": np.array([2, 3], np.int64),
               "gscale": rng.uniform(0.5, 1.5, 3), "gbias": rng.normal(0, 0.2, 3),
               "hw": np.array([2, 3], np.int64)}
    nodes = [_node("Conv", ["x", "w", "b"], "conv"),
             _node("Pad", ["conv", "pads", "", "pad_axes"], "padded"),
             _node("GroupNormalization", ["padded", "gscale", "gbias"], "normalized",
                   num_groups=3, epsilon=1e-3),
             helper.make_node("Split", ["normalized"], ["wide", "narrow"], axis=1,
                              num_outputs=2),
             _node("Gelu", ["wide"], "gelu"),
             _node("Gelu", ["wide"], "gelu_tanh", approximate="tanh"),
             _node("Mish", ["wide"], "mish"),
             _node("Mean", ["gelu", "gelu_tanh", "mish"], "blend"),
             _node("ReduceMean", ["blend", "hw"], "pooled", keepdims=0),
             _node("ReduceMax", ["narrow", "hw"], "peak", keepdims=0)]
    return _graph(nodes, [("x", [1, 4, 7, 6])], [("pooled", [1, 3]), ("peak", [1, 3])],
                  weights, opset=20)


def qdq_shrinking_functions() -> bytes:
    """`qdq_unary` with Softsign, ThresholdedRelu (alpha 0.7) and Shrink (softshrink:
    lambd and bias 0.5)."""
    return qdq_unary((("Softsign", {}), ("ThresholdedRelu", {"alpha": 0.7}),
                      ("Shrink", {"lambd": 0.5, "bias": 0.5})))


def qdq_unary_functions() -> bytes:
    """`qdq_unary` with the functions PyTorch layers export too: Erf (GELU), Elu (alpha
    0.5), Celu (alpha 2), Selu, Softplus (Mish), Exp (saturating), Abs, Neg, Sin, Cos."""
    return qdq_unary((("Erf", {}), ("Elu", {"alpha": 0.5}), ("Celu", {"alpha": 2.0}),
                      ("Selu", {}), ("Softplus", {}), ("Exp", {}), ("Abs", {}), ("Neg", {}),
                      ("Sin", {}), ("Cos", {})))


def qdq_mul() -> bytes:
    """A squeeze-and-excitation gate in QDQ form: x times HardSigmoid of its per-channel
    mean (GlobalAveragePool, a 1x1 Conv), the Mul in int8; and x times an int8 constant
    per channel; int8 output."""
    from onnx import TensorProto
    rng = np.random.default_rng(28)
    weights = {"w": _int8_weights(rng, (3, 3, 1, 1)),
               "scale_c": rng.integers(-127, 128, (3, 1, 1)).astype(np.int8)}
    weights.update(_params("x", 1 / 255, -128))
    weights.update(_params("m", 1 / 300, -128))
    weights.update(_params("wq", 0.01, 0))
    weights.update(_params("g", 0.02, -60))
    weights.update(_params("gate", 1 / 255, -128))
    weights.update(_params("p", 0.004, -128))
    weights.update(_params("cq", 0.02, 0))
    weights.update(_params("out", 0.006, -3))
    nodes = [_quantize_node("x", "xq", "x"), _dequantize_node("xq", "xd", "x"),
             _node("GlobalAveragePool", ["xd"], "mean"),
             _quantize_node("mean", "meanq", "m"), _dequantize_node("meanq", "meand", "m"),
             _dequantize_node("w", "wd", "wq"),
             _node("Conv", ["meand", "wd"], "logit"),
             _quantize_node("logit", "logitq", "g"), _dequantize_node("logitq", "logitd", "g"),
             _node("HardSigmoid", ["logitd"], "gate_f", alpha=1 / 6),
             _quantize_node("gate_f", "gateq", "gate"),
             _dequantize_node("gateq", "gated", "gate"),
             _node("Mul", ["xd", "gated"], "gated_x"),
             _quantize_node("gated_x", "pq", "p"), _dequantize_node("pq", "pd", "p"),
             _dequantize_node("scale_c", "cd", "cq"),
             _node("Mul", ["pd", "cd"], "scaled"),
             _quantize_node("scaled", "y", "out")]
    return _graph(nodes, [("x", [1, 3, 4, 5])], [("y", [1, 3, 4, 5])], weights,
                  output_type=TensorProto.INT8)


def qlinear_conv() -> bytes:
    """QLinearConv as ONNX Runtime's QOperator format writes it: a uint8 input (zero point
    128), uint8 weights with zero point 128, an int32 bias, a uint8 output (zero point 100),
    then a second QLinearConv 1x1 with int8 weights per output channel."""
    from onnx import TensorProto
    rng = np.random.default_rng(26)
    w1 = (_int8_weights(rng, (4, 3, 3, 3)).astype(np.int16) + 128).astype(np.uint8)
    weights = {"w1": w1, "b1": rng.integers(-1000, 1000, 4).astype(np.int32),
               "w2": _int8_weights(rng, (2, 4, 1, 1))}
    weights.update(_params("x", 0.02, 128, np.uint8))
    weights.update(_params("w1q", 0.003, 128, np.uint8))
    weights.update(_params("a", 0.05, 100, np.uint8))
    weights.update(_params("w2q", [0.004, 0.007], [0, 0]))
    weights.update(_params("y", 0.04, 120, np.uint8))
    nodes = [_node("QLinearConv", ["x", "x/scale", "x/zero_point", "w1", "w1q/scale",
                                   "w1q/zero_point", "a/scale", "a/zero_point", "b1"], "c1",
                   pads=[1, 1, 1, 1]),
             _node("QLinearConv", ["c1", "a/scale", "a/zero_point", "w2", "w2q/scale",
                                   "w2q/zero_point", "y/scale", "y/zero_point"], "y")]
    return _graph(nodes, [("x", [1, 3, 5, 5])], [("y", [1, 2, 5, 5])], weights,
                  input_type=TensorProto.UINT8, output_type=TensorProto.UINT8)


def qlinear_matmul_add() -> bytes:
    """An int8 input [1, 6]: QLinearMatMul by an int8 matrix, then com.microsoft's
    QLinearAdd of a constant; int8 output."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(27)
    weights = {"m": _int8_weights(rng, (6, 4)),
               "c": rng.integers(-128, 128, (1, 4)).astype(np.int8)}
    weights.update(_params("x", 0.05, -3))
    weights.update(_params("mq", 0.02, 0))
    weights.update(_params("p", 0.3, 4))
    weights.update(_params("cq", 0.1, -5))
    weights.update(_params("y", 0.35, -2))
    nodes = [_node("QLinearMatMul", ["x", "x/scale", "x/zero_point", "m", "mq/scale",
                                     "mq/zero_point", "p/scale", "p/zero_point"], "p"),
             helper.make_node("QLinearAdd", ["p", "p/scale", "p/zero_point", "c", "cq/scale",
                                             "cq/zero_point", "y/scale", "y/zero_point"], ["y"],
                              name="y", domain="com.microsoft")]
    return _graph(nodes, [("x", [1, 6])], [("y", [1, 4])], weights,
                  input_type=TensorProto.INT8, output_type=TensorProto.INT8,
                  domains=["com.microsoft"])


def pad_reflect() -> bytes:
    """A Pad in reflect mode by 3 on axes of size 3 (a reflection repeats no edge element:
    at most 2)."""
    weights = {"pads": np.array([0, 0, 3, 3, 0, 0, 3, 3], np.int64)}
    return _one_node("Pad", [1, 2, 3, 3], [1, 2, 9, 9], weights, ("x", "pads"),
                     mode="reflect")


def resize_antialias() -> bytes:
    """A linear Resize down by 2 with antialias (opset 18)."""
    weights = {"roi": np.zeros(0, np.float32), "scales": np.array([1.0, 1.0, 0.5, 0.5])}
    return _graph([_node("Resize", ["x", "roi", "scales"], "y", mode="linear", antialias=1)],
                  [("x", [1, 2, 4, 4])], [("y", [1, 2, 2, 2])], weights, opset=18)


def _one_node(op_type: str, input_shape, output_shape, initializers=None, inputs=("x",),
              **attrs) -> bytes:
    return _graph([_node(op_type, list(inputs), "y", **attrs)], [("x", input_shape)],
                  [("y", output_shape)], initializers or {})


def pool_dilations() -> bytes:
    """A MaxPool with dilations (2, 2), no pads, stride 1."""
    return _one_node("MaxPool", [1, 2, 6, 6], [1, 2, 4, 4], kernel_shape=[2, 2],
                     dilations=[2, 2])


def max_pool_dilated() -> bytes:
    """MaxPools with dilations of x - 1/2 [1, 3, 11, 10] (negative values, so -inf
    padding matters): kernel 3 x 2, dilations (2, 3), strides 2, pads (1, 2, 2, 1),
    ceil_mode ([1, 3, 6, 6]); and kernel 3 x 3, dilations 2, SAME_UPPER ([1, 3, 11, 10])."""
    nodes = [_node("Sub", ["x", "half"], "centred"),
             _node("MaxPool", ["centred"], "y", kernel_shape=[3, 2], dilations=[2, 3],
                   strides=[2, 2], pads=[1, 2, 2, 1], ceil_mode=1),
             _node("MaxPool", ["centred"], "same", kernel_shape=[3, 3], dilations=[2, 2],
                   auto_pad="SAME_UPPER")]
    return _graph(nodes, [("x", [1, 3, 11, 10])], [("y", [1, 3, 6, 6]),
                                                   ("same", [1, 3, 11, 10])],
                  {"half": np.array(0.5)})


def max_pool_dilated_1d() -> bytes:
    """A 1-D MaxPool of x - 1/2 [1, 4, 20]: kernel 3, dilation 3, stride 2, pads (2, 1)."""
    nodes = [_node("Sub", ["x", "half"], "centred"),
             _node("MaxPool", ["centred"], "y", kernel_shape=[3], dilations=[3], strides=[2],
                   pads=[2, 1])]
    return _graph(nodes, [("x", [1, 4, 20])], [("y", [1, 4, 9])], {"half": np.array(0.5)})


def avg_pool_dilations() -> bytes:
    """An AveragePool with dilations (2, 2) (an attribute since opset 19)."""
    return _graph([_node("AveragePool", ["x"], "y", kernel_shape=[2, 2], dilations=[2, 2])],
                  [("x", [1, 2, 6, 6])], [("y", [1, 2, 4, 4])], {}, opset=19)


def softmax_axis() -> bytes:
    """A Softmax over the height of a 4-D tensor (brought last by a transpose)."""
    return _one_node("Softmax", [1, 3, 2, 2], [1, 3, 2, 2], axis=2)


def gemm_trans_a() -> bytes:
    """A Gemm with transA 1 (A [4, 1] read as [1, 4])."""
    return _one_node("Gemm", [4, 1], [1, 3], {"w": np.ones((4, 3))}, ("x", "w"), transA=1)


def computed_weights() -> bytes:
    """A Conv whose weights are computed (Relu of a constant), not constant."""
    rng = np.random.default_rng(18)
    nodes = [_node("Relu", ["w"], "relu_w"), _node("Conv", ["x", "relu_w"], "y")]
    return _graph(nodes, [("x", [1, 2, 4, 4])], [("y", [1, 3, 4, 4])],
                  {"w": rng.normal(0, 1, (3, 2, 1, 1))})


def conv3d() -> bytes:
    """A 3-D Conv (5-D input)."""
    return _one_node("Conv", [1, 2, 4, 4, 4], [1, 3, 2, 2, 2], {"w": np.ones((3, 2, 3, 3, 3))},
                     ("x", "w"))


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


def _function(op_type: str) -> bytes:
    """One element-wise function of x [4, 16]; `FUNCTION_INPUTS` holds inputs through
    its hard ranges."""
    return _graph([_node(op_type, ["x"], "y")], [("x", [4, 16])], [("y", [4, 16])], {})


def _inputs(spread, special) -> np.ndarray:
    values = np.concatenate([np.linspace(*spread, 64 - len(special)), special])
    return values.astype(np.float32).reshape(4, 16)


_ASIN_SPECIAL = [0.9999999, -0.9999999, 0.99999, -0.99999, 0.999, 1e-30, -1e-7, 1e-3, 0.5,
                 -0.5, 0.70710677, 0.1, -0.1, 0.99, -0.99, 0.25]
_SINH_SPECIAL = [0, 1e-30, -1e-7, 1e-3, 0.4999, 0.5, 0.5001, -0.5, 1, -1, 20, -20, 50, 88,
                 88.9, 89.4, -89.4, 0.1, -0.1, 0.25, 2, 3, 4, 5]

# Inputs of `_function` models (written by `function_input`), through each function's
# hard ranges: near 0 (cancellation, tiny values), its reduction boundaries, its poles
# and the ends of its domain, huge values.
FUNCTION_INPUTS = {
    "tan": lambda: _inputs((-1.5, 1.5), [0, 1e-30, -1e-7, 0.7853982, -0.7853982, 1.5707963,
                                         -1.5707963, 1.57, 3.1415927, 4.712389, 10, -10, 100,
                                         -100, 1000, 0.5, 2, -2, 3, -3, 6, 7, 8, 9]),
    # tan(pi/8) and tan(3 pi/8) bound atan's reductions.
    "atan": lambda: _inputs((-3, 3), [0, 1e-30, -1e-7, 0.41421354, 0.41421357, 2.4142134,
                                      2.4142137, 1, -1, 1e4, -1e4, 1e30, -3e38, 0.5, -0.5, 100,
                                      7, -7, 1e-3, -1e-3, 1e7, 20, -20, 1.5]),
    "asin": lambda: _inputs((-1, 1), _ASIN_SPECIAL),
    "acos": lambda: _inputs((-1, 1), _ASIN_SPECIAL),
    "sinh": lambda: _inputs((-10, 10), _SINH_SPECIAL),
    "cosh": lambda: _inputs((-10, 10), _SINH_SPECIAL),
    "asinh": lambda: _inputs((-5, 5), [0, 1e-30, -1e-7, 1e-3, -1e-3, 0.5, 1, 4095, 4096, 4097,
                                       -4097, 1e5, 1e10, 1e30, -3e38, 0.1, -0.1, 10, 100,
                                       1000, 0.01, 2, 3, 1e-20]),
    "acosh": lambda: _inputs((1, 5), [1, 1.0000001, 1.000001, 1.001, 1.01, 1.1, 2, 3, 10, 100,
                                      1000, 4095, 4096, 4097, 1e5, 1e10, 1e30, 3e38, 1.5, 1.25,
                                      20, 50, 7, 8]),
    "atanh": lambda: _inputs((-0.99, 0.99), [0, 1e-30, -1e-7, 1e-3, -1e-3, 0.5, -0.5, 0.9,
                                             0.99, 0.999, 0.9999, 0.99999, 0.9999999,
                                             -0.9999999, 0.1, -0.1, 0.25, 0.75, -0.75, 0.3,
                                             0.6, 0.8, 0.95, -0.95]),
}


def function_input(name: str, path: str) -> None:
    """Writes FUNCTION_INPUTS[name] (float32 bytes) to `path`."""
    FUNCTION_INPUTS[name]().tofile(path)


def lp_normalization_l2() -> bytes:
    """LpNormalization p 2 along the channels (axis 1) of x [1, 4, 3, 5] times a mask that
    zeroes row 1: a zero vector there, whose result is 0 (no epsilon)."""
    mask = np.ones((1, 1, 3, 1))
    mask[0, 0, 1, 0] = 0
    nodes = [_node("Mul", ["x", "mask"], "masked"),
             _node("LpNormalization", ["masked"], "y", axis=1, p=2)]
    return _graph(nodes, [("x", [1, 4, 3, 5])], [("y", [1, 4, 3, 5])], {"mask": mask})


def lp_normalization_l1() -> bytes:
    """LpNormalization p 1 along the last axis (the default) of x - 0.5 [2, 3, 8]: the
    sum of magnitudes of mixed signs."""
    nodes = [_node("Sub", ["x", "half"], "centred"),
             _node("LpNormalization", ["centred"], "y", p=1)]
    return _graph(nodes, [("x", [2, 3, 8])], [("y", [2, 3, 8])], {"half": np.array(0.5)})


def lp_normalization_p3() -> bytes:
    """LpNormalization p 3 (only 1 and 2 are)."""
    return _one_node("LpNormalization", [2, 4], [2, 4], p=3)


def hardmax() -> bytes:
    """Hardmax along the channels (axis 1) of floor(3 x) [1, 5, 3, 4]: values 0 to 2, with
    ties, where the first maximum wins."""
    nodes = [_node("Mul", ["x", "three"], "scaled"),
             _node("Floor", ["scaled"], "steps"),
             _node("Hardmax", ["steps"], "y", axis=1)]
    return _graph(nodes, [("x", [1, 5, 3, 4])], [("y", [1, 5, 3, 4])],
                  {"three": np.array(3.0)})


def hardmax_flattened() -> bytes:
    """Hardmax before opset 13 (opset 11) with axis 1 of floor(3 x) [2, 3, 2, 4]: one
    maximum over each sample's 24 values, the input viewed as [2, 24]."""
    nodes = [_node("Mul", ["x", "three"], "scaled"),
             _node("Floor", ["scaled"], "steps"),
             _node("Hardmax", ["steps"], "y", axis=1)]
    return _graph(nodes, [("x", [2, 3, 2, 4])], [("y", [2, 3, 2, 4])],
                  {"three": np.array(3.0)}, opset=11)


def reduce_prod() -> bytes:
    """ReduceProd at opset 18 (axes an input) of x + 0.5 [1, 5, 3, 4], factors from 0.5 to
    1.5: over H and W without keepdims ([1, 5]: two axes, 3 and 4 values), over the
    channels kept (NHWC: the last stored axis, 5 values), over all axes (none given), and
    none with noop_with_empty_axes (x + 0.5 itself)."""
    nodes = [_node("Add", ["x", "half"], "factors"),
             _node("ReduceProd", ["factors", "spatial_axes"], "spatial", keepdims=0),
             _node("ReduceProd", ["factors", "channel_axis"], "channels"),
             _node("ReduceProd", ["factors"], "all"),
             _node("ReduceProd", ["factors"], "same", noop_with_empty_axes=1)]
    nodes += _flat_concat(["spatial", "channels", "all", "same"], "y")
    return _graph(nodes, [("x", [1, 5, 3, 4])], [("y", [1, 5 + 12 + 1 + 60])],
                  {"half": np.array(0.5), "spatial_axes": np.array([2, 3], np.int64),
                   "channel_axis": np.array([1], np.int64)}, opset=18)


def reduce_prod_attribute() -> bytes:
    """ReduceProd before opset 18 (13: axes an attribute) of x + 0.5 [2, 3, 7] over the
    first and last axes (0 and -1: 2 and 7 values) without keepdims."""
    nodes = [_node("Add", ["x", "half"], "factors"),
             _node("ReduceProd", ["factors"], "y", axes=[0, -1], keepdims=0)]
    return _graph(nodes, [("x", [2, 3, 7])], [("y", [3])], {"half": np.array(0.5)})


def reduce_prod_int() -> bytes:
    """ReduceProd of int64 ids [2, 4] (only float is)."""
    from onnx import TensorProto
    return _graph([_node("ReduceProd", ["ids"], "y", axes=[1])], [("ids", [2, 4])],
                  [("y", [2, 1])], {}, input_type=TensorProto.INT64,
                  output_type=TensorProto.INT64)


def streaming_cache() -> bytes:
    """A streaming keyword model as PyTorch exports one with its cache in the interface:
    each run gets one frame [1, 8, 1] and the cache of the two frames before it [1, 8, 2];
    the window of three (Concat along time) feeds a Conv1d of 16 filters, Relu and a Gemm
    of 4 scores; the window's two newest frames (Slice) are the next cache, an output.
    `pexc --state=cache=next_cache` keeps it between runs."""
    rng = np.random.default_rng(31)
    nodes = [_node("Concat", ["cache", "frame"], "window", axis=2),
             _node("Conv", ["window", "w", "b"], "conv"),
             _node("Relu", ["conv"], "relu"),
             _node("Flatten", ["relu"], "flat"),
             _node("Gemm", ["flat", "fc_w", "fc_b"], "scores", transB=1),
             _node("Slice", ["window", "one", "three", "two"], "next_cache")]
    return _graph(nodes, [("frame", [1, 8, 1]), ("cache", [1, 8, 2])],
                  [("scores", [1, 4]), ("next_cache", [1, 8, 2])],
                  {"w": rng.normal(0, 0.3, (16, 8, 3)), "b": rng.normal(0, 0.1, 16),
                   "fc_w": rng.normal(0, 0.3, (4, 16)), "fc_b": rng.normal(0, 0.1, 4),
                   "one": np.array([1], np.int64), "three": np.array([3], np.int64),
                   "two": np.array([2], np.int64)})


def gru_step_state() -> bytes:
    """One step of a GRU with its h in the interface, as PyTorch exports
    `y, h_next = gru(x, h); return fc(y[:, -1]), h_next` for a streaming model: h [1, 1, 16]
    is an input and h_next an output the application copies back, unless
    `pexc --state=h=h_next` keeps it between runs (the update is computed on [1, 16] and
    reshaped to the state's [1, 1, 16])."""
    rng = np.random.default_rng(53)
    nodes = [helper_node("GRU", ["x", "w", "r", "b", "", "h"], ["y", "h_next"],
                         hidden_size=16, linear_before_reset=1),
             _node("Reshape", ["y", "flat_shape"], "last"),
             _node("Gemm", ["last", "fc_w", "fc_b"], "scores", transB=1)]
    return _graph(nodes, [("x", [1, 1, 10]), ("h", [1, 1, 16])],
                  [("scores", [1, 3]), ("h_next", [1, 1, 16])],
                  {"w": rng.normal(0, 0.4, (1, 48, 10)), "r": rng.normal(0, 0.4, (1, 48, 16)),
                   "b": rng.normal(0, 0.2, (1, 96)), "fc_w": rng.normal(0, 0.4, (3, 16)),
                   "fc_b": rng.normal(0, 0.1, 3), "flat_shape": np.array([1, 16], np.int64)})


def streaming_cache_channels_last() -> bytes:
    """A cache [1, 8, 3] a depthwise Conv1d (kernel 3) reads directly, so that as an input
    it is stored channels last (NLC), while the next cache, its two newest frames and the
    new one, is an output in ONNX's order: `--state` must store one in the other's
    layout."""
    rng = np.random.default_rng(32)
    nodes = [_node("Conv", ["cache", "w", "b"], "conv", group=8),
             _node("Relu", ["conv"], "scores"),
             _node("Slice", ["cache", "one", "three", "two"], "kept"),
             _node("Concat", ["kept", "frame"], "next_cache", axis=2)]
    return _graph(nodes, [("frame", [1, 8, 1]), ("cache", [1, 8, 3])],
                  [("scores", [1, 8, 1]), ("next_cache", [1, 8, 3])],
                  {"w": rng.normal(0, 0.5, (8, 1, 3)), "b": rng.normal(0, 0.1, 8),
                   "one": np.array([1], np.int64), "three": np.array([3], np.int64),
                   "two": np.array([2], np.int64)})


def lrn() -> bytes:
    """LRN of size 3 (AlexNet's 5 in LRN 5 too) over 2 x - 1 [1, 6, 4, 5], alpha 0.5,
    beta 0.75, bias 2: alpha large enough that the window's sum matters."""
    nodes = [_node("Mul", ["x", "two"], "doubled"),
             _node("Sub", ["doubled", "one"], "centred"),
             _node("LRN", ["centred"], "y", size=3, alpha=0.5, beta=0.75, bias=2.0)]
    return _graph(nodes, [("x", [1, 6, 4, 5])], [("y", [1, 6, 4, 5])],
                  {"two": np.array(2.0), "one": np.array(1.0)})


def lrn_even() -> bytes:
    """LRN of an even size, 4 (the window one channel longer after c than before), default
    alpha, beta, bias, over 100 x [1, 7, 3, 3]."""
    nodes = [_node("Mul", ["x", "hundred"], "scaled"),
             _node("LRN", ["scaled"], "y", size=4)]
    return _graph(nodes, [("x", [1, 7, 3, 3])], [("y", [1, 7, 3, 3])],
                  {"hundred": np.array(100.0)})


def _mod_model(fmod: int, divisor: np.ndarray | None) -> bytes:
    """Mod of int64 ids a [2, 16] by a constant or by a second input b [2, 16]."""
    from onnx import TensorProto
    inputs = [("a", [2, 16])] + ([("b", [2, 16])] if divisor is None else [])
    initializers = {} if divisor is None else {"b": divisor}
    return _graph([_node("Mod", ["a", "b"], "y", fmod=fmod)], inputs, [("y", [2, 16])],
                  initializers, input_type=TensorProto.INT64, output_type=TensorProto.INT64)


def mod_input(path: str, computed: bool = False) -> None:
    """Writes ids a [2, 16] for `_mod_model` (int32, as the device takes int64 inputs):
    both signs, multiples of 7 and 5, the ends of int32's range, beyond 2^24 (float32
    estimates of the quotient miss); with `computed`, divisors b [2, 16] after them, of
    both signs and every size, 1 and int32's largest."""
    big = np.iinfo(np.int32).max
    a = np.array([0, 1, -1, 6, 7, -7, 8, -8, 14, -15, 35, -35, 100, -100, 12345, -12345,
                  big, -big, -big - 1, 2 ** 24 + 1, -(2 ** 24 + 1), 2 ** 30, -2 ** 30,
                  123456789, -987654321, 1999999999, -2000000001, 5, -5, 2 ** 31 - 7, 41,
                  -41], np.int32)
    values = [a]
    if computed:
        values.append(np.array([7, 7, 7, -7, -7, 3, 3, -3, 5, 5, -5, 1, -1, 1000, -1000, 7,
                                1, -1, 3, big, -big, 2 ** 30, 2 ** 30 + 1, 65536, -65537,
                                123, -12, 2, -2, 7, 97, -97], np.int32))
    np.concatenate(values).tofile(path)


def mod_float() -> bytes:
    """Mod fmod 1 of floats (torch.fmod(x, 0.7))."""
    return _one_node("Mod", [1, 4], [1, 4], {"d": np.array(0.7)}, ("x", "d"), fmod=1)


def unsupported() -> bytes:
    """A Relu, then a NonZero, which the importer does not handle (its result's shape
    depends on the data)."""
    from onnx import TensorProto, helper
    nodes = [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("NonZero", ["r"], ["y"])]
    return _graph(nodes, [("x", [1, 4])], [("y", [2, 4])], {}, output_type=TensorProto.INT64)


def _attention_nodes(x: str, width: int, heads: int, tokens: int) -> list:
    """Multi-head self-attention as torch.onnx.export writes nn.MultiheadAttention's
    product part: projections by constant matrices, heads split by Reshape and Transpose,
    Q K^T by MatMul of two activations, scaled by Div, Softmax, times V, heads joined."""
    depth = width // heads
    nodes = []
    for name in "qkv":
        nodes.append(_node("MatMul", [x, f"w{name}"], f"{name}_proj"))
        nodes.append(_node("Reshape", [f"{name}_proj", "heads_shape"], f"{name}_heads"))
    nodes += [
        _node("Transpose", ["q_heads"], "q", perm=[0, 2, 1, 3]),
        _node("Transpose", ["k_heads"], "k_t", perm=[0, 2, 3, 1]),
        _node("Transpose", ["v_heads"], "v", perm=[0, 2, 1, 3]),
        _node("MatMul", ["q", "k_t"], "scores"),
        _node("Div", ["scores", "sqrt_depth"], "scaled"),
        _node("Softmax", ["scaled"], "weights", axis=-1),
        _node("MatMul", ["weights", "v"], "context"),
        _node("Transpose", ["context"], "context_t", perm=[0, 2, 1, 3]),
        _node("Reshape", ["context_t", "tokens_shape"], "attended"),
    ]
    return nodes


def _attention_weights(rng, width: int, heads: int, tokens: int) -> dict:
    weights = {f"w{name}": rng.normal(0, 0.4, (width, width)) for name in "qkv"}
    weights["heads_shape"] = np.array([1, tokens, heads, width // heads], np.int64)
    weights["tokens_shape"] = np.array([1, tokens, width], np.int64)
    weights["sqrt_depth"] = np.array(np.sqrt(width // heads))
    return weights


def attention() -> bytes:
    """A transformer encoder block at opset 17 on 6 tokens of width 8, two heads:
    self-attention (`_attention_nodes`), the residual Add, LayerNormalization (scale, B)
    over the last axis, then GELU as PyTorch exports it (x * 0.5 * (1 + Erf(x / sqrt 2)))."""
    rng = np.random.default_rng(41)
    weights = _attention_weights(rng, 8, 2, 6)
    weights.update(gamma=rng.uniform(0.5, 1.5, 8), beta=rng.normal(0, 0.1, 8),
                   sqrt2=np.array(np.sqrt(2.0)), one=np.array(1.0), half=np.array(0.5))
    nodes = _attention_nodes("x", 8, 2, 6) + [
        _node("Add", ["x", "attended"], "residual"),
        _node("LayerNormalization", ["residual", "gamma", "beta"], "normed", axis=-1,
              epsilon=1e-5),
        _node("Div", ["normed", "sqrt2"], "gelu_in"),
        _node("Erf", ["gelu_in"], "gelu_erf"),
        _node("Add", ["gelu_erf", "one"], "gelu_sum"),
        _node("Mul", ["normed", "gelu_sum"], "gelu_product"),
        _node("Mul", ["gelu_product", "half"], "y"),
    ]
    return _graph(nodes, [("x", [1, 6, 8])], [("y", [1, 6, 8])], weights, opset=17)


def layer_norm_decomposed() -> bytes:
    """LayerNorm as PyTorch exports it below opset 17: ReduceMean, Sub, Pow(2), ReduceMean,
    Add epsilon, Sqrt, Div by the computed deviation, Mul scale, Add bias; then Pow(x, 3)
    and Reciprocal of a positive value (Pow's other integer exponents)."""
    rng = np.random.default_rng(42)
    weights = {"two": np.array(2.0), "three": np.array(3.0), "eps": np.array(1e-5),
               "gamma": rng.uniform(0.5, 1.5, 5), "beta": rng.normal(0, 0.1, 5),
               "one": np.array(1.0)}
    nodes = [
        _node("ReduceMean", ["x"], "mean", axes=[-1]),
        _node("Sub", ["x", "mean"], "centred"),
        _node("Pow", ["centred", "two"], "squares"),
        _node("ReduceMean", ["squares"], "variance", axes=[-1]),
        _node("Add", ["variance", "eps"], "shifted"),
        _node("Sqrt", ["shifted"], "deviation"),
        _node("Div", ["centred", "deviation"], "normalized"),
        _node("Mul", ["normalized", "gamma"], "scaled"),
        _node("Add", ["scaled", "beta"], "normed"),
        _node("Pow", ["normed", "three"], "cubed"),
        _node("Mul", ["cubed", "cubed"], "square"),
        _node("Add", ["square", "one"], "positive"),
        _node("Reciprocal", ["positive"], "y"),
    ]
    return _graph(nodes, [("x", [1, 4, 5])], [("y", [1, 4, 5])], weights)


def qdq_attention() -> bytes:
    """`attention`'s self-attention in QDQ form as ONNX Runtime's quantiser writes it:
    every MatMul's operands dequantised int8 (constant projections, and Q, K^T, the
    softmax weights and V computed), every result quantised; int8 output."""
    from onnx import TensorProto
    rng = np.random.default_rng(43)
    float_weights = _attention_weights(rng, 8, 2, 6)
    weights = {k: v for k, v in float_weights.items() if not k.startswith("w")}
    nodes = [_quantize_node("x", "xq", "in"), _dequantize_node("xq", "xd", "in")]
    weights.update(_params("in", 1 / 100, 0))
    for name in "qkv":
        weights[f"w{name}_int8"] = _int8_weights(rng, (8, 8))
        weights.update(_params(f"w{name}q", 0.004, 0))
        nodes.append(_dequantize_node(f"w{name}_int8", f"w{name}", f"w{name}q"))
    projected = _attention_nodes("xd", 8, 2, 6)
    # Each MatMul's result, the Softmax's and the Div's are quantised and dequantised.
    requantized = {"q_proj": 0.02, "k_proj": 0.02, "v_proj": 0.02, "scores": 0.05,
                   "scaled": 0.03, "weights": 1 / 256, "context": 0.01}
    for node in projected:
        renamed = [f"{i}_d" if i in requantized else i for i in node.input]
        del node.input[:]
        node.input.extend(renamed)
        nodes.append(node)
        output = node.output[0]
        if output in requantized:
            zero = -128 if output == "weights" else 0
            weights.update(_params(output, requantized[output], zero))
            nodes += [_quantize_node(output, f"{output}_q", output),
                      _dequantize_node(f"{output}_q", f"{output}_d", output)]
    weights.update(_params("out", 0.01, 0))
    nodes.append(_quantize_node("attended", "y", "out"))
    return _graph(nodes, [("x", [1, 6, 8])], [("y", [1, 6, 8])], weights,
                  output_type=TensorProto.INT8)


def layer_norm_statistics() -> bytes:
    """LayerNormalization whose Mean output is a graph output (read)."""
    from onnx import helper
    nodes = [helper.make_node("LayerNormalization", ["x", "scale"], ["y", "mean"],
                              name="norm", axis=-1)]
    return _graph(nodes, [("x", [1, 4, 6])], [("y", [1, 4, 6]), ("mean", [1, 4, 1])],
                  {"scale": np.ones(6)}, opset=17)


def layer_norm_bad_scale() -> bytes:
    """LayerNormalization over 6 values with a scale of 5."""
    return _graph([_node("LayerNormalization", ["x", "scale"], "y", axis=-1)],
                  [("x", [1, 4, 6])], [("y", [1, 4, 6])], {"scale": np.ones(5)}, opset=17)


def pow_computed_exponent() -> bytes:
    """Pow whose exponent is computed (an activation)."""
    nodes = [_node("Relu", ["x"], "e"), _node("Pow", ["x", "e"], "y")]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])], {})


def pow_fractional() -> bytes:
    """|x| ** 1.5, then ** 0.49999976 (F.pairwise_distance's 1/2 computed in float32):
    exp(y log x) both."""
    nodes = [_node("Abs", ["x"], "magnitude"),
             _node("Pow", ["magnitude", "e"], "cubed_root"),
             _node("Pow", ["cubed_root", "half"], "y")]
    return _graph(nodes, [("x", [1, 4, 5])], [("y", [1, 4, 5])],
                  {"e": np.array(1.5), "half": np.array([0.49999976], np.float32)})


def pow_large() -> bytes:
    """Pow by 100 (an integer beyond the products Pex writes, 64 in magnitude)."""
    return _graph([_node("Pow", ["x", "e"], "y")], [("x", [1, 4])], [("y", [1, 4])],
                  {"e": np.array(100.0)})


POW_EXPONENTS = (5, 13, -7, 64, -33)


def pow_integer() -> bytes:
    """Pow of x [4, 12] by the integers 5, 13, -7, 64 and -33 (beyond the products of 1
    to 4: exponentiation by squaring, a reciprocal for the negative ones; 13 as a [1, 12]
    tensor of 13s, of -x), concatenated along axis 0 ([20, 12]); `pow_integer_input` gives x of both signs, 0.5 to 1.5 in
    magnitude (no power overflows)."""
    nodes = [_node("Neg", ["x"], "negated")]  # a computed base (one pexc kernel fuses)
    nodes += [_node("Pow", ["negated" if e == 13 else "x", f"e{i}"], f"p{i}")
              for i, e in enumerate(POW_EXPONENTS)]
    nodes.append(_node("Concat", [f"p{i}" for i in range(len(POW_EXPONENTS))], "y", axis=0))
    return _graph(nodes, [("x", [4, 12])], [("y", [4 * len(POW_EXPONENTS), 12])],
                  {f"e{i}": np.full((1, 12) if e == 13 else (), float(e))
                   for i, e in enumerate(POW_EXPONENTS)})


def pow_integer_input(path: str) -> None:
    """The input of `pow_integer`: 48 magnitudes from 0.5 to 1.5, alternately negated."""
    magnitudes = np.linspace(0.5, 1.5, 48)
    np.where(np.arange(48) % 2, -magnitudes, magnitudes).astype(np.float32).tofile(path)


def pow_integer_check(input_path: str, output_path: str) -> bool:
    """Each power within 4e-6 relative of float64's (the float32 products' rounding)."""
    x = np.fromfile(input_path, np.float32).astype(np.float64).reshape(4, 12)
    want = np.concatenate([(-x if e == 13 else x) ** e for e in POW_EXPONENTS])
    y = np.fromfile(output_path, np.float32).reshape(want.shape)
    error = np.max(np.abs(y - want) / np.abs(want))
    print(f"max relative error {error:.3g}")
    return bool(error <= 4e-6 and np.array_equal(np.sign(y), np.sign(want)))


def batch_norm_training() -> bytes:
    """A Conv then a BatchNormalization in training mode as PyTorch exports a model in
    train() at opset 13: the running statistics as outputs too."""
    rng = np.random.default_rng(46)
    nodes = [_node("Conv", ["x", "w"], "c"),
             helper_node("BatchNormalization", ["c", "g", "b", "m", "v"],
                         ["y", "running_mean", "running_var"])]
    return _graph(nodes, [("x", [1, 2, 4, 4])], [("y", [1, 3, 4, 4])],
                  {"w": rng.normal(0, 1, (3, 2, 1, 1)), "g": np.ones(3), "b": np.zeros(3),
                   "m": np.zeros(3), "v": np.ones(3)})


def matmul_broadcast_computed() -> bytes:
    """MatMul of x [2, 3, 4] by its first batch transposed, [1, 4, 3]: a computed operand
    broadcast over the batch."""
    nodes = [_node("Slice", ["x", "starts", "ends", "axes"], "first"),
             _node("Transpose", ["first"], "first_t", perm=[0, 2, 1]),
             _node("MatMul", ["x", "first_t"], "y")]
    return _graph(nodes, [("x", [2, 3, 4])], [("y", [2, 3, 3])],
                  {"starts": np.array([0]), "ends": np.array([1]), "axes": np.array([0])})


def cumsum() -> bytes:
    """torch.cumsum after a Conv 3x3 (3 -> 4 channels) over a 1x3x6x5 image: along the
    width (axis -1), then along the channels exclusive and reverse (one output: pexc's
    entry point has one)."""
    rng = np.random.default_rng(61)
    nodes = [_node("Conv", ["x", "w", "b"], "features", pads=[1, 1, 1, 1]),
             _node("CumSum", ["features", "last"], "rows"),
             _node("CumSum", ["rows", "channel"], "y", exclusive=1, reverse=1)]
    return _graph(nodes, [("x", [1, 3, 6, 5])], [("y", [1, 4, 6, 5])],
                  {"w": rng.normal(0, 0.5, (4, 3, 3, 3)), "b": rng.normal(0, 0.1, 4),
                   "last": np.array(-1, np.int64), "channel": np.array(1, np.int64)})


def cumsum_computed_axis() -> bytes:
    """CumSum whose axis is computed (an ArgMax)."""
    nodes = [_node("ArgMax", ["x"], "axis", axis=1, keepdims=0),
             _node("CumSum", ["x", "axis"], "y")]
    return _graph(nodes, [("x", [1, 4])], [("y", [1, 4])], {})


def _topk_head(output: str) -> bytes:
    """torch.topk on a classification head: Gemm (10 -> 8 logits) and Relu over a batch of
    4 (the zeros tie), the largest 5 per row (axis -1: `values`, `indices`) and the
    smallest 2 per column (axis 0, largest 0: `smallest`, `smallest_indices`); the model
    returns `output` (pexc's entry point has one), indices as int64."""
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(62)
    weights = {"w": rng.normal(0, 0.5, (8, 10)).astype(np.float32),
               "b": rng.normal(0, 0.1, 8).astype(np.float32),
               "five": np.array([5], np.int64), "two": np.array([2], np.int64)}
    nodes = [_node("Gemm", ["x", "w", "b"], "logits", transB=1),
             _node("Relu", ["logits"], "scores"),
             helper.make_node("TopK", ["scores", "five"], ["values", "indices"], name="top",
                              axis=-1),
             helper.make_node("TopK", ["scores", "two"], ["smallest", "smallest_indices"],
                              name="bottom", axis=0, largest=0)]
    shape = [4, 5] if output in ("values", "indices") else [2, 8]
    element = TensorProto.INT64 if output.endswith("indices") else TensorProto.FLOAT
    graph = helper.make_graph(
        nodes, "test", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 10])],
        [helper.make_tensor_value_info(output, element, shape)],
        [numpy_helper.from_array(v, k) for k, v in weights.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]) \
        .SerializeToString()


def topk_computed_k() -> bytes:
    """TopK whose k is computed (an ArgMax)."""
    from onnx import helper
    nodes = [_node("ArgMax", ["x"], "k", axis=0, keepdims=1),
             helper.make_node("TopK", ["x", "k"], ["y", "indices"], name="y")]
    return _graph(nodes, [("x", [4])], [("y", [1])], {})


def spectrogram_front() -> bytes:
    """A CRNN's front on a 32-band x 40-frame spectrogram: Conv 1 -> 8, Relu, MaxPool
    2x2, Conv 8 -> 16, Relu, MaxPool 2x1 (bands only), each frame's channels and bands
    flattened (Transpose, Reshape), a MatMul per frame to 10 classes. Its peak is lowest
    with each convolution producing the slices its pool reads (pex-partition's beam
    search; the greedy choice makes the second convolution consume the first pool's
    slices)."""
    rng = np.random.default_rng(48)
    weights = {
        "w1": rng.normal(0, 0.5, (8, 1, 3, 3)), "b1": rng.normal(0, 0.1, 8),
        "w2": rng.normal(0, 0.2, (16, 8, 3, 3)), "b2": rng.normal(0, 0.1, 16),
        "shape": np.array([1, 20, 128], np.int64), "w3": rng.normal(0, 0.1, (128, 10)),
    }
    nodes = [
        _node("Conv", ["x", "w1", "b1"], "c1", pads=[1, 1, 1, 1]),
        _node("Relu", ["c1"], "r1"),
        _node("MaxPool", ["r1"], "p1", kernel_shape=[2, 2], strides=[2, 2]),
        _node("Conv", ["p1", "w2", "b2"], "c2", pads=[1, 1, 1, 1]),
        _node("Relu", ["c2"], "r2"),
        _node("MaxPool", ["r2"], "p2", kernel_shape=[2, 1], strides=[2, 1]),
        _node("Transpose", ["p2"], "frames", perm=[0, 3, 1, 2]),
        _node("Reshape", ["frames", "shape"], "sequence"),
        _node("MatMul", ["sequence", "w3"], "y"),
    ]
    return _graph(nodes, [("x", [1, 1, 32, 40])], [("y", [1, 20, 10])], weights)


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
    "onnx_fire_unet": fire_unet,
    "onnx_inception_block": inception_block,
    "onnx_fire_unet_qdq": fire_unet_qdq,
    "onnx_inception_block_qdq": inception_block_qdq,
    "onnx_unet_nearest": unet_nearest,
    "onnx_unet_nearest_qdq": unet_nearest_qdq,
    "onnx_c2f_block": c2f_block,
    "onnx_spectrogram_front": spectrogram_front,
    "onnx_c2f_block_qdq": c2f_block_qdq,
    "onnx_matmul": matmul,
    "onnx_gemm": gemm,
    "onnx_sigmoid": sigmoid,
    "onnx_softmax": softmax,
    "onnx_conv_auto_pad": conv_auto_pad,
    "onnx_grouped_conv": grouped_conv,
    "onnx_ceil_mode": ceil_mode,
    "onnx_activations": activations,
    "onnx_clip_attributes": clip_attributes,
    "onnx_arithmetic": arithmetic,
    "onnx_reductions": reductions,
    "onnx_batch_norm": batch_norm,
    "onnx_pad_computed": pad_computed,
    "onnx_channel_shuffle": channel_shuffle,
    "onnx_slicing": slicing,
    "onnx_flip": flip,
    "onnx_upsampling_decoder": upsampling_decoder,
    "onnx_resize_cubic": resize_cubic,
    "onnx_conv1d_pool_mean": conv1d_pool_mean,
    "onnx_conv_permute_linear": conv_permute_linear,
    "onnx_resize_nearest": resize_nearest,
    "onnx_resize_bilinear": resize_bilinear,
    "onnx_upsample": upsample,
    "onnx_conv_transpose": conv_transpose,
    "onnx_two_inputs_two_outputs": two_inputs_two_outputs,
    "onnx_channels_last_interface": channels_last_interface,
    "onnx_newer_opsets": newer_opsets,
    "onnx_reduce_axes_opset17": reduce_axes_opset17,
    "onnx_group_norm_scale_per_channel": group_norm_scale_per_channel,
    "onnx_gelu_unknown_approximation": gelu_unknown_approximation,
    "onnx_qdq_newer_unary": qdq_newer_unary,
    "onnx_conv_transpose_sized": conv_transpose_sized,
    "onnx_grouped_conv_transpose": grouped_conv_transpose,
    "onnx_grouped_conv_transpose_qdq": grouped_conv_transpose_qdq,
    "onnx_softmax_opset11": softmax_opset11,
    "onnx_signal": signal,
    "onnx_qdq_signal": qdq_signal,
    "onnx_qdq_signal_chain": qdq_signal_chain,
    "onnx_lstm": lstm,
    "onnx_lstm_last_step": lstm_last_step,
    "onnx_lstm_bidirectional": lstm_bidirectional,
    "onnx_gru": gru,
    "onnx_gru_last_state": gru_last_state,
    "onnx_gru_returns_state": gru_returns_state,
    "onnx_recurrent_initial_state": recurrent_initial_state,
    "onnx_argmax_segmentation": argmax_segmentation,
    "onnx_embedding": embedding,
    "onnx_gather_at_indices": gather_at_indices,
    "onnx_padding_mask": padding_mask,
    "onnx_shifted_ids": shifted_ids,
    "onnx_one_hot": one_hot,
    "onnx_one_hot_channels": one_hot_channels,
    "onnx_image_bytes": image_bytes,
    "onnx_weight_normalized": weight_normalized,
    "onnx_truncated_division": truncated_division,
    "onnx_sign_nan_xor": sign_nan_xor,
    "onnx_log_sum_exp": log_sum_exp,
    "onnx_ids_plus_float": ids_plus_float,
    "onnx_one_hot_of_float": one_hot_of_float,
    "onnx_qdq_embedding": qdq_embedding,
    "onnx_gather_matrix": gather_matrix,
    "onnx_causal_mask": causal_mask,
    "onnx_constant_functions": constant_functions,
    "onnx_scatter_nd": scatter_nd,
    "onnx_scatter_nd_rows": scatter_nd_rows,
    "onnx_loop_unrolled": loop_unrolled,
    "onnx_loop_run_time_count": loop_run_time_count,
    "onnx_loop_too_long": loop_too_long,
    "onnx_loop_run_time_condition": loop_run_time_condition,
    "onnx_qdq_argmax_last": qdq_argmax_last,
    "onnx_qdq_argmin": qdq_argmin,
    "onnx_einsum_attention": einsum_attention,
    "onnx_einsum_heads": einsum_heads,
    "onnx_einsum_forms": einsum_forms,
    "onnx_qdq_einsum": qdq_einsum,
    "onnx_rnn": rnn,
    "onnx_attention": attention,
    "onnx_exponential_activations": exponential_activations,
    "onnx_normalizations": normalizations,
    "onnx_rearrangements": rearrangements,
    "onnx_tiles": tiles,
    "onnx_qdq_tile": qdq_tile,
    "onnx_masks": masks,
    "onnx_layer_norm_decomposed": layer_norm_decomposed,
    "onnx_qdq_attention": qdq_attention,
    "onnx_dynamic_batch": dynamic_batch,
    "onnx_dynamic_resolution": dynamic_resolution,
    "onnx_qdq_conv": qdq_conv,
    "onnx_qdq_add": qdq_add,
    "onnx_qdq_uint8": qdq_uint8,
    "onnx_transposed_decoder": transposed_decoder,
    "onnx_many_branches": many_branches,
    "onnx_torch_quantized": torch_quantized,
    "onnx_qdq_two_inputs_two_outputs": qdq_two_inputs_two_outputs,
    "onnx_qdq_unary": qdq_unary,
    "onnx_qdq_unary_functions": qdq_unary_functions,
    "onnx_qdq_shrinking_functions": qdq_shrinking_functions,
    "onnx_shrinking_activations": shrinking_activations,
    "onnx_qdq_mul": qdq_mul,
    "onnx_qlinear_conv": qlinear_conv,
    "onnx_qlinear_matmul_add": qlinear_matmul_add,
    "onnx_softmax_axis": softmax_axis,
    "onnx_gemm_trans_a": gemm_trans_a,
    # Refused with a clear error.
    "onnx_pool_dilations": pool_dilations,
    "onnx_max_pool_dilated": max_pool_dilated,
    "onnx_max_pool_dilated_1d": max_pool_dilated_1d,
    "onnx_avg_pool_dilations": avg_pool_dilations,
    "onnx_computed_weights": computed_weights,
    "onnx_conv3d": conv3d,
    "onnx_cast_uint8_to_int8": cast_uint8_to_int8,
    "onnx_conv_transpose_empty": conv_transpose_empty,
    "onnx_conv_transpose_dilated_cropped": conv_transpose_dilated_cropped,
    "onnx_lstm_clip": lstm_clip,
    "onnx_lstm_cell_output": lstm_cell_output,
    "onnx_streaming_lstm": streaming_lstm,
    "onnx_streaming_gru": streaming_gru,
    "onnx_int8_input": int8_input,
    "onnx_pad_reflect": pad_reflect,
    "onnx_resize_antialias": resize_antialias,
    "onnx_truncated": truncated,
    "onnx_unsupported": unsupported,
    **{f"onnx_{name}": (lambda op: lambda: _function(op))(op)
       for name, op in (("tan", "Tan"), ("atan", "Atan"), ("asin", "Asin"), ("acos", "Acos"),
                        ("sinh", "Sinh"), ("cosh", "Cosh"), ("asinh", "Asinh"),
                        ("acosh", "Acosh"), ("atanh", "Atanh"))},
    "onnx_lp_normalization_l2": lp_normalization_l2,
    "onnx_lp_normalization_l1": lp_normalization_l1,
    "onnx_lp_normalization_p3": lp_normalization_p3,
    "onnx_hardmax": hardmax,
    "onnx_hardmax_flattened": hardmax_flattened,
    "onnx_reduce_prod": reduce_prod,
    "onnx_reduce_prod_attribute": reduce_prod_attribute,
    "onnx_reduce_prod_int": reduce_prod_int,
    "onnx_streaming_cache": streaming_cache,
    "onnx_gru_step_state": gru_step_state,
    "onnx_streaming_cache_channels_last": streaming_cache_channels_last,
    "onnx_lrn": lrn,
    "onnx_lrn_even": lrn_even,
    "onnx_mod": lambda: _mod_model(0, np.array(7, np.int64)),
    "onnx_mod_negative_divisor": lambda: _mod_model(0, np.array(-5, np.int64)),
    "onnx_fmod": lambda: _mod_model(1, np.array(7, np.int64)),
    "onnx_mod_computed": lambda: _mod_model(0, None),
    "onnx_fmod_computed": lambda: _mod_model(1, None),
    "onnx_mod_float": mod_float,
    "onnx_pow_computed_exponent": pow_computed_exponent,
    "onnx_layer_norm_statistics": layer_norm_statistics,
    "onnx_layer_norm_bad_scale": layer_norm_bad_scale,
    "onnx_rnn_mixed_activations": rnn_mixed_activations,
    "onnx_pow_fractional": pow_fractional,
    "onnx_pow_large": pow_large,
    "onnx_pow_integer": pow_integer,
    "onnx_batch_norm_training": batch_norm_training,
    "onnx_einsum_diagonal": einsum_diagonal,
    "onnx_einsum_three": einsum_three,
    "onnx_einsum_four": einsum_four,
    "onnx_matmul_broadcast_computed": matmul_broadcast_computed,
    "onnx_cumsum": cumsum,
    "onnx_cumsum_computed_axis": cumsum_computed_axis,
    "onnx_topk_head": lambda: _topk_head("indices"),
    "onnx_topk_head_values": lambda: _topk_head("values"),
    "onnx_topk_smallest_indices": lambda: _topk_head("smallest_indices"),
    "onnx_topk_computed_k": topk_computed_k,
}
