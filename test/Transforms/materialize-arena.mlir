// RUN: pex-opt %s -split-input-file --pex-materialize-arena --pex-verify-arena -verify-diagnostics | FileCheck %s

// Every allocation becomes a view of the arena at its planned offset; the
// arena global takes the function's plan.
// CHECK-LABEL: memref.global "private" @pex_arena : memref<96xi8> = uninitialized
// CHECK-SAME:    alignment = 16 : i64
// CHECK-SAME:    pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>
// CHECK-SAME:    pex.first_fit_size = 112 : i64
// CHECK-LABEL: func.func @chain
// CHECK-NOT:     pex.arena
// CHECK:       %[[ARENA:.*]] = memref.get_global @pex_arena : memref<96xi8>
// CHECK:       memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1]>} : memref<96xi8> to memref<64xi8>
// CHECK:       memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = 64, size = 32, live = [1, 2]>} : memref<96xi8> to memref<32xi8>
// CHECK-NOT:   memref.alloc
func.func @chain(%in: memref<16xi8>, %out: memref<16xi8> {pex.output}) attributes {pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>, pex.first_fit_size = 112 : i64} {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1]>} : memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  %b = memref.alloc() {pex.placement = #pex.placement<offset = 64, size = 32, live = [1, 2]>} : memref<32xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  memref.store %y, %b[%c0] : memref<32xi8>
  %z = memref.load %b[%c0] : memref<32xi8>
  memref.store %z, %out[%c0] : memref<16xi8>
  return
}

// -----

// Arguments the arena holds (the model's input and output) become views with
// their accessor roles, numbered when there are several; the arguments go.
// CHECK-LABEL: func.func @two()
// CHECK-DAG:   memref.view {{.*}} {pex.io = "input0", pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>}
// CHECK-DAG:   memref.view {{.*}} {pex.io = "input1", pex.placement = #pex.placement<offset = 16, size = 4, live = [0, 0]>}
// CHECK-DAG:   memref.view {{.*}} {pex.io = "output0", pex.placement = #pex.placement<offset = 32, size = 4, live = [0, 1]>}
// CHECK-DAG:   memref.view {{.*}} {pex.io = "output1", pex.placement = #pex.placement<offset = 48, size = 4, live = [0, 1]>}
func.func @two(%a: memref<4xi8> {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0]>},
               %b: memref<4xi8> {pex.placement = #pex.placement<offset = 16, size = 4, live = [0, 0]>},
               %c: memref<4xi8> {pex.output, pex.placement = #pex.placement<offset = 32, size = 4, live = [0, 1]>},
               %d: memref<4xi8> {pex.output, pex.placement = #pex.placement<offset = 48, size = 4, live = [0, 1]>})
    attributes {pex.arena = #pex.arena<size = 64, alignment = 16, peak = 16, lower_bound = 64>} {
  %c0 = arith.constant 0 : index
  %x = memref.load %a[%c0] : memref<4xi8>
  %y = memref.load %b[%c0] : memref<4xi8>
  memref.store %x, %c[%c0] : memref<4xi8>
  memref.store %y, %d[%c0] : memref<4xi8>
  return
}

// -----

// A buffer the plan does not have is a lowering defect, not something to
// place here.
func.func @unplanned(%out: memref<16xi8> {pex.output}) attributes {pex.arena = #pex.arena<size = 16, alignment = 16, peak = 16, lower_bound = 16>} {
  // expected-error @+1 {{pex: internal error: a buffer of type 'memref<16xi8>' has no planned placement}}
  %a = memref.alloc() : memref<16xi8>
  return
}

// -----

// expected-error @+1 {{pex: the function has no planned arena (pex-plan-arena runs before bufferization)}}
func.func @not_planned(%out: memref<16xi8> {pex.output}) {
  return
}

// -----

// A loop carrying a state in its global: the allocation placed in the state
// and the new value's parameter are the state's global; nothing is copied
// into it after the last step.
// CHECK:       memref.global "private" @h : memref<4xi8> = dense<0> {pex.variable}
// CHECK-LABEL: func.func @carried_state(%{{.*}}: memref<4xi8>)
// CHECK-COUNT-2: memref.get_global @h : memref<4xi8>
// CHECK:         %[[CARRIED:.*]] = memref.get_global @h : memref<4xi8>
// CHECK-NOT:     memref.alloc
// CHECK:         memref.store %{{.*}}, %[[CARRIED]]
// CHECK-NOT:     scf.for
// CHECK:         return
ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @carried_state(%x: memref<4xi8>, %old: memref<4xi8> {pex.variable = @h},
                         %new: memref<4xi8> {pex.output, pex.variable = @h, pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0], state = @h>})
    attributes {pex.arena = #pex.arena<size = 0, alignment = 16, peak = 0, lower_bound = 0>} {
  %c0 = arith.constant 0 : index
  %carried = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 4, live = [0, 0], state = @h>} : memref<4xi8>
  %a = memref.load %old[%c0] : memref<4xi8>
  %b = memref.load %x[%c0] : memref<4xi8>
  %s = arith.addi %a, %b : i8
  memref.store %s, %carried[%c0] : memref<4xi8>
  return
}

// -----

ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @state_of_other_type(%old: memref<4xi8> {pex.variable = @h})
    attributes {pex.arena = #pex.arena<size = 0, alignment = 16, peak = 0, lower_bound = 0>} {
  // expected-error @+1 {{pex: internal error: a buffer of type 'memref<8xi8>' placed in the state @h, which has no global of that type}}
  %carried = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 8, live = [0, 0], state = @h>} : memref<8xi8>
  return
}
