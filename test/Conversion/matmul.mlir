// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-lower-kernels --pex-dual-multiply-accumulate | FileCheck %s --check-prefix=DSP

// An int8 matrix product (attention's probabilities times values) is the
// singles micro-kernel through an im2col buffer: B's columns, three at a
// time (then the last two), are copied down the columns into int16 lanes
// less B's zero point (3), each column's copied sum kept; each row of A,
// read in place as [rows, groups, 4] bytes, is the "channel", its products
// starting from -zA times that sum (128 times). The first 4 of the 6
// products are the marked loop; the last 2 a plain loop subtracting both
// zero points.
// CHECK-LABEL: func.func private @probabilities_times_values_k0_matmul
// CHECK-SAME:    (%[[A:.*]]: memref<1x2x6xi8>, %[[B:.*]]: memref<1x6x5xi8>, %[[Y:.*]]: memref<1x2x5xi32>)
// CHECK:         %[[BUF:.*]] = memref.alloca() {alignment = 4 : i64} : memref<1x2x3x2xi16>
// CHECK:         %[[LAST:.*]] = memref.alloca() {alignment = 4 : i64} : memref<1x2x2x2xi16>
// CHECK:         %[[ROWS:.*]] = memref.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : memref<1x2x6xi8> into memref<2x6xi8>
// CHECK:         %[[PACKED:.*]] = memref.subview %[[ROWS]][0, 0] [2, 4] [1, 1]
// CHECK:         %[[AV:.*]] = memref.expand_shape %[[PACKED]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4] : memref<2x4xi8, strided<[6, 1]>> into memref<2x1x4xi8, strided<[6, 4, 1]>>
// CHECK:         scf.for %[[COL:.*]] = %{{.*}} to %c3{{.*}} step %c3
// CHECK:           %[[SUMS:.*]]:3 = scf.for %{{.*}} iter_args({{.*}}) -> (i32, i32, i32)
// CHECK:             %[[BV:.*]] = memref.load %[[B]]
// CHECK-NEXT:        %[[BX:.*]] = arith.extsi %[[BV]] : i8 to i32
// CHECK-NEXT:        %[[ZB:.*]] = arith.constant 3 : i32
// CHECK-NEXT:        %[[BZ:.*]] = arith.subi %[[BX]], %[[ZB]] : i32
// CHECK-NEXT:        %[[B16:.*]] = arith.trunci %[[BZ]] : i32 to i16
// CHECK:             memref.store %[[B16]], %[[BUF]]
// CHECK:           %[[C128:.*]] = arith.constant 128 : i32
// CHECK-NEXT:      %[[INIT0:.*]] = arith.muli %[[SUMS]]#0, %[[C128]] : i32
// CHECK:           scf.for %[[H:.*]] = %{{.*}} to %c2
// CHECK:             %[[MAIN:.*]]:3 = scf.for {{.*}} iter_args(%{{.*}} = %[[INIT0]], {{.*}}) -> (i32, i32, i32)
// CHECK:               memref.load %[[BUF]]{{.*}} : memref<1x2x3x2xi16>
// CHECK:               memref.load %[[AV]]{{.*}} : memref<2x1x4xi8, strided<[6, 4, 1]>>
// CHECK:             } {pex.mac = {input = "im2col", pairs = 0 : i64, pixels = 3 : i64, unrolled}}
// CHECK:             %[[REST:.*]]:3 = scf.for %{{.*}} = %c4{{.*}} to %c6{{.*}} step %c1{{.*}} iter_args({{.*}} = %[[MAIN]]#0, {{.*}} = %[[MAIN]]#1, {{.*}} = %[[MAIN]]#2)
// CHECK:             memref.store %[[REST]]#0, %[[Y]]
// CHECK:             memref.store %[[REST]]#2, %[[Y]]
// CHECK:         memref.store %{{.*}}, %[[LAST]]
// CHECK:         pex.mac = {input = "im2col", pairs = 0 : i64, pixels = 2 : i64, unrolled}
// On a DSP target the marked loops are assembly: per group one word of A,
// SXTB16 and SXTB16 ROR #8, and two SMLADs per column.
// DSP-LABEL: func.func private @probabilities_times_values_k0_matmul
// DSP:         llvm.inline_asm has_side_effects {{.*}}"{{.*}}sxtb16{{.*}}smlad{{.*}}smlad{{.*}}smlad{{.*}}smlad{{.*}}smlad{{.*}}smlad
// DSP-NOT:     pex.mac
func.func @probabilities_times_values(%a: memref<1x2x6xi8>, %b: memref<1x6x5xi8>, %y: memref<1x2x5xi32>) {
  pex.kernel ins(%a, %b : memref<1x2x6xi8>, memref<1x6x5xi8>) outs(%y : memref<1x2x5xi32>) {
  ^bb0(%aa: tensor<1x2x6xi8>, %ba: tensor<1x6x5xi8>, %out: tensor<1x2x5xi32>):
    %azp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %bzp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
    %r = tosa.matmul %aa, %ba, %azp, %bzp : (tensor<1x2x6xi8>, tensor<1x6x5xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x5xi32>
    pex.yield %r : tensor<1x2x5xi32>
  }
  return
}

// -----

// A float product reads B in place: four output columns per reduction share
// each element of A's row (each sum in its order), the fifth column alone.
// CHECK-LABEL: func.func private @float_product_k0_matmul
// CHECK-NOT:     memref.alloca
// CHECK:         scf.for {{.*}} step %c4
// CHECK:           scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK-COUNT-4:     memref.load %{{.*}} : memref<1x3x5xf32>
// CHECK:         scf.for {{.*}} -> (f32)
func.func @float_product(%a: memref<1x2x3xf32>, %b: memref<1x3x5xf32>, %y: memref<1x2x5xf32>) {
  pex.kernel ins(%a, %b : memref<1x2x3xf32>, memref<1x3x5xf32>) outs(%y : memref<1x2x5xf32>) {
  ^bb0(%aa: tensor<1x2x3xf32>, %ba: tensor<1x3x5xf32>, %out: tensor<1x2x5xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %r = tosa.matmul %aa, %ba, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x5xf32>
    pex.yield %r : tensor<1x2x5xf32>
  }
  return
}
