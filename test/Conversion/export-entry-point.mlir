// RUN: pex-opt %s -split-input-file --pex-export-entry-point | FileCheck %s

// The public model function @NAME becomes @pex_NAME_run returning an i32
// status of 0; the importers' argument attributes (tensor names,
// quantisation) are dropped; the body is unchanged.
// CHECK-LABEL: func.func @pex_model_run
// CHECK-SAME:    (%[[IN:[^:]*]]: memref<4xi8>, %[[OUT:[^:]*]]: memref<4xi8>) -> i32 {
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[IN]][%[[C0]]] : memref<4xi8>
// CHECK-NEXT:    memref.store %[[V]], %[[OUT]][%[[C0]]] : memref<4xi8>
// CHECK-NEXT:    %[[OK:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[OK]] : i32
// CHECK-NEXT:  }
// CHECK-NOT:   pex.name
// CHECK-NOT:   pex.scale
// CHECK-NOT:   @model(
func.func @model(%in: memref<4xi8> {pex.name = "input", pex.scale = 0.5 : f64, pex.zero_point = -1 : i64},
                 %out: memref<4xi8> {pex.name = "output", pex.scale = 0.25 : f64, pex.zero_point = 3 : i64}) {
  %c0 = arith.constant 0 : index
  %v = memref.load %in[%c0] : memref<4xi8>
  memref.store %v, %out[%c0] : memref<4xi8>
  return
}

// -----

// Private functions and declarations are not entry points: their names and
// types stay. Every return of the entry point returns the status.
// CHECK-LABEL: func.func private @helper(memref<4xf32>)
// CHECK-LABEL: func.func private @internal
// CHECK-SAME:    (%{{.*}}: memref<4xf32>) {
// CHECK-NEXT:    return{{$}}
// CHECK-LABEL: func.func @pex_net_run
// CHECK-SAME:    (%{{.*}}: i1, %{{.*}}: memref<4xf32>) -> i32 {
// CHECK:         cf.cond_br
// CHECK:       ^bb1:
// CHECK-NEXT:    call @helper
// CHECK-NEXT:    %[[A:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[A]] : i32
// CHECK:       ^bb2:
// CHECK-NEXT:    call @internal
// CHECK-NEXT:    %[[B:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[B]] : i32
func.func private @helper(memref<4xf32>)
func.func private @internal(%x: memref<4xf32>) {
  return
}
func.func @net(%flag: i1, %x: memref<4xf32>) {
  cf.cond_br %flag, ^bb1, ^bb2
^bb1:
  call @helper(%x) : (memref<4xf32>) -> ()
  return
^bb2:
  call @internal(%x) : (memref<4xf32>) -> ()
  return
}

// -----

