"""Graph -> MLIR module text with one public TOSA function.

The module declares its TOSA target (`tosa.target_env`: the profiles and extensions its
ops use), so `mlir-opt --tosa-validate` checks it as it is (with
`--allow-unregistered-dialect` for the one operator TOSA lacks, `pex.grouped_conv2d`,
written in the generic form). The function is named after
the graph. Each argument and result carries
`pex.name` (the model's tensor name) and, when quantised, `pex.scale` (f64) and
`pex.zero_point` (i64), which the compiler driver writes into the C header.
"""

from __future__ import annotations

from pex.errors import ModelError
from pex.graph import Graph, Op, Tensor
from pex.tosa import (arithmetic, convolution, elementwise, logical, normalization, pooling,
                       recurrent, reduction, resize, shape, softmax, state, text)
from pex.tosa.builder import FunctionBuilder, Value
from pex.tosa.text import TensorType

LOWERINGS = {
    "conv2d": convolution.lower_conv2d,
    "depthwise_conv2d": convolution.lower_depthwise_conv2d,
    "fully_connected": convolution.lower_fully_connected,
    "transpose_conv2d": convolution.lower_transpose_conv2d,
    "batch_matmul": convolution.lower_batch_matmul,
    "add": elementwise.lower_add,
    "mul": elementwise.lower_mul,
    "relu": elementwise.lower_clamp_activation,
    "relu6": elementwise.lower_clamp_activation,
    "relu_n1_to_1": elementwise.lower_clamp_activation,
    "leaky_relu": elementwise.lower_leaky_relu,
    "logistic": elementwise.lower_logistic,
    "quantize": elementwise.lower_quantize,
    "dequantize": elementwise.lower_dequantize,
    "avg_pool2d": pooling.lower_avg_pool2d,
    "max_pool2d": pooling.lower_max_pool2d,
    "mean": pooling.lower_mean,
    "reshape": shape.lower_reshape,
    "transpose": shape.lower_transpose,
    "concat": shape.lower_concat,
    "pad": shape.lower_pad,
    "softmax": softmax.lower_softmax,
    "sub": elementwise.lower_sub,
    "squared_difference": elementwise.lower_squared_difference,
    "prelu": elementwise.lower_prelu,
    "hard_swish": elementwise.lower_unary_function,
    "abs": elementwise.lower_unary_function,
    "neg": elementwise.lower_unary_function,
    "exp": elementwise.lower_unary_function,
    "log": elementwise.lower_unary_function,
    "erf": elementwise.lower_unary_function,
    "sqrt": elementwise.lower_unary_function,
    "rsqrt": elementwise.lower_unary_function,
    "elu": elementwise.lower_unary_function,
    "gelu": elementwise.lower_unary_function,
    "gelu_tanh": elementwise.lower_unary_function,
    "square": elementwise.lower_unary_function,
    "floor": elementwise.lower_unary_function,
    "ceil": elementwise.lower_unary_function,
    "round": elementwise.lower_unary_function,
    "sin": elementwise.lower_unary_function,
    "cos": elementwise.lower_unary_function,
    "tan": elementwise.lower_unary_function,
    "atan": elementwise.lower_unary_function,
    "asin": elementwise.lower_unary_function,
    "acos": elementwise.lower_unary_function,
    "sinh": elementwise.lower_unary_function,
    "cosh": elementwise.lower_unary_function,
    "asinh": elementwise.lower_unary_function,
    "acosh": elementwise.lower_unary_function,
    "atanh": elementwise.lower_unary_function,
    "cast": elementwise.lower_cast,
    "argmax": reduction.lower_argmax,
    "argmin": reduction.lower_argmin,
    "top_k": reduction.lower_top_k,
    "gather": shape.lower_gather,
    "gather_indexed": shape.lower_gather_indexed,
    "log_softmax": normalization.lower_log_softmax,
    "l2_normalization": normalization.lower_l2_normalization,
    "div": arithmetic.lower_div,
    "maximum": arithmetic.lower_maximum,
    "minimum": arithmetic.lower_minimum,
    "clamp": arithmetic.lower_clamp,
    "tanh": elementwise.lower_unary_function,
    "rescale": arithmetic.lower_rescale,
    "table": arithmetic.lower_table,
    "reduce_sum": reduction.lower_reduce_sum,
    "reduce_max": reduction.lower_reduce_max,
    "reduce_min": reduction.lower_reduce_min,
    "reduce_product": reduction.lower_reduce_product,
    "slice": shape.lower_slice,
    "resize": resize.lower_resize,
    "svdf": recurrent.lower_svdf,
    "lstm": recurrent.lower_lstm,
    "gru": recurrent.lower_gru,
    "rnn": recurrent.lower_rnn,
    "compare": logical.lower_compare,
    "logical_and": logical.lower_logical_and,
    "logical_or": logical.lower_logical_or,
    "logical_not": logical.lower_logical_not,
    "select": logical.lower_select,
    "read_state": state.lower_read_state,
    "write_state": state.lower_write_state,
}


def _interface_attributes(tensor: Tensor) -> str:
    attrs = [f"pex.name = {text.string(tensor.name)}"]
    if tensor.quant is not None:
        attrs.append(f"pex.scale = {float(tensor.quant.scale[0])!r} : f64")
        attrs.append(f"pex.zero_point = {int(tensor.quant.zero_point[0])} : i64")
    if tensor.unsigned:
        attrs.append("pex.unsigned")
    return "{" + ", ".join(attrs) + "}"


def _describe(op: Op) -> str:
    if op.loc is None:
        return op.kind
    return f"operator {op.loc.line} ({op.kind} '{op.loc.name}')"


def emit_module(graph: Graph) -> str:
    b = FunctionBuilder()
    arguments = []
    for index, tensor in enumerate(graph.inputs):
        argument = Value(f"%arg{index}", TensorType(tensor.shape, tensor.dtype))
        b.bind(tensor, argument)
        b.uses_type(argument.type)
        arguments.append(f"{argument.name}: {argument.type} {_interface_attributes(tensor)}")
    for op in graph.ops:
        b.at(op.loc)
        try:
            LOWERINGS[op.kind](b, op)
        except ModelError as error:
            raise ModelError(f"{_describe(op)}: {error}") from None
    b.at(None)
    results = [b.value(tensor) for tensor in graph.outputs]
    result_types = [f"{TensorType(t.shape, t.dtype)} {_interface_attributes(t)}"
                    for t in graph.outputs]
    return module_text(b, text.symbol_name(graph.name), arguments, results, result_types)


def module_text(b: FunctionBuilder, name: str, arguments: list[str], results: list[Value],
                result_types: list[str]) -> str:
    """The module of one function: `arguments` and `result_types` as declared, the body
    `b` wrote, returning `results`."""
    body = "\n".join("    " + line for line in b.lines)
    globals_ = "".join(f"  {line}\n" for line in b.globals)
    return (f"module attributes {{tosa.target_env = "
            f"{text.target_env(b.profiles, b.extensions)}}} {{\n"
            f"{globals_}"
            f"  func.func @{name}({', '.join(arguments)}) -> ({', '.join(result_types)}) {{\n"
            f"{body}\n"
            f"    return {', '.join(v.name for v in results)} : "
            f"{', '.join(str(v.type) for v in results)}\n"
            f"  }}\n"
            f"}}\n")
