// RUN: pex-opt %s -split-input-file --pex-lower-kernels=vector-mac | FileCheck %s --check-prefix=LAYOUT
// RUN: pex-opt %s -split-input-file --pex-lower-kernels=vector-mac --pex-vector-multiply-accumulate --canonicalize --cse | FileCheck %s

// A 1x1 convolution on an MVE target reads its input rows in place, three
// pixels by two channels per micro-kernel. Depth 36 is three vectors, the
// last of four inputs: the weights are packed a channel per row of 48 bytes
// (zero past the depth and for the padding fourth channel); the marked
// loop's lanes stop at the depth.
// LAYOUT-LABEL: memref.global "private" constant @pointwise_weights_vectors2 : memref<4x48xi8> = dense<"0x010101010101010101010101010101010101010101010101010101010101010101010101000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000000020202020202020202020202020202020202020202020202020202020202020202020202000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000">
// LAYOUT-LABEL: func.func private @pointwise_k0_conv2d
// LAYOUT:         %[[ROWS:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : memref<1x1x3x36xi8> into memref<3x36xi8>
// LAYOUT:         scf.for %[[V:.*]] = %{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// LAYOUT:           %[[FIRST:.*]] = arith.muli %[[V]], %c16{{.*}} : index
// LAYOUT:           %[[LEFT:.*]] = arith.subi %c36{{.*}}, %[[FIRST]] : index
// LAYOUT:           %[[COUNT:.*]] = arith.minsi %c16{{.*}}, %[[LEFT]] : index
// LAYOUT:           scf.for %[[L:.*]] = %{{.*}} to %[[COUNT]] step
// LAYOUT-COUNT-3:     memref.load %[[ROWS]]
// LAYOUT-COUNT-2:     memref.load %{{.*}} : memref<4x48xi8>
// LAYOUT-COUNT-6:     arith.muli
// LAYOUT:         } {pex.vector_mac = {channels = 2 : i64, pixels = 3 : i64}}

// Lowered: per vector one 16-byte load per pixel (the rows 36 bytes apart,
// predicated by VCTP8 of the lanes left in the row: a partial vector does
// not read past it) and per channel (48 bytes apart), then a VMLADAVA.S8
// per pixel and channel into its accumulator.
// CHECK-LABEL: func.func private @pointwise_k0_conv2d
// CHECK:         %[[ZERO:.*]] = llvm.mlir.zero : vector<16xi8>
// CHECK:         scf.for %[[V:.*]] = %c0 to %c3 step %c1 iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}}, %[[A2:.*]] = %{{.*}}, %[[A3:.*]] = %{{.*}}, %[[A4:.*]] = %{{.*}}, %[[A5:.*]] = %{{.*}})
// CHECK:           %[[FIRST:.*]] = arith.muli %[[V]], %c16 : index
// CHECK:           %[[LEFT:.*]] = arith.subi %c36, %[[FIRST]] : index
// CHECK:           %[[COUNT:.*]] = arith.minsi %[[LEFT]], %c16 : index
// CHECK:           %[[COUNT32:.*]] = arith.index_cast %[[COUNT]] : index to i32
// CHECK:           %[[MASK:.*]] = llvm.call_intrinsic "llvm.arm.mve.vctp8"(%[[COUNT32]]) : (i32) -> vector<16xi1>
// CHECK:           %[[X0:.*]] = llvm.intr.masked.load %{{.*}}, %[[MASK]], %[[ZERO]] {alignment = 1 : i32}
// CHECK:           %[[X1:.*]] = llvm.intr.masked.load %{{.*}}, %[[MASK]], %[[ZERO]] {alignment = 1 : i32}
// CHECK:           %[[X2:.*]] = llvm.intr.masked.load %{{.*}}, %[[MASK]], %[[ZERO]] {alignment = 1 : i32}
// CHECK:           %[[W0:.*]] = llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK:           %[[W1:.*]] = llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK:           %[[S0:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A0]], %[[X0]], %[[W0]])
// CHECK:           %[[S1:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A1]], %[[X0]], %[[W1]])
// CHECK:           %[[S2:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A2]], %[[X1]], %[[W0]])
// CHECK:           %[[S3:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A3]], %[[X1]], %[[W1]])
// CHECK:           %[[S4:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A4]], %[[X2]], %[[W0]])
// CHECK:           %[[S5:.*]] = llvm.call_intrinsic "llvm.arm.mve.vmldava"(%c0_i32, %c0_i32, %c0_i32, %[[A5]], %[[X2]], %[[W1]])
// CHECK:           scf.yield %[[S0]], %[[S1]], %[[S2]], %[[S3]], %[[S4]], %[[S5]]
// CHECK-NOT:     pex.vector_mac
memref.global "private" constant @pointwise_weights : memref<3x1x1x36xi8> = dense<[[[[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]], [[[-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]]], [[[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]]]]>
memref.global "private" constant @pointwise_bias : memref<3xi32> = dense<[10, 20, 30]>
func.func @pointwise(%x: memref<1x1x3x36xi8>, %y: memref<1x1x3x3xi32>) {
  %w = memref.get_global @pointwise_weights : memref<3x1x1x36xi8>
  %b = memref.get_global @pointwise_bias : memref<3xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x3x36xi8>, memref<3x1x1x36xi8>, memref<3xi32>) outs(%y : memref<1x1x3x3xi32>) {
  ^bb0(%xa: tensor<1x1x3x36xi8>, %wa: tensor<3x1x1x36xi8>, %ba: tensor<3xi32>, %out: tensor<1x1x3x3xi32>):
    %zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x36xi8>, tensor<3x1x1x36xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x3x3xi32>
    pex.yield %c : tensor<1x1x3x3xi32>
  }
  return
}

