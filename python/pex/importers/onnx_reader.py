"""An ONNX model (float CNN) -> `pex.graph.Graph`, in NHWC.

ONNX tensors are NCHW. The imported function takes and returns NHWC tensors instead
(4-D inputs and outputs are the NCHW ones with channels moved last): every 4-D
activation is kept NHWC inside, weights are converted once at import, and axis
attributes are mapped. A Flatten/Reshape of a 4-D tensor whose spatial size is not 1
transposes back to NCHW first, so the flattened order is ONNX's.
BatchNormalization is folded into the convolution that feeds it.
"""

from __future__ import annotations

import os

import numpy as np

from pex.errors import ModelError
from pex.graph import Graph, Location, Op, Tensor
from pex.importers.tflite.operators import explicit_padding

TO_NHWC = (0, 2, 3, 1)
TO_NCHW = (0, 3, 1, 2)
NCHW_AXIS_IN_NHWC = {0: 0, 1: 3, 2: 1, 3: 2}


def looks_like_onnx(data: bytes) -> bool:
    import onnx
    try:
        return len(onnx.load_model_from_string(data).graph.node) > 0
    except Exception:  # protobuf raises various errors on non-ONNX bytes
        return False


def read_onnx(data: bytes, path: str) -> Graph:
    import onnx
    return OnnxReader(onnx.load_model_from_string(data), path).read()


def _nhwc(shape) -> tuple[int, ...]:
    return tuple(shape[i] for i in TO_NHWC) if len(shape) == 4 else tuple(shape)


