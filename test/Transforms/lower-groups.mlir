// RUN: pex-opt %s -split-input-file --pex-lower-groups | FileCheck %s

// 10 channels in slices of 4: the remainder slice of 2 channels with its own
// static shapes first (where the group records it), then a loop over the two
// full slices. The clamped slices are assembled into the full result; the
// convolution over each slice's input channels is added to an accumulator
// that starts at zero.
// CHECK-LABEL: func.func @assemble_and_accumulate
// CHECK-SAME:    (%[[X:.*]]: tensor<1x2x2x10xf32>)
// CHECK-DAG:   %[[EMPTY:.*]] = tensor.empty() : tensor<1x2x2x10xf32>
// CHECK-DAG:   %[[ZERO:.*]] = tosa.tile %{{.*}}, %{{.*}} : (tensor<1x1x1x1xf32>, !tosa.shape<4>) -> tensor<1x2x2x3xf32>
// CHECK:       %[[XR:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 8] [1, 2, 2, 2] [1, 1, 1, 1]
// CHECK:       %[[CR:.*]] = tosa.clamp %[[XR]] {{.*}} -> tensor<1x2x2x2xf32>
// CHECK:       %[[PR:.*]] = tosa.conv2d %[[CR]], {{.*}} : (tensor<1x2x2x2xf32>, tensor<3x1x1x2xf32>, {{.*}}) -> tensor<1x2x2x3xf32>
// CHECK:       %[[OUTR:.*]] = tensor.insert_slice %[[CR]] into %[[EMPTY]][0, 0, 0, 8] [1, 2, 2, 2]
// CHECK:       %[[ACCR:.*]] = tosa.add %[[ZERO]], %[[PR]]
// CHECK:       %[[LOOP:.*]]:2 = scf.for %[[I:.*]] = %c0 to %c2 step %c1 iter_args(%[[OUT:.*]] = %[[OUTR]], %[[ACC:.*]] = %[[ACCR]])
// CHECK:         %[[OFFSET:.*]] = arith.muli %[[I]], %c4
// CHECK:         %[[XS:.*]] = tensor.extract_slice %[[X]][0, 0, 0, %[[OFFSET]]] [1, 2, 2, 4] [1, 1, 1, 1]
// CHECK:         %[[C:.*]] = tosa.clamp %[[XS]] {{.*}} -> tensor<1x2x2x4xf32>
// CHECK:         %[[WS:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, %[[OFFSET]]] [3, 1, 1, 4]
// CHECK:         %[[P:.*]] = tosa.conv2d %[[C]], %[[WS]], {{.*}} -> tensor<1x2x2x3xf32>
// CHECK:         %[[INSERTED:.*]] = tensor.insert_slice %[[C]] into %[[OUT]][0, 0, 0, %[[OFFSET]]] [1, 2, 2, 4]
// CHECK:         %[[SUM:.*]] = tosa.add %[[ACC]], %[[P]]
// CHECK:         scf.yield %[[INSERTED]], %[[SUM]]
// CHECK:       return %[[LOOP]]#0, %[[LOOP]]#1
func.func @assemble_and_accumulate(%x: tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x10xf32>} : () -> tensor<3x1x1x10xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y:2 = pex.group axis = 3, channels = 10, slices = 3, remainder = first sliced(%x : tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    %ws = pex.slice %w[3] : tensor<3x1x1x10xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %c, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>) accumulate(%p : tensor<1x2x2x3xf32>)
  }
  return %y#0, %y#1 : tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>
}

// -----

