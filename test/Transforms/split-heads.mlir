// RUN: pex-opt %s -split-input-file --pex-split-heads | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-split-heads --pex-lower-groups | FileCheck %s --check-prefix=LOWER
// RUN: pex-opt %s -split-input-file --pex-split-heads --pex-plan-arena | FileCheck %s --check-prefix=PLAN

// Attention over two heads (float): the scores, their softmax and the
// product with V run as a group along the batch axis, one head per slice,
// reading each head's Q, K and V and assembling each head's result.
// CHECK-LABEL: func.func @two_heads
// CHECK:       %[[G:.*]] = pex.group axis = 0, channels = 2, slices = 2 sliced(%arg0, %arg1, %arg2 : tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>) {
// CHECK-NEXT:  ^bb0(%[[Q:.*]]: tensor<1x8x4xf32>, %[[K:.*]]: tensor<1x4x8xf32>, %[[V:.*]]: tensor<1x8x4xf32>):
// CHECK-NEXT:    %[[S:.*]] = tosa.matmul %[[Q]], %[[K]], {{.*}} -> tensor<1x8x8xf32>
// CHECK-NEXT:    %[[M:.*]] = tosa.reduce_max %[[S]] {axis = 2 : i32} : (tensor<1x8x8xf32>) -> tensor<1x8x1xf32>
// CHECK-NEXT:    %[[D:.*]] = tosa.sub %[[S]], %[[M]] : (tensor<1x8x8xf32>, tensor<1x8x1xf32>) -> tensor<1x8x8xf32>
// CHECK-NEXT:    %[[E:.*]] = tosa.exp %[[D]]
// CHECK-NEXT:    %[[T:.*]] = tosa.reduce_sum %[[E]]
// CHECK-NEXT:    %[[R:.*]] = tosa.reciprocal %[[T]]
// CHECK-NEXT:    %[[P:.*]] = tosa.mul %[[E]], %[[R]], {{.*}} -> tensor<1x8x8xf32>
// CHECK-NEXT:    %[[O:.*]] = tosa.matmul %[[P]], %[[V]], {{.*}} -> tensor<1x8x4xf32>
// CHECK-NEXT:    pex.partial_yield assemble(%[[O]] : tensor<1x8x4xf32>)
// CHECK:       return %[[G]]
// Lowered: a loop over the heads, each reading its slices of Q, K and V.
// LOWER-LABEL: func.func @two_heads
// LOWER:       scf.for %{{.*}} = %{{.*}} to %c2
// LOWER:         tensor.extract_slice %arg0[%[[H:.*]], 0, 0] [1, 8, 4] [1, 1, 1] : tensor<2x8x4xf32> to tensor<1x8x4xf32>
// LOWER:         tosa.matmul {{.*}} -> tensor<1x8x8xf32>
// LOWER:         tensor.insert_slice {{.*}}[%[[H]], 0, 0] [1, 8, 4] [1, 1, 1] : tensor<1x8x4xf32> into tensor<2x8x4xf32>
// Planned: one head's scores (256 bytes) at a time, the difference, its
// exponential and the normalised scores each written over the one before.
// PLAN-LABEL: func.func @two_heads
// PLAN:       tosa.matmul {{.*}}pex.placement = #pex.placement<offset = [[SCORES:[0-9]+]], size = 256
// PLAN:       tosa.exp {{.*}}pex.placement = #pex.placement<offset = [[SCORES]], size = 256
// PLAN:       tosa.mul {{.*}}pex.placement = #pex.placement<offset = [[SCORES]], size = 256
func.func @two_heads(%q: tensor<2x8x4xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x8xf32>
  %m = tosa.reduce_max %s {axis = 2 : i32} : (tensor<2x8x8xf32>) -> tensor<2x8x1xf32>
  %d = tosa.sub %s, %m : (tensor<2x8x8xf32>, tensor<2x8x1xf32>) -> tensor<2x8x8xf32>
  %e = tosa.exp %d : (tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %t = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<2x8x8xf32>) -> tensor<2x8x1xf32>
  %r = tosa.reciprocal %t : (tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x8x8xf32>, tensor<2x8x1xf32>, tensor<1xi8>) -> tensor<2x8x8xf32>
  %o = tosa.matmul %p, %v, %zp, %zp : (tensor<2x8x8xf32>, tensor<2x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x4xf32>
  return %o : tensor<2x8x4xf32>
}

// -----

// int8: the requantisation after the product with V runs in the group, so
// that the group assembles int8 results, not the int32 accumulator.
// CHECK-LABEL: func.func @requantised
// CHECK:       pex.group axis = 0, channels = 4, slices = 4 sliced(%arg0, %arg1, %arg2 : {{.*}}) -> (tensor<4x8x4xi8>) {
// CHECK:         %[[O:.*]] = tosa.matmul {{.*}} -> tensor<1x8x4xi32>
// CHECK-NEXT:    %[[Q:.*]] = tosa.rescale %[[O]], {{.*}} -> tensor<1x8x4xi8>
// CHECK-NEXT:    pex.partial_yield assemble(%[[Q]] : tensor<1x8x4xi8>)
func.func @requantised(%q: tensor<4x8x4xi8>, %k: tensor<4x4x8xi8>, %v: tensor<4x8x4xi8>) -> tensor<4x8x4xi8> {
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %mult = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<36> : tensor<1xi8>} : () -> tensor<1xi8>
  %s = tosa.matmul %q, %k, %zp8, %zp8 : (tensor<4x8x4xi8>, tensor<4x4x8xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<4x8x8xi32>
  %sq = tosa.rescale %s, %mult, %sh, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x8x8xi8>
  %o = tosa.matmul %sq, %v, %zp8, %zp8 : (tensor<4x8x8xi8>, tensor<4x8x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<4x8x4xi32>
  %oq = tosa.rescale %o, %mult, %sh, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4x8x4xi8>
  return %oq : tensor<4x8x4xi8>
}

// -----

// A bias per head (a constant with the batch's size, e.g. relative
// positions) is cut with pex.slice; a mask shared by the heads (batch 1) is
// read whole.
// CHECK-LABEL: func.func @biased_and_masked
// CHECK:       pex.group axis = 0, channels = 2, slices = 2 whole(%arg3 : tensor<1x8x8xf32>) sliced(%arg0, %arg1, %arg2 : {{.*}})
// CHECK-NEXT:  ^bb0(%[[MASK:.*]]: tensor<1x8x8xf32>, %{{.*}}: tensor<1x8x4xf32>, %{{.*}}: tensor<1x4x8xf32>, %{{.*}}: tensor<1x8x4xf32>):
// CHECK-NEXT:    %[[BIAS:.*]] = pex.slice %{{.*}}[0] : tensor<2x8x8xf32> -> tensor<1x8x8xf32>
// CHECK-NEXT:    %[[S:.*]] = tosa.matmul
// CHECK-NEXT:    %[[B:.*]] = tosa.add %[[S]], %[[BIAS]]
// CHECK-NEXT:    tosa.add %[[B]], %[[MASK]]
func.func @biased_and_masked(%q: tensor<2x8x4xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x8x4xf32>, %mask: tensor<1x8x8xf32>) -> tensor<2x8x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %bias = "tosa.const"() {values = dense<0.5> : tensor<2x8x8xf32>} : () -> tensor<2x8x8xf32>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x8xf32>
  %b = tosa.add %s, %bias : (tensor<2x8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %m = tosa.add %b, %mask : (tensor<2x8x8xf32>, tensor<1x8x8xf32>) -> tensor<2x8x8xf32>
  %o = tosa.matmul %m, %v, %zp, %zp : (tensor<2x8x8xf32>, tensor<2x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x4xf32>
  return %o : tensor<2x8x4xf32>
}

// -----

// Scores the model also returns exist whole anyway: left as they are.
// CHECK-LABEL: func.func @scores_returned
// CHECK-NOT:   pex.group
func.func @scores_returned(%q: tensor<2x8x4xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x8x8xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x8xf32>
  %e = tosa.exp %s : (tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
  %o = tosa.matmul %e, %v, %zp, %zp : (tensor<2x8x8xf32>, tensor<2x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x4xf32>
  return %o, %e : tensor<2x8x4xf32>, tensor<2x8x8xf32>
}

// -----

// An operator combining heads (a sum over the batch axis) between the two
// matmuls: left whole.
// CHECK-LABEL: func.func @heads_combined
// CHECK-NOT:   pex.group
func.func @heads_combined(%q: tensor<2x8x4xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x8xf32>
  %t = tosa.reduce_sum %s {axis = 0 : i32} : (tensor<2x8x8xf32>) -> tensor<1x8x8xf32>
  %a = tosa.add %s, %t : (tensor<2x8x8xf32>, tensor<1x8x8xf32>) -> tensor<2x8x8xf32>
  %o = tosa.matmul %a, %v, %zp, %zp : (tensor<2x8x8xf32>, tensor<2x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x4xf32>
  return %o : tensor<2x8x4xf32>
}

// -----

// One head: nothing to split.
// CHECK-LABEL: func.func @one_head
// CHECK-NOT:   pex.group
func.func @one_head(%q: tensor<1x8x4xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x8x4xf32>) -> tensor<1x8x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<1x8x4xf32>, tensor<1x4x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8xf32>
  %e = tosa.exp %s : (tensor<1x8x8xf32>) -> tensor<1x8x8xf32>
  %o = tosa.matmul %e, %v, %zp, %zp : (tensor<1x8x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x4xf32>
  return %o : tensor<1x8x4xf32>
}
