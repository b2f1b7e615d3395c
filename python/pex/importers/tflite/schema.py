"""The parts of TFLite's schema (tensorflow/lite/schema/schema.fbs) the importer reads.

Fields are declared by their slot, i.e. their position in the .fbs table (a union takes
two slots: its type, then its value). The writer in `writer.py` uses the same slots.
"""

from __future__ import annotations

import numpy as np
from flatbuffers import number_types as N

from pex.importers.tflite.flatbuf import (Scalar, ScalarVector, String, TableField, TableVector,
                                          TableView, UnionValue)

FILE_IDENTIFIER = b"TFL3"

# enum TensorType, by value.
TENSOR_TYPE_NAMES = ("FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL",
                     "INT16", "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64",
                     "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4")
# The tensor types the importer handles, as graph element types.
ELEMENT_TYPES = {0: "f32", 2: "i32", 4: "i64", 6: "i1", 7: "i16", 9: "i8"}
UINT8 = 3

# enum BuiltinOperator, by value (0 ... 161).
BUILTIN_OPERATOR_NAMES = tuple("""
ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE
EMBEDDING_LOOKUP FLOOR FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D
LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1
RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM
CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER BATCH_TO_SPACE_ND
SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE
BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM
CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE
SIN TRANSPOSE_CONV SPARSE_TO_DENSE TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW
ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK
REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR
LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS
WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE
NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM
BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D IMAG
REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL
CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE BROADCAST_ARGS
RANDOM_STANDARD_NORMAL BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE
RELU_0_TO_1 UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2
UNSORTED_SEGMENT_MIN SIGN BITCAST BITWISE_XOR RIGHT_SHIFT
""".split())
BUILTIN_OPERATOR_CODES = {name: code for code, name in enumerate(BUILTIN_OPERATOR_NAMES)}

# enum Padding and enum ActivationFunctionType, by value.
PADDING_NAMES = ("SAME", "VALID")
ACTIVATION_NAMES = ("NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT")


def builtin_operator_name(code: int) -> str:
    if 0 <= code < len(BUILTIN_OPERATOR_NAMES):
        return BUILTIN_OPERATOR_NAMES[code]
    return f"builtin operator {code}"


class Buffer(TableView):
    TYPE_NAME = "Buffer"
    data = ScalarVector(0, np.uint8)
    offset = Scalar(1, N.Uint64Flags)  # for models over 2 GB: data stored after the flatbuffer
    size = Scalar(2, N.Uint64Flags)


class QuantizationParameters(TableView):
    TYPE_NAME = "QuantizationParameters"
    scale = ScalarVector(2, np.float32)
    zero_point = ScalarVector(3, np.int64)
    details_type = Scalar(4, N.Uint8Flags)
    quantized_dimension = Scalar(6, N.Int32Flags)


class Tensor(TableView):
    TYPE_NAME = "Tensor"
    shape = ScalarVector(0, np.int32)
    type = Scalar(1, N.Int8Flags)
    buffer = Scalar(2, N.Uint32Flags)
    name = String(3)
    quantization = TableField(4, QuantizationParameters)
    is_variable = Scalar(5, N.BoolFlags, False)  # state an operator keeps between invocations
    shape_signature = ScalarVector(7, np.int32)


class OperatorCode(TableView):
    TYPE_NAME = "OperatorCode"
    deprecated_builtin_code = Scalar(0, N.Int8Flags)
    custom_code = String(1)
    version = Scalar(2, N.Int32Flags, 1)
    builtin_code = Scalar(3, N.Int32Flags)

    @property
    def code(self) -> int:
        """Models before schema 3a set only the byte field; later ones may set both."""
        return max(self.deprecated_builtin_code, self.builtin_code)


class Operator(TableView):
    TYPE_NAME = "Operator"
    opcode_index = Scalar(0, N.Uint32Flags)
    inputs = ScalarVector(1, np.int32)
    outputs = ScalarVector(2, np.int32)
    builtin_options_type = Scalar(3, N.Uint8Flags)
    builtin_options = UnionValue(4)


class SubGraph(TableView):
    TYPE_NAME = "SubGraph"
    tensors = TableVector(0, Tensor)
    inputs = ScalarVector(1, np.int32)
    outputs = ScalarVector(2, np.int32)
    operators = TableVector(3, Operator)
    name = String(4)


class Metadata(TableView):
    TYPE_NAME = "Metadata"
    name = String(0)
    buffer = Scalar(1, N.Uint32Flags)


