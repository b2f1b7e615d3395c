"""python3 -m pex.reference.onnx_check MODEL.onnx IN.bin OUT.bin [--rtol R]: runs an ONNX
model on the input bytes with an independent evaluator (PyTorch's operators, in ONNX's own
NCHW layout and double precision) and compares the result with the output bytes a Pex
build wrote. Prints `within tolerance (...)` or `DIFFERENT (...)`, with the largest
absolute difference, and exits 1 unless they agree.

The bytes are those of the imported function: 4-D inputs and outputs are NHWC (the ONNX
NCHW tensor with channels last), others are in ONNX's order; several outputs are
concatenated. Float outputs may differ by R (default 1e-5) relative to the largest
magnitude of the reference (float32 against double, summation order).

onnx 1.12 (Debian's python3-onnx) has no `onnx.reference.ReferenceEvaluator`, so the
operators the importer supports are evaluated here node by node with
`torch.nn.functional`: convolutions, pooling and matrix products are PyTorch's kernels;
only ONNX's attribute conventions (pads order, auto_pad, count_include_pad with uneven
padding, Flatten/Reshape/Gemm arithmetic) are spelled out, following the ONNX operator
specification, not the importer.
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

from pex.reference.compare_outputs import compare_values

TO_NHWC = (0, 2, 3, 1)
TO_NCHW = (0, 3, 1, 2)


class Unsupported(Exception):
    pass


def _attributes(node) -> dict:
    from onnx import helper
    values = {}
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        values[attribute.name] = value.decode() if isinstance(value, bytes) else value
    return values


def _spatial_pads(x, attrs: dict, kernel, stride, dilation) -> list[int]:
    """ONNX's explicit pads [top, left, bottom, right] (x1_begin, x2_begin, x1_end, x2_end)."""
    auto_pad = attrs.get("auto_pad", "NOTSET")
    if auto_pad == "NOTSET":
        return list(attrs.get("pads", [0, 0, 0, 0]))
    if auto_pad == "VALID":
        return [0, 0, 0, 0]
    if auto_pad not in ("SAME_UPPER", "SAME_LOWER"):
        raise Unsupported(f"auto_pad {auto_pad}")
    begins, ends = [], []
    for size, k, s, d in zip(x.shape[2:], kernel, stride, dilation):
        out = math.ceil(size / s)
        total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
        small, large = total // 2, total - total // 2
        begin, end = (small, large) if auto_pad == "SAME_UPPER" else (large, small)
        begins.append(begin)
        ends.append(end)
    return begins + ends


def _pad(x, pads, value: float = 0.0):
    import torch.nn.functional as F
    top, left, bottom, right = pads
    if not any(pads):
        return x
    return F.pad(x, (left, right, top, bottom), value=value)


