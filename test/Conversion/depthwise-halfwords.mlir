// RUN: pex-opt %s --pex-lower-kernels --canonicalize --cse | FileCheck %s
// RUN: pex-opt %s --pex-lower-kernels --pex-dual-multiply-accumulate --canonicalize --cse | FileCheck %s --check-prefix=DSP

// An int8 3x3 depthwise convolution with constant weights reads them as
// 16-bit lanes packed at compile time, two taps per word (tap t = 3 kh + kw
// is lane t % 2 of word t / 2: 1 | 2 << 16 = 131073, ...; -9 alone is
// 65527). The setup of each channel folds the input zero point (3) into one
// bias per set of taps a block reads (all nine, then those of the border
// rows and columns), so no tap subtracts it (computed at run time: a table of
// nine biases per channel would cost more flash than a plane's setup; a
// row kernel's are tabulated, depthwise-part-biases.mlir). At stride 1 an interior block
// is six columns (the 8-wide interior: a block of six, one of two), each
// weight feeding six products; lane 0 is shifted up and back, lane 1 down.
// On DSP targets each product is one SMLABB (lane 0) or SMLABT (lane 1) of
// the word as it is.
// CHECK-DAG:   memref.global "private" constant @weights_halfwords : memref<2x5xi32> = dense<{{\[\[}}131073, 262147, 393221, 524295, 9], [-65537, -196611, -327685, -458759, 65527]]> {alignment = 4 : i64}
// CHECK-LABEL: func.func private @depthwise_k0_depthwise_conv2d
// CHECK:         %[[HALF:.*]] = memref.get_global @weights_halfwords
// CHECK:         scf.for %[[C:.*]] = %c0 to %c2 step %c1
// CHECK:           %[[ALL:.*]] = arith.subi %{{.*}}, %{{.*}} : i32
// CHECK:           scf.for %{{.*}} = %c1 to %c3 step %c1
// CHECK:             %[[WORD:.*]] = memref.load %[[HALF]][%[[C]], %c0] : memref<2x5xi32>
// CHECK-NEXT:        %[[LOW:.*]] = arith.shli %[[WORD]], %c16_i32 : i32
// CHECK-NEXT:        %[[W0:.*]] = arith.shrsi %[[LOW]], %c16_i32 : i32
// CHECK-COUNT-6:     arith.addi %[[ALL]], %{{.*}} : i32
// CHECK-NOT:         arith.addi %[[ALL]]
// CHECK:             %[[W1:.*]] = arith.shrsi %[[WORD]], %c16_i32 : i32
// CHECK-COUNT-6:     arith.muli %{{.*}}, %[[W1]] : i32
// CHECK-NOT:         arith.muli %{{.*}}, %[[W1]] : i32
// CHECK:             memref.load %[[HALF]][%[[C]], %c4] : memref<2x5xi32>
// CHECK-NOT:     tosa.depthwise_conv2d
// DSP-LABEL:   func.func private @depthwise_k0_depthwise_conv2d
// DSP:           scf.for %{{.*}} = %c1 to %c3 step %c1
// DSP:             %[[WORD:.*]] = memref.load %{{.*}}[%{{.*}}, %c0] : memref<2x5xi32>
// DSP:             %[[X:.*]] = arith.extsi %{{.*}} : i8 to i32
// DSP-NEXT:        llvm.call_intrinsic "llvm.arm.smlabb"(%[[X]], %[[WORD]], %{{.*}}) : (i32, i32, i32) -> i32
// DSP:             %[[NEXT:.*]] = memref.load %{{.*}}[%{{.*}}, %c0] : memref<2x5xi32>
// DSP:             llvm.call_intrinsic "llvm.arm.smlabt"(%{{.*}}, %[[NEXT]], %{{.*}}) : (i32, i32, i32) -> i32
memref.global "private" constant @weights : memref<3x3x2x1xi8> = dense<[[[[1], [-1]], [[2], [-2]], [[3], [-3]]], [[[4], [-4]], [[5], [-5]], [[6], [-6]]], [[[7], [-7]], [[8], [-8]], [[9], [-9]]]]>
memref.global "private" constant @bias : memref<2xi32> = dense<[100, 200]>
func.func @depthwise(%x: memref<1x4x10x2xi8>, %y: memref<1x4x10x2xi32>) {
  %w = memref.get_global @weights : memref<3x3x2x1xi8>
  %b = memref.get_global @bias : memref<2xi32>
  pex.kernel ins(%x, %w, %b : memref<1x4x10x2xi8>, memref<3x3x2x1xi8>, memref<2xi32>) outs(%y : memref<1x4x10x2xi32>) {
  ^bb0(%xa: tensor<1x4x10x2xi8>, %wa: tensor<3x3x2x1xi8>, %ba: tensor<2xi32>, %out: tensor<1x4x10x2xi32>):
    %xzp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %c = tosa.depthwise_conv2d %xa, %wa, %ba, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x10x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x10x2xi32>
    pex.yield %c : tensor<1x4x10x2xi32>
  }
  return
}
