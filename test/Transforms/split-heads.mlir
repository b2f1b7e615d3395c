// RUN: pex-opt %s -split-input-file --pex-split-heads | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-split-heads --pex-lower-groups | FileCheck %s --check-prefix=LOWER
// RUN: pex-opt %s -split-input-file --pex-split-heads --pex-plan-arena | FileCheck %s --check-prefix=PLAN
// RUN: pex-opt %s -split-input-file --pex-split-heads="arena-io=true" | FileCheck %s --check-prefix=ARENA-IO

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
// CHECK-NEXT:    %[[S:.*]] = tosa.matmul
// CHECK-NEXT:    %[[BIAS:.*]] = pex.slice %{{.*}}[0] : tensor<2x8x8xf32> -> tensor<1x8x8xf32>
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

// -----

// The softmax on [1, heads, T, T] between matmuls on [heads, T, T] (ONNX's
// 4-D attention, collapsed for tosa.matmul), and the requantisation after
// the product with V on [1, heads, T, d]: the reshapes only add or remove a
// leading 1, so the batch moves to axis 1 and back. The group assembles the
// requantised result without its leading 1, reshaped after the group.
// CHECK-LABEL: func.func @four_dimensional
// CHECK:       %[[G:.*]] = pex.group axis = 0, channels = 2, slices = 2 sliced({{.*}}) -> (tensor<2x8x4xi8>) {
// CHECK:         tosa.reshape {{.*}} -> tensor<1x1x8x8xf32>
// CHECK-NEXT:    tosa.reduce_max {{.*}} {axis = 3 : i32} : (tensor<1x1x8x8xf32>) -> tensor<1x1x8x1xf32>
// CHECK:         tosa.reshape {{.*}} -> tensor<1x8x8xi8>
// CHECK:         %[[O:.*]] = tosa.matmul {{.*}} -> tensor<1x8x4xi32>
// CHECK:         %[[R:.*]] = tosa.reshape %[[O]], {{.*}} -> tensor<1x1x8x4xi32>
// CHECK-NEXT:    %[[Q:.*]] = tosa.rescale %[[R]], {{.*}} -> tensor<1x1x8x4xi8>
// CHECK:         %[[Y:.*]] = tosa.reshape %[[Q]], {{.*}} -> tensor<1x8x4xi8>
// CHECK-NEXT:    pex.partial_yield assemble(%[[Y]] : tensor<1x8x4xi8>)
// CHECK:       %[[A:.*]] = tosa.reshape %[[G]], {{.*}} -> tensor<1x2x8x4xi8>
// CHECK:       return %[[A]]
func.func @four_dimensional(%q: tensor<2x8x4xi8>, %k: tensor<2x4x8xi8>, %v: tensor<2x8x4xi8>) -> tensor<1x2x8x4xi8> {
  %zp8 = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp32 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %mult = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<36> : tensor<1xi8>} : () -> tensor<1xi8>
  %shape4 = tosa.const_shape {values = dense<[1, 2, 8, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape3 = tosa.const_shape {values = dense<[2, 8, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %out4 = tosa.const_shape {values = dense<[1, 2, 8, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %s = tosa.matmul %q, %k, %zp8, %zp8 : (tensor<2x8x4xi8>, tensor<2x4x8xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<2x8x8xi32>
  %sq = tosa.rescale %s, %mult, %sh, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<2x8x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<2x8x8xi8>
  %f = tosa.cast %sq : (tensor<2x8x8xi8>) -> tensor<2x8x8xf32>
  %f4 = tosa.reshape %f, %shape4 : (tensor<2x8x8xf32>, !tosa.shape<4>) -> tensor<1x2x8x8xf32>
  %m = tosa.reduce_max %f4 {axis = 3 : i32} : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x1xf32>
  %d = tosa.sub %f4, %m : (tensor<1x2x8x8xf32>, tensor<1x2x8x1xf32>) -> tensor<1x2x8x8xf32>
  %p = tosa.cast %d : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xi8>
  %p3 = tosa.reshape %p, %shape3 : (tensor<1x2x8x8xi8>, !tosa.shape<3>) -> tensor<2x8x8xi8>
  %o = tosa.matmul %p3, %v, %zp8, %zp8 : (tensor<2x8x8xi8>, tensor<2x8x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<2x8x4xi32>
  %o4 = tosa.reshape %o, %out4 : (tensor<2x8x4xi32>, !tosa.shape<4>) -> tensor<1x2x8x4xi32>
  %oq = tosa.rescale %o4, %mult, %sh, %zp32, %zp8 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x2x8x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x8x4xi8>
  return %oq : tensor<1x2x8x4xi8>
}

// -----

// The group reads Q, K and V whole, so V must exist before the first head's
// scores; the whole chain lets the order compute V after the softmax. With
// the caller holding the inputs, the group lowers the peak (one head's
// scores beside V); with the inputs in the arena, V's input is live with
// them and the group would raise the peak: the chain is left whole.
// CHECK-LABEL: func.func @value_after_softmax
// CHECK:       pex.group axis = 0
// ARENA-IO-LABEL: func.func @value_after_softmax
// ARENA-IO-NOT:   pex.group
func.func @value_after_softmax(%q: tensor<2x2x16xf32>, %k: tensor<2x16x2xf32>, %vin: tensor<2x2x16xf32>) -> tensor<2x2x16xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = tosa.matmul %q, %k, %zp, %zp : (tensor<2x2x16xf32>, tensor<2x16x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x2x2xf32>
  %e = tosa.exp %s : (tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %v = tosa.tanh %vin : (tensor<2x2x16xf32>) -> tensor<2x2x16xf32>
  %o = tosa.matmul %e, %v, %zp, %zp : (tensor<2x2x2xf32>, tensor<2x2x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x2x16xf32>
  return %o : tensor<2x2x16xf32>
}
