// RUN: pex-opt %s -split-input-file --pex-plan-arena="hold-io=true" --pex-verify-arena | FileCheck %s

// The arena holds the input and output. The input is live from the start to
// its last use, the output from its first write to the end, so the arena is
// the 80-byte peak (input + intermediate), not 96 bytes. The arguments are
// gone; their views carry their roles.
// CHECK-LABEL: memref.global "private" @pex_arena : memref<80xi8>
// CHECK-SAME:    pex.arena = #pex.arena<size = 80, alignment = 16, peak = 80, lower_bound = 80>
// CHECK-LABEL: func.func @model()
// CHECK:       %[[ARENA:.*]] = memref.get_global @pex_arena
// CHECK:       %[[IN:.*]] = memref.view %[[ARENA]][%{{.*}}][] {pex.io = "input", pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 16, live = [0, 2]>}
// CHECK:       %[[TMP:.*]] = memref.view %[[ARENA]]{{.*}}size = 64, live = [1, 4]>}
// CHECK:       memref.load %[[IN]]
// CHECK:       memref.store {{.*}}, %[[TMP]]
// CHECK:       %[[OUT:.*]] = memref.view %[[ARENA]][%{{.*}}][] {pex.io = "output", pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 16, live = [5, 6]>}
// CHECK-NEXT:  memref.store {{.*}}, %[[OUT]]
// CHECK-NEXT:  return
func.func @model(%in: memref<16xi8>, %out: memref<16xi8> {pex.output}) {
  %c0 = arith.constant 0 : index
  %tmp = memref.alloc() : memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %tmp[%c0] : memref<64xi8>
  %y = memref.load %tmp[%c0] : memref<64xi8>
  memref.store %y, %out[%c0] : memref<16xi8>
  return
}

// -----

// An output first written in a loop lives from the loop's start, while the
// input is still live: they cannot share bytes.
// CHECK-LABEL: memref.global "private" @pex_arena : memref<32xi8>
// CHECK-LABEL: func.func @loop()
// CHECK:       memref.view {{.*}} {pex.io = "input", pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 16, live = [0, 6]>}
// CHECK:       memref.view {{.*}} {pex.io = "output", pex.placement = #pex.placement<offset = {{[0-9]+}}, size = 16, live = [3, 7]>}
// CHECK-NEXT:  scf.for
func.func @loop(%in: memref<16xi8>, %out: memref<16xi8> {pex.output}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %x = memref.load %in[%i] : memref<16xi8>
    memref.store %x, %out[%i] : memref<16xi8>
  }
  return
}

// -----

// Several inputs and outputs get numbered roles; functions that are not
// public keep their arguments (only the model's are the application's).
// CHECK-LABEL: func.func @two()
// CHECK-DAG:   pex.io = "input0"
// CHECK-DAG:   pex.io = "input1"
// CHECK-DAG:   pex.io = "output0"
// CHECK-DAG:   pex.io = "output1"
// CHECK-LABEL: func.func private @helper(%{{.*}}: memref<4xi8>)
// CHECK-NEXT:    return
func.func @two(%a: memref<4xi8>, %b: memref<4xi8>,
               %c: memref<4xi8> {pex.output}, %d: memref<4xi8> {pex.output}) {
  %c0 = arith.constant 0 : index
  %x = memref.load %a[%c0] : memref<4xi8>
  %y = memref.load %b[%c0] : memref<4xi8>
  memref.store %x, %c[%c0] : memref<4xi8>
  memref.store %y, %d[%c0] : memref<4xi8>
  return
}
func.func private @helper(%a: memref<4xi8>) {
  return
}
