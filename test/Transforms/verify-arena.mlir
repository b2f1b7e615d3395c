// RUN: pex-opt %s -split-input-file --pex-verify-arena -verify-diagnostics

// Two buffers live at the same time must not share bytes: [0, 64) and
// [32, 96) are both read at the end.
memref.global "private" @pex_arena : memref<96xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>}
func.func @overlap(%in: memref<16xi8>, %out: memref<16xi8>) {
  %arena = memref.get_global @pex_arena : memref<96xi8>
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  // expected-error @+1 {{pex: arena buffers overlap: [0, 64) and [32, 96) are live at the same time}}
  %a = memref.view %arena[%c0][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  // expected-remark @+1 {{the other buffer}}
  %b = memref.view %arena[%c32][] {pex.placement = #pex.placement<offset = 32, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  memref.store %x, %b[%c0] : memref<64xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  %z = memref.load %b[%c0] : memref<64xi8>
  memref.store %y, %out[%c0] : memref<16xi8>
  return
}

// -----

// A loop that reads a buffer defined before it keeps it live until the loop
// ends: the buffer written inside the loop may not reuse its bytes.
memref.global "private" @pex_arena : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 64, alignment = 16, peak = 64, lower_bound = 64>}
func.func @loop_keeps_buffer_live(%in: memref<16xi8>, %out: memref<16xi8>) {
  %arena = memref.get_global @pex_arena : memref<64xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-error @+1 {{pex: arena buffers overlap: [0, 32) and [16, 48) are live at the same time}}
  %kept = memref.view %arena[%c0][] {pex.placement = #pex.placement<offset = 0, size = 32, live = [0, 3]>} : memref<64xi8> to memref<32xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %kept[%c0] : memref<32xi8>
  scf.for %i = %c0 to %c4 step %c1 {
    %c16 = arith.constant 16 : index
    // expected-remark @+1 {{the other buffer}}
    %slice = memref.view %arena[%c16][] {pex.placement = #pex.placement<offset = 16, size = 32, live = [8, 9]>} : memref<64xi8> to memref<32xi8>
    %y = memref.load %kept[%i] : memref<32xi8>
    memref.store %y, %slice[%c0] : memref<32xi8>
  }
  return
}

// -----

memref.global "private" @pex_arena : memref<32xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 32, alignment = 16, peak = 32, lower_bound = 32>}
func.func @out_of_bounds() {
  %arena = memref.get_global @pex_arena : memref<32xi8>
  %c16 = arith.constant 16 : index
  // expected-error @+1 {{pex: buffer [16, 48) exceeds the arena of 32 bytes}}
  %a = memref.view %arena[%c16][] {pex.placement = #pex.placement<offset = 16, size = 32, live = [0, 1]>} : memref<32xi8> to memref<32xi8>
  return
}

// -----

memref.global "private" @pex_arena : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 64, alignment = 16, peak = 64, lower_bound = 64>}
func.func @placement_mismatch() {
  %arena = memref.get_global @pex_arena : memref<64xi8>
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{pex: buffer at offset 0 of 64 bytes does not match its placement}}
  %a = memref.view %arena[%c0][] {pex.placement = #pex.placement<offset = 0, size = 32, live = [0, 1]>} : memref<64xi8> to memref<64xi8>
  return
}

// -----

memref.global "private" @pex_arena : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 64, alignment = 16, peak = 64, lower_bound = 64>}
func.func @dynamic_offset(%offset: index) {
  %arena = memref.get_global @pex_arena : memref<64xi8>
  // expected-error @+1 {{pex: arena view at a dynamic offset}}
  %a = memref.view %arena[%offset][] {pex.placement = #pex.placement<offset = 0, size = 32, live = [0, 1]>} : memref<64xi8> to memref<32xi8>
  return
}

// -----

func.func @heap_buffer() {
  // expected-error @+1 {{pex: buffer outside the arena}}
  %a = memref.alloc() : memref<32xi8>
  return
}

// -----

// An output the arena holds is read by the application after the call: a
// buffer used after the output's last write may not reuse its bytes.
memref.global "private" @pex_arena : memref<32xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 32, alignment = 16, peak = 32, lower_bound = 32>}
func.func @output_read_after_the_call() {
  %arena = memref.get_global @pex_arena : memref<32xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : i8
  // expected-error @+1 {{pex: arena buffers overlap: [0, 16) and [0, 16) are live at the same time}}
  %out = memref.view %arena[%c0][] {pex.io = "output", pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 9]>} : memref<32xi8> to memref<16xi8>
  memref.store %c1, %out[%c0] : memref<16xi8>
  // expected-remark @+1 {{the other buffer}}
  %later = memref.view %arena[%c0][] {pex.placement = #pex.placement<offset = 0, size = 16, live = [3, 4]>} : memref<32xi8> to memref<16xi8>
  memref.store %c1, %later[%c0] : memref<16xi8>
  return
}

// -----

// Buffers of different pools live at the same time may have the same
// offsets: the pools are different memories.
memref.global "private" @pex_arena_fast : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.pool = #pex.pool<name = "fast", capacity = 64, size = 64>}
memref.global "private" @pex_arena_slow : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.pool = #pex.pool<name = "slow", capacity = 128, size = 64>}
func.func @pools_do_not_overlap(%in: memref<16xi8>, %out: memref<16xi8>) {
  %fast = memref.get_global @pex_arena_fast : memref<64xi8>
  %slow = memref.get_global @pex_arena_slow : memref<64xi8>
  %c0 = arith.constant 0 : index
  %a = memref.view %fast[%c0][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9], pool = "fast">} : memref<64xi8> to memref<64xi8>
  %b = memref.view %slow[%c0][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9], pool = "slow">} : memref<64xi8> to memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  memref.store %x, %b[%c0] : memref<64xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  %z = memref.load %b[%c0] : memref<64xi8>
  memref.store %y, %out[%c0] : memref<16xi8>
  return
}

