// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// An int8 convolution with its fused rescale and clamp is one loop nest over
// the output (N, H, W, C). Each element's accumulator starts at the bias and
// is carried in registers through the (kh, kw, ic) reduction loops; the
// rescale (immediate multiplier and shift) and both clamps are applied to
// the scalar, and the result is stored once: the i32 accumulator is never
// stored.
// CHECK-LABEL: func.func @conv_rescale_clamp
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x4x2xi8>, %[[W:.*]]: memref<3x1x1x2xi8>, %[[B:.*]]: memref<3xi32>, %[[Y:.*]]: memref<1x4x4x3xi8>)
// CHECK-NOT:   pex.kernel
// CHECK:       scf.for %[[N:.*]] = %{{.*}} to %c1{{(_[0-9]+)?}} step
// CHECK-NEXT:    scf.for %[[H:.*]] = %{{.*}} to %c4{{(_[0-9]+)?}} step
// CHECK-NEXT:      scf.for %[[WO:.*]] = %{{.*}} to %c4{{(_[0-9]+)?}} step
// CHECK-NEXT:        scf.for %[[C:.*]] = %{{.*}} to %c3{{(_[0-9]+)?}} step
// CHECK-NEXT:          %[[BIAS:.*]] = memref.load %[[B]][%[[C]]] : memref<3xi32>
// CHECK:               %[[ACC:.*]] = scf.for %[[KH:.*]] = {{.*}} iter_args(%[[A0:.*]] = %[[BIAS]]) -> (i32) {
// CHECK-NEXT:            %[[ACC1:.*]] = scf.for %[[KW:.*]] = {{.*}} iter_args(%[[A1:.*]] = %[[A0]]) -> (i32) {
// CHECK:                   %[[ACC2:.*]] = scf.for %[[IC:.*]] = {{.*}} iter_args(%[[A2:.*]] = %[[A1]]) -> (i32) {
// CHECK-NEXT:                %[[XV:.*]] = memref.load %[[X]][%[[N]], %{{.*}}, %{{.*}}, %[[IC]]] : memref<1x4x4x2xi8>
// CHECK-NEXT:                %[[WV:.*]] = memref.load %[[W]][%[[C]], %[[KH]], %[[KW]], %[[IC]]] : memref<3x1x1x2xi8>
// CHECK-NEXT:                %[[XE:.*]] = arith.extsi %[[XV]] : i8 to i32
// CHECK-NEXT:                %[[WE:.*]] = arith.extsi %[[WV]] : i8 to i32
// CHECK-NEXT:                %[[P:.*]] = arith.muli %[[XE]], %[[WE]] : i32
// CHECK-NEXT:                %[[SUM:.*]] = arith.addi %[[A2]], %[[P]] : i32
// CHECK-NEXT:                scf.yield %[[SUM]] : i32
// CHECK:                   scf.yield %[[ACC2]] : i32
// CHECK:                 scf.yield %[[ACC1]] : i32
// CHECK-NOT:           memref.store
// CHECK-DAG:           %[[MUL:.*]] = arith.constant 1073741824 : i32
// CHECK-DAG:           %[[SHIFT:.*]] = arith.constant 33 : i8
// CHECK:               %[[SCALED:.*]] = tosa.apply_scale %[[ACC]], %[[MUL]], %[[SHIFT]] {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
// CHECK:               arith.maxsi %{{.*}}, %[[SCALED]] : i32
// CHECK:               %[[Q:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK:               %[[LO:.*]] = arith.maxsi %{{.*}}, %[[Q]] : i8
// CHECK:               %[[HI:.*]] = arith.minsi %{{.*}}, %[[LO]] : i8
// CHECK-NEXT:          memref.store %[[HI]], %[[Y]][%[[N]], %[[H]], %[[WO]], %[[C]]] : memref<1x4x4x3xi8>
// CHECK-NOT:   memref.store
// CHECK-NOT:   tosa.conv2d
// CHECK-NOT:   tosa.rescale
// CHECK:       return
func.func @conv_rescale_clamp(%x: memref<1x4x4x2xi8>, %w: memref<3x1x1x2xi8>, %b: memref<3xi32>, %y: memref<1x4x4x3xi8>) {
  pex.kernel ins(%x, %w, %b : memref<1x4x4x2xi8>, memref<3x1x1x2xi8>, memref<3xi32>) outs(%y : memref<1x4x4x3xi8>) {
  ^bb0(%xa: tensor<1x4x4x2xi8>, %wa: tensor<3x1x1x2xi8>, %ba: tensor<3xi32>, %out: tensor<1x4x4x3xi8>):
    %zp8 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
    %s = "tosa.const"() <{values = dense<33> : tensor<1xi8>}> : () -> tensor<1xi8>
    %zp32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %c = tosa.conv2d %xa, %wa, %ba, %zp8, %zp8 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x1x1x2xi8>, tensor<3xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x3xi32>
    %r = tosa.rescale %c, %m, %s, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4x4x3xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x3xi8>
    %cl = tosa.clamp %r {max_val = 127 : i8, min_val = 0 : i8} : (tensor<1x4x4x3xi8>) -> tensor<1x4x4x3xi8>
    pex.yield %cl : tensor<1x4x4x3xi8>
  }
  return
}