class Evaluator:
    def __init__(self, model) -> None:
        from onnx import numpy_helper
        import torch
        self.torch = torch
        self.model = model
        self.values = {init.name: torch.from_numpy(numpy_helper.to_array(init).copy())
                       for init in model.graph.initializer}

    def tensor(self, name: str):
        value = self.values[name]
        return value.double() if value.is_floating_point() else value

    def run(self, inputs: dict) -> list:
        self.values.update(inputs)
        for node in self.model.graph.node:
            method = getattr(self, f"_{node.op_type}", None)
            if method is None:
                raise Unsupported(f"operator {node.op_type}")
            args = [self.tensor(n) if n else None for n in node.input]
            result = method(*args, **_attributes(node))
            self.values[node.output[0]] = result
        return [self.tensor(v.name) for v in self.model.graph.output]

    # Operators (opset 13 semantics).

    def _Constant(self, value):
        from onnx import numpy_helper
        return self.torch.from_numpy(numpy_helper.to_array(value).copy())

    def _Conv(self, x, w, b=None, group=1, strides=(1, 1), dilations=(1, 1), **attrs):
        import torch.nn.functional as F
        kernel = attrs.get("kernel_shape", w.shape[2:])
        pads = _spatial_pads(x, attrs, kernel, strides, dilations)
        return F.conv2d(_pad(x, pads), w, b, stride=tuple(strides), dilation=tuple(dilations),
                        groups=group)

    def _BatchNormalization(self, x, scale, bias, mean, var, epsilon=1e-5, **attrs):
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return ((x - mean.reshape(shape)) / self.torch.sqrt(var.reshape(shape) + epsilon)
                * scale.reshape(shape) + bias.reshape(shape))

    def _Relu(self, x):
        return self.torch.relu(x)

    def _Sigmoid(self, x):
        return self.torch.sigmoid(x)

    def _Clip(self, x, low=None, high=None, **attrs):
        low = float(low) if low is not None else attrs.get("min")
        high = float(high) if high is not None else attrs.get("max")
        return self.torch.clamp(x, low, high)

    def _Add(self, a, b):
        return a + b

    def _Mul(self, a, b):
        return a * b

    def _MaxPool(self, x, kernel_shape, strides=(1, 1), dilations=(1, 1), ceil_mode=0,
                 storage_order=0, **attrs):
        import torch.nn.functional as F
        pads = _spatial_pads(x, attrs, kernel_shape, strides, dilations)
        return F.max_pool2d(_pad(x, pads, -math.inf), tuple(kernel_shape), tuple(strides),
                            dilation=tuple(dilations), ceil_mode=bool(ceil_mode))

    def _AveragePool(self, x, kernel_shape, strides=(1, 1), ceil_mode=0, count_include_pad=0,
                     **attrs):
        import torch.nn.functional as F
        pads = _spatial_pads(x, attrs, kernel_shape, strides, (1, 1))
        top, left, bottom, right = pads
        if top == bottom and left == right:  # PyTorch's own padding
            return F.avg_pool2d(x, tuple(kernel_shape), tuple(strides), (top, left),
                                ceil_mode=bool(ceil_mode),
                                count_include_pad=bool(count_include_pad))
        if ceil_mode:
            raise Unsupported("AveragePool with uneven pads and ceil_mode")
        # Uneven pads: the window sums over the zero-padded input, divided by the kernel
        # area (count_include_pad) or by how many of its elements are inside the input.
        sums = F.avg_pool2d(_pad(x, pads), tuple(kernel_shape), tuple(strides),
                            divisor_override=1)
        if count_include_pad:
            return sums / float(np.prod(kernel_shape))
        counts = F.avg_pool2d(_pad(self.torch.ones_like(x), pads), tuple(kernel_shape),
                              tuple(strides), divisor_override=1)
        return sums / counts

    def _GlobalAveragePool(self, x):
        return x.mean(dim=tuple(range(2, x.dim())), keepdim=True)

    def _Flatten(self, x, axis=1):
        if axis < 0:
            axis += x.dim()
        rows = int(np.prod(x.shape[:axis]))
        return x.reshape(rows, -1)

    def _Reshape(self, x, shape, allowzero=0):
        target = [int(d) for d in shape]
        if not allowzero:
            target = [x.shape[i] if d == 0 else d for i, d in enumerate(target)]
        return x.reshape(target)

    def _Transpose(self, x, perm=None):
        return x.permute(*(perm if perm is not None else range(x.dim() - 1, -1, -1)))

    def _Concat(self, *inputs, axis):
        return self.torch.cat(inputs, dim=axis)

    def _Softmax(self, x, axis=-1):
        return self.torch.softmax(x, dim=axis)

    def _Gemm(self, a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
        a = a.t() if transA else a
        b = b.t() if transB else b
        result = alpha * (a @ b)
        return result + beta * c if c is not None else result

    def _MatMul(self, a, b):
        return self.torch.matmul(a, b)


def _onnx_shape(value) -> list[int]:
    return [d.dim_value for d in value.type.tensor_type.shape.dim]


def evaluate(model, input_bytes: bytes) -> np.ndarray:
    """The model's output bytes' values (float64), for the imported function's input bytes."""
    import torch
    initializers = {init.name for init in model.graph.initializer}
    graph_inputs = [v for v in model.graph.input if v.name not in initializers]
    data = np.frombuffer(input_bytes, np.float32)
    inputs, offset = {}, 0
    for value in graph_inputs:
        shape = _onnx_shape(value)
        count = int(np.prod(shape))
        if offset + count > data.size:
            raise ValueError(f"the input file holds {data.size} floats, the model reads more")
        array = data[offset:offset + count]
        offset += count
        if len(shape) == 4:  # the bytes are NHWC
            array = array.reshape([shape[i] for i in TO_NHWC]).transpose(TO_NCHW)
        inputs[value.name] = torch.from_numpy(np.ascontiguousarray(array).reshape(shape))
    if offset != data.size:
        raise ValueError(f"the input file holds {data.size} floats, the model reads {offset}")
    outputs = []
    with torch.no_grad():
        for tensor in Evaluator(model).run(inputs):
            array = tensor.numpy().astype(np.float64)
            if array.ndim == 4:
                array = array.transpose(TO_NHWC)
            outputs.append(array.reshape(-1))
    return np.concatenate(outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-onnx-check", description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args(argv)
    import onnx
    try:
        model = onnx.load(args.model)
        with open(args.input, "rb") as file:
            reference = evaluate(model, file.read())
        with open(args.output, "rb") as file:
            actual = np.frombuffer(file.read(), np.float32)
    except (OSError, ValueError, Unsupported) as error:
        print(f"pex-onnx-check: error: {args.model}: {error}", file=sys.stderr)
        return 1
    ok, message = compare_values(actual, reference, args.rtol)
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
