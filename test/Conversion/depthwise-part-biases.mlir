// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s

// A kernel of one output row (a stream's row kernel, whose setup runs on
// every row) reads the biases with the input zero point folded over the
// taps each block reads from a table computed at compile time.
// A slice of a layer's channels (partial execution's group loop) reads the
// biases folded at compile time for the whole layer at its weights' offset.
// CHECK-DAG:   memref.global "private" constant @weights_bias_parts_zpm128_0_r0t3c0t3_r0t3c1t3_r0t3c0t2 : memref<4x3xi32> = dense<{{\[\[}}1162, 778, 778], [1172, 788, 788], [1182, 798, 798], [1192, 808, 808]]>
// CHECK-LABEL: func.func private @slice_k0_depthwise_conv2d
// CHECK-SAME:    (%{{.*}}: memref<1x3x4x4xi8>, %[[OFFSET:.*]]: index, %{{.*}}: memref<1x1x4x4xi32>)
// CHECK:         %[[PARTS:.*]] = memref.get_global @weights_bias_parts_
// CHECK:         scf.for %[[C:.*]] = %c0 to %c2 step %c1
// CHECK-NEXT:      %[[AT:.*]] = arith.addi %[[OFFSET]], %[[C]] : index
// CHECK-NEXT:      memref.load %[[PARTS]][%[[AT]], %c0] : memref<4x3xi32>
// CHECK-NOT:       arith.subi
memref.global "private" constant @weights : memref<3x3x4x1xi8> = dense<1>
memref.global "private" constant @bias : memref<4xi32> = dense<[10, 20, 30, 40]>
func.func @slice(%x: memref<1x3x4x4xi8>, %y: memref<1x1x4x4xi32>, %offset: index) {
  %w = memref.get_global @weights : memref<3x3x4x1xi8>
  %b = memref.get_global @bias : memref<4xi32>
  %xs = memref.subview %x[0, 0, 0, %offset] [1, 3, 4, 2] [1, 1, 1, 1] : memref<1x3x4x4xi8> to memref<1x3x4x2xi8, strided<[48, 16, 4, 1], offset: ?>>
  %ws = memref.subview %w[0, 0, %offset, 0] [3, 3, 2, 1] [1, 1, 1, 1] : memref<3x3x4x1xi8> to memref<3x3x2x1xi8, strided<[12, 4, 1, 1], offset: ?>>
  %bs = memref.subview %b[%offset] [2] [1] : memref<4xi32> to memref<2xi32, strided<[1], offset: ?>>
  %ys = memref.subview %y[0, 0, 0, %offset] [1, 1, 4, 2] [1, 1, 1, 1] : memref<1x1x4x4xi32> to memref<1x1x4x2xi32, strided<[16, 16, 4, 1], offset: ?>>
  pex.kernel ins(%xs, %ws, %bs : memref<1x3x4x2xi8, strided<[48, 16, 4, 1], offset: ?>>, memref<3x3x2x1xi8, strided<[12, 4, 1, 1], offset: ?>>, memref<2xi32, strided<[1], offset: ?>>) outs(%ys : memref<1x1x4x2xi32, strided<[16, 16, 4, 1], offset: ?>>) {
  ^bb0(%xa: tensor<1x3x4x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x4x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x4x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x4x2xi32>
    pex.yield %c : tensor<1x1x4x2xi32>
  }
  return
}

// -----

// A bias computed at run time: each channel sums its taps once.
// CHECK-LABEL: func.func private @computed_bias_k0_depthwise_conv2d
// CHECK-NOT:     _parts
// CHECK:         scf.for
// CHECK:           arith.subi
memref.global "private" constant @weights : memref<3x3x2x1xi8> = dense<1>
func.func @computed_bias(%x: memref<1x3x4x2xi8>, %b: memref<2xi32>, %y: memref<1x1x4x2xi32>) {
  %w = memref.get_global @weights : memref<3x3x2x1xi8>
  pex.kernel ins(%x, %w, %b : memref<1x3x4x2xi8>, memref<3x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x1x4x2xi32>) {
  ^bb0(%xa: tensor<1x3x4x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x4x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x4x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x4x2xi32>
    pex.yield %c : tensor<1x1x4x2xi32>
  }
  return
}

// -----

// Input channels sliced with a channel multiplier: the weights' offset is
// not provably the bias's, so each channel sums its taps at run time.
// CHECK-LABEL: func.func private @multiplier_k0_depthwise_conv2d
// CHECK-NOT:     _parts
// CHECK:         scf.for
// CHECK:           arith.subi
memref.global "private" constant @weights : memref<3x3x4x2xi8> = dense<1>
memref.global "private" constant @bias : memref<8xi32> = dense<7>
func.func @multiplier(%x: memref<1x3x4x4xi8>, %y: memref<1x1x4x8xi32>, %offset: index) {
  %w = memref.get_global @weights : memref<3x3x4x2xi8>
  %b = memref.get_global @bias : memref<8xi32>
  %o2 = arith.muli %offset, %offset : index
  %xs = memref.subview %x[0, 0, 0, %offset] [1, 3, 4, 2] [1, 1, 1, 1] : memref<1x3x4x4xi8> to memref<1x3x4x2xi8, strided<[48, 16, 4, 1], offset: ?>>
  %ws = memref.subview %w[0, 0, %offset, 0] [3, 3, 2, 2] [1, 1, 1, 1] : memref<3x3x4x2xi8> to memref<3x3x2x2xi8, strided<[24, 8, 2, 1], offset: ?>>
  %bs = memref.subview %b[%o2] [4] [1] : memref<8xi32> to memref<4xi32, strided<[1], offset: ?>>
  %ys = memref.subview %y[0, 0, 0, %o2] [1, 1, 4, 4] [1, 1, 1, 1] : memref<1x1x4x8xi32> to memref<1x1x4x4xi32, strided<[32, 32, 8, 1], offset: ?>>
  pex.kernel ins(%xs, %ws, %bs : memref<1x3x4x2xi8, strided<[48, 16, 4, 1], offset: ?>>, memref<3x3x2x2xi8, strided<[24, 8, 2, 1], offset: ?>>, memref<4xi32, strided<[1], offset: ?>>) outs(%ys : memref<1x1x4x4xi32, strided<[32, 32, 8, 1], offset: ?>>) {
  ^bb0(%xa: tensor<1x3x4x2xi8>, %wa: tensor<3x3x2x2xi8>, %ba: tensor<4xi32>, %out: tensor<1x1x4x4xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x3x4x2xi8>, tensor<3x3x2x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x4x4xi32>
    pex.yield %c : tensor<1x1x4x4xi32>
  }
  return
}

// -----

// Two kernels sharing weights and bias (means computed as depthwise
// convolutions of ones) over inputs of different zero points fold different
// biases: one global each, named by the zero points.
// CHECK-DAG:   memref.global "private" constant @ones_zeros_parts_zpm128_0_r0t1c0t3 : memref<2x1xi32> = dense<384>
// CHECK-DAG:   memref.global "private" constant @ones_zeros_parts_zp5_0_r0t1c0t3 : memref<2x1xi32> = dense<-15>
// CHECK-LABEL: func.func private @shared_k1_depthwise_conv2d
// CHECK:         memref.get_global @ones_zeros_parts_zp5_0_r0t1c0t3
// CHECK-LABEL: func.func private @shared_k0_depthwise_conv2d
// CHECK:         memref.get_global @ones_zeros_parts_zpm128_0_r0t1c0t3
memref.global "private" constant @ones : memref<1x3x2x1xi8> = dense<1>
memref.global "private" constant @zeros : memref<2xi32> = dense<0>
func.func @shared(%x: memref<1x1x3x2xi8>, %y: memref<1x1x1x2xi32>, %z: memref<1x1x1x2xi32>) {
  %w = memref.get_global @ones : memref<1x3x2x1xi8>
  %b = memref.get_global @zeros : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x1x3x2xi8>, memref<1x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x1x1x2xi32>) {
  ^bb0(%xa: tensor<1x1x3x2xi8>, %wa: tensor<1x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x1x2xi32>):
    %xzp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x2xi8>, tensor<1x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x2xi32>
    pex.yield %c : tensor<1x1x1x2xi32>
  }
  pex.kernel ins(%x, %w, %b : memref<1x1x3x2xi8>, memref<1x3x2x1xi8>, memref<2xi32>) outs(%z : memref<1x1x1x2xi32>) {
  ^bb0(%xa: tensor<1x1x3x2xi8>, %wa: tensor<1x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x1x1x2xi32>):
    %xzp = "tosa.const"() <{values = dense<5> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x3x2xi8>, tensor<1x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x2xi32>
    pex.yield %c : tensor<1x1x1x2xi32>
  }
  return
}
