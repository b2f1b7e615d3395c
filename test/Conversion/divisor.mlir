// RUN: pex-opt %s --pex-lower-kernels | FileCheck %s

// A float multiplication by fl(1 / d) marked pex.divisor divides by d (ONNX's
// QuantizeLinear of a float tensor): one rounding, as ONNX Runtime's x / s.
// CHECK-LABEL: func.func private @divide_k0_mul
// CHECK:         %[[DIVISOR:.*]] = arith.constant 2.000000e-02 : f32
// CHECK:         arith.divf %{{.*}}, %[[DIVISOR]] : f32
// CHECK-NOT:     arith.mulf
// CHECK:         return
func.func @divide(%x: memref<1x8xf32>, %y: memref<1x8xf32>) {
  pex.kernel ins(%x : memref<1x8xf32>) outs(%y : memref<1x8xf32>) {
  ^bb0(%in: tensor<1x8xf32>, %out: tensor<1x8xf32>):
    %inverse = "tosa.const"() <{values = dense<50.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
    %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %q = tosa.mul %in, %inverse, %shift {pex.divisor = 0.02 : f32} : (tensor<1x8xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<1x8xf32>
    pex.yield %q : tensor<1x8xf32>
  }
  return
}
