// RUN: pex-opt %s -split-input-file --pex-normalize-tosa | FileCheck %s

// A PyTorch -> TFLite converter's explicit pad before a depthwise
// convolution, as the importer writes it (the batch dimension reshaped away
// around a 3-D pad): the pad is the convolution's padding, and its input is
// read directly.
// CHECK-LABEL: func.func @pad_into_depthwise
// CHECK-NOT:     tosa.pad
// CHECK-NOT:     tosa.reshape
// CHECK:         tosa.depthwise_conv2d %arg0, {{.*}} pad = array<i64: 1, 1, 1, 1>, {{.*}} -> tensor<1x8x8x4xi32>
func.func @pad_into_depthwise(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x4xi32> {
  %s3 = tosa.const_shape {values = dense<[8, 8, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s4 = tosa.const_shape {values = dense<[1, 10, 10, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %p = tosa.const_shape {values = dense<[1, 1, 1, 1, 0, 0]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %zp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<3x3x4x1xi8>} : () -> tensor<3x3x4x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %r = tosa.reshape %x, %s3 : (tensor<1x8x8x4xi8>, !tosa.shape<3>) -> tensor<8x8x4xi8>
  %padded = tosa.pad %r, %p, %zp : (tensor<8x8x4xi8>, !tosa.shape<6>, tensor<1xi8>) -> tensor<10x10x4xi8>
  %r4 = tosa.reshape %padded, %s4 : (tensor<10x10x4xi8>, !tosa.shape<4>) -> tensor<1x10x10x4xi8>
  %y = tosa.depthwise_conv2d %r4, %w, %b, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x4xi8>, tensor<3x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x4xi32>
  return %y : tensor<1x8x8x4xi32>
}

// -----

// Padding with another value than the input zero point adds real values to
// the sums: the pad stays (in its full rank).
// CHECK-LABEL: func.func @pad_value_not_zero_point
// CHECK:         %[[P:.*]] = tosa.pad %arg0
// CHECK-SAME:      -> tensor<1x10x10x4xi8>
// CHECK:         tosa.conv2d %[[P]], {{.*}} pad = array<i64: 0, 0, 0, 0>
func.func @pad_value_not_zero_point(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x2xi32> {
  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %value = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<2x3x3x4xi8>} : () -> tensor<2x3x3x4xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<2xi32>} : () -> tensor<2xi32>
  %padded = tosa.pad %x, %p, %value : (tensor<1x8x8x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x10x10x4xi8>
  %y = tosa.conv2d %padded, %w, %b, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x4xi8>, tensor<2x3x3x4xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x2xi32>
  return %y : tensor<1x8x8x2xi32>
}

// -----

// A float pad of 0.0 into a convolution that already pads: the paddings
// add (1 + 0 rows on top, 1 + 1 at the bottom, 0 + 1 columns at the right),
// and the slice of the last row removes one bottom row of padding.
// CHECK-LABEL: func.func @float_pad_adds_to_padding
// CHECK-NOT:     tosa.pad
// CHECK-NOT:     tosa.slice
// CHECK:         tosa.conv2d %arg0, {{.*}} pad = array<i64: 1, 1, 0, 2>{{.*}} -> tensor<1x8x8x2xf32>
func.func @float_pad_adds_to_padding(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x2xf32> {
  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 0, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %value = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x3x3x4xf32>} : () -> tensor<2x3x3x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %padded = tosa.pad %x, %p, %value : (tensor<1x8x8x4xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x10x9x4xf32>
  %y = tosa.conv2d %padded, %w, %b, %value, %value {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x10x9x4xf32>, tensor<2x3x3x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x9x8x2xf32>
  %s = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n = tosa.const_shape {values = dense<[1, 8, 8, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %c = tosa.slice %y, %s, %n : (tensor<1x9x8x2xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x8x2xf32>
  return %c : tensor<1x8x8x2xf32>
}

// -----

// Padding the channels is not a window's padding.
// CHECK-LABEL: func.func @pad_of_channels_stays
// CHECK:         tosa.pad
func.func @pad_of_channels_stays(%x: tensor<1x8x8x4xi8>) -> tensor<1x8x8x2xi32> {
  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 2]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<2x3x3x6xi8>} : () -> tensor<2x3x3x6xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<2xi32>} : () -> tensor<2xi32>
  %padded = tosa.pad %x, %p, %zp : (tensor<1x8x8x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x10x10x6xi8>
  %y = tosa.conv2d %padded, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x10x10x6xi8>, tensor<2x3x3x6xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x2xi32>
  return %y : tensor<1x8x8x2xi32>
}

// -----

// Max pooling ignores padding: a pad with the lowest int8 folds in.
// CHECK-LABEL: func.func @lowest_pad_into_max_pool
// CHECK-NOT:     tosa.pad
// CHECK:         tosa.max_pool2d %arg0 {{.*}}pad = array<i64: 0, 1, 0, 1>
func.func @lowest_pad_into_max_pool(%x: tensor<1x7x7x4xi8>) -> tensor<1x4x4x4xi8> {
  %p = tosa.const_shape {values = dense<[0, 0, 0, 1, 0, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %lowest = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %padded = tosa.pad %x, %p, %lowest : (tensor<1x7x7x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x8x8x4xi8>
  %y = tosa.max_pool2d %padded {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// With another value the pad's elements can be maxima.
// CHECK-LABEL: func.func @zero_pad_before_max_pool_stays
// CHECK:         tosa.pad
func.func @zero_pad_before_max_pool_stays(%x: tensor<1x7x7x4xi8>) -> tensor<1x4x4x4xi8> {
  %p = tosa.const_shape {values = dense<[0, 0, 0, 1, 0, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %zero = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %padded = tosa.pad %x, %p, %zero : (tensor<1x7x7x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x8x8x4xi8>
  %y = tosa.max_pool2d %padded {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// Average pooling excludes its own padding from the count, but not an
// explicit pad's elements: not the same.
// CHECK-LABEL: func.func @pad_before_avg_pool_stays
// CHECK:         tosa.pad
func.func @pad_before_avg_pool_stays(%x: tensor<1x6x6x4xi8>) -> tensor<1x4x4x4xi8> {
  %p = tosa.const_shape {values = dense<[0, 0, 1, 1, 1, 1, 0, 0]> : tensor<8xindex>} : () -> !tosa.shape<8>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %padded = tosa.pad %x, %p, %zp : (tensor<1x6x6x4xi8>, !tosa.shape<8>, tensor<1xi8>) -> tensor<1x8x8x4xi8>
  %y = tosa.avg_pool2d %padded, %zp, %zp {acc_type = i32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// A 2x2 max pool with stride 2 over 39 rows reads 38: the importer's slice
// moves through the pooled tensor's rescale and the convolution computing
// it, which now computes 38 rows from the 40 input rows they read.
// CHECK-LABEL: func.func @trailing_slice_through_conv
// CHECK:         %[[IN:.*]] = tosa.slice %arg0, {{.*}} -> tensor<1x40x40x4xi8>
// CHECK:         %[[C:.*]] = tosa.conv2d %[[IN]], {{.*}} pad = array<i64: 0, 0, 0, 0>{{.*}} -> tensor<1x38x38x8xi32>
// CHECK:         %[[R:.*]] = tosa.rescale %[[C]], {{.*}} -> tensor<1x38x38x8xi8>
// CHECK:         tosa.max_pool2d %[[R]] {{.*}} -> tensor<1x19x19x8xi8>
func.func @trailing_slice_through_conv(%x: tensor<1x41x41x4xi8>) -> tensor<1x19x19x8xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %w = "tosa.const"() {values = dense<1> : tensor<8x3x3x4xi8>} : () -> tensor<8x3x3x4xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<8xi32>} : () -> tensor<8xi32>
  %sh = "tosa.const"() {values = dense<33> : tensor<8xi8>} : () -> tensor<8xi8>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x41x41x4xi8>, tensor<8x3x3x4xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x39x39x8xi32>
  %r = tosa.rescale %c, %m, %sh, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x39x39x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x39x39x8xi8>
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 38, 38, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s = tosa.slice %r, %start, %size : (tensor<1x39x39x8xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x38x38x8xi8>
  %y = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x38x38x8xi8>) -> tensor<1x19x19x8xi8>
  return %y : tensor<1x19x19x8xi8>
}

// -----

// When the kept rows reach into the bottom padding, the input stays whole
// and only that padding shrinks.
// CHECK-LABEL: func.func @trailing_slice_into_padding
// CHECK-NOT:     tosa.slice
// CHECK:         tosa.depthwise_conv2d %arg0, {{.*}} pad = array<i64: 1, 0, 1, 1>{{.*}} -> tensor<1x8x9x4xi32>
func.func @trailing_slice_into_padding(%x: tensor<1x9x9x4xi8>) -> tensor<1x8x9x4xi32> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<3x3x4x1xi8>} : () -> tensor<3x3x4x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %c = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x9x9x4xi8>, tensor<3x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x9x9x4xi32>
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 8, 9, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s = tosa.slice %c, %start, %size : (tensor<1x9x9x4xi32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x9x4xi32>
  return %s : tensor<1x8x9x4xi32>
}

// -----

// A float leaky ReLU, max(x, 0.1 x), before a floor-mode pool: the slice
// moves through the maximum and the multiplication, the two identical slices
// of the convolution's result become one, and the convolution computes only
// the rows the pool reads.
// CHECK-LABEL: func.func @identical_slices_merge
// CHECK-NOT:     tosa.slice
// CHECK:         %[[C:.*]] = tosa.conv2d %arg0, {{.*}} pad = array<i64: 1, 0, 1, 0>{{.*}} -> tensor<1x4x4x2xf32>
// CHECK:         %[[M:.*]] = tosa.mul %[[C]]
// CHECK:         %[[L:.*]] = tosa.maximum %[[C]], %[[M]]
// CHECK:         tosa.max_pool2d %[[L]]
func.func @identical_slices_merge(%x: tensor<1x5x5x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x3x3x2xf32>} : () -> tensor<2x3x3x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %alpha = "tosa.const"() {values = dense<0.1> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %c = tosa.conv2d %x, %w, %b, %zero, %zero {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x5x5x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x2xf32>
  %m = tosa.mul %c, %alpha, %shift : (tensor<1x5x5x2xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<1x5x5x2xf32>
  %l = tosa.maximum %c, %m : (tensor<1x5x5x2xf32>, tensor<1x5x5x2xf32>) -> tensor<1x5x5x2xf32>
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 4, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s = tosa.slice %l, %start, %size : (tensor<1x5x5x2xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x2xf32>
  %y = tosa.max_pool2d %s {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A slice of a tensor that is also read whole stays a view.
// CHECK-LABEL: func.func @slice_of_shared_tensor_stays
// CHECK:         %[[C:.*]] = tosa.depthwise_conv2d %arg0
// CHECK:         tosa.slice %[[C]]
func.func @slice_of_shared_tensor_stays(%x: tensor<1x9x9x4xi8>) -> (tensor<1x8x8x4xi32>, tensor<1x9x9x4xi32>) {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<3x3x4x1xi8>} : () -> tensor<3x3x4x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %c = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x9x9x4xi8>, tensor<3x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x9x9x4xi32>
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 8, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s = tosa.slice %c, %start, %size : (tensor<1x9x9x4xi32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x8x8x4xi32>
  return %s, %c : tensor<1x8x8x4xi32>, tensor<1x9x9x4xi32>
}

// -----

// The importer's pad form before a strided depthwise convolution with the
// slice TOSA's exact division needs: the slice cuts the pad's trailing
// padding, then the pad folds into the convolution.
// CHECK-LABEL: func.func @pad_slice_strided_depthwise
// CHECK-NOT:     tosa.pad
// CHECK-NOT:     tosa.slice
// CHECK:         tosa.depthwise_conv2d %arg0, {{.*}} pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>{{.*}} -> tensor<1x4x4x4xi32>
func.func @pad_slice_strided_depthwise(%x: tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi32> {
  %s3 = tosa.const_shape {values = dense<[8, 8, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s4 = tosa.const_shape {values = dense<[1, 10, 10, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %p = tosa.const_shape {values = dense<[1, 1, 1, 1, 0, 0]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<1> : tensor<3x3x4x1xi8>} : () -> tensor<3x3x4x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %r = tosa.reshape %x, %s3 : (tensor<1x8x8x4xi8>, !tosa.shape<3>) -> tensor<8x8x4xi8>
  %padded = tosa.pad %r, %p, %zp : (tensor<8x8x4xi8>, !tosa.shape<6>, tensor<1xi8>) -> tensor<10x10x4xi8>
  %r4 = tosa.reshape %padded, %s4 : (tensor<10x10x4xi8>, !tosa.shape<4>) -> tensor<1x10x10x4xi8>
  %start = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %size = tosa.const_shape {values = dense<[1, 9, 9, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %cut = tosa.slice %r4, %start, %size : (tensor<1x10x10x4xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x9x9x4xi8>
  %y = tosa.depthwise_conv2d %cut, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x9x9x4xi8>, tensor<3x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
  return %y : tensor<1x4x4x4xi32>
}

// -----

// A fully connected layer over a flattened 2x3x4 map is a 2x3 convolution
// over the map, its weights reshaped.
// CHECK-LABEL: func.func @flattened_fully_connected
// CHECK:         %[[W:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<5x2x3x4xi8>}>
// CHECK:         tosa.conv2d %arg0, %[[W]], {{.*}} : (tensor<1x2x3x4xi8>, tensor<5x2x3x4xi8>, {{.*}}) -> tensor<1x1x1x5xi32>
func.func @flattened_fully_connected(%x: tensor<1x2x3x4xi8>) -> tensor<1x1x1x5xi32> {
  %flat = tosa.const_shape {values = dense<[1, 1, 1, 24]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]], [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]], [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]], [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]], [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]]]]> : tensor<5x1x1x24xi8>} : () -> tensor<5x1x1x24xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<5xi32>} : () -> tensor<5xi32>
  %r = tosa.reshape %x, %flat : (tensor<1x2x3x4xi8>, !tosa.shape<4>) -> tensor<1x1x1x24xi8>
  %y = tosa.conv2d %r, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x24xi8>, tensor<5x1x1x24xi8>, tensor<5xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x5xi32>
  return %y : tensor<1x1x1x5xi32>
}

// -----

// A pair of transposes that cancel, and an identity, disappear.
// CHECK-LABEL: func.func @transposes_cancel
// CHECK-NOT:     tosa.transpose
// CHECK-NOT:     tosa.identity
// CHECK:         return %arg0
func.func @transposes_cancel(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  %t = tosa.transpose %x {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
  %i = tosa.identity %t : (tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  %u = tosa.transpose %i {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x3xf32>) -> tensor<1x3x8x8xf32>
  return %u : tensor<1x3x8x8xf32>
}

// -----

// One table read by two gathers, each through its own reshape (an unrolled
// nn.EmbeddingBag): the table in the gathers' shape, one constant.
// CHECK-LABEL: func.func @reshaped_table
// CHECK:         %[[TABLE:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<1x4x2xf32>}>
// CHECK-NOT:     tosa.reshape
// CHECK:         tosa.gather %[[TABLE]], %arg0
// CHECK:         tosa.gather %[[TABLE]], %arg1
func.func @reshaped_table(%a: tensor<1x3xi32>, %b: tensor<1x3xi32>) -> (tensor<1x3x2xf32>, tensor<1x3x2xf32>) {
  %table = "tosa.const"() {values = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %shape = tosa.const_shape {values = dense<[1, 4, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %t1 = tosa.reshape %table, %shape : (tensor<4x2xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32>
  %t2 = tosa.reshape %table, %shape : (tensor<4x2xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32>
  %g1 = tosa.gather %t1, %a : (tensor<1x4x2xf32>, tensor<1x3xi32>) -> tensor<1x3x2xf32>
  %g2 = tosa.gather %t2, %b : (tensor<1x4x2xf32>, tensor<1x3xi32>) -> tensor<1x3x2xf32>
  return %g1, %g2 : tensor<1x3x2xf32>, tensor<1x3x2xf32>
}

// -----

// A constant another operator reads as it is keeps its reshapes (folding
// them would store the data twice).
// CHECK-LABEL: func.func @table_read_whole_too
// CHECK-COUNT-2: tosa.reshape
func.func @table_read_whole_too(%a: tensor<1x3xi32>, %x: tensor<4x2xf32>) -> (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<4x2xf32>) {
  %table = "tosa.const"() {values = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %shape = tosa.const_shape {values = dense<[1, 4, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %t1 = tosa.reshape %table, %shape : (tensor<4x2xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32>
  %t2 = tosa.reshape %table, %shape : (tensor<4x2xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32>
  %g1 = tosa.gather %t1, %a : (tensor<1x4x2xf32>, tensor<1x3xi32>) -> tensor<1x3x2xf32>
  %g2 = tosa.gather %t2, %a : (tensor<1x4x2xf32>, tensor<1x3xi32>) -> tensor<1x3x2xf32>
  %s = tosa.add %x, %table : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return %g1, %g2, %s : tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<4x2xf32>
}

// -----

// TFLite's int8 MEAN over rows and columns as the importer writes it (widen
// minus the zero point, sum rows, sum columns): the columns are summed
// first, straight from the int8 values by a depthwise convolution with
// weights 1 whose input zero point is the widening's, then the rows.
// CHECK-LABEL: func.func @int8_mean
// CHECK-SAME:    (%[[X:.*]]: tensor<1x6x5x3xi8>)
// CHECK-DAG:     %[[ONES:.*]] = "tosa.const"() <{values = dense<1> : tensor<1x5x3x1xi8>}>
// CHECK-DAG:     %[[ZP:.*]] = "tosa.const"() <{values = dense<-7> : tensor<1xi8>}>
// CHECK:         %[[COLUMNS:.*]] = tosa.depthwise_conv2d %[[X]], %[[ONES]], %{{.*}}, %[[ZP]], %{{.*}} {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} {{.*}} -> tensor<1x6x1x3xi32>
// CHECK:         %[[ROWS:.*]] = tosa.reduce_sum %[[COLUMNS]] {axis = 1 : i32} : (tensor<1x6x1x3xi32>) -> tensor<1x1x1x3xi32>
// CHECK:         tosa.rescale %[[ROWS]]
// CHECK-NOT:     tosa.reduce_sum
func.func @int8_mean(%x: tensor<1x6x5x3xi8>) -> tensor<1x1x1x3xi8> {
  %one = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %thirty = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<-7> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<1431655765> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<35> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = tosa.rescale %x, %one, %thirty, %zp, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x6x5x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x6x5x3xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<1x6x5x3xi32>) -> tensor<1x1x5x3xi32>
  %c = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<1x1x5x3xi32>) -> tensor<1x1x1x3xi32>
  %y = tosa.rescale %c, %m, %s, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x1x1x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x1x3xi8>
  return %y : tensor<1x1x1x3xi8>
}

// -----

// A widening that scales (here by 2) is not a depthwise convolution with
// weights 1, and float sums keep their order.
// CHECK-LABEL: func.func @scaled_widening
// CHECK-NOT:     tosa.depthwise_conv2d
// CHECK:         tosa.reduce_sum %{{.*}} {axis = 2 : i32}
// CHECK-LABEL: func.func @float_sums
// CHECK:         tosa.reduce_sum %{{.*}} {axis = 1 : i32}
// CHECK:         tosa.reduce_sum %{{.*}} {axis = 2 : i32}
func.func @scaled_widening(%x: tensor<1x6x5x3xi8>) -> tensor<1x6x1x3xi32> {
  %two = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %shift = "tosa.const"() {values = dense<29> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<-7> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %w = tosa.rescale %x, %two, %shift, %zp, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x6x5x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x6x5x3xi32>
  %c = tosa.reduce_sum %w {axis = 2 : i32} : (tensor<1x6x5x3xi32>) -> tensor<1x6x1x3xi32>
  return %c : tensor<1x6x1x3xi32>
}
func.func @float_sums(%x: tensor<1x6x5x3xf32>) -> tensor<1x1x1x3xf32> {
  %r = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x6x5x3xf32>) -> tensor<1x1x5x3xf32>
  %c = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<1x1x5x3xf32>) -> tensor<1x1x1x3xf32>
  return %c : tensor<1x1x1x3xf32>
}

// -----

// A widening read elsewhere too stays (the depthwise convolution would not
// remove it), and a per-channel widening (here one channel scaled by 1.25)
// is no zero-point subtraction alone.
// CHECK-LABEL: func.func @widening_read_twice
// CHECK-NOT:     tosa.depthwise_conv2d
// CHECK-LABEL: func.func @per_channel_widening
// CHECK-NOT:     tosa.depthwise_conv2d
func.func @widening_read_twice(%x: tensor<1x6x5x3xi8>) -> (tensor<1x6x1x3xi32>, tensor<1x6x5x3xi32>) {
  %one = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %thirty = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<-7> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %w = tosa.rescale %x, %one, %thirty, %zp, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x6x5x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x6x5x3xi32>
  %c = tosa.reduce_sum %w {axis = 2 : i32} : (tensor<1x6x5x3xi32>) -> tensor<1x6x1x3xi32>
  return %c, %w : tensor<1x6x1x3xi32>, tensor<1x6x5x3xi32>
}
func.func @per_channel_widening(%x: tensor<1x6x5x3xi8>) -> tensor<1x6x1x3xi32> {
  %one = "tosa.const"() {values = dense<[1073741824, 1073741824, 1342177280]> : tensor<3xi32>} : () -> tensor<3xi32>
  %thirty = "tosa.const"() {values = dense<30> : tensor<3xi8>} : () -> tensor<3xi8>
  %zp = "tosa.const"() {values = dense<-7> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %w = tosa.rescale %x, %one, %thirty, %zp, %zp32 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x6x5x3xi8>, tensor<3xi32>, tensor<3xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x6x5x3xi32>
  %c = tosa.reduce_sum %w {axis = 2 : i32} : (tensor<1x6x5x3xi32>) -> tensor<1x6x1x3xi32>
  return %c : tensor<1x6x1x3xi32>
}

// -----

// A 1-D convolution as the ONNX importer writes it: a conv2d one row high,
// its i32 accumulator reshaped back to [N, L, C], rescaled and clamped, then
// reshaped into the next window's image. The rescale and the clamp run on the
// image, where the reshapes cancel.
// CHECK-LABEL: func.func @elementwise_before_reshape
// CHECK-NOT:     tosa.reshape
// CHECK:         %[[ACC:.*]] = tosa.conv2d
// CHECK:         %[[Q:.*]] = tosa.rescale %[[ACC]], {{.*}} -> tensor<1x1x16x4xi8>
// CHECK:         %[[R:.*]] = tosa.clamp %[[Q]] {{.*}} -> tensor<1x1x16x4xi8>
// CHECK:         tosa.depthwise_conv2d %[[R]],
func.func @elementwise_before_reshape(%x: tensor<1x1x16x2xi8>) -> tensor<1x1x16x4xi32> {
  %s3 = tosa.const_shape {values = dense<[1, 16, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s4 = tosa.const_shape {values = dense<[1, 1, 16, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %w = "tosa.const"() {values = dense<1> : tensor<4x1x3x2xi8>} : () -> tensor<4x1x3x2xi8>
  %dw = "tosa.const"() {values = dense<1> : tensor<1x3x4x1xi8>} : () -> tensor<1x3x4x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<4xi32>} : () -> tensor<4xi32>
  %sh = "tosa.const"() {values = dense<33> : tensor<4xi8>} : () -> tensor<4xi8>
  %acc = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x1x16x2xi8>, tensor<4x1x3x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x16x4xi32>
  %signal = tosa.reshape %acc, %s3 : (tensor<1x1x16x4xi32>, !tosa.shape<3>) -> tensor<1x16x4xi32>
  %q = tosa.rescale %signal, %m, %sh, %izp, %zp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x16x4xi32>, tensor<4xi32>, tensor<4xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x16x4xi8>
  %r = tosa.clamp %q {max_val = 100 : i8, min_val = 0 : i8} : (tensor<1x16x4xi8>) -> tensor<1x16x4xi8>
  %image = tosa.reshape %r, %s4 : (tensor<1x16x4xi8>, !tosa.shape<4>) -> tensor<1x1x16x4xi8>
  %y = tosa.depthwise_conv2d %image, %dw, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x1x16x4xi8>, tensor<1x3x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x16x4xi32>
  return %y : tensor<1x1x16x4xi32>
}

// -----

// A reshape that regroups the channels (a flatten before a fully connected
// layer) stays before the element-wise operator reading it.
// CHECK-LABEL: func.func @reshape_of_channels_stays
// CHECK:         %[[FLAT:.*]] = tosa.reshape %arg0
// CHECK-NEXT:    tosa.clamp %[[FLAT]]
func.func @reshape_of_channels_stays(%x: tensor<1x2x2x4xi8>) -> tensor<1x16xi8> {
  %s = tosa.const_shape {values = dense<[1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %flat = tosa.reshape %x, %s : (tensor<1x2x2x4xi8>, !tosa.shape<2>) -> tensor<1x16xi8>
  %y = tosa.clamp %flat {max_val = 100 : i8, min_val = 0 : i8} : (tensor<1x16xi8>) -> tensor<1x16xi8>
  return %y : tensor<1x16xi8>
}

// -----

// An element-wise operator of two activations would need its other operand
// reshaped too: it stays after the reshape.
// CHECK-LABEL: func.func @binary_stays
// CHECK:         %[[SIGNAL:.*]] = tosa.reshape %arg0
// CHECK-NEXT:    tosa.add %[[SIGNAL]], %arg1
func.func @binary_stays(%x: tensor<1x1x8x4xf32>, %other: tensor<1x8x4xf32>) -> tensor<1x8x4xf32> {
  %s = tosa.const_shape {values = dense<[1, 8, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %signal = tosa.reshape %x, %s : (tensor<1x1x8x4xf32>, !tosa.shape<3>) -> tensor<1x8x4xf32>
  %y = tosa.add %signal, %other : (tensor<1x8x4xf32>, tensor<1x8x4xf32>) -> tensor<1x8x4xf32>
  return %y : tensor<1x8x4xf32>
}

// -----

// A float QuantizeLinear -> DequantizeLinear round trip after a reshape, its
// scales and zero points broadcast constants of the reshaped rank: they take
// the source's rank, the round trip runs before the reshape, and a reshape
// back cancels.
// CHECK-LABEL: func.func @broadcast_parameters_follow
// CHECK-NOT:     tosa.reshape
// CHECK:         %[[Q:.*]] = tosa.mul %arg0, {{.*}} : (tensor<4x1x8xf32>, tensor<1x1x1xf32>, tensor<1xi8>) -> tensor<4x1x8xf32>
// CHECK:         %[[I:.*]] = tosa.cast %[[Q]] : (tensor<4x1x8xf32>) -> tensor<4x1x8xi8>
// CHECK:         %[[F:.*]] = tosa.cast %[[I]] : (tensor<4x1x8xi8>) -> tensor<4x1x8xf32>
// CHECK:         tosa.sub %[[F]], {{.*}} : (tensor<4x1x8xf32>, tensor<1x1x8xf32>) -> tensor<4x1x8xf32>
func.func @broadcast_parameters_follow(%x: tensor<4x1x8xf32>) -> tensor<4x1x8xf32> {
  %s4 = tosa.const_shape {values = dense<[4, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s3 = tosa.const_shape {values = dense<[4, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %inverse = "tosa.const"() {values = dense<64.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %zero = "tosa.const"() {values = dense<[[[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]]]]> : tensor<1x1x1x8xf32>} : () -> tensor<1x1x1x8xf32>
  %image = tosa.reshape %x, %s4 : (tensor<4x1x8xf32>, !tosa.shape<4>) -> tensor<4x1x1x8xf32>
  %scaled = tosa.mul %image, %inverse, %shift : (tensor<4x1x1x8xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<4x1x1x8xf32>
  %q = tosa.cast %scaled : (tensor<4x1x1x8xf32>) -> tensor<4x1x1x8xi8>
  %f = tosa.cast %q : (tensor<4x1x1x8xi8>) -> tensor<4x1x1x8xf32>
  %centred = tosa.sub %f, %zero : (tensor<4x1x1x8xf32>, tensor<1x1x1x8xf32>) -> tensor<4x1x1x8xf32>
  %back = tosa.reshape %centred, %s3 : (tensor<4x1x1x8xf32>, !tosa.shape<3>) -> tensor<4x1x8xf32>
  return %back : tensor<4x1x8xf32>
}

// -----

// A parameter that varies along a dimension other than the channels would not
// broadcast over the source's shape: the operator stays after the reshape.
// CHECK-LABEL: func.func @spatial_parameter_stays
// CHECK:         %[[IMAGE:.*]] = tosa.reshape %arg0
// CHECK-NEXT:    tosa.mul %[[IMAGE]],
func.func @spatial_parameter_stays(%x: tensor<4x8xf32>) -> tensor<4x1x1x8xf32> {
  %s4 = tosa.const_shape {values = dense<[4, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %rows = "tosa.const"() {values = dense<[[[[1.0]]], [[[2.0]]], [[[3.0]]], [[[4.0]]]]> : tensor<4x1x1x1xf32>} : () -> tensor<4x1x1x1xf32>
  %image = tosa.reshape %x, %s4 : (tensor<4x8xf32>, !tosa.shape<4>) -> tensor<4x1x1x8xf32>
  %y = tosa.mul %image, %rows, %shift : (tensor<4x1x1x8xf32>, tensor<4x1x1x1xf32>, tensor<1xi8>) -> tensor<4x1x1x8xf32>
  return %y : tensor<4x1x1x8xf32>
}

// -----

// The next state of a recurrent step, yielded by the loop: an element-wise
// operator moved before the reshape would leave the loop carrying a view. It
// stays after the reshape.
// CHECK-LABEL: func.func @loop_carried_stays
// CHECK:         scf.for
// CHECK:           tosa.add
// CHECK-NEXT:      %[[ROW:.*]] = tosa.reshape
// CHECK-NEXT:      %[[NEXT:.*]] = tosa.tanh %[[ROW]]
// CHECK-NEXT:      scf.yield %[[NEXT]]
func.func @loop_carried_stays(%h0: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %s4 = tosa.const_shape {values = dense<[1, 1, 1, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s2 = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %h = scf.for %i = %c0 to %c3 step %c1 iter_args(%state = %h0) -> (tensor<1x4xf32>) {
    %image = tosa.reshape %state, %s4 : (tensor<1x4xf32>, !tosa.shape<4>) -> tensor<1x1x1x4xf32>
    %sum = tosa.add %image, %image : (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32>
    %row = tosa.reshape %sum, %s2 : (tensor<1x1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
    %next = tosa.tanh %row : (tensor<1x4xf32>) -> tensor<1x4xf32>
    scf.yield %next : tensor<1x4xf32>
  }
  return %h : tensor<1x4xf32>
}

// -----

// A 1-D pooling's output reshaped back to [N, L, C] and averaged over time
// (PyTorch's max_pool1d(...).mean(-1)): the sum runs on the pooled image,
// where its axis is the same dimension, and the chain to it is not cut.
// CHECK-LABEL: func.func @reduction_before_reshape
// CHECK:         %[[POOL:.*]] = tosa.max_pool2d
// CHECK-NEXT:    %[[SUM:.*]] = tosa.reduce_sum %[[POOL]] {axis = 2 : i32} : (tensor<1x1x8x4xf32>) -> tensor<1x1x1x4xf32>
// CHECK:         tosa.reshape %[[SUM]], {{.*}} -> tensor<1x1x4xf32>
func.func @reduction_before_reshape(%x: tensor<1x1x16x4xf32>) -> tensor<1x1x4xf32> {
  %s3 = tosa.const_shape {values = dense<[1, 8, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %pool = tosa.max_pool2d %x {kernel = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 2>} : (tensor<1x1x16x4xf32>) -> tensor<1x1x8x4xf32>
  %signal = tosa.reshape %pool, %s3 : (tensor<1x1x8x4xf32>, !tosa.shape<3>) -> tensor<1x8x4xf32>
  %sum = tosa.reduce_sum %signal {axis = 1 : i32} : (tensor<1x8x4xf32>) -> tensor<1x1x4xf32>
  return %sum : tensor<1x1x4xf32>
}

// -----

// A reshape that regroups non-unit dimensions ([1, 4, 8] -> [1, 32]) keeps
// the reduction after it.
// CHECK-LABEL: func.func @reduction_of_regrouped_stays
// CHECK:         %[[FLAT:.*]] = tosa.reshape %arg0
// CHECK-NEXT:    tosa.reduce_max %[[FLAT]] {axis = 1 : i32}
func.func @reduction_of_regrouped_stays(%x: tensor<1x4x8xf32>) -> tensor<1x1xf32> {
  %s = tosa.const_shape {values = dense<[1, 32]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %flat = tosa.reshape %x, %s : (tensor<1x4x8xf32>, !tosa.shape<2>) -> tensor<1x32xf32>
  %max = tosa.reduce_max %flat {axis = 1 : i32} : (tensor<1x32xf32>) -> tensor<1x1xf32>
  return %max : tensor<1x1xf32>
}

// -----

// A Linear over the channels of a 2x3x4 map (the map's pixels reshaped to
// [6,1,1,4] rows, a 1x1 convolution) runs on the map itself, its result
// reshaped back to the rows.
// CHECK-LABEL: func.func @pixels_flattened_to_pointwise_conv
// CHECK:         %[[C:.*]] = tosa.conv2d %arg0, {{.*}} : (tensor<1x2x3x4xf32>, tensor<5x1x1x4xf32>, {{.*}}) -> tensor<1x2x3x5xf32>
// CHECK:         tosa.reshape %[[C]], {{.*}} -> tensor<6x1x1x5xf32>
func.func @pixels_flattened_to_pointwise_conv(%x: tensor<1x2x3x4xf32>) -> tensor<6x1x1x5xf32> {
  %rows = tosa.const_shape {values = dense<[6, 1, 1, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<0.5> : tensor<5x1x1x4xf32>} : () -> tensor<5x1x1x4xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<5xf32>} : () -> tensor<5xf32>
  %r = tosa.reshape %x, %rows : (tensor<1x2x3x4xf32>, !tosa.shape<4>) -> tensor<6x1x1x4xf32>
  %y = tosa.conv2d %r, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<6x1x1x4xf32>, tensor<5x1x1x4xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<6x1x1x5xf32>
  return %y : tensor<6x1x1x5xf32>
}

// -----

// Queries, keys and values cut from one projection (PyTorch's
// MultiheadAttention: a Linear of 3 x 4 outputs, then chunk): each part is
// computed by a projection of its own, with the bias's part, and reshaped
// like the whole was; no slice copies it out.
// CHECK-LABEL: func.func @projection_cut_in_three
// CHECK-DAG:     %[[W0:.*]] = "tosa.const"() <{values = dense<1.000000e+00> : tensor<4x1x1x2xf32>}>
// CHECK-DAG:     %[[W2:.*]] = "tosa.const"() <{values = dense<3.000000e+00> : tensor<4x1x1x2xf32>}>
// CHECK-DAG:     %[[B0:.*]] = "tosa.const"() <{values = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4xf32>}>
// CHECK-DAG:     %[[B2:.*]] = "tosa.const"() <{values = dense<[8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01]> : tensor<4xf32>}>
// CHECK-NOT:     tosa.slice
// CHECK:         %[[Q:.*]] = tosa.conv2d %arg0, %[[W0]], %[[B0]], {{.*}} -> tensor<5x1x1x4xf32>
// CHECK:         tosa.reshape %[[Q]], {{.*}} -> tensor<1x5x4xf32>
// CHECK:         tosa.conv2d {{.*}} -> tensor<5x1x1x4xf32>
// CHECK:         %[[V:.*]] = tosa.conv2d %arg0, %[[W2]], %[[B2]], {{.*}} -> tensor<5x1x1x4xf32>
// CHECK:         tosa.reshape %[[V]], {{.*}} -> tensor<1x5x4xf32>
func.func @projection_cut_in_three(%x: tensor<5x1x1x2xf32>) -> (tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>) {
  %w = "tosa.const"() {values = dense<[[[[1.0, 1.0]]], [[[1.0, 1.0]]], [[[1.0, 1.0]]], [[[1.0, 1.0]]], [[[2.0, 2.0]]], [[[2.0, 2.0]]], [[[2.0, 2.0]]], [[[2.0, 2.0]]], [[[3.0, 3.0]]], [[[3.0, 3.0]]], [[[3.0, 3.0]]], [[[3.0, 3.0]]]]> : tensor<12x1x1x2xf32>} : () -> tensor<12x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]> : tensor<12xf32>} : () -> tensor<12xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 5, 12]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 5, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s1 = tosa.const_shape {values = dense<[0, 0, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %s2 = tosa.const_shape {values = dense<[0, 0, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<5x1x1x2xf32>, tensor<12x1x1x2xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<5x1x1x12xf32>
  %r = tosa.reshape %y, %shape : (tensor<5x1x1x12xf32>, !tosa.shape<3>) -> tensor<1x5x12xf32>
  %q = tosa.slice %r, %s0, %size : (tensor<1x5x12xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x5x4xf32>
  %k = tosa.slice %r, %s1, %size : (tensor<1x5x12xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x5x4xf32>
  %v = tosa.slice %r, %s2, %size : (tensor<1x5x12xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x5x4xf32>
  return %q, %k, %v : tensor<1x5x4xf32>, tensor<1x5x4xf32>, tensor<1x5x4xf32>
}

// -----

// An int8 projection: its per-channel requantisation is cut with it. The
// channels no slice reads (4 to 7) are not computed.
// CHECK-LABEL: func.func @int8_projection_partly_read
// CHECK-DAG:     %[[M1:.*]] = "tosa.const"() <{values = dense<[1073741832, 1073741833]> : tensor<2xi32>}>
// CHECK-NOT:     tosa.slice
// CHECK:         tosa.conv2d {{.*}} -> tensor<1x3x3x4xi32>
// CHECK:         tosa.rescale {{.*}} : (tensor<1x3x3x4xi32>, tensor<4xi32>, tensor<4xi8>, {{.*}}) -> tensor<1x3x3x4xi8>
// CHECK:         tosa.conv2d {{.*}} -> tensor<1x3x3x2xi32>
// CHECK:         tosa.rescale %{{.*}}, %[[M1]], {{.*}} : (tensor<1x3x3x2xi32>, tensor<2xi32>, tensor<2xi8>, {{.*}}) -> tensor<1x3x3x2xi8>
// CHECK-NOT:     tosa.conv2d
func.func @int8_projection_partly_read(%x: tensor<1x3x3x2xi8>) -> (tensor<1x3x3x4xi8>, tensor<1x3x3x2xi8>) {
  %w = "tosa.const"() {values = dense<1> : tensor<10x1x1x2xi8>} : () -> tensor<10x1x1x2xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<10xi32>} : () -> tensor<10xi32>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %m = "tosa.const"() {values = dense<[1073741824, 1073741825, 1073741826, 1073741827, 1073741828, 1073741829, 1073741830, 1073741831, 1073741832, 1073741833]> : tensor<10xi32>} : () -> tensor<10xi32>
  %sh = "tosa.const"() {values = dense<33> : tensor<10xi8>} : () -> tensor<10xi8>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n0 = tosa.const_shape {values = dense<[1, 3, 3, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s1 = tosa.const_shape {values = dense<[0, 0, 0, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n1 = tosa.const_shape {values = dense<[1, 3, 3, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %acc = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xi8>, tensor<10x1x1x2xi8>, tensor<10xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x10xi32>
  %y = tosa.rescale %acc, %m, %sh, %zp32, %zp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x3x3x10xi32>, tensor<10xi32>, tensor<10xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x3x3x10xi8>
  %a = tosa.slice %y, %s0, %n0 : (tensor<1x3x3x10xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x4xi8>
  %c = tosa.slice %y, %s1, %n1 : (tensor<1x3x3x10xi8>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x2xi8>
  return %a, %c : tensor<1x3x3x4xi8>, tensor<1x3x3x2xi8>
}

// -----

// timm's attention: qkv.reshape(B, N, 3, heads, D).permute(2, 0, 3, 1, 4)
// then unbind(0), which the importer writes as slices of the 3 (its
// transposes after them): each slice reads 4 consecutive channels of the
// projection for every token, so each is a projection of its own reshaped
// to the slice's shape.
// CHECK-LABEL: func.func @projection_cut_after_reshape
// CHECK-NOT:     tosa.slice
// CHECK:         %[[Q:.*]] = tosa.conv2d {{.*}} -> tensor<2x1x1x4xf32>
// CHECK:         tosa.reshape %[[Q]], {{.*}} -> tensor<1x2x1x2x2xf32>
// CHECK-COUNT-2: tosa.conv2d {{.*}} -> tensor<2x1x1x4xf32>
// A slice of the heads reads two ranges of channels per token: it stays.
// CHECK-LABEL: func.func @heads_cut_across_qkv
// CHECK:         tosa.slice
func.func @projection_cut_after_reshape(%x: tensor<2x1x1x2xf32>) -> (tensor<1x2x1x2x2xf32>, tensor<1x2x1x2x2xf32>, tensor<1x2x1x2x2xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<12x1x1x2xf32>} : () -> tensor<12x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<12xf32>} : () -> tensor<12xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 3, 2, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %size = tosa.const_shape {values = dense<[1, 2, 1, 2, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s1 = tosa.const_shape {values = dense<[0, 0, 1, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s2 = tosa.const_shape {values = dense<[0, 0, 2, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x1x1x2xf32>, tensor<12x1x1x2xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1x1x12xf32>
  %r = tosa.reshape %y, %shape : (tensor<2x1x1x12xf32>, !tosa.shape<5>) -> tensor<1x2x3x2x2xf32>
  %q = tosa.slice %r, %s0, %size : (tensor<1x2x3x2x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x2x1x2x2xf32>
  %k = tosa.slice %r, %s1, %size : (tensor<1x2x3x2x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x2x1x2x2xf32>
  %v = tosa.slice %r, %s2, %size : (tensor<1x2x3x2x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x2x1x2x2xf32>
  return %q, %k, %v : tensor<1x2x1x2x2xf32>, tensor<1x2x1x2x2xf32>, tensor<1x2x1x2x2xf32>
}

func.func @heads_cut_across_qkv(%x: tensor<2x1x1x2xf32>) -> tensor<1x2x3x1x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<12x1x1x2xf32>} : () -> tensor<12x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<12xf32>} : () -> tensor<12xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 3, 2, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %size = tosa.const_shape {values = dense<[1, 2, 3, 1, 2]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0, 0]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x1x1x2xf32>, tensor<12x1x1x2xf32>, tensor<12xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1x1x12xf32>
  %r = tosa.reshape %y, %shape : (tensor<2x1x1x12xf32>, !tosa.shape<5>) -> tensor<1x2x3x2x2xf32>
  %h = tosa.slice %r, %s0, %size : (tensor<1x2x3x2x2xf32>, !tosa.shape<5>, !tosa.shape<5>) -> tensor<1x2x3x1x2xf32>
  return %h : tensor<1x2x3x1x2xf32>
}

// -----

// Slices that overlap would compute their shared channels twice, and a
// projection also read whole must exist whole: both stay.
// CHECK-LABEL: func.func @overlapping_slices
// CHECK-COUNT-2: tosa.slice
// CHECK-LABEL: func.func @projection_also_read_whole
// CHECK:         tosa.slice
func.func @overlapping_slices(%x: tensor<1x3x3x2xf32>) -> (tensor<1x3x3x4xf32>, tensor<1x3x3x4xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<6x1x1x2xf32>} : () -> tensor<6x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<6xf32>} : () -> tensor<6xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s1 = tosa.const_shape {values = dense<[0, 0, 0, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n = tosa.const_shape {values = dense<[1, 3, 3, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<6x1x1x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x6xf32>
  %a = tosa.slice %y, %s0, %n : (tensor<1x3x3x6xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x4xf32>
  %c = tosa.slice %y, %s1, %n : (tensor<1x3x3x6xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x4xf32>
  return %a, %c : tensor<1x3x3x4xf32>, tensor<1x3x3x4xf32>
}

func.func @projection_also_read_whole(%x: tensor<1x3x3x2xf32>) -> (tensor<1x3x3x4xf32>, tensor<1x3x3x6xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<6x1x1x2xf32>} : () -> tensor<6x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<6xf32>} : () -> tensor<6xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n = tosa.const_shape {values = dense<[1, 3, 3, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<6x1x1x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x6xf32>
  %a = tosa.slice %y, %s0, %n : (tensor<1x3x3x6xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x4xf32>
  return %a, %y : tensor<1x3x3x4xf32>, tensor<1x3x3x6xf32>
}

// -----

// Weights whose elements the compiler does not hold as dense elements (a
// resource blob): they cannot be cut at compile time, and the slices stay.
// CHECK-LABEL: func.func @weights_in_a_resource
// CHECK:         tosa.conv2d {{.*}} -> tensor<1x3x3x6xf32>
// CHECK-COUNT-2: tosa.slice
func.func @weights_in_a_resource(%x: tensor<1x3x3x2xf32>) -> (tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>) {
  %w = "tosa.const"() {values = dense_resource<weights> : tensor<6x1x1x2xf32>} : () -> tensor<6x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<6xf32>} : () -> tensor<6xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s0 = tosa.const_shape {values = dense<[0, 0, 0, 0]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s1 = tosa.const_shape {values = dense<[0, 0, 0, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %n = tosa.const_shape {values = dense<[1, 3, 3, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xf32>, tensor<6x1x1x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x6xf32>
  %a = tosa.slice %y, %s0, %n : (tensor<1x3x3x6xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x3xf32>
  %c = tosa.slice %y, %s1, %n : (tensor<1x3x3x6xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x3x3x3xf32>
  return %a, %c : tensor<1x3x3x3xf32>, tensor<1x3x3x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F0000803F"
    }
  }
#-}
