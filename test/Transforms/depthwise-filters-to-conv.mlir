// RUN: pex-opt %s -split-input-file --pex-depthwise-filters-to-conv | FileCheck %s

// Five 2x2 filters over one plane: a conv2d of the transposed weights, tap
// (kh, kw) of filter m at [m, kh, kw, 0]; bias, zero points, padding,
// strides and the planner's placement unchanged.
// CHECK-LABEL: func.func @whole
// CHECK-SAME:    (%[[X:.*]]: tensor<1x5x5x1xi8>)
// CHECK:         %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}0], [5]], {{\[\[}}10], [15]]], {{\[\[\[}}1], [6]], {{\[\[}}11], [16]]], {{\[\[\[}}2], [7]], {{\[\[}}12], [17]]], {{\[\[\[}}3], [8]], {{\[\[}}13], [18]]], {{\[\[\[}}4], [9]], {{\[\[}}14], [19]]]]> : tensor<5x2x2x1xi8>}>
// CHECK:         %[[Y:.*]] = tosa.conv2d %[[X]], %[[W]], %{{.*}}, %{{.*}}, %{{.*}} {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, pex.placement = #pex.placement<offset = 64, size = 720, live = [0, 1]>, stride = array<i64: 2, 2>}
// CHECK-SAME:    -> tensor<1x3x3x5xi32>
// CHECK-NOT:     depthwise
func.func @whole(%x: tensor<1x5x5x1xi8>) -> tensor<1x3x3x5xi32> {
  %w = "tosa.const"() <{values = dense<[[[[0, 1, 2, 3, 4]], [[5, 6, 7, 8, 9]]], [[[10, 11, 12, 13, 14]], [[15, 16, 17, 18, 19]]]]> : tensor<2x2x1x5xi8>}> : () -> tensor<2x2x1x5xi8>
  %b = "tosa.const"() <{values = dense<[1, 2, 3, 4, 5]> : tensor<5xi32>}> : () -> tensor<5xi32>
  %xzp = "tosa.const"() <{values = dense<-3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, pex.placement = #pex.placement<offset = 64, size = 720, live = [0, 1]>} : (tensor<1x5x5x1xi8>, tensor<2x2x1x5xi8>, tensor<5xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x5xi32>
  return %y : tensor<1x3x3x5xi32>
}

// -----

// A partial-execution slice of five of ten filters (pex-lower-groups' cut
// along the last dimension): the same slice of the transposed weights, along
// the first.
// CHECK-LABEL: func.func @slice
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4x4x1xi8>, %[[I:.*]]: index)
// CHECK:         %[[W:.*]] = "tosa.const"() {{.*}} : () -> tensor<10x1x1x1xi8>
// CHECK:         %[[S:.*]] = tensor.extract_slice %[[W]][%[[I]], 0, 0, 0] [5, 1, 1, 1] [1, 1, 1, 1] : tensor<10x1x1x1xi8> to tensor<5x1x1x1xi8>
// CHECK:         tosa.conv2d %[[X]], %[[S]]
func.func @slice(%x: tensor<1x4x4x1xi8>, %i: index) -> tensor<1x4x4x5xi32> {
  %w = "tosa.const"() <{values = dense<[[[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]]]> : tensor<1x1x1x10xi8>}> : () -> tensor<1x1x1x10xi8>
  %ws = tensor.extract_slice %w[0, 0, 0, %i] [1, 1, 1, 5] [1, 1, 1, 1] : tensor<1x1x1x10xi8> to tensor<1x1x1x5xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<5xi32>}> : () -> tensor<5xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %ws, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xi8>, tensor<1x1x1x5xi8>, tensor<5xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x5xi32>
  return %y : tensor<1x4x4x5xi32>
}

// -----

// A slice of four filters stays depthwise (the planar filter would take the
// conv2d; the depthwise 3x3 kernels are faster).
// CHECK-LABEL: func.func @four_filters
// CHECK:         tosa.depthwise_conv2d
func.func @four_filters(%x: tensor<1x4x4x1xi8>) -> tensor<1x4x4x4xi32> {
  %w = "tosa.const"() <{values = dense<1> : tensor<3x3x1x4xi8>}> : () -> tensor<3x3x1x4xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<4xi32>}> : () -> tensor<4xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xi8>, tensor<3x3x1x4xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x4xi32>
  return %y : tensor<1x4x4x4xi32>
}

// -----

// Two input channels: each filter reads its own channel, not a conv2d.
// CHECK-LABEL: func.func @two_channels
// CHECK:         tosa.depthwise_conv2d
func.func @two_channels(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x4x10xi32> {
  %w = "tosa.const"() <{values = dense<1> : tensor<1x1x2x5xi8>}> : () -> tensor<1x1x2x5xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<10xi32>}> : () -> tensor<10xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<1x1x2x5xi8>, tensor<10xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x10xi32>
  return %y : tensor<1x4x4x10xi32>
}

// -----

// Weights given at run time and float filters stay depthwise.
// CHECK-LABEL: func.func @not_rewritten
// CHECK-COUNT-2: tosa.depthwise_conv2d
func.func @not_rewritten(%x: tensor<1x4x4x1xi8>, %w: tensor<1x1x1x5xi8>, %f: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x5xi32>, tensor<1x4x4x5xf32>) {
  %b = "tosa.const"() <{values = dense<0> : tensor<5xi32>}> : () -> tensor<5xi32>
  %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xi8>, tensor<1x1x1x5xi8>, tensor<5xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x5xi32>
  %fw = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x5xf32>}> : () -> tensor<1x1x1x5xf32>
  %fb = "tosa.const"() <{values = dense<0.0> : tensor<5xf32>}> : () -> tensor<5xf32>
  %fzp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %z = tosa.depthwise_conv2d %f, %fw, %fb, %fzp, %fzp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x5xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x5xf32>
  return %y, %z : tensor<1x4x4x5xi32>, tensor<1x4x4x5xf32>
}
