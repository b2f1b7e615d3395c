// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s

// A stream's row kernel: one output row of five columns (padded 3x3), all
// straight-line code: the three interior columns, then the two border
// columns. A compiler barrier (empty assembly that may touch memory)
// separates the blocks, so each reads its own inputs instead of LLVM
// keeping the row's inputs live across them; none before the first block or
// after the last.
// CHECK-LABEL: func.func private @row_k0_depthwise_conv2d
// CHECK-NOT:     llvm.inline_asm has_side_effects
// CHECK:         memref.store
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "", "~{memory}"
// CHECK:         memref.store
// CHECK:         llvm.inline_asm has_side_effects asm_dialect = att "", "~{memory}"
// CHECK:         memref.store
// CHECK-NOT:     llvm.inline_asm has_side_effects
// CHECK:         return
memref.global "private" constant @weights : memref<3x3x2x1xi8> = dense<1>
memref.global "private" constant @bias : memref<2xi32> = dense<[10, 20]>
func.func @row(%x: memref<1x3x5x2xi8>, %y: memref<1x1x5x2xi8>) {
  %w = memref.get_global @weights : memref<3x3x2x1xi8>
  %b = memref.get_global @bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x3x5x2xi8>, memref<3x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x1x5x2xi8>) {
  ^bb0(%xa: tensor<1x3x5x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x5x2xi8>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<40> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x5x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x5x2xi32>
    %r = tosa.rescale %c, %m, %s, %zp32, %xzp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x1x5x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x5x2xi8>
    pex.yield %r : tensor<1x1x5x2xi8>
  }
  return
}

// -----

// Two output rows: the rows are a loop, whose blocks are left to LLVM (a
// barrier there would keep loads from being hoisted).
// CHECK-LABEL: func.func private @rows_k0_depthwise_conv2d
// CHECK-NOT:     llvm.inline_asm has_side_effects
// CHECK:         return
memref.global "private" constant @weights : memref<3x3x2x1xi8> = dense<1>
memref.global "private" constant @bias : memref<2xi32> = dense<[10, 20]>
func.func @rows(%x: memref<1x4x5x2xi8>, %y: memref<1x2x5x2xi32>) {
  %w = memref.get_global @weights : memref<3x3x2x1xi8>
  %b = memref.get_global @bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x5x2xi8>, memref<3x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x2x5x2xi32>) {
  ^bb0(%xa: tensor<1x4x5x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x2x5x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x5x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x5x2xi32>
    pex.yield %c : tensor<1x2x5x2xi32>
  }
  return
}

// -----

// A float row: the FPU's 32 registers hold the row's inputs; no barrier.
// CHECK-LABEL: func.func private @float_row_k0_depthwise_conv2d
// CHECK-NOT:     llvm.inline_asm has_side_effects
// CHECK:         return
func.func @float_row(%x: memref<1x3x5x2xf32>, %w: memref<3x3x2x1xf32>, %b: memref<2xf32>, %y: memref<1x1x5x2xf32>) {
  pex.kernel ins(%x, %w, %b : memref<1x3x5x2xf32>, memref<3x3x2x1xf32>, memref<2xf32>) outs(%y : memref<1x1x5x2xf32>) {
  ^bb0(%xa: tensor<1x3x5x2xf32>, %wa: tensor<3x3x2x1xf32>, %ba: tensor<2xf32>, %out: tensor<1x1x5x2xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x5x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x5x2xf32>
    pex.yield %c : tensor<1x1x5x2xf32>
  }
  return
}