class Model(TableView):
    TYPE_NAME = "Model"
    version = Scalar(0, N.Uint32Flags)
    operator_codes = TableVector(1, OperatorCode)
    subgraphs = TableVector(2, SubGraph)
    description = String(3)
    buffers = TableVector(4, Buffer)
    metadata = TableVector(6, Metadata)


# Builtin options tables. UNION_TYPE is the table's index in `union BuiltinOptions`.

class Conv2DOptions(TableView):
    TYPE_NAME, UNION_TYPE = "Conv2DOptions", 1
    padding = Scalar(0, N.Int8Flags)
    stride_w = Scalar(1, N.Int32Flags)
    stride_h = Scalar(2, N.Int32Flags)
    fused_activation_function = Scalar(3, N.Int8Flags)
    dilation_w_factor = Scalar(4, N.Int32Flags, 1)
    dilation_h_factor = Scalar(5, N.Int32Flags, 1)


class DepthwiseConv2DOptions(TableView):
    TYPE_NAME, UNION_TYPE = "DepthwiseConv2DOptions", 2
    padding = Scalar(0, N.Int8Flags)
    stride_w = Scalar(1, N.Int32Flags)
    stride_h = Scalar(2, N.Int32Flags)
    depth_multiplier = Scalar(3, N.Int32Flags)
    fused_activation_function = Scalar(4, N.Int8Flags)
    dilation_w_factor = Scalar(5, N.Int32Flags, 1)
    dilation_h_factor = Scalar(6, N.Int32Flags, 1)


class Pool2DOptions(TableView):
    TYPE_NAME, UNION_TYPE = "Pool2DOptions", 5
    padding = Scalar(0, N.Int8Flags)
    stride_w = Scalar(1, N.Int32Flags)
    stride_h = Scalar(2, N.Int32Flags)
    filter_width = Scalar(3, N.Int32Flags)
    filter_height = Scalar(4, N.Int32Flags)
    fused_activation_function = Scalar(5, N.Int8Flags)


class SVDFOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SVDFOptions", 6
    rank = Scalar(0, N.Int32Flags)
    fused_activation_function = Scalar(1, N.Int8Flags)
    asymmetric_quantize_inputs = Scalar(2, N.BoolFlags, False)


class UnidirectionalSequenceLSTMOptions(TableView):
    TYPE_NAME, UNION_TYPE = "UnidirectionalSequenceLSTMOptions", 71
    fused_activation_function = Scalar(0, N.Int8Flags)
    cell_clip = Scalar(1, N.Float32Flags, 0.0)
    proj_clip = Scalar(2, N.Float32Flags, 0.0)
    time_major = Scalar(3, N.BoolFlags, False)
    asymmetric_quantize_inputs = Scalar(4, N.BoolFlags, False)
    diagonal_recurrent_tensors = Scalar(5, N.BoolFlags, False)


class FullyConnectedOptions(TableView):
    TYPE_NAME, UNION_TYPE = "FullyConnectedOptions", 8
    fused_activation_function = Scalar(0, N.Int8Flags)
    weights_format = Scalar(1, N.Int8Flags)
    keep_num_dims = Scalar(2, N.BoolFlags, False)


class SoftmaxOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SoftmaxOptions", 9
    beta = Scalar(0, N.Float32Flags, 0.0)


class ConcatenationOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ConcatenationOptions", 10
    axis = Scalar(0, N.Int32Flags)
    fused_activation_function = Scalar(1, N.Int8Flags)


class AddOptions(TableView):
    TYPE_NAME, UNION_TYPE = "AddOptions", 11
    fused_activation_function = Scalar(0, N.Int8Flags)


class ReshapeOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ReshapeOptions", 17
    new_shape = ScalarVector(0, np.int32)


class MulOptions(TableView):
    TYPE_NAME, UNION_TYPE = "MulOptions", 21
    fused_activation_function = Scalar(0, N.Int8Flags)


class GatherOptions(TableView):
    TYPE_NAME, UNION_TYPE = "GatherOptions", 23
    axis = Scalar(0, N.Int32Flags)
    batch_dims = Scalar(1, N.Int32Flags)


class ReducerOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ReducerOptions", 27
    keep_dims = Scalar(0, N.BoolFlags, False)


class SubOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SubOptions", 28
    fused_activation_function = Scalar(0, N.Int8Flags)


class DivOptions(TableView):
    TYPE_NAME, UNION_TYPE = "DivOptions", 29
    fused_activation_function = Scalar(0, N.Int8Flags)


class SqueezeOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SqueezeOptions", 30
    squeeze_dims = ScalarVector(0, np.int32)


class StridedSliceOptions(TableView):
    TYPE_NAME, UNION_TYPE = "StridedSliceOptions", 32
    begin_mask = Scalar(0, N.Int32Flags)
    end_mask = Scalar(1, N.Int32Flags)
    ellipsis_mask = Scalar(2, N.Int32Flags)
    new_axis_mask = Scalar(3, N.Int32Flags)
    shrink_axis_mask = Scalar(4, N.Int32Flags)
    offset = Scalar(5, N.BoolFlags, False)


class CastOptions(TableView):
    TYPE_NAME, UNION_TYPE = "CastOptions", 37
    in_data_type = Scalar(0, N.Int8Flags)
    out_data_type = Scalar(1, N.Int8Flags)


class ShapeOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ShapeOptions", 55
    out_type = Scalar(0, N.Int8Flags)


class PackOptions(TableView):
    TYPE_NAME, UNION_TYPE = "PackOptions", 59
    values_count = Scalar(0, N.Int32Flags)
    axis = Scalar(1, N.Int32Flags)


class LeakyReluOptions(TableView):
    TYPE_NAME, UNION_TYPE = "LeakyReluOptions", 75
    alpha = Scalar(0, N.Float32Flags, 0.0)


class GeluOptions(TableView):
    TYPE_NAME, UNION_TYPE = "GeluOptions", 116
    approximate = Scalar(0, N.BoolFlags, False)


class L2NormOptions(TableView):
    TYPE_NAME, UNION_TYPE = "L2NormOptions", 12
    fused_activation_function = Scalar(0, N.Int8Flags)


class ResizeBilinearOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ResizeBilinearOptions", 15
    align_corners = Scalar(2, N.BoolFlags, False)
    half_pixel_centers = Scalar(3, N.BoolFlags, False)


class SpaceToDepthOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SpaceToDepthOptions", 19
    block_size = Scalar(0, N.Int32Flags)


class SplitOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SplitOptions", 35
    num_splits = Scalar(0, N.Int32Flags)


class ArgMaxOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ArgMaxOptions", 40
    output_type = Scalar(0, N.Int8Flags)


class TransposeConvOptions(TableView):
    TYPE_NAME, UNION_TYPE = "TransposeConvOptions", 49
    padding = Scalar(0, N.Int8Flags)
    stride_w = Scalar(1, N.Int32Flags)
    stride_h = Scalar(2, N.Int32Flags)
    fused_activation_function = Scalar(3, N.Int8Flags)


class ArgMinOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ArgMinOptions", 57
    output_type = Scalar(0, N.Int8Flags)


class UnpackOptions(TableView):
    TYPE_NAME, UNION_TYPE = "UnpackOptions", 64
    num = Scalar(0, N.Int32Flags)
    axis = Scalar(1, N.Int32Flags)


class ResizeNearestNeighborOptions(TableView):
    TYPE_NAME, UNION_TYPE = "ResizeNearestNeighborOptions", 74
    align_corners = Scalar(0, N.BoolFlags, False)
    half_pixel_centers = Scalar(1, N.BoolFlags, False)


class MirrorPadOptions(TableView):
    TYPE_NAME, UNION_TYPE = "MirrorPadOptions", 77
    mode = Scalar(0, N.Int8Flags)  # REFLECT, SYMMETRIC


class SplitVOptions(TableView):
    TYPE_NAME, UNION_TYPE = "SplitVOptions", 79
    num_splits = Scalar(0, N.Int32Flags)


class DepthToSpaceOptions(TableView):
    TYPE_NAME, UNION_TYPE = "DepthToSpaceOptions", 94
    block_size = Scalar(0, N.Int32Flags)


class BatchMatMulOptions(TableView):
    TYPE_NAME, UNION_TYPE = "BatchMatMulOptions", 101
    adj_x = Scalar(0, N.BoolFlags, False)
    adj_y = Scalar(1, N.BoolFlags, False)


class CallOnceOptions(TableView):
    TYPE_NAME, UNION_TYPE = "CallOnceOptions", 103
    init_subgraph_index = Scalar(0, N.Int32Flags)


class VarHandleOptions(TableView):
    TYPE_NAME, UNION_TYPE = "VarHandleOptions", 111
    container = String(0)
    shared_name = String(1)
