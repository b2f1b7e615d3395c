// RUN: pex-opt %s -split-input-file --pex-materialize-arena="symbol=pex_m_arena" --pex-verify-arena -verify-diagnostics | FileCheck %s

// One global per pool that holds buffers, SYMBOL_POOL, sized by its use and
// carrying its pool (the empty pool gets none); the module records the
// arena, the sum, and the sections by symbol. Every view is of its
// placement's pool.
// CHECK:       module attributes {pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>, pex.first_fit_size = 96 : i64, pex.sections = {pex_m_arena_fast = ".dtcm"}}
// CHECK:       memref.global "private" @pex_m_arena_fast : memref<64xi8> = uninitialized
// CHECK-SAME:    pex.pool = #pex.pool<name = "fast", capacity = 64, size = 64, section = ".dtcm">
// CHECK:       memref.global "private" @pex_m_arena_slow : memref<32xi8> = uninitialized
// CHECK-SAME:    pex.pool = #pex.pool<name = "slow", capacity = 1024, size = 32>
// CHECK-NOT:   memref.global
// CHECK-LABEL: func.func @chain
// CHECK-NOT:     pex.pools
// CHECK-DAG:   %[[FAST:.*]] = memref.get_global @pex_m_arena_fast : memref<64xi8>
// CHECK-DAG:   %[[SLOW:.*]] = memref.get_global @pex_m_arena_slow : memref<32xi8>
// CHECK:       memref.view %[[FAST]][%{{.*}}][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1], pool = "fast">} : memref<64xi8> to memref<64xi8>
// CHECK:       memref.view %[[SLOW]][%{{.*}}][] {pex.placement = #pex.placement<offset = 0, size = 32, live = [1, 2], pool = "slow">} : memref<32xi8> to memref<32xi8>
// CHECK-NOT:   memref.alloc
func.func @chain(%in: memref<16xi8>, %out: memref<16xi8> {pex.output}) attributes {pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>, pex.first_fit_size = 96 : i64, pex.pools = [#pex.pool<name = "fast", capacity = 64, size = 64, section = ".dtcm">, #pex.pool<name = "slow", capacity = 1024, size = 32>, #pex.pool<name = "ext", capacity = 4096, size = 0>]} {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1], pool = "fast">} : memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  %b = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 32, live = [1, 2], pool = "slow">} : memref<32xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  memref.store %y, %b[%c0] : memref<32xi8>
  %z = memref.load %b[%c0] : memref<32xi8>
  memref.store %z, %out[%c0] : memref<16xi8>
  return
}

// -----

// A placement in a pool the plan does not have is an internal error.
func.func @unknown_pool(%in: memref<16xi8>, %out: memref<16xi8> {pex.output}) attributes {pex.arena = #pex.arena<size = 64, alignment = 16, peak = 64, lower_bound = 64>, pex.pools = [#pex.pool<name = "fast", capacity = 64, size = 64>]} {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{pex: internal error: placement #pex.placement<offset = 0, size = 64, live = [0, 1], pool = "slow"> is in no planned pool}}
  %a = memref.alloc() {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 1], pool = "slow">} : memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  memref.store %y, %out[%c0] : memref<16xi8>
  return
}