// -----

// A padded 3x3 convolution gathers three pixels' receptive fields into an
// int8 buffer, a row of three vectors each (depth 36; the last 12 bytes
// zeroed once), the input zero point where the window overhangs (folded
// into the biases: 10 + 5 * 36), each tap's four channels a byte loop.
// LAYOUT:       memref.global "private" constant @window_weights_window_bias_folded_zpm5_0 : memref<3xi32> = dense<[190, 200, 210]>
// LAYOUT-LABEL: func.func private @window_k0_conv2d
// LAYOUT:         %[[BUF:.*]] = memref.alloca() {alignment = 4 : i64} : memref<3x48xi8>
// LAYOUT:         memref.store %{{.*}}, %[[BUF]][%{{.*}}, %{{.*}}] : memref<3x48xi8>
// LAYOUT:         %[[ZP:.*]] = arith.constant -5 : i8
// LAYOUT:         memref.store %[[ZP]], %[[BUF]]
// LAYOUT:         } {pex.vector_mac = {channels = 2 : i64, pixels = 3 : i64}}
// CHECK-LABEL: func.func private @window_k0_conv2d
// CHECK:         scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args
// CHECK-NOT:       vctp8
// CHECK-COUNT-5:   llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK-COUNT-6:   llvm.call_intrinsic "llvm.arm.mve.vmldava"
// CHECK-NOT:     pex.vector_mac
memref.global "private" constant @window_weights : memref<3x3x3x4xi8> = dense<1>
memref.global "private" constant @window_bias : memref<3xi32> = dense<[10, 20, 30]>
func.func @window(%x: memref<1x4x4x4xi8>, %y: memref<1x4x4x3xi32>) {
  %w = memref.get_global @window_weights : memref<3x3x3x4xi8>
  %b = memref.get_global @window_bias : memref<3xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x4x4xi8>, memref<3x3x3x4xi8>, memref<3xi32>) outs(%y : memref<1x4x4x3xi32>) {
  ^bb0(%xa: tensor<1x4x4x4xi8>, %wa: tensor<3x3x3x4xi8>, %ba: tensor<3xi32>, %out: tensor<1x4x4x3xi32>):
    %zp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.conv2d %xa, %wa, %ba, %zp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x4xi8>, tensor<3x3x3x4xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
    pex.yield %c : tensor<1x4x4x3xi32>
  }
  return
}
