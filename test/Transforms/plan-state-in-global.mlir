// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=4" | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="arena-io=true alignment=4" --pex-form-kernels | FileCheck %s --check-prefix=KERNEL
// RUN: pex-opt %s -split-input-file --pex-plan-arena="alignment=4" | FileCheck %s --check-prefix=CALLER

// A loop carrying a state from its value before the run (an LSTM's h over
// the time steps), which nothing else reads: the loop carries it in the
// state's global, placed there, not in the arena. The arena holds the input
// and the output alone.
// CHECK-LABEL: func.func @carried_in_global
// CHECK-SAME:    tensor<1x4xi8> {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 1], state = @h>, pex.variable = @h})
// CHECK-SAME:    pex.arena = #pex.arena<size = 4,
// CHECK:         tosa.add {{.*}}pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 1], state = @h>
// CHECK:         pex.placements = [#pex.placement<offset = 0, size = 4, live = [0, 1], state = @h>]
// The same where the caller holds the input and the output: nothing left in
// the arena.
// CALLER-LABEL: func.func @carried_in_global
// CALLER-SAME:    state = @h>, pex.variable = @h})
// CALLER-SAME:    pex.arena = #pex.arena<size = 0,
// The loop's storage starts as a copy of the state before the run, in the
// same global (a copy onto itself: the value before the run is an argument
// no kernel writes).
// KERNEL-LABEL: func.func @carried_in_global
// KERNEL:         pex.buffer <offset = 0, size = 4, live = [0, 1], state = @h>
// KERNEL:         %[[OLD:.*]] = pex.kernel ins(%arg1 {{.*}} outs(%{{.*}} : tensor<1x4xi8>)
// KERNEL:           tosa.identity {{.*}}state = @h>
// KERNEL:         scf.for {{.*}} iter_args(%[[CARRIED:.*]] = %[[OLD]])
// KERNEL:           pex.kernel {{.*}} outs(%[[CARRIED]] : tensor<1x4xi8>)
func.func @carried_in_global(%x: tensor<1x4xi8>, %old: tensor<1x4xi8> {pex.variable = @h}) -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
    %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %out = tosa.clamp %r {max_val = 127 : i8, min_val = -128 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out, %r : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// The state before the run is read after the loop too: the global must keep
// it until then, so the new value is computed in the arena and copied into
// the global at the run's end.
// CHECK-LABEL: func.func @read_after_loop
// CHECK-NOT:     state = @h
// CHECK:         pex.arena = #pex.arena<size = 8,
func.func @read_after_loop(%x: tensor<1x4xi8>, %old: tensor<1x4xi8> {pex.variable = @h}) -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
    %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %out = tosa.add %r, %old : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out, %r : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// The loop starts from another state's value: writing @h's new value over
// @g's would be wrong, and @g's global is not @h's.
// CHECK-LABEL: func.func @other_state
// CHECK-NOT:     state = @
// CHECK:         pex.arena
func.func @other_state(%x: tensor<1x4xi8>, %g: tensor<1x4xi8> {pex.variable = @g}) -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %g) -> (tensor<1x4xi8>) {
    %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %out = tosa.clamp %r {max_val = 127 : i8, min_val = -128 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out, %r : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// Two loops start from the state: the second still reads the value before
// the run after the first has computed the new one.
// CHECK-LABEL: func.func @two_loops
// CHECK-NOT:     state = @
// CHECK:         pex.arena
func.func @two_loops(%x: tensor<1x4xi8>, %old: tensor<1x4xi8> {pex.variable = @h}) -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
    %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %s = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
    %n = tosa.sub %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  return %s, %r : tensor<1x4xi8>, tensor<1x4xi8>
}

// -----

// The body reads the value before the run itself, in every iteration.
// CHECK-LABEL: func.func @body_reads_state
// CHECK-NOT:     state = @
// CHECK:         pex.arena
func.func @body_reads_state(%x: tensor<1x4xi8>, %old: tensor<1x4xi8> {pex.variable = @h}) -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
    %m = tosa.add %a, %old : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    %n = tosa.add %m, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %out = tosa.clamp %r {max_val = 100 : i8, min_val = -100 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out, %r : tensor<1x4xi8>, tensor<1x4xi8>
}
