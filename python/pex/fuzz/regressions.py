"""python3 -m pex.fuzz.regressions NAME -o FILE | --list: writes one corrupt model, a
minimal form of a fuzzer finding, for the error tests in test/Import/errors.

Each is a test model with one change, made the way the fuzzer made it: a flatbuffer field
rewritten in place (by the path `tflite_mutations.fields` names it by) or an ONNX
protobuf edited with the onnx package.
"""

from __future__ import annotations

import argparse
import struct
import sys

import numpy as np

from pex import testmodels
from pex.fuzz import tflite_mutations
from pex.testmodels import onnx_models


_INTEGER_FORMATS = {1: "<b", 2: "<h", 4: "<i", 8: "<q"}


def _tflite(seed: str, **changes) -> bytes:
    """Field path (as `tflite_mutations.fields` names it) -> value (a float is written
    as float32)."""
    data = bytearray(testmodels.tflite_model(seed))
    fields = {field.path: field for field in tflite_mutations.fields(bytes(data))}
    for path, value in changes.items():
        field = fields[path]
        fmt = "<f" if isinstance(value, float) else _INTEGER_FORMATS[field.width]
        struct.pack_into(fmt, data, field.pos, value)
    return bytes(data)


def _onnx(seed: str, edit) -> bytes:
    import onnx
    model = onnx.load_model_from_string(onnx_models.MODELS[seed]())
    edit(model)
    return model.SerializeToString()


def _set_attribute(node, name, value) -> None:
    from onnx import helper
    for attribute in list(node.attribute):
        if attribute.name == name:
            node.attribute.remove(attribute)
    if value is not None:
        node.attribute.append(helper.make_attribute(name, value))


def _initializer(model, name: str):
    return next(init for init in model.graph.initializer if init.name == name)


def _input_dims(model, dims) -> None:
    shape = model.graph.input[0].type.tensor_type.shape
    for dim, value in zip(shape.dim, dims):
        dim.dim_value = value


def _external(model) -> None:
    from onnx import TensorProto
    init = model.graph.initializer[0]
    init.data_location = TensorProto.EXTERNAL
    entry = init.external_data.add()
    entry.key, entry.value = "location", "/etc/hostname"


def _vector_clip_bound(model) -> None:
    from onnx import helper, numpy_helper
    model.opset_import[0].version = 13
    model.graph.initializer.append(numpy_helper.from_array(np.zeros(3, np.float32), "low"))
    node = model.graph.node[0]
    del node.input[1:]
    del node.attribute[:]
    node.input.append("low")
    model.graph.node[0].CopyFrom(helper.make_node("Clip", list(node.input), list(node.output),
                                                  name=node.name))


def _weights_as_bias(model) -> None:
    node = model.graph.node[0]
    del node.input[2:]
    node.input.append(node.input[1])


def _four_zero_points(model) -> None:
    """QLinearAdd's first zero point a vector of four for its one scale."""
    from onnx import numpy_helper
    node = next(n for n in model.graph.node if n.op_type == "QLinearAdd")
    model.graph.initializer.append(numpy_helper.from_array(np.zeros(4, np.int8), "zeros"))
    node.input[2] = "zeros"


def _matrix_reshape_target(model) -> None:
    from onnx import numpy_helper
    node = next(n for n in model.graph.node if n.op_type == "Reshape")
    model.graph.initializer.append(numpy_helper.from_array(np.ones((2, 2), np.int64),
                                                           "matrix_shape"))
    node.input[1] = "matrix_shape"


def _input_shape(model, dims) -> None:
    """The first input's shape replaced, rank included."""
    shape = model.graph.input[0].type.tensor_type.shape
    del shape.dim[:]
    for value in dims:
        shape.dim.add().dim_value = value


def _resize_sizes(sizes):
    def edit(model) -> None:
        from onnx import numpy_helper
        init = _initializer(model, "sizes")
        init.CopyFrom(numpy_helper.from_array(np.array(sizes, np.int64), "sizes"))
    return edit


