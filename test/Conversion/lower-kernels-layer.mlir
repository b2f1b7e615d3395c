// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// Each outlined kernel function records the layer it computes, for
// profiles: its anchor, the model's name for it (the importer's location)
// and the multiply-accumulates of one call (4x4 pixels x 3 outputs x 2
// inputs; the rescale and clamp fused behind the convolution add none).
// CHECK-LABEL: func.func private @named_conv_k0_conv2d
// CHECK-SAME:    pex.layer = #pex.layer<op = "tosa.conv2d", name = "block_1/conv", macs = 96>
func.func @named_conv(%x: memref<1x4x4x2xi8>, %w: memref<3x1x1x2xi8>, %b: memref<3xi32>, %y: memref<1x4x4x3xi8>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x2xi8>, memref<3x1x1x2xi8>, memref<3xi32>) outs(%y : memref<1x4x4x3xi8>) {
  ^bb0(%xa: tensor<1x4x4x2xi8>, %wa: tensor<3x1x1x2xi8>, %ba: tensor<3xi32>, %out: tensor<1x4x4x3xi8>):
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<20> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %c = tosa.conv2d %xa, %wa, %ba, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32> loc("block_1/conv")
    %r = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
    %cl = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x3xi8>) -> tensor<1x4x4x3xi8>
    pex.yield %cl : tensor<1x4x4x3xi8>
  }
  return
}

// -----

// A kernel without an emitter only copies: no MACs, no model name.
// CHECK-LABEL: func.func private @copy_only_k0_copy
// CHECK-SAME:    pex.layer = #pex.layer<op = "copy", name = "", macs = 0>
func.func @copy_only(%x: memref<4xi8>, %y: memref<4xi8>) {
  pex.kernel ins(%x : memref<4xi8>) outs(%y : memref<4xi8>) {
  ^bb0(%xa: tensor<4xi8>, %out: tensor<4xi8>):
    pex.yield %xa : tensor<4xi8>
  }
  return
}
