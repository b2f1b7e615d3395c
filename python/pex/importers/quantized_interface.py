"""`--quantized-io`: the integer tensors of a quantised model cross its interface.

A quantised model with a float interface (PyTorch's quantised exports, ONNX QDQ models,
TFLite's float-interface conversions) quantises its float input first and dequantises
its output last. On a microcontroller the application has the integers already (camera
pixels, audio samples) or wants them (a class index): with this option the model takes
the quantised input and gives the quantised output, and the float tensors (four bytes an
element) exist neither in the arena nor in the application. TFLite's converter does the
same with `inference_input_type=tf.int8`.

The first quantisation's result becomes the input, under the input's name; the output is
what the last dequantisation reads, under the output's name. Their scale and zero point
go to the C header. An int8 tensor the ONNX model holds as uint8 crosses as int8 (the zero
point lowered by 128): the same reals. A float input read by anything but one
quantisation, or a float output not computed by a dequantisation, is an error.
"""

from __future__ import annotations

from pex.errors import ModelError
from pex.graph import Graph, Op, Tensor, same_quantization


def quantize_interface(graph: Graph) -> None:
    """Rewrites `graph` in place so that its float inputs and outputs are the integer
    tensors next to them."""
    readers: dict[int, list[Op]] = {}
    producers: dict[int, Op] = {}
    for op in graph.ops:
        for tensor in op.inputs:
            if tensor is not None:
                readers.setdefault(id(tensor), []).append(op)
        for tensor in op.outputs:
            producers[id(tensor)] = op
    removed: set[int] = set()
    graph.inputs = [_quantized_input(graph, x, readers, removed) for x in graph.inputs]
    graph.outputs = [_quantized_output(y, readers, producers, removed) for y in graph.outputs]
    graph.ops = [op for op in graph.ops if id(op) not in removed]


def _quantized_input(graph: Graph, x: Tensor, readers, removed: set[int]) -> Tensor:
    if x.dtype != "f32":
        return x
    quantizations = readers.get(id(x), [])
    kinds = sorted({op.kind for op in quantizations} - {"quantize"})
    if not quantizations or kinds or x in graph.outputs:
        read_by = ", ".join(kinds) if kinds else "nothing" if not quantizations else "the output"
        raise ModelError(f"--quantized-io: the float input '{x.name}' is read by {read_by}, "
                         f"not only quantised")
    quantized = quantizations[0].output
    for op in quantizations[1:]:  # the same quantisation written twice: one tensor
        other = op.output
        if other.dtype != quantized.dtype or not same_quantization(other, quantized):
            raise ModelError(f"--quantized-io: the float input '{x.name}' is quantised with "
                             f"different parameters")
        for reader in readers.get(id(other), []):
            reader.inputs = [quantized if t is other else t for t in reader.inputs]
    removed.update(id(op) for op in quantizations)
    quantized.name = x.name
    return quantized


def _quantized_output(y: Tensor, readers, producers, removed: set[int]) -> Tensor:
    if y.dtype != "f32":
        return y
    producer = producers.get(id(y))
    if producer is None or producer.kind != "dequantize":
        computed_by = f"a {producer.kind}" if producer is not None else "no operator"
        raise ModelError(f"--quantized-io: the float output '{y.name}' is computed by "
                         f"{computed_by}, not by a dequantisation")
    quantized = producer.inputs[0]
    if quantized.quant is None or quantized.quant.per_channel:
        raise ModelError(f"--quantized-io: the output '{y.name}' is not dequantised from a "
                         f"tensor quantised per tensor")
    if not readers.get(id(y)):
        removed.add(id(producer))
    quantized.name = y.name
    return quantized


def add_quantized_io_argument(parser) -> None:
    """`--quantized-io`, as every command that reads a model for pexc takes it."""
    parser.add_argument("--quantized-io", action="store_true",
                        help="the model's quantised input and output are its interface "
                             "instead of the float tensors around them")