// By default the remainder runs after the loop. The placements the planner
// recorded on the group go to what holds those values: the assembled result
// is a placed buffer, and the accumulator's zero tile and every addition to
// it carry the accumulator's placement (each addition writes it in place).
// The remainder's accumulation and the epilogue stay apart: the addition is
// a placed result, where a kernel ends.
// CHECK-LABEL: func.func @remainder_last_placed
// CHECK:       %[[OUT:.*]] = pex.buffer <offset = 0, size = 160, live = [0, 3]> : tensor<1x2x2x10xf32>
// CHECK:       %[[ZERO:.*]] = tosa.tile {{.*}}pex.placement = #pex.placement<offset = 160, size = 48, live = [0, 2]>
// CHECK:       %[[LOOP:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[OUT]], %{{.*}} = %[[ZERO]])
// CHECK:         tosa.add {{.*}}pex.placement = #pex.placement<offset = 160, size = 48, live = [0, 2]>
// CHECK:       }
// CHECK:       tensor.extract_slice %{{.*}}[0, 0, 0, 8] [1, 2, 2, 2]
// CHECK:       tensor.insert_slice %{{.*}} into %[[LOOP]]#0[0, 0, 0, 8]
// CHECK:       %[[SUM:.*]] = tosa.add %[[LOOP]]#1, {{.*}}pex.placement = #pex.placement<offset = 160, size = 48, live = [0, 2]>
// CHECK:       %[[R:.*]] = tosa.clamp %[[SUM]] {{.*}}pex.placement = #pex.placement<offset = 208, size = 48, live = [2, 3]>
func.func @remainder_last_placed(%x: tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>) {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x10xf32>} : () -> tensor<3x1x1x10xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y:2 = pex.group axis = 3, channels = 10, slices = 3 sliced(%x : tensor<1x2x2x10xf32>) -> (tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %c = tosa.clamp %xs {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
    %ws = pex.slice %w[3] : tensor<3x1x1x10xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %c, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield assemble(%c : tensor<1x2x2x4xf32>) accumulate(%p : tensor<1x2x2x3xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x3xf32>):
    %r = tosa.clamp %acc {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
    pex.yield %r : tensor<1x2x2x3xf32>
  } {pex.accumulator_placements = [#pex.placement<offset = 160, size = 48, live = [0, 2]>], pex.placements = [#pex.placement<offset = 0, size = 160, live = [0, 3]>, #pex.placement<offset = 208, size = 48, live = [2, 3]>]}
  return %y#0, %y#1 : tensor<1x2x2x10xf32>, tensor<1x2x2x3xf32>
}

// -----

// When the slices divide the channels there is no remainder, and the
// epilogue runs on the loop's accumulator (and the group's whole operands).
// CHECK-LABEL: func.func @epilogue_after_loop
// CHECK:       %[[LOOP:.*]] = scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:         scf.yield
// CHECK-NEXT:  }
// CHECK-NEXT:  %[[R:.*]] = tosa.clamp %[[LOOP]] {{.*}} -> tensor<1x2x2x3xf32>
// CHECK-NEXT:  return %[[R]]
func.func @epilogue_after_loop(%x: tensor<1x2x2x8xf32>) -> tensor<1x2x2x3xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<3x1x1x8xf32>} : () -> tensor<3x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = pex.group axis = 3, channels = 8, slices = 2 sliced(%x : tensor<1x2x2x8xf32>) -> (tensor<1x2x2x3xf32>) {
  ^bb0(%xs: tensor<1x2x2x4xf32>):
    %ws = pex.slice %w[3] : tensor<3x1x1x8xf32> -> tensor<3x1x1x4xf32>
    %p = tosa.conv2d %xs, %ws, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xf32>, tensor<3x1x1x4xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
    pex.partial_yield accumulate(%p : tensor<1x2x2x3xf32>)
  } epilogue {
  ^bb0(%acc: tensor<1x2x2x3xf32>):
    %r = tosa.clamp %acc {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
    pex.yield %r : tensor<1x2x2x3xf32>
  }
  return %y : tensor<1x2x2x3xf32>
}

// -----

// An epilogue that returns the accumulator unchanged (a lone channel
// reduction, TFLite Micro's int16 SOFTMAX's row sum): the planner placed the
// result apart from the accumulator, whose bytes it reuses once the group is
// done, so the result is copied to its own placement.
// CHECK-LABEL: func.func @identity_epilogue_placed
// CHECK:       %[[LOOP:.*]] = scf.for
// CHECK:         tosa.reduce_sum
// CHECK:         tosa.add {{.*}}pex.placement = #pex.placement<offset = 32, size = 16, live = [0, 1]>
// CHECK-NEXT:    scf.yield
// CHECK-NEXT:  }
// CHECK-NEXT:  %[[R:.*]] = tosa.identity %[[LOOP]] {pex.placement = #pex.placement<offset = 0, size = 16, live = [2, 3]>}
// CHECK-NEXT:  return %[[R]]
func.func @identity_epilogue_placed(%x: tensor<1x4x8xi16>) -> tensor<1x4x1xi32> {
  %y = pex.group axis = 2, channels = 8, slices = 2 sliced(%x : tensor<1x4x8xi16>) -> (tensor<1x4x1xi32>) {
  ^bb0(%xs: tensor<1x4x4xi16>):
    %w = tosa.cast %xs : (tensor<1x4x4xi16>) -> tensor<1x4x4xi32>
    %s = tosa.reduce_sum %w {axis = 2 : i32} : (tensor<1x4x4xi32>) -> tensor<1x4x1xi32>
    pex.partial_yield accumulate(%s : tensor<1x4x1xi32>)
  } epilogue {
  ^bb0(%acc: tensor<1x4x1xi32>):
    pex.yield %acc : tensor<1x4x1xi32>
  } {pex.accumulator_placements = [#pex.placement<offset = 32, size = 16, live = [0, 1]>], pex.placements = [#pex.placement<offset = 0, size = 16, live = [2, 3]>]}
  return %y : tensor<1x4x1xi32>
}