class OnnxReader:
    def __init__(self, model, path: str) -> None:
        from onnx import numpy_helper
        self.model = model
        self.file = os.path.basename(path)
        self.name = os.path.splitext(self.file)[0]
        self.values: dict[str, Tensor] = {}
        self.constants = {init.name: numpy_helper.to_array(init).copy()
                          for init in model.graph.initializer}
        self.ops: list[Op] = []
        self.loc: Location | None = None
        self.folded: set[str] = set()  # BatchNormalization outputs folded into a conv
        self.consumers: dict[str, int] = {}
        for node in model.graph.node:
            for name in node.input:
                self.consumers[name] = self.consumers.get(name, 0) + 1

    def read(self) -> Graph:
        import onnx
        inputs = []
        for value in self.model.graph.input:
            if value.name in self.constants:
                continue
            shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
            if any(d < 1 for d in shape):
                raise ModelError(f"input '{value.name}' has a dynamic shape; only static "
                                 f"shapes are supported")
            if value.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
                raise ModelError(f"input '{value.name}' is not float32")
            tensor = Tensor(value.name, _nhwc(shape), "f32")
            self.values[value.name] = tensor
            inputs.append(tensor)
        for index, node in enumerate(self.model.graph.node):
            self.loc = Location(node.output[0] if node.output else node.op_type, self.file, index)
            handler = getattr(self, f"_op_{node.op_type}", None)
            try:
                if handler is None:
                    raise ModelError("unsupported operator")
                handler(node, {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute})
            except ModelError as error:
                raise ModelError(f"node {index} ({node.op_type} '{node.name or node.output[0]}'): "
                                 f"{error}") from None
        outputs = [self.value(v.name) for v in self.model.graph.output]
        return Graph(self.name, inputs, outputs, self.ops)

    # Values.

    def value(self, name: str) -> Tensor:
        if name in self.values:
            return self.values[name]
        if name in self.constants:
            data = self.constants[name].astype(np.float32)
            return Tensor(name, data.shape, "f32", None, data)
        raise ModelError(f"'{name}' is used before it is defined")

    def constant(self, name: str) -> np.ndarray:
        if name not in self.constants:
            raise ModelError(f"input '{name}' must be constant")
        return self.constants[name]

    def emit(self, kind: str, inputs: list, name: str, shape, **attrs) -> Tensor:
        out = Tensor(name, tuple(int(d) for d in shape), "f32")
        loc = Location(name, self.loc.file, self.loc.line)  # named after what it computes
        self.ops.append(Op(kind, inputs, [out], attrs, loc))
        self.values[name] = out
        return out

    # Operators.

    def _op_Constant(self, node, attrs) -> None:
        from onnx import numpy_helper
        self.constants[node.output[0]] = numpy_helper.to_array(attrs["value"]).copy()

    def _window(self, x: Tensor, attrs, kernel) -> dict:
        stride = tuple(attrs.get("strides", (1, 1)))
        dilation = tuple(attrs.get("dilations", (1, 1)))
        auto_pad = attrs.get("auto_pad", b"NOTSET").decode()
        if auto_pad in ("SAME_UPPER", "VALID"):
            code = 0 if auto_pad == "SAME_UPPER" else 1
            pad = (explicit_padding(code, x.shape[1], kernel[0], stride[0], dilation[0])
                   + explicit_padding(code, x.shape[2], kernel[1], stride[1], dilation[1]))
        elif auto_pad == "NOTSET":
            top, left, bottom, right = attrs.get("pads", (0, 0, 0, 0))
            pad = (top, bottom, left, right)
        else:
            raise ModelError(f"auto_pad {auto_pad} is not supported")
        out_h = (x.shape[1] + pad[0] + pad[1] - (kernel[0] - 1) * dilation[0] - 1) // stride[0] + 1
        out_w = (x.shape[2] + pad[2] + pad[3] - (kernel[1] - 1) * dilation[1] - 1) // stride[1] + 1
        return dict(stride=stride, dilation=dilation, pad=tuple(pad), out=(out_h, out_w))

    def _op_Conv(self, node, attrs) -> None:
        x = self.value(node.input[0])
        weights = self.constant(node.input[1]).astype(np.float32)
        bias = (self.constant(node.input[2]).astype(np.float32) if len(node.input) > 2
                else np.zeros(weights.shape[0], np.float32))
        out_channels, group_channels, kh, kw = weights.shape
        weights, bias, output = self._fold_batch_norm(node, weights, bias)
        window = self._window(x, attrs, (kh, kw))
        out_shape = (x.shape[0], *window.pop("out"), out_channels)
        groups = attrs.get("group", 1)
        channels = x.shape[3]
        if groups == 1:
            kind, kernel = "conv2d", weights.transpose(0, 2, 3, 1)  # OIHW -> OHWI
        elif groups == channels and group_channels == 1:
            multiplier = out_channels // channels  # O = c * M + m  ->  [KH, KW, C, M]
            kind = "depthwise_conv2d"
            kernel = weights.reshape(channels, multiplier, kh, kw).transpose(2, 3, 0, 1)
        else:
            raise ModelError(f"grouped convolution with {groups} groups of "
                             f"{group_channels} channels is not supported")
        inputs = [x, Tensor(f"{node.input[1]}", kernel.shape, "f32", None,
                            np.ascontiguousarray(kernel)),
                  Tensor(f"{output}/bias", bias.shape, "f32", None, bias)]
        self.emit(kind, inputs, output, out_shape, activation="NONE", **window)

    def _fold_batch_norm(self, node, weights, bias):
        """When the convolution's only consumer is a BatchNormalization, fold it in."""
        output = node.output[0]
        follower = next((n for n in self.model.graph.node
                         if n.op_type == "BatchNormalization" and n.input[0] == output), None)
        if follower is None or self.consumers.get(output, 0) != 1:
            return weights, bias, output
        import onnx
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in follower.attribute}
        gamma, beta, mean, var = (self.constant(n).astype(np.float64) for n in follower.input[1:5])
        factor = gamma / np.sqrt(var + attrs.get("epsilon", 1e-5))
        weights = (weights * factor[:, None, None, None]).astype(np.float32)
        bias = ((bias - mean) * factor + beta).astype(np.float32)
        self.folded.add(follower.output[0])
        return weights, bias, follower.output[0]

    def _op_BatchNormalization(self, node, attrs) -> None:
        if node.output[0] not in self.folded:
            raise ModelError("BatchNormalization that does not follow a convolution")

    def _activation(self, node, kind: str) -> None:
        x = self.value(node.input[0])
        self.emit(kind, [x], node.output[0], x.shape)

    def _op_Relu(self, node, attrs) -> None:
        self._activation(node, "relu")

    def _op_Sigmoid(self, node, attrs) -> None:
        self._activation(node, "logistic")

    def _op_Clip(self, node, attrs) -> None:
        low = attrs.get("min", float(self.constant(node.input[1])) if len(node.input) > 1
                        and node.input[1] else -np.inf)
        high = attrs.get("max", float(self.constant(node.input[2])) if len(node.input) > 2
                         and node.input[2] else np.inf)
        kinds = {(0.0, 6.0): "relu6", (0.0, np.inf): "relu", (-1.0, 1.0): "relu_n1_to_1"}
        if (low, high) not in kinds:
            raise ModelError(f"Clip to [{low}, {high}] is not supported")
        self._activation(node, kinds[(low, high)])

    def _elementwise_operand(self, name: str, rank: int) -> Tensor:
        tensor = self.value(name)
        if not tensor.is_constant:
            if len(tensor.shape) != rank:
                raise ModelError(f"'{name}' needs broadcasting across ranks")
            return tensor
        data = tensor.data.reshape((1,) * (rank - tensor.data.ndim) + tensor.data.shape)
        if rank == 4:
            data = data.transpose(TO_NHWC)
        return Tensor(name, data.shape, "f32", None, np.ascontiguousarray(data))

    def _binary(self, node, kind: str) -> None:
        operands = [self.value(n) for n in node.input]
        rank = max(len(t.shape) for t in operands)
        a, b = (self._elementwise_operand(n, rank) for n in node.input)
        shape = np.broadcast_shapes(a.shape, b.shape)
        self.emit(kind, [a, b], node.output[0], shape, activation="NONE")

    def _op_Add(self, node, attrs) -> None:
        self._binary(node, "add")

    def _op_Mul(self, node, attrs) -> None:
        self._binary(node, "mul")

    def _pool(self, node, attrs, kind: str) -> None:
        x = self.value(node.input[0])
        if attrs.get("ceil_mode", 0) or attrs.get("count_include_pad", 0):
            raise ModelError("ceil_mode and count_include_pad are not supported")
        kernel = tuple(attrs["kernel_shape"])
        window = self._window(x, attrs, kernel)
        out_shape = (x.shape[0], *window.pop("out"), x.shape[3])
        window.pop("dilation")
        self.emit(kind, [x], node.output[0], out_shape, kernel=kernel, activation="NONE", **window)

    def _op_MaxPool(self, node, attrs) -> None:
        self._pool(node, attrs, "max_pool2d")

    def _op_AveragePool(self, node, attrs) -> None:
        self._pool(node, attrs, "avg_pool2d")

    def _op_GlobalAveragePool(self, node, attrs) -> None:
        x = self.value(node.input[0])
        self.emit("mean", [x], node.output[0], (x.shape[0], 1, 1, x.shape[3]), axes=(1, 2),
                  keep_dims=True)

    def _to_onnx_order(self, x: Tensor) -> Tensor:
        """A 4-D activation in ONNX's NCHW element order (free when H = W = 1)."""
        if len(x.shape) != 4 or x.shape[1] * x.shape[2] == 1:
            return x
        return self.emit("transpose", [x], f"{x.name}/nchw",
                         tuple(x.shape[i] for i in TO_NCHW), perm=TO_NCHW)

    def _reshape_to(self, node, shape) -> None:
        x = self._to_onnx_order(self.value(node.input[0]))
        shape = tuple(int(d) for d in shape)
        if len(shape) == 4:  # back to NHWC for the rest of the graph
            nchw = self.emit("reshape", [x], f"{node.output[0]}/nchw", shape)
            self.emit("transpose", [nchw], node.output[0], _nhwc(shape), perm=TO_NHWC)
        else:
            self.emit("reshape", [x], node.output[0], shape)

    def _op_Flatten(self, node, attrs) -> None:
        x = self.value(node.input[0])
        axis = attrs.get("axis", 1)
        dims = [x.shape[i] for i in TO_NCHW] if len(x.shape) == 4 else list(x.shape)
        self._reshape_to(node, (int(np.prod(dims[:axis])), int(np.prod(dims[axis:]))))

    def _op_Reshape(self, node, attrs) -> None:
        x = self.value(node.input[0])
        dims = [x.shape[i] for i in TO_NCHW] if len(x.shape) == 4 else list(x.shape)
        target = [int(d) for d in self.constant(node.input[1])]
        target = [dims[i] if d == 0 else d for i, d in enumerate(target)]
        if -1 in target:
            known = int(np.prod([d for d in target if d != -1]))
            target[target.index(-1)] = int(np.prod(dims)) // known
        self._reshape_to(node, target)

    def _op_Transpose(self, node, attrs) -> None:
        x = self.value(node.input[0])
        perm = tuple(attrs.get("perm", range(len(x.shape))[::-1]))
        if len(x.shape) == 4:  # compose with the NHWC <-> NCHW views
            perm = tuple(TO_NCHW[perm[TO_NHWC[i]]] for i in range(4))
        self.emit("transpose", [x], node.output[0], tuple(x.shape[p] for p in perm), perm=perm)

    def _op_Concat(self, node, attrs) -> None:
        inputs = [self.value(n) for n in node.input]
        rank = len(inputs[0].shape)
        axis = attrs["axis"] % rank
        if rank == 4:
            axis = NCHW_AXIS_IN_NHWC[axis]
        shape = list(inputs[0].shape)
        shape[axis] = sum(t.shape[axis] for t in inputs)
        self.emit("concat", inputs, node.output[0], shape, axis=axis, activation="NONE")

    def _op_Softmax(self, node, attrs) -> None:
        x = self.value(node.input[0])
        if attrs.get("axis", -1) % len(x.shape) != len(x.shape) - 1 or len(x.shape) == 4:
            raise ModelError("softmax over an axis other than the last of a 2-D tensor")
        self.emit("softmax", [x], node.output[0], x.shape, beta=1.0)

    def _op_Gemm(self, node, attrs) -> None:
        if attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0 or attrs.get("transA", 0):
            raise ModelError("Gemm with alpha, beta or transA is not supported")
        weights = self.constant(node.input[1]).astype(np.float32)
        if not attrs.get("transB", 0):
            weights = weights.T
        bias = (self.constant(node.input[2]).astype(np.float32).reshape(-1)
                if len(node.input) > 2 else np.zeros(weights.shape[0], np.float32))
        self._fully_connected(node, np.ascontiguousarray(weights), bias)

    def _op_MatMul(self, node, attrs) -> None:
        weights = np.ascontiguousarray(self.constant(node.input[1]).astype(np.float32).T)
        self._fully_connected(node, weights, np.zeros(weights.shape[0], np.float32))

    def _fully_connected(self, node, weights: np.ndarray, bias: np.ndarray) -> None:
        x = self._to_onnx_order(self.value(node.input[0]))
        units = weights.shape[0]
        inputs = [x, Tensor(node.input[1], weights.shape, "f32", None, weights),
                  Tensor(f"{node.output[0]}/bias", bias.shape, "f32", None, bias)]
        self.emit("fully_connected", inputs, node.output[0],
                  (x.num_elements // weights.shape[1], units), activation="NONE")
