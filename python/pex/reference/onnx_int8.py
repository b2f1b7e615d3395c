"""int8 semantics of the ONNX evaluator: QuantizeLinear, DequantizeLinear, QLinearConv,
QLinearMatMul, QLinearAdd, and QDQ graphs evaluated as ONNX Runtime runs them.

ONNX Runtime fuses DequantizeLinear -> Conv/Gemm/MatMul -> QuantizeLinear (Relu or Clip
between them being clamps after requantisation) into integer kernels: the accumulator
sum (x - zx)(w - zw) + bias is exact, and requantisation is in float32,
y = saturate(round_half_even(fl(fl(acc) * fl(fl(sx sw) / sy))) + zy). Global average
pooling sums x - zx and uses fl(sx / fl(sy n)). Other values are the real results of
the float operators on dequantised inputs (float64 here), quantised as
saturate(round_half_even(v / s) + z).

With rounding "tosa" the same graph is evaluated as the TOSA Pex emits computes it:
requantisations of accumulators and QuantizeLinear of a float tensor as ONNX Runtime's
(the importer marks those rescales `pex.float32_rounding` and those divisions
`pex.divisor`), sums of two dequantised tensors rounded half up, unary functions of
dequantised tensors as ONNX rounds them (tables). Comparing the two counts the
requantisations whose rounding differs and by how much (`statistics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Operators through which a dequantised tensor stays the dequantisation of integers with
# the same parameters (data movement, maxima, Relu).
_DATA_MOVEMENT = {"Identity", "Dropout", "Reshape", "Flatten", "Transpose", "Squeeze",
                  "Unsqueeze", "Slice", "Split", "Gather", "MaxPool", "GlobalMaxPool",
                  "ReduceMax", "Relu", "Concat", "Resize", "Upsample", "Pad"}


# Unary operators that, on a dequantised input, Pex computes as a table of exact results.
_UNARY = {"LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Erf", "Elu", "Celu",
          "Selu", "Softplus", "Mish", "Softsign", "ThresholdedRelu", "Shrink", "Gelu", "Exp",
          "Abs", "Neg", "Sin", "Cos"}


@dataclass
class Quantized:
    """A float value that is exactly DequantizeLinear(integers) (per tensor) ..."""

    scale: float
    zero_point: int


@dataclass
class Accumulated:
    """... or that an integer kernel computes before requantising: `kind` "product" (acc is
    the accumulator in units of input scale x weight scale, per channel), "mean" (acc the
    sum of x - zx over `count` elements), "real" (the exact sum or product of two
    dequantised tensors), "table" (a unary function of a dequantised tensor); clamped to [low, high]
    (reals) by Relu/Clip. A product's channels are axis 1 (convolutions) or the last axis
    (matrix products)."""

    kind: str
    acc: object
    factors: np.ndarray  # float32: sx * sw per channel ("product"), sx ("mean")
    count: int = 1
    low: float = -np.inf
    high: float = np.inf
    channel_axis: int = 1


def _range(unsigned: bool) -> tuple[int, int]:
    return (0, 255) if unsigned else (-128, 127)


def _params(scale, zero_point):
    scale = np.asarray(scale.numpy() if hasattr(scale, "numpy") else scale, np.float32)
    if zero_point is None:
        return scale.reshape(-1), np.zeros(1, np.int64), True
    zp = zero_point.numpy() if hasattr(zero_point, "numpy") else np.asarray(zero_point)
    return scale.reshape(-1), zp.astype(np.int64).reshape(-1), zp.dtype == np.uint8


class Int8Semantics:
    def __init__(self, evaluator, rounding: str) -> None:
        if rounding not in ("onnxruntime", "tosa"):
            raise ValueError(f"unknown rounding {rounding}")
        self.e = evaluator
        self.rounding = rounding
        self.node = None
        self.quantized: dict[str, Quantized] = {}
        self.accumulated: dict[str, Accumulated] = {}
        self.unsigned: dict[str, bool] = {}  # integer tensors produced here: uint8?
        # Requantised elements, and those whose rounding differs between the two modes.
        self.statistics = {"requantised": 0, "differ": 0, "largest": 0}

    @property
    def torch(self):
        return self.e.torch

    # Rounding.

    def _pick(self, onnxruntime: np.ndarray, tosa: np.ndarray) -> np.ndarray:
        """The mode's rounding of a requantisation; counts where the other mode differs."""
        self.statistics["requantised"] += onnxruntime.size
        self.statistics["differ"] += int(np.count_nonzero(onnxruntime != tosa))
        self.statistics["largest"] = max(self.statistics["largest"],
                                         int(np.max(np.abs(onnxruntime - tosa), initial=0)))
        return tosa if self.rounding == "tosa" else onnxruntime

    def _count(self, rounded: np.ndarray) -> np.ndarray:
        """A requantisation both modes round alike: counted, returned."""
        return self._pick(rounded, rounded)

    def _requantize(self, acc: np.ndarray, multiplier: np.ndarray) -> np.ndarray:
        """acc times a float32 multiplier, to an integer as ONNX Runtime computes it (and
        Pex's rescales marked pex.float32_rounding): the float32 product rounded to
        even."""
        acc = np.asarray(acc, np.int64)
        multiplier = np.broadcast_to(np.asarray(multiplier, np.float32), acc.shape)
        rounded = np.rint(acc.astype(np.float32) * multiplier).astype(np.int64)
        return self._count(rounded)

    def _round_real(self, value: np.ndarray) -> np.ndarray:
        """A real value to an integer: halves to even (ONNX) or up (TOSA)."""
        return self._pick(np.rint(value).astype(np.int64),
                          np.floor(value + 0.5).astype(np.int64))

    # Operators.

    def _DequantizeLinear(self, x, scale, zero_point=None, axis=1):
        scales, zps, _ = _params(scale, zero_point)
        shape = [1] * x.dim()
        if scales.size > 1:
            shape[axis % x.dim()] = -1
        integers = x.numpy().astype(np.int64) - zps.reshape(shape)
        real = (integers.astype(np.float32) * scales.reshape(shape)).astype(np.float64)
        return self.torch.from_numpy(real)

    def _QuantizeLinear(self, x, scale, zero_point=None, axis=1):
        scales, zps, unsigned = _params(scale, zero_point)
        if scales.size > 1:
            from pex.reference.onnx_evaluator import Unsupported  # it imports this module
            raise Unsupported("per-axis QuantizeLinear of an activation")
        name = self.node.input[0]
        scale, zp = scales[0], int(zps[0])
        low, high = _range(unsigned)
        if name in self.accumulated:
            q = self._from_accumulated(self.accumulated[name], scale, zp, low, high)
        elif name in self.quantized:
            source = self.quantized[name]
            integers = np.rint(x.numpy() / source.scale).astype(np.int64)  # exact: on the grid
            if source.scale == scale:
                q = integers + zp
            else:  # requantised: ONNX's x / s of the dequantised value; TOSA's rescale
                multiplier = np.float32(source.scale) / np.float32(scale)
                mantissa, exponent = np.frexp(np.float64(multiplier))
                significand, shift = int(mantissa * (1 << 24)), int(24 - exponent)
                q = self._pick(np.rint(x.numpy() / np.float64(scale)).astype(np.int64),
                               (integers * significand + (1 << (shift - 1))) >> shift) + zp
        else:
            q = self._quantize_float(x.numpy(), scale, zp)
        q = np.clip(q, low, high)
        self.unsigned[self.node.output[0]] = unsigned
        return self.torch.from_numpy(q.astype(np.int64))

    def _quantize_float(self, x: np.ndarray, scale: np.float32, zp: int) -> np.ndarray:
        """fl(x / s) in float32 rounded to even, + zp: ONNX Runtime's, and Pex's (its
        quantize divides, pex.divisor). x is the float32 ONNX Runtime holds (this
        evaluator's float64 value rounded to float32)."""
        quotient = x.astype(np.float32) / np.float32(scale)
        rounded = np.rint(quotient).astype(np.int64)
        return self._count(rounded) + zp

    def _from_accumulated(self, a: Accumulated, scale, zp: int, low: int, high: int):
        if a.kind == "real":
            q = self._round_real(np.asarray(a.acc) / np.float64(scale)) + zp
        elif a.kind == "table":  # Pex computes the table with ONNX's rounding
            q = np.rint(np.asarray(a.acc) / np.float64(scale)).astype(np.int64) + zp
        else:
            acc = np.asarray(a.acc, np.int64)
            if a.kind == "product":
                multiplier = (a.factors / np.float32(scale)).astype(np.float32)
                shape = [1] * acc.ndim
                shape[a.channel_axis] = -1
                multiplier = np.broadcast_to(multiplier.reshape(shape), acc.shape)
            else:
                multiplier = np.full(acc.shape, np.float32(a.factors[0]) /
                                     (np.float32(scale) * np.float32(a.count)), np.float32)
            q = self._requantize(acc, multiplier) + zp
        params_low = low if np.isinf(a.low) else max(low, self._quantize_bound(a.low, scale, zp))
        params_high = high if np.isinf(a.high) else min(high,
                                                        self._quantize_bound(a.high, scale, zp))
        return np.clip(q, params_low, params_high)

    @staticmethod
    def _quantize_bound(value: float, scale, zp: int) -> int:
        return int(np.rint(np.float32(value) / np.float32(scale))) + zp

    def _QLinearConv(self, x, xs, xz, w, ws, wz, ys, yz, bias=None, **attrs):
        acc = self._integer_conv(x, xs, xz, w, ws, wz, bias, attrs)
        return self._requantized_output(acc, xs, ws, ys, yz)

    def _QLinearMatMul(self, a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp):
        sa, za, _ = _params(a_scale, a_zp)
        sb, zb, _ = _params(b_scale, b_zp)
        lhs = a.numpy().astype(np.int64) - za[0]
        rhs = b.numpy().astype(np.int64) - zb.reshape((1, -1) if zb.size > 1 else (1, 1))
        acc = np.matmul(lhs, rhs)
        factors = (np.float32(sa[0]) * sb).astype(np.float32)
        scale, zp, unsigned = _params(y_scale, y_zp)
        multiplier = np.broadcast_to((factors / scale[0]).astype(np.float32), acc.shape)
        q = np.clip(self._requantize(acc, multiplier) + zp[0], *_range(unsigned))
        self.unsigned[self.node.output[0]] = unsigned
        return self.torch.from_numpy(q)

    def _QLinearAdd(self, a, a_scale, a_zp, b, b_scale, b_zp, c_scale, c_zp=None):
        sa, za, _ = _params(a_scale, a_zp)
        sb, zb, _ = _params(b_scale, b_zp)
        sc, zc, unsigned = _params(c_scale, c_zp)
        real = ((a.numpy().astype(np.int64) - za[0]) * np.float64(sa[0]) +
                (b.numpy().astype(np.int64) - zb[0]) * np.float64(sb[0]))
        q = np.clip(self._round_real(real / np.float64(sc[0])) + zc[0], *_range(unsigned))
        self.unsigned[self.node.output[0]] = unsigned
        return self.torch.from_numpy(q.astype(np.int64))

    def _integer_conv(self, x, xs, xz, w, ws, wz, bias, attrs):
        """sum (x - zx)(w - zw) + bias, exactly (float64 holds these integers)."""
        _, zx, _ = _params(xs, xz)
        _, zw, _ = _params(ws, wz)
        centred_x = self.torch.from_numpy((x.numpy().astype(np.int64) - zx[0]).astype(np.float64))
        centred_w = w.numpy().astype(np.int64) - zw.reshape(
            (-1,) + (1,) * (w.dim() - 1) if zw.size > 1 else 1)
        b = None if bias is None else self.torch.from_numpy(bias.numpy().astype(np.float64))
        acc = self.e._Conv(centred_x, self.torch.from_numpy(centred_w.astype(np.float64)), b,
                           **attrs)
        return np.rint(acc.numpy()).astype(np.int64)

    def _requantized_output(self, acc, xs, ws, ys, yz):
        sx, _, _ = _params(xs, None)
        sw, _, _ = _params(ws, None)
        factors = (np.float32(sx[0]) * sw).astype(np.float32)
        scale, zp, unsigned = _params(ys, yz)
        shape = [1] * acc.ndim
        shape[1] = -1
        multiplier = np.broadcast_to((factors / scale[0]).astype(np.float32).reshape(shape),
                                     acc.shape)
        q = np.clip(self._requantize(acc, multiplier) + zp[0], *_range(unsigned))
        self.unsigned[self.node.output[0]] = unsigned
        return self.torch.from_numpy(q)

    # What the QDQ patterns carry from node to node.

    def propagate(self, node) -> None:
        """After a standard node ran: which outputs are dequantised integers, or integer
        kernels' results awaiting requantisation."""
        op, inputs, output = node.op_type, list(node.input), node.output[0] if node.output \
            else None
        if op == "DequantizeLinear":
            scale = self.e.values[inputs[1]].numpy().reshape(-1)
            zp = self.e.values[inputs[2]].numpy().reshape(-1) if len(inputs) > 2 and inputs[2] \
                else np.zeros(1, np.int64)
            if scale.size == 1:
                self.quantized[output] = Quantized(np.float32(scale[0]), int(zp[0]))
            return
        if op in _DATA_MOVEMENT and inputs and inputs[0] in self.quantized:
            source = self.quantized[inputs[0]]
            if op == "Concat" and not all(self.quantized.get(n) == source for n in inputs):
                return
            if op == "Pad" and len(inputs) > 2 and inputs[2] and \
                    float(self.e.values[inputs[2]].reshape(-1)[0]) != 0.0:
                return
            for name in node.output:
                if name:
                    self.quantized[name] = source
            return
        if op in ("Relu", "Clip") and inputs[0] in self.accumulated:
            a = self.accumulated[inputs[0]]
            low, high = (0.0, np.inf) if op == "Relu" else self._clip_bounds(node)
            self.accumulated[output] = Accumulated(a.kind, a.acc, a.factors, a.count,
                                                   max(a.low, low), min(a.high, high),
                                                   a.channel_axis)
            return
        if op in ("Conv", "Gemm", "MatMul"):
            self._product(node)
        elif op in ("GlobalAveragePool", "ReduceMean"):
            self._mean(node)
        elif op in _UNARY and inputs[0] in self.quantized:
            self.accumulated[output] = Accumulated("table", self.e.values[output].numpy(),
                                                   np.ones(1, np.float32))
        elif op in ("Add", "Mul") and all(n in self.quantized for n in inputs):
            self.accumulated[output] = Accumulated("real", self.e.values[output].numpy(),
                                                   np.ones(1, np.float32))

    def _clip_bounds(self, node) -> tuple[float, float]:
        from pex.reference.onnx_evaluator import attributes
        attrs = attributes(node)
        if self.e.opset < 11:
            return attrs.get("min", -np.inf), attrs.get("max", np.inf)
        bounds = [float(self.e.values[n]) if n else None for n in list(node.input[1:3])]
        bounds += [None] * (2 - len(bounds))
        return (-np.inf if bounds[0] is None else bounds[0],
                np.inf if bounds[1] is None else bounds[1])

    def _weights(self, name: str, axis: int):
        """The integers and per-channel scales of a dequantised constant, or None."""
        node = next((n for n in self.e.model.graph.node
                     if n.op_type == "DequantizeLinear" and n.output[0] == name), None)
        if node is None or node.input[0] in self.quantized:
            return None
        from pex.reference.onnx_evaluator import attributes
        data = self.e.values[node.input[0]].numpy().astype(np.int64)
        scale = self.e.values[node.input[1]].numpy().astype(np.float32).reshape(-1)
        zp = self.e.values[node.input[2]].numpy().astype(np.int64).reshape(-1) \
            if len(node.input) > 2 and node.input[2] else np.zeros(1, np.int64)
        shape = [1] * data.ndim
        if scale.size > 1:
            if attributes(node).get("axis", 1) % data.ndim != axis:
                return None
            shape[axis] = -1
        return data - zp.reshape(shape), np.broadcast_to(scale, (data.shape[axis],))

    def _product(self, node) -> None:
        from pex.reference.onnx_evaluator import attributes
        inputs = list(node.input)
        attrs = attributes(node)
        source = self.quantized.get(inputs[0])
        if source is None:
            return
        if node.op_type == "MatMul" and inputs[1] in self.quantized:
            # Two dequantised activations (attention): ONNX Runtime's QLinearMatMul.
            other = self.quantized[inputs[1]]
            x, y = (np.rint(self.e.values[name].numpy() / np.float64(q.scale)).astype(np.int64)
                    for name, q in ((inputs[0], source), (inputs[1], other)))
            factors = np.array([np.float32(source.scale) * np.float32(other.scale)], np.float32)
            self.accumulated[node.output[0]] = Accumulated("product", np.matmul(x, y), factors,
                                                           channel_axis=x.ndim - 1)
            return
        transposed = node.op_type == "Gemm" and attrs.get("transB", 0)
        if node.op_type == "Gemm" and (attrs.get("alpha", 1.0) != 1.0 or
                                       attrs.get("beta", 1.0) != 1.0 or attrs.get("transA", 0)):
            return
        weights = self._weights(inputs[1], 0 if node.op_type == "Conv" or transposed else 1)
        if weights is None:
            return
        integers, weight_scales = weights
        factors = (np.float32(source.scale) * weight_scales).astype(np.float32)
        bias = None
        if len(inputs) > 2 and inputs[2]:
            bias_weights = self._weights(inputs[2], 0)
            if bias_weights is None or not np.array_equal(bias_weights[1], factors):
                return
            bias = bias_weights[0]
        x = np.rint(self.e.values[inputs[0]].numpy() / source.scale).astype(np.int64)
        if node.op_type == "Conv":
            b = None if bias is None else self.torch.from_numpy(bias.astype(np.float64))
            acc = self.e._Conv(self.torch.from_numpy(x.astype(np.float64)),
                               self.torch.from_numpy(integers.astype(np.float64)), b, **attrs)
            acc = np.rint(acc.numpy()).astype(np.int64)
        else:
            matrix = integers.T if transposed else integers
            acc = np.matmul(x, matrix) + (0 if bias is None else bias)
            self.accumulated[node.output[0]] = Accumulated("product", acc, factors,
                                                           channel_axis=acc.ndim - 1)
            return
        self.accumulated[node.output[0]] = Accumulated("product", acc, factors)

    def _mean(self, node) -> None:
        source = self.quantized.get(node.input[0])
        if source is None:
            return
        x = np.rint(self.e.values[node.input[0]].numpy() / source.scale).astype(np.int64)
        if node.op_type == "GlobalAveragePool":
            axes, keepdims = tuple(range(2, x.ndim)), True
        else:
            from pex.reference.onnx_evaluator import attributes
            attrs = attributes(node)
            axes = attrs.get("axes") if self.e.opset < 18 else (
                [int(a) for a in self.e.values[node.input[1]].numpy()]
                if len(node.input) > 1 and node.input[1] else None)
            axes = tuple(range(x.ndim)) if not axes else tuple(a % x.ndim for a in axes)
            keepdims = bool(attrs.get("keepdims", 1))
        count = int(np.prod([x.shape[a] for a in axes]))
        self.accumulated[node.output[0]] = Accumulated(
            "mean", x.sum(axis=axes, keepdims=keepdims), np.array([source.scale], np.float32),
            count)
