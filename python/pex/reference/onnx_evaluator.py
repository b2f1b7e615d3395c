"""An independent evaluation of ONNX graphs in NCHW with PyTorch's operators (float64),
written from the ONNX operator specification, not from the importer.

onnx 1.12 (Debian's python3-onnx) has no `onnx.reference.ReferenceEvaluator`. Convolutions,
pooling and matrix products are PyTorch's kernels; ONNX's attribute conventions (pads
order, auto_pad, ceil_mode, count_include_pad with uneven padding, Resize's coordinate
transformations) and the shape arithmetic exporters emit (Shape, Gather, Concat, ...) are
spelled out here. int8 semantics are in `onnx_int8.py`.
"""

from __future__ import annotations

import math

import numpy as np

from pex.reference import onnx_int8


class Unsupported(Exception):
    pass


def attributes(node) -> dict:
    from onnx import helper
    values = {}
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        values[attribute.name] = value.decode() if isinstance(value, bytes) else value
    return values


def _spatial_pads(x, attrs: dict, kernel, stride, dilation) -> list[int]:
    """ONNX's explicit pads [top, left, bottom, right] (x1_begin, x2_begin, x1_end, x2_end)."""
    auto_pad = attrs.get("auto_pad", "NOTSET")
    none = [0] * (2 * (x.dim() - 2))
    if auto_pad == "NOTSET":
        return list(attrs.get("pads", none))
    if auto_pad == "VALID":
        return none
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
    """ONNX's pads [x1_begin, ..., x1_end, ...] of the spatial axes."""
    import torch.nn.functional as F
    if not any(pads):
        return x
    spatial = len(pads) // 2
    torch_pads = []  # PyTorch's: last axis first, (begin, end) each
    for axis in reversed(range(spatial)):
        torch_pads += [pads[axis], pads[spatial + axis]]
    return F.pad(x, tuple(torch_pads), value=value)


def _windows(x, what: str) -> int:
    """The spatial rank of a window operator's input: 1 (signals) or 2 (images)."""
    if x.dim() not in (3, 4):
        raise Unsupported(f"{what} of a {x.dim()}-D tensor (only 1-D signals and 2-D "
                          f"images)")
    return x.dim() - 2


_RECURRENT_DIRECTIONS = {"forward": (False,), "reverse": (True,),
                         "bidirectional": (False, True)}


def _time_major(x, kind: str, layout, direction, clip, activations, defaults, lengths):
    """A recurrent operator's input [seq, batch, input], and whether each of its directions
    runs from the last step; refuses what the evaluator does not compute (other
    activations, clip, short sequence_lens)."""
    names = [a.decode() if isinstance(a, bytes) else a for a in activations or []]
    reverses = _RECURRENT_DIRECTIONS.get(direction)
    if reverses is None or names not in ([], defaults * len(reverses)) or clip is not None:
        raise Unsupported(f"{kind} with other activations, or clip")
    if layout:
        x = x.transpose(0, 1)
    if lengths is not None and bool((lengths != x.shape[0]).any()):
        raise Unsupported(f"{kind} sequence_lens shorter than the sequence")
    return x, reverses


def _recurrent_results(torch, layout, runs):
    """Y [seq, D, batch, units], and each final state [D, batch, units] (layout 1: batch
    first), from each direction's (outputs per step in its own order, final states,
    reverse); a reverse direction's outputs are put back in time order."""
    ys, finals = [], []
    for outputs, states, reverse in runs:
        ys.append(torch.stack(outputs[::-1] if reverse else outputs))
        finals.append(states)
    y = torch.stack(ys, dim=1)
    states = [torch.stack(group) for group in zip(*finals)]
    if layout:
        return (y.permute(2, 0, 1, 3), *(state.transpose(0, 1) for state in states))
    return (y, *states)


def _axes(axes, rank: int) -> list[int]:
    return [int(a) % rank for a in axes]


def _ints(tensor) -> list[int]:
    return [int(v) for v in np.atleast_1d(tensor.numpy() if hasattr(tensor, "numpy") else tensor)]


def _keys_kernel(distance: float, a: float) -> float:
    """The cubic convolution kernel (Keys) at `distance`, coefficient `a`."""
    d = abs(distance)
    if d <= 1:
        return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1
    if d < 2:
        return a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a
    return 0.0


def _cubic_matrix(coordinates, size_in: int, a: float, exclude_outside) -> np.ndarray:
    """Output index x input index weights of a cubic resize along one axis: the four
    inputs around each coordinate (clamped to the axis, or dropped and renormalised with
    exclude_outside)."""
    matrix = np.zeros((len(coordinates), size_in))
    for row, c in enumerate(coordinates):
        around = [math.floor(c) + k for k in (-1, 0, 1, 2)]
        weights = {i: _keys_kernel(c - i, a) for i in around}
        if exclude_outside:
            weights = {i: w for i, w in weights.items() if 0 <= i < size_in}
            total = sum(weights.values())
            weights = {i: w / total for i, w in weights.items()}
        for i, w in weights.items():
            matrix[row, min(max(i, 0), size_in - 1)] += w
    return matrix


def _coordinate(mode: str, x: int, scale: float, size_in: int, size_out: int) -> float:
    """Resize: the input coordinate of output index x (the specification's formulas)."""
    if mode == "half_pixel":
        return (x + 0.5) / scale - 0.5
    if mode == "pytorch_half_pixel":
        return (x + 0.5) / scale - 0.5 if size_out > 1 else 0.0
    if mode == "align_corners":  # the resized length is the scaled one, not rounded down
        resized = size_in * scale
        return 0.0 if resized == 1 else x * (size_in - 1) / (resized - 1)
    if mode == "asymmetric":
        return x / scale
    if mode == "tf_half_pixel_for_nn":
        return (x + 0.5) / scale
    raise Unsupported(f"Resize coordinate_transformation_mode {mode}")