// An input and output the arena holds (views marked pex.io by pex-plan-arena
// hold-io) get accessors @pex_NAME_<role>() returning their address: the
// arena and the view's constant offset are rebuilt in the accessor, without
// the pex.io mark. The entry point keeps its views.
// CHECK-LABEL: func.func @pex_model_input() -> !llvm.ptr {
// CHECK-NEXT:    %[[A:.*]] = memref.get_global @pex_arena : memref<32xi8>
// CHECK-NEXT:    %[[OFF:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[V:.*]] = memref.view %[[A]][%[[OFF]]][] {pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 1]>} : memref<32xi8> to memref<16xi8>
// CHECK-NEXT:    %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[V]] : memref<16xi8> -> index
// CHECK-NEXT:    %[[I:.*]] = arith.index_castui %[[P]] : index to i64
// CHECK-NEXT:    %[[PTR:.*]] = llvm.inttoptr %[[I]] : i64 to !llvm.ptr
// CHECK-NEXT:    return %[[PTR]] : !llvm.ptr
// CHECK-LABEL: func.func @pex_model_output() -> !llvm.ptr {
// CHECK-NEXT:    %[[A:.*]] = memref.get_global @pex_arena : memref<32xi8>
// CHECK-NEXT:    %[[OFF:.*]] = arith.constant 16 : index
// CHECK-NEXT:    %[[V:.*]] = memref.view %[[A]][%[[OFF]]][] {pex.placement = #pex.placement<offset = 16, size = 16, live = [2, 3]>}
// CHECK:         return %{{.*}} : !llvm.ptr
// CHECK-LABEL: func.func @pex_model_run() -> i32 {
// CHECK:         memref.view {{.*}} {pex.io = "input"
// CHECK:         memref.view {{.*}} {pex.io = "output"
memref.global "private" @pex_arena : memref<32xi8> = uninitialized {alignment = 16 : i64}
func.func @model() {
  %arena = memref.get_global @pex_arena : memref<32xi8>
  %c0 = arith.constant 0 : index
  %in = memref.view %arena[%c0][] {pex.io = "input", pex.placement = #pex.placement<offset = 0, size = 16, live = [0, 1]>} : memref<32xi8> to memref<16xi8>
  %x = memref.load %in[%c0] : memref<16xi8>
  %c16 = arith.constant 16 : index
  %out = memref.view %arena[%c16][] {pex.io = "output", pex.placement = #pex.placement<offset = 16, size = 16, live = [2, 3]>} : memref<32xi8> to memref<16xi8>
  memref.store %x, %out[%c0] : memref<16xi8>
  return
}

// -----

// Each read of the application's input rows calls
// @pex_NAME_read_input_rows(dst, first_row, row_count), declared once; the
// destination is the address of the buffer's first element, here a slot of
// a line buffer (rows 2 of 3, at byte 24 of the arena view).
// CHECK-LABEL: func.func private @pex_net_read_input_rows(!llvm.ptr, i32, i32)
// CHECK-LABEL: func.func @pex_net_run
// CHECK:         %[[SLOT:.*]] = memref.subview
// CHECK:         %{{.*}}, %[[OFFSET:.*]], %{{.*}}:4, %{{.*}}:4 = memref.extract_strided_metadata %[[SLOT]]
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK:         %[[BYTES:.*]] = arith.muli %[[OFFSET]], %{{.*}} : index
// CHECK:         %[[ADDRESS:.*]] = arith.addi %[[BASE]], %[[BYTES]] : index
// CHECK:         %[[POINTER:.*]] = llvm.inttoptr
// CHECK:         %[[FIRST:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:         %[[COUNT:.*]] = arith.constant 1 : i32
// CHECK:         call @pex_net_read_input_rows(%[[POINTER]], %[[FIRST]], %[[COUNT]]) : (!llvm.ptr, i32, i32) -> ()
// CHECK-NOT:     pex.read_rows
func.func @net(%row: index, %out: memref<1x3x4x3xi8>) {
  %arena = memref.alloca() : memref<64xi8>
  %c0 = arith.constant 0 : index
  %line = memref.view %arena[%c0][] : memref<64xi8> to memref<1x3x4x3xi8>
  %slot = memref.subview %line[0, 2, 0, 0] [1, 1, 4, 3] [1, 1, 1, 1] : memref<1x3x4x3xi8> to memref<1x1x4x3xi8, strided<[36, 12, 3, 1], offset: 24>>
  pex.read_rows %slot rows_from %row : memref<1x1x4x3xi8, strided<[36, 12, 3, 1], offset: 24>>
  return
}

// -----

// Each pex.write_rows becomes a call of the application's
// @pex_NAME_write_output_rows(src, first_row, row_count), declared once;
// the source is the address of the rows' first element, here the one-row
// line buffer at byte 16 of the arena. A [1, 10] output is one row, written
// whole at row 0.
// CHECK-LABEL: func.func private @pex_net_write_output_rows(!llvm.ptr, i32, i32)
// CHECK-LABEL: func.func @pex_net_run
// CHECK:         %[[ROW:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<64xi8> to memref<1x1x4x3xi8>
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[ROW]]
// CHECK:         %[[POINTER:.*]] = llvm.inttoptr
// CHECK:         %[[FIRST:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:         %[[COUNT:.*]] = arith.constant 1 : i32
// CHECK:         call @pex_net_write_output_rows(%[[POINTER]], %[[FIRST]], %[[COUNT]]) : (!llvm.ptr, i32, i32) -> ()
// CHECK:         %[[SCORES:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<64xi8> to memref<1x10xi8>
// CHECK:         %[[SCORES_POINTER:.*]] = llvm.inttoptr
// CHECK:         %[[ONE:.*]] = arith.constant 1 : i32
// CHECK:         call @pex_net_write_output_rows(%[[SCORES_POINTER]], %{{.*}}, %[[ONE]]) : (!llvm.ptr, i32, i32) -> ()
// CHECK-NOT:     pex.write_rows
func.func @net(%row: index) {
  %arena = memref.alloca() : memref<64xi8>
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %line = memref.view %arena[%c16][] : memref<64xi8> to memref<1x1x4x3xi8>
  pex.write_rows %line rows_from %row : memref<1x1x4x3xi8>
  %scores = memref.view %arena[%c32][] : memref<64xi8> to memref<1x10xi8>
  pex.write_rows %scores rows_from %c0 : memref<1x10xi8>
  return
}
