// RUN: pex-opt %s -split-input-file --pex-plan-arena --pex-verify-arena | FileCheck %s
// RUN: pex-opt %s -split-input-file --pex-plan-arena="strategy=first-fit" --pex-verify-arena | FileCheck %s --check-prefix=FIRSTFIT

// Three buffers in a chain: %a and %c never live together and share offset 0.
// CHECK-LABEL: memref.global "private" @pex_arena : memref<96xi8> = uninitialized
// CHECK-SAME:    alignment = 16 : i64
// CHECK-SAME:    pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>
// CHECK-LABEL: func.func @chain
// CHECK:       %[[ARENA:.*]] = memref.get_global @pex_arena : memref<96xi8>
// CHECK:       memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [1, 5]>} : memref<96xi8> to memref<64xi8>
// CHECK:       memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = 64, size = 32, live = [4, 8]>} : memref<96xi8> to memref<32xi8>
// CHECK:       memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = 0, size = 16, live = [7, 10]>} : memref<96xi8> to memref<16xi8>
// CHECK-NOT:   memref.alloc
func.func @chain(%in: memref<16xi8>, %out: memref<16xi8>) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  %b = memref.alloc() : memref<32xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  memref.store %y, %b[%c0] : memref<32xi8>
  %c = memref.alloc() : memref<16xi8>
  %z = memref.load %b[%c0] : memref<32xi8>
  memref.store %z, %c[%c0] : memref<16xi8>
  %w = memref.load %c[%c0] : memref<16xi8>
  memref.store %w, %out[%c0] : memref<16xi8>
  return
}

// -----

// A buffer allocated before a loop and used in it lives for the whole loop;
// the slice buffer allocated in the loop body lives within one iteration.
// CHECK-LABEL: func.func @loop
// CHECK:       memref.view {{.*}} {pex.placement = #pex.placement<offset = 0, size = 32, live = [3, 11]>}
// CHECK:       scf.for
// CHECK:         memref.view {{.*}} {pex.placement = #pex.placement<offset = 32, size = 16, live = [6, 8]>}
func.func @loop(%in: memref<16xi8>, %out: memref<16xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %acc = memref.alloc() : memref<32xi8>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %in[%i] : memref<16xi8>
    %slice = memref.alloc() : memref<16xi8>
    memref.store %x, %slice[%c0] : memref<16xi8>
    %y = memref.load %slice[%c0] : memref<16xi8>
    memref.store %y, %acc[%i] : memref<32xi8>
  }
  %z = memref.load %acc[%c0] : memref<32xi8>
  memref.store %z, %out[%c0] : memref<16xi8>
  return
}

// -----

// Lifetimes C, D overlap, then C, B, then B, A (sizes 32, 48, 32, 48 B): at
// most 80 B are live at once. Largest-first first fit (TensorFlow Lite
// Micro's planner) puts D and A at offset 0, C above D, and B above both C
// and A: 112 B. The search reaches the lower bound, 80 B.
// CHECK-LABEL: memref.global "private" @pex_arena : memref<80xi8>
// CHECK-SAME:    pex.arena = #pex.arena<size = 80, alignment = 16, peak = 80, lower_bound = 80>
// CHECK-LABEL: func.func @fragmentation
// FIRSTFIT-LABEL: memref.global "private" @pex_arena : memref<112xi8>
// FIRSTFIT-SAME:    pex.arena = #pex.arena<size = 112, alignment = 16, peak = 80, lower_bound = 80>
// FIRSTFIT-LABEL: func.func @fragmentation
func.func @fragmentation(%in: memref<16xi8>, %out: memref<16xi8>) {
  %c0 = arith.constant 0 : index
  %x = memref.load %in[%c0] : memref<16xi8>
  %c = memref.alloc() : memref<32xi8>
  %d = memref.alloc() : memref<48xi8>
  memref.store %x, %c[%c0] : memref<32xi8>
  memref.store %x, %d[%c0] : memref<48xi8>
  %b = memref.alloc() : memref<32xi8>
  memref.store %x, %b[%c0] : memref<32xi8>
  %y = memref.load %c[%c0] : memref<32xi8>
  %a = memref.alloc() : memref<48xi8>
  memref.store %y, %a[%c0] : memref<48xi8>
  %z = memref.load %b[%c0] : memref<32xi8>
  %w = memref.load %a[%c0] : memref<48xi8>
  memref.store %w, %out[%c0] : memref<16xi8>
  return
}
