// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-lower-kernels --pex-dual-multiply-accumulate | FileCheck %s --check-prefix=DSP

// An int8 matrix product (attention's probabilities times values): the
// columns of B are copied transposed to the stack four at a time, so they
// are consecutive bytes, and the four output columns of a row share each
// byte of A's row; the first 4 of the 6 products are one loop (a multiple of
// four: packed on DSP targets), the last 2 another; the fifth column reads B
// in place.
// CHECK-LABEL: func.func private @probabilities_times_values_k0_matmul
// CHECK-SAME:    (%[[A:.*]]: memref<1x2x6xi8>, %[[B:.*]]: memref<1x6x5xi8>, %[[Y:.*]]: memref<1x2x5xi32>)
// CHECK:         %[[T:.*]] = memref.alloca() {alignment = 4 : i64} : memref<4x6xi8>
// CHECK:         scf.for %[[COL:.*]] = %{{.*}} to %c4{{.*}} step %c4
// CHECK:           %[[BV:.*]] = memref.load %[[B]][%{{.*}}, %[[C:.*]], %{{.*}}] : memref<1x6x5xi8>
// CHECK-NEXT:      memref.store %[[BV]], %[[T]][%{{.*}}, %[[C]]] : memref<4x6xi8>
// CHECK:           %[[MAIN:.*]]:4 = scf.for %[[K:.*]] = %c0{{.*}} to %c4{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (i32, i32, i32, i32)
// CHECK:             memref.load %[[A]][%{{.*}}, %{{.*}}, %[[K]]] : memref<1x2x6xi8>
// CHECK:             memref.load %[[T]][%{{.*}}, %[[K]]] : memref<4x6xi8>
// CHECK:           %[[REST:.*]]:4 = scf.for %{{.*}} = %c4{{.*}} to %c6{{.*}} step %c1{{.*}} iter_args({{.*}} = %[[MAIN]]#0, {{.*}} = %[[MAIN]]#1, {{.*}} = %[[MAIN]]#2, {{.*}} = %[[MAIN]]#3)
// CHECK:           memref.store %[[REST]]#0, %[[Y]]
// CHECK:           memref.store %[[REST]]#3, %[[Y]]
// CHECK:         scf.for {{.*}} -> (i32)
// CHECK:           memref.load %[[B]]
// CHECK:         memref.store %{{.*}}, %[[Y]]
// On a DSP target the first loop is the packed one: one word of A's row,
// extended and less its zero point (-128 in both lanes) once for the four
// columns' SMLADs.
// DSP-LABEL: func.func private @probabilities_times_values_k0_matmul
// DSP:         llvm.call_intrinsic "llvm.arm.ssub16"(%{{.*}}, %c-8323200_i32)
// DSP-COUNT-8:   llvm.call_intrinsic "llvm.arm.smlad"
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