// -----

// Inside one pool, live buffers must not overlap.
memref.global "private" @pex_arena_fast : memref<96xi8> = uninitialized {alignment = 16 : i64, pex.pool = #pex.pool<name = "fast", capacity = 96, size = 96>}
func.func @pool_overlap(%in: memref<16xi8>, %out: memref<16xi8>) {
  %fast = memref.get_global @pex_arena_fast : memref<96xi8>
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  // expected-error @+1 {{pex: arena buffers overlap: [0, 64) and [32, 96) are live at the same time}}
  %a = memref.view %fast[%c0][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9], pool = "fast">} : memref<96xi8> to memref<64xi8>
  // expected-remark @+1 {{the other buffer}}
  %b = memref.view %fast[%c32][] {pex.placement = #pex.placement<offset = 32, size = 64, live = [0, 9], pool = "fast">} : memref<96xi8> to memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  memref.store %x, %b[%c0] : memref<64xi8>
  %y = memref.load %a[%c0] : memref<64xi8>
  %z = memref.load %b[%c0] : memref<64xi8>
  memref.store %y, %out[%c0] : memref<16xi8>
  return
}

// -----

// A pool's global may not be larger than the pool.
// expected-error @+1 {{pex: memory pool 'fast' of 64 bytes holds 'memref<128xi8>'}}
memref.global "private" @pex_arena_fast : memref<128xi8> = uninitialized {alignment = 16 : i64, pex.pool = #pex.pool<name = "fast", capacity = 64, size = 64>}

// -----

// A view of a pool's global must be placed in that pool.
memref.global "private" @pex_arena_fast : memref<64xi8> = uninitialized {alignment = 16 : i64, pex.pool = #pex.pool<name = "fast", capacity = 64, size = 64>}
func.func @wrong_pool(%in: memref<16xi8>, %out: memref<16xi8>) {
  %fast = memref.get_global @pex_arena_fast : memref<64xi8>
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{pex: buffer at offset 0 of 64 bytes does not match its placement}}
  %a = memref.view %fast[%c0][] {pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9], pool = "slow">} : memref<64xi8> to memref<64xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  memref.store %x, %a[%c0] : memref<64xi8>
  memref.store %x, %out[%c0] : memref<16xi8>
  return
}

// -----

// A stream's result planned over its input's consumed rows
// (pex.over_consumed_input: the input buffer's offset) may share the
// input's bytes while both are live; the rows it writes were read for the
// last time before.
memref.global "private" @pex_arena : memref<96xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>}
func.func @result_over_consumed_input(%out: memref<16xi8>) {
  %arena = memref.get_global @pex_arena : memref<96xi8>
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %input = memref.view %arena[%c32][] {pex.placement = #pex.placement<offset = 32, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  %x = memref.load %input[%c0] : memref<64xi8>
  %result = memref.view %arena[%c0][] {pex.over_consumed_input = 32 : i64, pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  memref.store %x, %result[%c0] : memref<64xi8>
  %y = memref.load %input[%c32] : memref<64xi8>
  memref.store %y, %result[%c32] : memref<64xi8>
  %z = memref.load %result[%c0] : memref<64xi8>
  memref.store %z, %out[%c0] : memref<16xi8>
  return
}

// -----

// The exception covers the one input it names: a result planned over
// another buffer's rows is still checked against this one.
memref.global "private" @pex_arena : memref<96xi8> = uninitialized {alignment = 16 : i64, pex.arena = #pex.arena<size = 96, alignment = 16, peak = 96, lower_bound = 96>}
func.func @result_over_other_input(%out: memref<16xi8>) {
  %arena = memref.get_global @pex_arena : memref<96xi8>
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  // expected-error @+1 {{pex: arena buffers overlap: [32, 96) and [0, 64) are live at the same time}}
  %input = memref.view %arena[%c32][] {pex.placement = #pex.placement<offset = 32, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  %x = memref.load %input[%c0] : memref<64xi8>
  // expected-remark @+1 {{the other buffer}}
  %result = memref.view %arena[%c0][] {pex.over_consumed_input = 48 : i64, pex.placement = #pex.placement<offset = 0, size = 64, live = [0, 9]>} : memref<96xi8> to memref<64xi8>
  memref.store %x, %result[%c0] : memref<64xi8>
  %y = memref.load %input[%c32] : memref<64xi8>
  memref.store %y, %result[%c32] : memref<64xi8>
  %z = memref.load %result[%c0] : memref<64xi8>
  memref.store %z, %out[%c0] : memref<16xi8>
  return
}
