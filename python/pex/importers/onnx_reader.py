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
    try:
        model = onnx.load_model_from_string(data)
    except Exception as error:  # protobuf's DecodeError and friends
        raise ModelError(f"corrupt or truncated ONNX file ({len(data)} bytes): {error}") from None
    if not model.graph.node:
        raise ModelError("no operators: not an ONNX model, or an empty graph")
    return OnnxReader(model, path).read()


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
        self.opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
                          13)
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
            where = f"node {index} ({node.op_type} '{node.name or self.loc.name}')"
            try:
                if handler is None:
                    raise ModelError("unsupported operator")
                handler(node, {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute})
            except ModelError as error:
                raise ModelError(f"{where}: {error}") from None
            except Exception as error:  # a node malformed in a way no check foresaw
                raise ModelError(f"{where}: cannot import it ({type(error).__name__}: "
                                 f"{error})") from None
        outputs = [self.value(v.name) for v in self.model.graph.output]
        return Graph(self.name, inputs, outputs, self.ops)

    # Values.

    def value(self, name: str) -> Tensor:
        """An activation, or a constant used as one (4-D constants are made NHWC too)."""
        if name in self.values:
            return self.values[name]
        if name in self.constants:
            data = self.constants[name].astype(np.float32)
            if data.ndim == 4:
                data = np.ascontiguousarray(data.transpose(TO_NHWC))
            return Tensor(name, data.shape, "f32", None, data)
        raise ModelError(f"'{name}' is used before it is defined")

    def image(self, name: str) -> Tensor:
        """A 4-D activation (NCHW in ONNX, NHWC here)."""
        x = self.value(name)
        if len(x.shape) != 4:
            raise ModelError(f"'{name}' has rank {len(x.shape)}; only 2-D images "
                             f"(4-D tensors, NCHW) are supported")
        return x

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
        if "value" in attrs:
            data = numpy_helper.to_array(attrs["value"]).copy()
        elif "value_float" in attrs or "value_floats" in attrs:
            data = np.array(attrs.get("value_float", attrs.get("value_floats")), np.float32)
        elif "value_int" in attrs or "value_ints" in attrs:
            data = np.array(attrs.get("value_int", attrs.get("value_ints")), np.int64)
        else:
            raise ModelError(f"Constant with {', '.join(sorted(attrs)) or 'no value'} "
                             f"is not supported")
        self.constants[node.output[0]] = data

    def _window(self, x: Tensor, attrs, kernel) -> dict:
        """ONNX's pads are (top, left, bottom, right); the graph's (top, bottom, left, right).
        SAME_UPPER puts the odd padding element after, SAME_LOWER before."""
        stride = tuple(attrs.get("strides", (1, 1)))
        dilation = tuple(attrs.get("dilations", (1, 1)))
        pads = tuple(attrs.get("pads", (0, 0, 0, 0)))
        if len(kernel) != 2 or len(stride) != 2 or len(dilation) != 2 or len(pads) != 4:
            raise ModelError("only 2-D windows are supported")
        auto_pad = attrs.get("auto_pad", b"NOTSET").decode()
        if auto_pad in ("SAME_UPPER", "SAME_LOWER", "VALID"):
            code = 1 if auto_pad == "VALID" else 0
            pad = (explicit_padding(code, x.shape[1], kernel[0], stride[0], dilation[0])
                   + explicit_padding(code, x.shape[2], kernel[1], stride[1], dilation[1]))
            if auto_pad == "SAME_LOWER":
                pad = (pad[1], pad[0], pad[3], pad[2])
        elif auto_pad == "NOTSET":
            top, left, bottom, right = pads
            pad = (top, bottom, left, right)
        else:
            raise ModelError(f"auto_pad {auto_pad} is not supported")
        out_h = (x.shape[1] + pad[0] + pad[1] - (kernel[0] - 1) * dilation[0] - 1) // stride[0] + 1
        out_w = (x.shape[2] + pad[2] + pad[3] - (kernel[1] - 1) * dilation[1] - 1) // stride[1] + 1
        return dict(stride=stride, dilation=dilation, pad=tuple(pad), out=(out_h, out_w))

    def _op_Conv(self, node, attrs) -> None:
        x = self.image(node.input[0])
        weights = self.constant(node.input[1]).astype(np.float32)
        if weights.ndim != 4:
            raise ModelError(f"weights of rank {weights.ndim}; only 2-D convolutions are "
                             f"supported")
        bias = (self.constant(node.input[2]).astype(np.float32) if len(node.input) > 2
                and node.input[2] else np.zeros(weights.shape[0], np.float32))
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
        """A constant broadcast ONNX's way (numpy's: leading axes added) against a 4-D
        activation is made 4-D in NCHW, then NHWC."""
        tensor = self.value(name)
        if not tensor.is_constant:
            if len(tensor.shape) != rank:
                raise ModelError(f"'{name}' needs broadcasting across ranks")
            return tensor
        data = self.constants[name].astype(np.float32)
        data = data.reshape((1,) * (rank - data.ndim) + data.shape)
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
        """The graph's pools leave padding out of maxima and averages, as ONNX's MaxPool and
        AveragePool (count_include_pad 0) do; count_include_pad 1 pads with zeros first."""
        x = self.image(node.input[0])
        if attrs.get("ceil_mode", 0):
            raise ModelError("ceil_mode 1 is not supported")
        if any(d != 1 for d in attrs.get("dilations", (1, 1))):
            raise ModelError(f"pooling with dilations {list(attrs['dilations'])} is not "
                             f"supported")
        if len(node.output) > 1 and node.output[1]:
            raise ModelError("the Indices output of MaxPool is not supported")
        kernel = tuple(attrs["kernel_shape"])
        window = self._window(x, attrs, kernel)
        out_shape = (x.shape[0], *window.pop("out"), x.shape[3])
        window.pop("dilation")
        if attrs.get("count_include_pad", 0) and any(window["pad"]):
            top, bottom, left, right = window["pad"]
            # Trailing padding no window reaches is left out.
            bottom -= min(bottom, (x.shape[1] + top + bottom - kernel[0]) % window["stride"][0])
            right -= min(right, (x.shape[2] + left + right - kernel[1]) % window["stride"][1])
            padded = (x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right, x.shape[3])
            x = self.emit("pad", [x], f"{node.output[0]}/padded", padded,
                          pads=((0, 0), (top, bottom), (left, right), (0, 0)))
            window["pad"] = (0, 0, 0, 0)
        self.emit(kind, [x], node.output[0], out_shape, kernel=kernel, activation="NONE", **window)

    def _op_MaxPool(self, node, attrs) -> None:
        self._pool(node, attrs, "max_pool2d")

    def _op_AveragePool(self, node, attrs) -> None:
        self._pool(node, attrs, "avg_pool2d")

    def _op_GlobalAveragePool(self, node, attrs) -> None:
        x = self.image(node.input[0])
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
        if attrs.get("allowzero", 0) and 0 in target:
            raise ModelError("Reshape to an empty tensor (allowzero 1 with a 0) is not supported")
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
        if any(len(t.shape) != rank for t in inputs):
            raise ModelError("inputs of different ranks")
        axis = attrs["axis"] % rank
        if rank == 4:
            axis = NCHW_AXIS_IN_NHWC[axis]
        shape = list(inputs[0].shape)
        shape[axis] = sum(t.shape[axis] for t in inputs)
        self.emit("concat", inputs, node.output[0], shape, axis=axis, activation="NONE")

    def _op_Softmax(self, node, attrs) -> None:
        """Over the last axis, or over the channels of a 4-D tensor (last in NHWC). Before
        opset 13 the default axis is 1 and the softmax runs over all axes from it on."""
        x = self.value(node.input[0])
        rank = len(x.shape)
        axis = attrs.get("axis", -1 if self.opset >= 13 else 1) % rank
        if rank == 4:
            whole = self.opset >= 13 or x.shape[1] * x.shape[2] == 1
            supported = axis == 1 and whole
        else:
            supported = axis == rank - 1
        if not supported:
            raise ModelError(f"Softmax over axis {axis} of a {rank}-D tensor (opset "
                             f"{self.opset}) is not supported; only over the last axis, or "
                             f"over the channels of a 4-D tensor")
        self.emit("softmax", [x], node.output[0], x.shape, beta=1.0)

    def _matrix(self, name: str) -> np.ndarray:
        matrix = self.constant(name).astype(np.float32)
        if matrix.ndim != 2:
            raise ModelError(f"'{name}' has rank {matrix.ndim}; a constant matrix is needed")
        return matrix

    def _op_Gemm(self, node, attrs) -> None:
        """alpha * A B + beta * C, with alpha folded into the weights and beta into the bias."""
        if attrs.get("transA", 0):
            raise ModelError("Gemm with transA 1 is not supported")
        weights = self._matrix(node.input[1])
        if not attrs.get("transB", 0):
            weights = weights.T
        weights = weights * np.float32(attrs.get("alpha", 1.0))
        units = weights.shape[0]
        bias = np.zeros(units, np.float32)
        if len(node.input) > 2 and node.input[2]:
            c = self.constant(node.input[2]).astype(np.float32)
            if c.size not in (1, units) or c.ndim > 2 or (c.ndim == 2 and c.shape[0] != 1):
                raise ModelError(f"Gemm with C of shape {list(c.shape)} is not supported "
                                 f"(only one bias per output unit, [N] or [1, N])")
            bias = np.broadcast_to(c.reshape(-1), (units,)) * np.float32(attrs.get("beta", 1.0))
        x = self.value(node.input[0])
        if len(x.shape) != 2:
            raise ModelError(f"input A of rank {len(x.shape)}; Gemm takes a matrix")
        self._fully_connected(node, x, weights, bias.astype(np.float32))

    def _op_MatMul(self, node, attrs) -> None:
        """A constant B: a fully connected layer over A's last axis (the width of a 4-D
        tensor, whose result is made NHWC again)."""
        weights = self._matrix(node.input[1]).T
        self._fully_connected(node, self.value(node.input[0]), weights,
                              np.zeros(weights.shape[0], np.float32))

    def _fully_connected(self, node, x: Tensor, weights: np.ndarray, bias: np.ndarray) -> None:
        """x's last ONNX axis times weights [M, K]: the output has x's ONNX shape with its
        last axis M."""
        units, depth = weights.shape
        onnx_shape = [x.shape[i] for i in TO_NCHW] if len(x.shape) == 4 else list(x.shape)
        if not onnx_shape or onnx_shape[-1] != depth:
            raise ModelError(f"an input of shape {onnx_shape} times a [{depth}, {units}] matrix")
        x = self._to_onnx_order(x)
        weights = np.ascontiguousarray(weights, np.float32)
        out_shape = onnx_shape[:-1] + [units]
        output = node.output[0]
        inputs = [x, Tensor(node.input[1], weights.shape, "f32", None, weights),
                  Tensor(f"{output}/bias", bias.shape, "f32", None, bias)]
        if len(out_shape) == 4:  # computed in NCHW order, then NHWC for the rest
            nchw = self.emit("fully_connected", inputs, f"{output}/nchw", out_shape,
                             activation="NONE")
            self.emit("transpose", [nchw], output, _nhwc(out_shape), perm=TO_NHWC)
        else:
            self.emit("fully_connected", inputs, output, out_shape, activation="NONE")
