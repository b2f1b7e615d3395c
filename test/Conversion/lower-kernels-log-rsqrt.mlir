// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// tosa.log and tosa.rsqrt (TFLite's LOG, RSQRT, SQRT and L2_NORMALIZATION) become
// math.log and math.rsqrt per element, like tosa.exp.
// CHECK-LABEL: func.func private @log_k0_log
// CHECK:         %[[X:.*]] = memref.load
// CHECK-NEXT:    %[[Y:.*]] = math.log %[[X]] : f32
// CHECK-NEXT:    memref.store %[[Y]]
func.func @log(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %r = tosa.log %in : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %r : tensor<4xf32>
  }
  return
}

// -----

// CHECK-LABEL: func.func private @rsqrt_k0_rsqrt
// CHECK:         %[[X:.*]] = memref.load
// CHECK-NEXT:    %[[Y:.*]] = math.rsqrt %[[X]] : f32
// CHECK-NEXT:    memref.store %[[Y]]
func.func @rsqrt(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %r = tosa.rsqrt %in : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %r : tensor<4xf32>
  }
  return
}