def _folded_constant_of_shape(model) -> None:
    """A ConstantOfShape of 10^9 elements feeding the first node."""
    from onnx import helper, numpy_helper
    model.graph.initializer.append(numpy_helper.from_array(np.array([1000, 1000, 1000],
                                                                    np.int64), "huge_shape"))
    node = model.graph.node[0]
    model.graph.node.insert(0, helper.make_node("ConstantOfShape", ["huge_shape"], ["huge"],
                                                name="huge"))
    node.input[1] = "huge"


CASES = {
    # ONNX: nodes that do not match their operator's schema.
    "onnx_extra_input": lambda: _onnx(
        "onnx_add", lambda m: m.graph.node[0].input.append(m.graph.node[0].input[0])),
    "onnx_missing_input": lambda: _onnx(
        "onnx_grouped_conv", lambda m: m.graph.node[0].input.__delitem__(slice(1, None))),
    "onnx_empty_input": lambda: _onnx(
        "onnx_flatten", lambda m: m.graph.node[0].input.__setitem__(0, "")),
    "onnx_missing_attribute": lambda: _onnx(
        "onnx_concat", lambda m: _set_attribute(m.graph.node[-1], "axis", None)),
    "onnx_attribute_type": lambda: _onnx(
        "onnx_conv_transpose", lambda m: _set_attribute(m.graph.node[0], "pads", 3)),
    "onnx_reassigned_value": lambda: _onnx(
        "onnx_add", lambda m: m.graph.node[0].output.__setitem__(0, m.graph.input[0].name)),
    "onnx_clip_vector_bound": lambda: _onnx("onnx_clip_attributes", _vector_clip_bound),
    "onnx_reshape_matrix_shape": lambda: _onnx("onnx_reshape", _matrix_reshape_target),
    "onnx_conv_bias_shape": lambda: _onnx("onnx_conv_auto_pad", _weights_as_bias),
    "onnx_zero_points": lambda: _onnx("onnx_qlinear_matmul_add", _four_zero_points),
    "onnx_pad_weights_as_pads": lambda: _onnx(
        "onnx_conv_auto_pad", lambda m: setattr(m.graph.node[-1], "op_type", "Pad")),
    "onnx_non_utf8_attribute": lambda: _onnx(
        "onnx_resize_antialias", lambda m: _set_attribute(m.graph.node[0], "mode", b"c\xff\xff")),
    "onnx_newline_name": lambda: _onnx(
        "onnx_add", lambda m: setattr(m.graph.node[0], "op_type", "Foo\nBar")),
    "onnx_no_outputs": lambda: _onnx("onnx_add", lambda m: m.graph.ClearField("output")),
    # ONNX: shapes the handlers took on trust.
    "onnx_concat_constant_rank": lambda: _onnx(
        "onnx_concat", lambda m: _input_shape(m, [2, 3, 4])),
    "onnx_concat_shapes": lambda: _onnx(
        "onnx_average_pool", lambda m: _set_attribute(m.graph.node[0], "strides",
                                                      [1 << 62, 2])),
    "onnx_resize_negative_size": lambda: _onnx("onnx_resize_nearest",
                                               _resize_sizes([1, 2, -5, 8])),
    "onnx_float_shape": lambda: _onnx(
        "onnx_reshape", lambda m: setattr(_initializer(m, "flat_shape"), "data_type", 11)),
    # ONNX: a uint8 input no DequantizeLinear reads.
    "onnx_uint8_input": lambda: _onnx(
        "onnx_flatten", lambda m: setattr(m.graph.input[0].type.tensor_type, "elem_type", 2)),
    # Bytes protobuf stops at (an end-group tag) and warns about instead of failing.
    "onnx_end_group_tag": lambda: onnx_models.MODELS["onnx_add"]() + b"\x0c\x00",
    # ONNX: tensors that do not decode.
    "onnx_data_short": lambda: _onnx(
        "onnx_gemm", lambda m: setattr(m.graph.initializer[0], "raw_data",
                                       m.graph.initializer[0].raw_data[:-3])),
    "onnx_unknown_type": lambda: _onnx(
        "onnx_gemm", lambda m: setattr(m.graph.initializer[0], "data_type", 17)),
    "onnx_input_type": lambda: _onnx(
        "onnx_add", lambda m: setattr(m.graph.input[0].type.tensor_type, "elem_type", 99)),
    "onnx_external_data": lambda: _onnx("onnx_gemm", _external),
    # Resource limits.
    "onnx_huge_initializer": lambda: _onnx(
        "onnx_gemm", lambda m: m.graph.initializer[0].dims.__setitem__(0, 10**9)),
    "onnx_huge_input": lambda: _onnx("onnx_add", lambda m: _input_dims(m, [1, 1000, 1000, 1000])),
    "onnx_huge_folded": lambda: _onnx("onnx_add", _folded_constant_of_shape),
    "onnx_huge_resize": lambda: _onnx("onnx_resize_nearest",
                                      _resize_sizes([1, 2, 1, 10**9])),
    "tflite_huge_shape": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].tensors[0].shape[1]": 1000,
                        "model.subgraphs[0].tensors[0].shape[2]": 1000000}),
    # TFLite: values the converters took on trust.
    "tflite_negative_scale": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].tensors[0].quantization.scale[0]": -1.0}),
    "tflite_scale_ratio": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].tensors[1].quantization.scale[0]": 1e-30}),
    "tflite_window_shape": lambda: _tflite(
        "avg_pool2d_int8", **{"model.subgraphs[0].operators[0].builtin_options.stride_w": 3}),
    "tflite_input_rank": lambda: _tflite(
        "depthwise_conv2d_int8", **{"model.subgraphs[0].tensors[0].shape.<length>": 3}),
    "tflite_softmax_shape": lambda: _tflite(
        "softmax_f32", **{"model.subgraphs[0].tensors[1].shape[1]": 256}),
    # TFLite: operand element types (tensor type 0 is FLOAT32, 2 INT32).
    "tflite_int32_operand": lambda: _tflite(
        "add_int8", **{"model.subgraphs[0].tensors[1].type": 2}),
    "tflite_int32_kernel": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].tensors[0].type": 2,
                        "model.subgraphs[0].tensors[1].type": 2}),
    "tflite_float_bias": lambda: _tflite(
        "conv2d_int8", **{"model.subgraphs[0].tensors[2].type": 0}),
    "tflite_float_dequantize": lambda: _tflite(
        "dequantize_int8", **{"model.subgraphs[0].tensors[0].type": 0}),
    # TFLite: output shapes the inputs and attributes contradict.
    "tflite_concat_shape": lambda: _tflite(
        "concat_int8", **{"model.subgraphs[0].tensors[2].shape[3]": 9}),
    "tflite_pad_shape": lambda: _tflite(
        "pad_int8", **{"model.subgraphs[0].tensors[2].shape[1]": 7}),
    "tflite_mean_shape": lambda: _tflite(
        "mean_int8", **{"model.subgraphs[0].tensors[2].shape[3]": 5}),
    "tflite_fully_connected_shape": lambda: _tflite(
        "fully_connected_int8", **{"model.subgraphs[0].tensors[3].shape[1]": 6}),
    "tflite_conv_input_channels": lambda: _tflite(
        "conv2d_int8", **{"model.subgraphs[0].tensors[0].shape[3]": 4}),
    # A CONV_2D's [O, KH, KW, I] weights read as a DEPTHWISE_CONV_2D's (code 4).
    "tflite_conv_weights_as_depthwise": lambda: _tflite(
        "conv2d_int8", **{"model.operator_codes[0].deprecated_builtin_code": 4,
                          "model.operator_codes[0].builtin_code": 4}),
    "tflite_depthwise_output_channels": lambda: _tflite(
        "depthwise_conv2d_int8", **{"model.subgraphs[0].tensors[3].shape[3]": 6}),
    # A scalar model: pexc's partitioning crashed on a rank-0 value (C++, still open).
    "tflite_scalar": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].tensors[0].shape.<length>": 0,
                        "model.subgraphs[0].tensors[1].shape.<length>": 0}),
    "tflite_self_input": lambda: _tflite(
        "relu_int8", **{"model.subgraphs[0].operators[0].inputs[0]": 1}),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-fuzz-regressions",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", choices=sorted(CASES), metavar="NAME")
    parser.add_argument("-o", "--output")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        print("\n".join(sorted(CASES)))
        return 0
    if not args.output:
        parser.error("-o is required")
    with open(args.output, "wb") as file:
        file.write(CASES[args.name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