def _nearest(mode: str, coordinate: float) -> int:
    if mode == "round_prefer_floor":
        return math.floor(coordinate) if coordinate % 1 == 0.5 else round(coordinate)
    if mode == "round_prefer_ceil":
        return math.ceil(coordinate) if coordinate % 1 == 0.5 else round(coordinate)
    if mode == "floor":
        return math.floor(coordinate)
    if mode == "ceil":
        return math.ceil(coordinate)
    raise Unsupported(f"Resize nearest_mode {mode}")


class Evaluator:
    """Runs a model node by node; values are torch tensors (floats in float64)."""

    def __init__(self, model, int8_rounding: str = "onnxruntime") -> None:
        from onnx import numpy_helper
        import torch
        self.torch = torch
        self.model = model
        self.opset = next((o.version for o in model.opset_import
                           if o.domain in ("", "ai.onnx")), 13)
        self.values = {init.name: self._from_numpy(numpy_helper.to_array(init))
                       for init in model.graph.initializer}
        self.int8 = onnx_int8.Int8Semantics(self, int8_rounding)

    def _from_numpy(self, array):
        tensor = self.torch.from_numpy(np.array(array, copy=True, order="C"))
        return tensor.double() if tensor.is_floating_point() else tensor

    def tensor(self, name: str):
        return self.values[name]

    def run(self, inputs: dict) -> list:
        self.values.update(inputs)
        return self._run_graph(self.model.graph)

    def _run_graph(self, graph) -> list:
        """Runs the graph's nodes on the values bound so far (a subgraph reads those of
        the graphs around it by name); its outputs."""
        for node in graph.node:
            domain = "" if node.domain in ("", "ai.onnx") else node.domain
            method = getattr(self.int8, f"_{node.op_type}", None) if domain == "com.microsoft" \
                else getattr(self.int8, f"_{node.op_type}", None) or \
                getattr(self, f"_{node.op_type}", None)
            if method is None or (domain not in ("", "com.microsoft")):
                raise Unsupported(f"operator {node.op_type}")
            args = [self.tensor(n) if n else None for n in node.input]
            self.node = self.int8.node = node
            result = method(*args, **attributes(node))
            results = result if isinstance(result, tuple) else (result,)
            for name, value in zip(node.output, results):
                if name:
                    self.values[name] = value
            self.int8.propagate(node)
        return [self.tensor(v.name) for v in graph.output]

    def _Trilu(self, x, k=None, upper=1):
        """The upper (or lower) triangle of the last two axes from diagonal k."""
        diagonal = 0 if k is None else int(k)
        return self.torch.triu(x, diagonal) if upper else self.torch.tril(x, diagonal)

    def _OneHot(self, indices, depth, values, axis=-1):
        """values[1] at each index's position along a new axis, values[0] elsewhere; a
        negative index counts from the end, one out of range sets nothing."""
        depth = int(depth.reshape(-1)[0])
        ids = indices.long()
        ids = self.torch.where(ids < 0, ids + depth, ids)
        axis = axis % (indices.dim() + 1)
        positions = self.torch.arange(depth).reshape(
            [depth if a == axis else 1 for a in range(indices.dim() + 1)])
        hits = ids.unsqueeze(axis) == positions
        return self.torch.where(hits, values[1], values[0])

    def _ScatterND(self, data, indices, updates, reduction="none"):
        """The data with the slice each index tuple addresses replaced by its update."""
        if reduction != "none":
            raise Unsupported(f"ScatterND reduction {reduction}")
        result = data.clone()
        tuples = indices.reshape(-1, indices.shape[-1]).tolist()
        rows = updates.reshape((len(tuples),) + tuple(updates.shape[indices.dim() - 1:]))
        for position, row in zip(tuples, rows):
            result[tuple(position)] = row
        return result

    def _Loop(self, trip_count, condition, *carried, body):
        """Iterations while the count is below the trip count (if given) and the condition
        holds; the body's carried values flow to the next iteration, its scan outputs are
        stacked along a new first axis."""
        from onnx import numpy_helper
        torch = self.torch
        keep_going = True if condition is None else bool(condition)
        values, scans, iteration = list(carried), None, 0
        while keep_going and (trip_count is None or iteration < int(trip_count)):
            for init in body.initializer:
                self.values[init.name] = self._from_numpy(numpy_helper.to_array(init))
            bound = [torch.tensor(iteration), torch.tensor(True), *values]
            for value, formal in zip(bound, body.input):
                self.values[formal.name] = value
            results = self._run_graph(body)
            keep_going = bool(results[0])
            values = results[1:1 + len(carried)]
            scans = scans or [[] for _ in results[1 + len(carried):]]
            for stacked, value in zip(scans, results[1 + len(carried):]):
                stacked.append(value)
            iteration += 1
        if scans is None:
            raise Unsupported("a Loop that runs no iteration")
        return tuple(values) + tuple(torch.stack(stacked) for stacked in scans)

    # Shape arithmetic and data movement.

    def _Constant(self, value=None, **attrs):
        from onnx import numpy_helper
        if value is not None:
            return self._from_numpy(numpy_helper.to_array(value))
        if "value_float" in attrs or "value_floats" in attrs:
            return self._from_numpy(np.array(attrs.get("value_float", attrs.get("value_floats")),
                                             np.float32))
        return self._from_numpy(np.array(attrs.get("value_int", attrs.get("value_ints")),
                                         np.int64))

    def _Identity(self, x):
        return x

    def _Dropout(self, x, *rest, **attrs):
        """Inference: the input, and a mask of ones."""
        return x, self.torch.ones_like(x, dtype=self.torch.bool)

    def _Cast(self, x, to):
        from onnx import mapping
        target = mapping.TENSOR_TYPE_TO_NP_TYPE[to]
        value = self._from_numpy(x.numpy().astype(target))
        return value

    def _Shape(self, x, start=0, end=None):
        return self.torch.tensor(list(x.shape)[start:end], dtype=self.torch.int64)

    def _Size(self, x):
        return self.torch.tensor(x.numel(), dtype=self.torch.int64)

    def _Gather(self, x, indices, axis=0):
        axis %= x.dim()
        positions = indices.long() % x.shape[axis]
        return self.torch.index_select(x, axis, positions.reshape(-1)).reshape(
            tuple(x.shape[:axis]) + tuple(indices.shape) + tuple(x.shape[axis + 1:]))

    def _Unsqueeze(self, x, axes_input=None, axes=None):
        axes = _ints(axes_input) if axes_input is not None else axes
        rank = x.dim() + len(axes)
        shape = list(x.shape)
        for axis in sorted(_axes(axes, rank)):
            shape.insert(axis, 1)
        return x.reshape(shape)

    def _Squeeze(self, x, axes_input=None, axes=None):
        axes = _ints(axes_input) if axes_input is not None else axes
        if axes is None:
            return x.reshape([d for d in x.shape if d != 1])
        drop = _axes(axes, x.dim())
        return x.reshape([d for i, d in enumerate(x.shape) if i not in drop])

    def _Concat(self, *inputs, axis):
        return self.torch.cat([t.reshape(t.shape if t.dim() else (1,)) for t in inputs], dim=axis)

    def _ConstantOfShape(self, shape, value=None):
        from onnx import numpy_helper
        fill = numpy_helper.to_array(value).reshape(-1) if value is not None \
            else np.zeros(1, np.float32)
        return self._from_numpy(np.full(_ints(shape), fill[0], fill.dtype))

    def _Range(self, start, limit, delta):
        return self._from_numpy(np.arange(start.item(), limit.item(), delta.item()).astype(
            start.numpy().dtype))

    def _Slice(self, x, starts=None, ends=None, axes=None, steps=None):
        """Before opset 10 starts, ends and axes are attributes (passed by name here)."""
        starts, ends = _ints(starts), _ints(ends)
        axes = None if axes is None else _ints(axes)
        steps = None if steps is None else _ints(steps)
        axes = list(range(len(starts))) if axes is None else _axes(axes, x.dim())
        steps = steps or [1] * len(starts)
        array = x.numpy()
        index = [slice(None)] * x.dim()
        for axis, start, end, step in zip(axes, starts, ends, steps):
            index[axis] = slice(*slice(start, end, step).indices(x.shape[axis]))
            if index[axis].stop < 0:
                index[axis] = slice(index[axis].start, None, index[axis].step)
        return self._from_numpy(array[tuple(index)])

    def _Reshape(self, x, shape, allowzero=0):
        target = _ints(shape)
        if not allowzero:
            target = [x.shape[i] if d == 0 else d for i, d in enumerate(target)]
        return x.reshape(target)

    def _Flatten(self, x, axis=1):
        if axis < 0:
            axis += x.dim()
        rows = int(np.prod(x.shape[:axis]))
        return x.reshape(rows, -1)

    def _Transpose(self, x, perm=None):
        return x.permute(*(perm if perm is not None else range(x.dim() - 1, -1, -1)))

    def _Expand(self, x, shape):
        return x.expand(*np.broadcast_shapes(tuple(x.shape), tuple(_ints(shape)))).clone()

    def _Tile(self, x, repeats):
        return x.repeat(*_ints(repeats))

    def _DepthToSpace(self, x, blocksize, mode="DCR"):
        n, depth, h, w = x.shape
        b = blocksize
        if mode == "CRD":
            blocks = x.reshape(n, depth // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
        else:
            blocks = x.reshape(n, b, b, depth // (b * b), h, w).permute(0, 3, 4, 1, 5, 2)
        return blocks.reshape(n, depth // (b * b), h * b, w * b)

    def _SpaceToDepth(self, x, blocksize):
        n, c, h, w = x.shape
        b = blocksize
        blocks = x.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4)
        return blocks.reshape(n, c * b * b, h // b, w // b)

    def _Split(self, x, split=None, axis=0, num_outputs=None, **attrs):
        node = self.int8.node
        sizes = _ints(split) if split is not None else attrs.get("split")
        axis %= x.dim()
        if sizes is None:
            parts = num_outputs or len(node.output)
            chunk = -(-x.shape[axis] // parts)
            sizes = [min(chunk, x.shape[axis] - i * chunk) for i in range(parts)]
        return tuple(self.torch.split(x, sizes, dim=axis))

    def _Pad(self, x, pads=None, value=None, axes=None, mode="constant"):
        """Before opset 11 pads and value are attributes (passed by name here)."""
        pads = _ints(pads)
        axes = list(range(x.dim())) if axes is None else _axes(_ints(axes), x.dim())
        if mode in ("reflect", "edge"):
            widths = [(0, 0)] * x.dim()
            for i, axis in enumerate(axes):
                widths[axis] = (pads[i], pads[i + len(axes)])
            return self._from_numpy(np.pad(x.numpy(), widths, mode=mode))
        if mode != "constant":
            raise Unsupported(f"Pad mode {mode}")
        fill = 0.0 if value is None else float(np.asarray(value).reshape(-1)[0])
        widths = [0] * (2 * x.dim())  # torch: last axis first, (before, after)
        for i, axis in enumerate(axes):
            position = 2 * (x.dim() - 1 - axis)
            widths[position], widths[position + 1] = pads[i], pads[i + len(axes)]
        import torch.nn.functional as F
        return F.pad(x, widths, value=fill)

    # Arithmetic.

    def _Add(self, a, b):
        return a + b

    def _Sub(self, a, b):
        return a - b

    def _Mul(self, a, b):
        return a * b

    def _Div(self, a, b):
        if a.is_floating_point():
            return a / b
        return self.torch.div(a, b, rounding_mode="trunc")

    def _Neg(self, x):
        return -x

    def _Floor(self, x):
        return self.torch.floor(x)

    def _Ceil(self, x):
        return self.torch.ceil(x)

    def _Sqrt(self, x):
        return self.torch.sqrt(x)

    def _Pow(self, x, y):
        return self.torch.pow(x, y.to(x.dtype) if x.is_floating_point() else y)

    def _Erf(self, x):
        return self.torch.erf(x)

    def _Elu(self, x, alpha=1.0):
        return self.torch.where(x > 0, x, alpha * (self.torch.exp(x) - 1))

    def _Celu(self, x, alpha=1.0):
        return self.torch.clamp(x, min=0) + self.torch.clamp(
            alpha * (self.torch.exp(x / alpha) - 1), max=0)

    def _Selu(self, x, alpha=1.67326319217681884765625, gamma=1.05070102214813232421875):
        return gamma * self.torch.where(x > 0, x, alpha * (self.torch.exp(x) - 1))

    def _Softplus(self, x):
        return self.torch.log(self.torch.exp(x) + 1)

    def _Softsign(self, x):
        return x / (1 + self.torch.abs(x))

    def _ThresholdedRelu(self, x, alpha=1.0):
        return self.torch.where(x > alpha, x, self.torch.zeros_like(x))

    def _Shrink(self, x, bias=0.0, lambd=0.5):
        zeros = self.torch.zeros_like(x)
        return self.torch.where(x < -lambd, x + bias,
                                self.torch.where(x > lambd, x - bias, zeros))

    def _Mish(self, x):
        return x * self.torch.tanh(self.torch.nn.functional.softplus(x))

    def _Gelu(self, x, approximate="none"):
        return self.torch.nn.functional.gelu(x, approximate=approximate)

    def _Mean(self, *inputs):
        return self._Sum(*inputs) / len(inputs)

    def _Abs(self, x):
        return self.torch.abs(x)

    def _Reciprocal(self, x):
        return 1 / x

    def _Round(self, x):
        return self.torch.round(x)  # half to even, as ONNX

    def _Sin(self, x):
        return self.torch.sin(x)

    def _Cos(self, x):
        return self.torch.cos(x)

    def _Tan(self, x):
        return self.torch.tan(x)

    def _Atan(self, x):
        return self.torch.atan(x)

    def _Asin(self, x):
        return self.torch.asin(x)

    def _Acos(self, x):
        return self.torch.acos(x)

    def _Sinh(self, x):
        return self.torch.sinh(x)

    def _Cosh(self, x):
        return self.torch.cosh(x)

    def _Asinh(self, x):
        return self.torch.asinh(x)

    def _Acosh(self, x):
        return self.torch.acosh(x)

    def _Atanh(self, x):
        return self.torch.atanh(x)

    def _Max(self, *inputs):
        result = inputs[0]
        for x in inputs[1:]:
            result = self.torch.maximum(result, x)
        return result

    def _Min(self, *inputs):
        result = inputs[0]
        for x in inputs[1:]:
            result = self.torch.minimum(result, x)
        return result

    def _Sum(self, *inputs):
        result = inputs[0]
        for x in inputs[1:]:
            result = result + x
        return result

    def _Equal(self, a, b):
        return a == b

    def _Less(self, a, b):
        return a < b

    def _Greater(self, a, b):
        return a > b

    def _GreaterOrEqual(self, a, b):
        return a >= b

    def _LessOrEqual(self, a, b):
        return a <= b

    def _And(self, a, b):
        return a & b

    def _Or(self, a, b):
        return a | b

    def _Not(self, x):
        return ~x

    def _Xor(self, a, b):
        return a ^ b

    def _IsNaN(self, x):
        return self.torch.isnan(x)

    def _Sign(self, x):
        return self.torch.sign(x)

    def _Where(self, condition, a, b):
        return self.torch.where(condition, a, b)

    # Activations.

    def _Relu(self, x):
        return self.torch.relu(x)

    def _Sigmoid(self, x):
        return self.torch.sigmoid(x)

    def _Tanh(self, x):
        return self.torch.tanh(x)

    def _Exp(self, x):
        return self.torch.exp(x)

    def _Log(self, x):
        return self.torch.log(x)

    def _LeakyRelu(self, x, alpha=0.01):
        return self.torch.where(x >= 0, x, x * alpha)

    def _PRelu(self, x, slope):
        return self.torch.where(x >= 0, x, x * slope)

    def _HardSigmoid(self, x, alpha=0.2, beta=0.5):
        return self.torch.clamp(x * alpha + beta, 0.0, 1.0)

    def _HardSwish(self, x):
        return x * self.torch.clamp(x / 6.0 + 0.5, 0.0, 1.0)

    def _Clip(self, x, low=None, high=None, **attrs):
        low = float(low) if low is not None else attrs.get("min")
        high = float(high) if high is not None else attrs.get("max")
        if low is None and high is None:
            return x
        return self.torch.clamp(x, low, high).to(x.dtype)  # torch promotes ints to float

    def _Softmax(self, x, axis=None, function=None):
        function = function or self.torch.softmax
        if axis is None:
            axis = -1 if self.opset >= 13 else 1
        if self.opset >= 13:
            return function(x, dim=axis)
        axis %= x.dim()
        rows = int(np.prod(x.shape[:axis]))
        return function(x.reshape(rows, -1), dim=1).reshape(x.shape)

    def _LogSoftmax(self, x, axis=None):
        return self._Softmax(x, axis, self.torch.log_softmax)

    def _Hardmax(self, x, axis=None):
        """1 at the first maximum along the axis (before opset 13: of the axes from
        `axis` on, the input viewed as 2-D), 0 elsewhere."""
        def one_hot(rows, dim):
            first = rows.argmax(dim=dim, keepdim=True)  # the first maximum
            return self.torch.zeros_like(rows).scatter(dim, first, 1.0)
        if axis is None:
            axis = -1 if self.opset >= 13 else 1
        if self.opset >= 13:
            return one_hot(x, axis % x.dim())
        axis %= x.dim()
        rows = int(np.prod(x.shape[:axis]))
        return one_hot(x.reshape(rows, -1), 1).reshape(x.shape)

    def _LpNormalization(self, x, axis=-1, p=2):
        """x over its L1 or L2 norm along the axis; 0 where the norm is 0 (ONNX's
        reference and ONNX Runtime)."""
        if p not in (1, 2):
            raise Unsupported(f"LpNormalization p {p}")
        norm = x.abs().pow(p).sum(dim=axis, keepdim=True).pow(1.0 / p)
        return self.torch.where(norm == 0, self.torch.zeros_like(x), x / norm)

    def _LRN(self, x, size, alpha=0.0001, beta=0.75, bias=1.0):
        """x / (bias + alpha / size * sum of x^2 over channels c - floor((size - 1) / 2)
        ... c + ceil((size - 1) / 2))^beta."""
        squares = (x * x).transpose(1, -1)
        before = (size - 1) // 2
        padded = self.torch.nn.functional.pad(squares, (before, size - 1 - before))
        sums = padded.unfold(-1, size, 1).sum(-1).transpose(1, -1)
        return x / (bias + alpha / size * sums) ** beta

    def _Mod(self, a, b, fmod=0):
        """fmod 0: the remainder with the divisor's sign (integers); fmod 1: C's fmod,
        the dividend's sign."""
        if fmod:
            return self.torch.fmod(a, b)
        if a.is_floating_point():
            raise Unsupported("Mod fmod 0 of floats")
        return self.torch.remainder(a, b)

    # Convolutions, normalisation, pooling, matrix products.

    def _Conv(self, x, w, b=None, group=1, strides=(1, 1), dilations=(1, 1), **attrs):
        import torch.nn.functional as F
        spatial = _windows(x, "Conv")
        strides, dilations = strides[:spatial], dilations[:spatial]  # defaults are 2-D
        kernel = attrs.get("kernel_shape", w.shape[2:])
        pads = _spatial_pads(x, attrs, kernel, strides, dilations)
        conv = F.conv1d if spatial == 1 else F.conv2d
        return conv(_pad(x, pads), w, b, stride=tuple(strides), dilation=tuple(dilations),
                    groups=group)

    def _ConvTranspose(self, x, w, b=None, group=1, strides=(1, 1), dilations=(1, 1),
                       pads=None, output_padding=(0, 0), output_shape=None,
                       auto_pad="NOTSET", **attrs):
        """The full transposed convolution (with output_padding), then per axis the pads
        cropped from it, or, where output_shape or auto_pad SAME give negative ones, zeros
        added; then the bias."""
        import torch.nn.functional as F
        spatial = _windows(x, "ConvTranspose")
        strides, dilations = strides[:spatial], dilations[:spatial]
        output_padding = output_padding[:spatial]
        transposed = F.conv_transpose1d if spatial == 1 else F.conv_transpose2d
        full = transposed(x, w, None, stride=tuple(strides), groups=group,
                          output_padding=tuple(output_padding), dilation=tuple(dilations))
        if output_shape is not None or auto_pad in ("SAME_UPPER", "SAME_LOWER"):
            sizes = output_shape[-spatial:] if output_shape is not None else \
                [x.shape[2 + axis] * strides[axis] for axis in range(spatial)]
            totals = [full.shape[2 + axis] - sizes[axis] for axis in range(spatial)]
            # The specification's split: SAME_UPPER crops (or adds) the larger half at
            # the end, any other mode at the start.
            halves = [(t // 2, t - t // 2) if auto_pad == "SAME_UPPER" else (t - t // 2, t // 2)
                      for t in totals]
            pads = [h[0] for h in halves] + [h[1] for h in halves]
        pads = (0,) * (2 * spatial) if pads is None or auto_pad == "VALID" else pads
        for axis in range(spatial):
            begin, end = pads[axis], pads[spatial + axis]
            widths = [0] * (2 * spatial)
            position = 2 * (spatial - 1 - axis)
            widths[position], widths[position + 1] = -begin, -end
            full = F.pad(full, widths)  # negative widths crop
        return full if b is None else full + b.reshape((1, -1) + (1,) * spatial)

    def _BatchNormalization(self, x, scale, bias, mean, var, epsilon=1e-5, **attrs):
        # Before opset 14, training mode is the form with the statistics as outputs.
        statistics_out = len([name for name in self.node.output if name]) > 1
        if attrs.get("training_mode", 0) or (self.opset < 14 and statistics_out):
            raise Unsupported("BatchNormalization in training mode")
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return ((x - mean.reshape(shape)) / self.torch.sqrt(var.reshape(shape) + epsilon)
                * scale.reshape(shape) + bias.reshape(shape))

    def _InstanceNormalization(self, x, scale, bias, epsilon=1e-5):
        axes = tuple(range(2, x.dim()))
        mean = x.mean(dim=axes, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=axes, keepdim=True)
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return ((x - mean) / self.torch.sqrt(variance + epsilon) * scale.reshape(shape)
                + bias.reshape(shape))

    def _GroupNormalization(self, x, scale, bias, num_groups, epsilon=1e-5, stash_type=1):
        grouped = x.reshape(x.shape[0], num_groups, -1)
        mean = grouped.mean(dim=2, keepdim=True)
        variance = ((grouped - mean) ** 2).mean(dim=2, keepdim=True)
        normalized = ((grouped - mean) / self.torch.sqrt(variance + epsilon)).reshape(x.shape)
        if self.opset < 21:  # per group
            scale = scale.repeat_interleave(x.shape[1] // num_groups)
            bias = bias.repeat_interleave(x.shape[1] // num_groups)
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return normalized * scale.reshape(shape) + bias.reshape(shape)

    def _LayerNormalization(self, x, scale, bias=None, axis=-1, epsilon=1e-5, stash_type=1):
        axes = tuple(range(axis % x.dim(), x.dim()))
        mean = x.mean(dim=axes, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=axes, keepdim=True)
        inverse = 1 / self.torch.sqrt(variance + epsilon)
        result = (x - mean) * inverse * scale
        return (result + bias if bias is not None else result), mean, inverse

    def _MaxPool(self, x, kernel_shape, strides=(1, 1), dilations=(1, 1), ceil_mode=0,
                 storage_order=0, **attrs):
        import torch.nn.functional as F
        spatial = _windows(x, "MaxPool")
        if len(self.int8.node.output) > 1:
            raise Unsupported("MaxPool's Indices output")
        strides, dilations = strides[:spatial], dilations[:spatial]
        pads = _spatial_pads(x, attrs, kernel_shape, strides, dilations)
        pool = F.max_pool1d if spatial == 1 else F.max_pool2d
        pooled = pool(_pad(x.double(), pads, -math.inf), tuple(kernel_shape), tuple(strides),
                      dilation=tuple(dilations), ceil_mode=bool(ceil_mode))
        return pooled if x.is_floating_point() else pooled.to(x.dtype)

    def _AveragePool(self, x, kernel_shape, strides=(1, 1), ceil_mode=0, count_include_pad=0,
                     **attrs):
        import torch.nn.functional as F
        if _windows(x, "AveragePool") == 1:
            return self._average_pool_1d(x, kernel_shape[0], strides[0], ceil_mode,
                                         count_include_pad, attrs)
        pads = _spatial_pads(x, attrs, kernel_shape, strides, (1, 1))
        top, left, bottom, right = pads
        if top == bottom and left == right and 2 * top <= kernel_shape[0] and \
                2 * left <= kernel_shape[1]:  # PyTorch's own padding
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

    def _average_pool_1d(self, x, kernel: int, stride: int, ceil_mode, count_include_pad,
                         attrs):
        import torch.nn.functional as F
        begin, end = _spatial_pads(x, attrs, (kernel,), (stride,), (1,))
        if begin == end and 2 * begin <= kernel:  # PyTorch's own padding
            return F.avg_pool1d(x, kernel, stride, begin, ceil_mode=bool(ceil_mode),
                                count_include_pad=bool(count_include_pad))
        if ceil_mode:
            raise Unsupported("AveragePool with uneven pads and ceil_mode")
        # Uneven pads: window sums (means over the zero-padded input times the kernel
        # length) divided by the kernel length or by the elements inside the input.
        sums = F.avg_pool1d(_pad(x, (begin, end)), kernel, stride) * kernel
        if count_include_pad:
            return sums / kernel
        counts = F.avg_pool1d(_pad(self.torch.ones_like(x), (begin, end)), kernel,
                              stride) * kernel
        return sums / counts

    def _LSTM(self, x, w, r, b=None, sequence_lens=None, initial_h=None, initial_c=None,
              p=None, hidden_size=None, layout=0, direction="forward", clip=None,
              input_forget=0, activations=None, **attrs):
        """ONNX's LSTM, default activations: per step the gates (input, output, forget, cell
        blocks of W, R, B) x W^T + h R^T + Wb + Rb, peepholes on the input and forget
        gates from c_{t-1} and on the output gate from c_t; a reverse direction reads the
        sequence from its last step."""
        torch = self.torch
        if input_forget:
            raise Unsupported("LSTM input_forget")
        x, reverses = _time_major(x, "LSTM", layout, direction, clip, activations,
                                  ["Sigmoid", "Tanh", "Tanh"], sequence_lens)
        batch, units = x.shape[1], r.shape[-1]
        runs = []
        for d, reverse in enumerate(reverses):
            zeros = torch.zeros(batch, units, dtype=x.dtype)
            h = initial_h[d] if initial_h is not None else zeros
            c = initial_c[d] if initial_c is not None else zeros
            bias = b[d, :4 * units] + b[d, 4 * units:] if b is not None else 0.0
            peep_i, peep_o, peep_f = (p[d, k * units:(k + 1) * units] if p is not None
                                      else 0.0 for k in range(3))
            outputs = []
            for x_t in (x.flip(0) if reverse else x):
                gates = x_t @ w[d].T + h @ r[d].T + bias
                i, o, f, g = gates.split(units, dim=1)
                i = torch.sigmoid(i + peep_i * c)
                f = torch.sigmoid(f + peep_f * c)
                c = f * c + i * torch.tanh(g)
                h = torch.sigmoid(o + peep_o * c) * torch.tanh(c)
                outputs.append(h)
            runs.append((outputs, (h, c), reverse))
        return _recurrent_results(torch, layout, runs)

    def _RNN(self, x, w, r, b=None, sequence_lens=None, initial_h=None, hidden_size=None,
             layout=0, direction="forward", clip=None, activations=None, **attrs):
        """ONNX's RNN: per step h = f(x W^T + h R^T + Wb + Rb), f Tanh (the default) or Relu
        (PyTorch's nonlinearity='relu'), the same in every direction."""
        torch = self.torch
        names = {a.decode() if isinstance(a, bytes) else a for a in activations or ["Tanh"]}
        function = names.pop() if len(names) == 1 else None
        if function not in ("Tanh", "Relu"):
            raise Unsupported(f"RNN activations {activations}")
        x, reverses = _time_major(x, "RNN", layout, direction, clip, None, [function],
                                  sequence_lens)
        batch, units = x.shape[1], r.shape[-1]
        nonlinearity = torch.tanh if function == "Tanh" else torch.relu
        runs = []
        for d, reverse in enumerate(reverses):
            h = initial_h[d] if initial_h is not None else torch.zeros(batch, units,
                                                                       dtype=x.dtype)
            bias = b[d, :units] + b[d, units:] if b is not None else 0.0
            outputs = []
            for x_t in (x.flip(0) if reverse else x):
                h = nonlinearity(x_t @ w[d].T + h @ r[d].T + bias)
                outputs.append(h)
            runs.append((outputs, (h,), reverse))
        return _recurrent_results(torch, layout, runs)

    def _GRU(self, x, w, r, b=None, sequence_lens=None, initial_h=None, hidden_size=None,
             layout=0, direction="forward", clip=None, activations=None,
             linear_before_reset=0, **attrs):
        """ONNX's GRU, default activations: per step z and r (sigmoid) and the candidate n
        (tanh) from the update, reset and hidden blocks of W, R, B; h = (1 - z) n + z h;
        a reverse direction reads the sequence from its last step."""
        torch = self.torch
        x, reverses = _time_major(x, "GRU", layout, direction, clip, activations,
                                  ["Sigmoid", "Tanh"], sequence_lens)
        batch, units = x.shape[1], r.shape[-1]
        runs = []
        for d, reverse in enumerate(reverses):
            h = initial_h[d] if initial_h is not None else torch.zeros(batch, units,
                                                                       dtype=x.dtype)
            bias = b[d] if b is not None else torch.zeros(6 * units, dtype=x.dtype)
            w_z, w_r, w_n = w[d].split(units)
            r_z, r_r, r_n = r[d].split(units)
            wb_z, wb_r, wb_n, rb_z, rb_r, rb_n = bias.split(units)
            outputs = []
            for x_t in (x.flip(0) if reverse else x):
                z = torch.sigmoid(x_t @ w_z.T + h @ r_z.T + wb_z + rb_z)
                reset = torch.sigmoid(x_t @ w_r.T + h @ r_r.T + wb_r + rb_r)
                if linear_before_reset:
                    n = torch.tanh(x_t @ w_n.T + wb_n + reset * (h @ r_n.T + rb_n))
                else:
                    n = torch.tanh(x_t @ w_n.T + wb_n + (reset * h) @ r_n.T + rb_n)
                h = (1 - z) * n + z * h
                outputs.append(h)
            runs.append((outputs, (h,), reverse))
        return _recurrent_results(torch, layout, runs)

    def _GlobalAveragePool(self, x):
        return x.mean(dim=tuple(range(2, x.dim())), keepdim=True)

    def _GlobalMaxPool(self, x):
        return x.amax(dim=tuple(range(2, x.dim())), keepdim=True)

    def _reduce(self, function, x, axes_input, axes, keepdims, noop_with_empty_axes, moved):
        axes = (_ints(axes_input) if axes_input is not None else None) if self.opset >= moved \
            else axes
        if not axes:
            if noop_with_empty_axes:
                return x
            axes = list(range(x.dim()))
        return function(x, dim=tuple(_axes(axes, x.dim())), keepdim=bool(keepdims))

    def _arg_extreme(self, x, axis, keepdims, select_last_index, function):
        """The index of the first (select_last_index: last) extreme along `axis`."""
        axis = _axes([axis], x.dim())[0]
        flipped = x.flip(axis) if select_last_index else x
        index = function(flipped, dim=axis, keepdim=bool(keepdims))
        return x.shape[axis] - 1 - index if select_last_index else index

    def _ArgMax(self, x, axis=0, keepdims=1, select_last_index=0):
        return self._arg_extreme(x, axis, keepdims, select_last_index, self.torch.argmax)

    def _ArgMin(self, x, axis=0, keepdims=1, select_last_index=0):
        return self._arg_extreme(x, axis, keepdims, select_last_index, self.torch.argmin)

    def _CumSum(self, x, axis, exclusive=0, reverse=0):
        """Sums of the elements up to each position (reverse: from the end; exclusive: the
        position itself left out)."""
        axis = _axes(_ints(axis), x.dim())[0]
        ordered = x.flip(axis) if reverse else x
        sums = ordered.cumsum(axis)
        if exclusive:
            sums = self.torch.cat([self.torch.zeros_like(sums.narrow(axis, 0, 1)),
                                   sums.narrow(axis, 0, x.shape[axis] - 1)], dim=axis)
        return sums.flip(axis) if reverse else sums

    def _TopK(self, x, k, axis=-1, largest=1, sorted=1):
        """The k largest (smallest) values along `axis`, in order, equal values by lower
        index first (a stable sort); k an attribute before opset 10. sorted 0 allows any
        order: this one."""
        count = k if isinstance(k, int) else _ints(k)[0]
        axis = _axes([axis], x.dim())[0]
        values, indices = self.torch.sort(x, dim=axis, descending=bool(largest), stable=True)
        return values.narrow(axis, 0, count), indices.narrow(axis, 0, count)

    def _ReduceMean(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self._reduce(self.torch.mean, x, axes_input, axes, keepdims, noop_with_empty_axes,
                            18)

    def _ReduceMax(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self._reduce(self.torch.amax, x, axes_input, axes, keepdims, noop_with_empty_axes,
                            18)

    def _ReduceMin(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self._reduce(self.torch.amin, x, axes_input, axes, keepdims, noop_with_empty_axes,
                            18)

    def _ReduceSum(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self._reduce(self.torch.sum, x, axes_input, axes, keepdims, noop_with_empty_axes,
                            13)

    def _ReduceLogSumExp(self, x, axes_input=None, axes=None, keepdims=1,
                         noop_with_empty_axes=0):
        return self._reduce(self.torch.sum, x.exp(), axes_input, axes, keepdims,
                            noop_with_empty_axes, 18).log()

    def _ReduceL1(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self._reduce(self.torch.sum, x.abs(), axes_input, axes, keepdims,
                            noop_with_empty_axes, 18)

    def _ReduceSumSquare(self, x, axes_input=None, axes=None, keepdims=1,
                         noop_with_empty_axes=0):
        return self._reduce(self.torch.sum, x * x, axes_input, axes, keepdims,
                            noop_with_empty_axes, 18)

    def _ReduceL2(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        return self.torch.sqrt(self._ReduceSumSquare(x, axes_input, axes, keepdims,
                                                     noop_with_empty_axes))

    def _ReduceProd(self, x, axes_input=None, axes=None, keepdims=1, noop_with_empty_axes=0):
        def product(t, dim, keepdim):
            for d in sorted(dim, reverse=True):
                t = self.torch.prod(t, dim=d, keepdim=keepdim)
            return t
        return self._reduce(product, x, axes_input, axes, keepdims, noop_with_empty_axes, 18)

    def _Gemm(self, a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
        a = a.t() if transA else a
        b = b.t() if transB else b
        result = alpha * (a @ b)
        return result + beta * c if c is not None else result

    def _MatMul(self, a, b):
        return self.torch.matmul(a, b)

    def _Einsum(self, *inputs, equation):
        """PyTorch's einsum (ONNX's semantics: implicit output, ellipsis, diagonals,
        broadcasting); equations may have spaces."""
        return self.torch.einsum("".join(equation.split()), *inputs)

    def _Resize(self, x, roi=None, scales=None, sizes=None, mode="nearest",
                coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor",
                cubic_coeff_a=-0.75, exclude_outside=0, **attrs):
        if self.opset < 11:  # Resize-10: (X, scales), Upsample's semantics
            scales, coordinate_transformation_mode, nearest_mode = roi, "asymmetric", "floor"
        return self._resize(x, scales, sizes, mode, coordinate_transformation_mode,
                            nearest_mode, cubic_coeff_a, exclude_outside)

    def _Upsample(self, x, scales=None, mode="nearest", **attrs):
        scales = attrs["scales"] if scales is None else scales
        return self._resize(x, scales, None, mode, "asymmetric", "floor")

    def _resize(self, x, scales, sizes, mode, transform, nearest_mode, cubic_a=-0.75,
                exclude_outside=0):
        if scales is not None and scales.numel():
            scales = [float(s) for s in np.asarray(scales).reshape(-1)]
            sizes = [int(math.floor(d * s)) for d, s in zip(x.shape, scales)]
        else:
            sizes = _ints(sizes)
            scales = [s / d for s, d in zip(sizes, x.shape)]
        if mode not in ("nearest", "linear", "cubic"):
            raise Unsupported(f"Resize mode {mode}")
        result = x
        for axis in range(x.dim()):
            if sizes[axis] == x.shape[axis] and scales[axis] == 1.0:
                continue
            size_in = x.shape[axis]
            coordinates = [_coordinate(transform, i, scales[axis], size_in, sizes[axis])
                           for i in range(sizes[axis])]
            if mode == "nearest":
                index = [min(max(_nearest(nearest_mode, c), 0), size_in - 1) for c in coordinates]
                result = self.torch.index_select(result, axis, self.torch.tensor(index))
                continue
            if mode == "cubic":
                matrix = _cubic_matrix(coordinates, size_in, cubic_a, exclude_outside)
                moved = result.movedim(axis, -1)
                result = (moved @ self.torch.tensor(matrix.T)).movedim(-1, axis)
                continue
            clamped = [min(max(c, 0.0), size_in - 1) for c in coordinates]
            low = [int(math.floor(c)) for c in clamped]
            high = [min(i + 1, size_in - 1) for i in low]
            weight_shape = [1] * x.dim()
            weight_shape[axis] = -1
            weight = self.torch.tensor([c - i for c, i in zip(clamped, low)],
                                       dtype=self.torch.float64).reshape(weight_shape)
            result = (self.torch.index_select(result, axis, self.torch.tensor(low)) * (1 - weight)
                      + self.torch.index_select(result, axis, self.torch.tensor(high)) * weight)
        return result