// -----

// A kernel without an anchor loops over its output. A chain of element-wise
// operators is evaluated in registers: one load, one store.
// CHECK-LABEL: func.func @elementwise_chain
// CHECK-SAME:    (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %c4 step
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[X]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[V]] : f32
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %[[LO:.*]] = arith.maximumf %[[N]], %[[ZERO]] : f32
// CHECK-NEXT:    %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT:    %[[HI:.*]] = arith.minimumf %[[LO]], %[[SIX]] : f32
// CHECK-NEXT:    memref.store %[[HI]], %[[Y]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:  }
// CHECK-NEXT:  return
func.func @elementwise_chain(%x: memref<4xf32>, %y: memref<4xf32>) {
  pex.kernel ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: tensor<4xf32>, %out: tensor<4xf32>):
    %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
    %n = tosa.negate %in, %zp, %zp : (tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4xf32>
    %c = tosa.clamp %n {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    pex.yield %c : tensor<4xf32>
  }
  return
}

// -----

// Reading the destination argument reads its previous contents: an
// accumulator updated in place loads and stores the same element.
// CHECK-LABEL: func.func @accumulate_in_place
// CHECK-SAME:    (%[[P:.*]]: memref<2x3xi32>, %[[ACC:.*]]: memref<2x3xi32>)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %c2 step
// CHECK-NEXT:    scf.for %[[J:.*]] = %{{.*}} to %c3 step
// CHECK-NEXT:      %[[OLD:.*]] = memref.load %[[ACC]][%[[I]], %[[J]]] : memref<2x3xi32>
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[P]][%[[I]], %[[J]]] : memref<2x3xi32>
// CHECK-NEXT:      %[[SUM:.*]] = arith.addi %[[OLD]], %[[V]] : i32
// CHECK-NEXT:      memref.store %[[SUM]], %[[ACC]][%[[I]], %[[J]]] : memref<2x3xi32>
func.func @accumulate_in_place(%p: memref<2x3xi32>, %acc: memref<2x3xi32>) {
  pex.kernel ins(%p : memref<2x3xi32>) outs(%acc : memref<2x3xi32>) {
  ^bb0(%in: tensor<2x3xi32>, %out: tensor<2x3xi32>):
    %s = tosa.add %out, %in : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
    pex.yield %s : tensor<2x3xi32>
  }
  return
}

// -----

// A broadcast operand is read at index 0 along its dimension of size one.
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<1x3xf32>, %[[Y:.*]]: memref<2x3xf32>)
// CHECK:       scf.for %[[I:.*]] =
// CHECK-NEXT:    scf.for %[[J:.*]] =
// CHECK-NEXT:      %[[V:.*]] = memref.load %[[X]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT:      %[[BV:.*]] = memref.load %[[B]][%[[ZERO]], %[[J]]] : memref<1x3xf32>
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[V]], %[[BV]] : f32
// CHECK-NEXT:      memref.store %[[SUM]], %[[Y]][%[[I]], %[[J]]] : memref<2x3xf32>
func.func @broadcast(%x: memref<2x3xf32>, %b: memref<1x3xf32>, %y: memref<2x3xf32>) {
  pex.kernel ins(%x, %b : memref<2x3xf32>, memref<1x3xf32>) outs(%y : memref<2x3xf32>) {
  ^bb0(%in: tensor<2x3xf32>, %bias: tensor<1x3xf32>, %out: tensor<2x3xf32>):
    %s = tosa.add %in, %bias : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
    pex.yield %s : tensor<2x3xf32>
  }
  return
}
