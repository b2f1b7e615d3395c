// RUN: pex-opt %s -control-flow-sink | FileCheck %s

// pex.group's RegionBranchOpInterface: the body runs once per slice and the
// epilogue once, so control-flow sinking moves a value used only by the
// epilogue into it, and keeps one used by the body outside the loop.
// CHECK-LABEL: func.func @sink_into_epilogue_only
// CHECK: %[[BIAS:.*]] = "tosa.const"() <{values = dense<5.000000e-01> : tensor<8xf32>}>
// CHECK-NOT: dense<-1.000000e+00>
// CHECK: pex.group
// CHECK: tosa.conv2d %{{.*}}, %{{.*}}, %[[BIAS]]
// CHECK: } epilogue {
// CHECK: "tosa.const"() <{values = dense<-1.000000e+00> : tensor<1x1x1x1xf32>}>
// CHECK: tosa.maximum
func.func @sink_into_epilogue_only(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %w = "tosa.const"() {values = dense<2.0> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.5> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %floor = "tosa.const"() {values = dense<-1.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x4x4x8xf32>) -> (tensor<1x4x4x8xf32>) {
  ^bb0(%xs: tensor<1x4x4x4xf32>):
    %ws = pex.slice %w[3] : tensor<8x1x1x8xf32> -> tensor<8x1x1x4xf32>
    %p = tosa.conv2d %xs, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<8x1x1x4xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32>
    pex.partial_yield accumulate(%p : tensor<1x4x4x8xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x4x4x8xf32>):
    %r = tosa.maximum %acc, %floor : (tensor<1x4x4x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x8xf32>
    pex.yield %r : tensor<1x4x4x8xf32>
  }
  return %y : tensor<1x4x4x8xf32>
}
