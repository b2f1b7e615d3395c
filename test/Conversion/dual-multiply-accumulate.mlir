// RUN: pex-opt %s -split-input-file --pex-dual-multiply-accumulate | FileCheck %s

// Two dot products sharing the weights, twelve bytes long: three steps of
// four bytes. Each operand is one unaligned word load at its first byte's address
// (a byte offset, the strided offset plus the indices times the strides,
// from the aligned pointer: a loop-invariant base LLVM's strength reduction
// steps through the loop), split once into its even and odd bytes (SXTB16
// of the word and of the word rotated by 8); each product is two SMLADs.
// The loop is not to be unrolled (unrolled, LLVM's scheduler runs out of
// registers); runs of at most two steps are (@short_run).
// CHECK:       #[[UNROLL:.*]] = #llvm.loop_unroll<disable = true>
// CHECK:       #[[ANNOTATION:.*]] = #llvm.loop_annotation<unroll = #[[UNROLL]]>
// CHECK-LABEL: func.func @dot
// CHECK-SAME:    (%[[X:.*]]: memref<2x12xi8>, %[[W:.*]]: memref<12xi8>, %[[INIT:.*]]: i32)
// CHECK:         %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[R:.*]]:2 = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C4]] iter_args(%[[A:.*]] = %[[INIT]], %[[B:.*]] = %[[INIT]]) -> (i32, i32) {
// CHECK:           %{{.*}}, %[[XOFF:.*]], %{{.*}}:2, %[[XSTR:.*]]:2 = memref.extract_strided_metadata %[[X]]
// CHECK-NEXT:      %[[XPTR:.*]] = memref.extract_aligned_pointer_as_index %[[X]]
// CHECK-NEXT:      %[[XPTR32:.*]] = arith.index_castui %[[XPTR]] : index to i32
// CHECK-NEXT:      %[[XBASE:.*]] = llvm.inttoptr %[[XPTR32]] : i32 to !llvm.ptr
// CHECK:           %[[XI:.*]] = arith.muli %[[I]], %[[XSTR]]#1 : index
// CHECK-NEXT:      %[[XOFFSET:.*]] = arith.addi %{{.*}}, %[[XI]] : index
// CHECK-NEXT:      %[[XOFF32:.*]] = arith.index_cast %[[XOFFSET]] : index to i32
// CHECK-NEXT:      %[[XP:.*]] = llvm.getelementptr %[[XBASE]][%[[XOFF32]]] : (!llvm.ptr, i32) -> !llvm.ptr, i8
// CHECK-NEXT:      %[[X0:.*]] = llvm.load %[[XP]] {alignment = 1 : i64} : !llvm.ptr -> i32
// CHECK:           %[[X0E:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[X0]])
// CHECK-NEXT:      %[[X0O:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK:           memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:           %[[W0:.*]] = llvm.load
// CHECK:           %[[WE:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[W0]])
// CHECK-NEXT:      %[[WO:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK:           memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:           %[[X1:.*]] = llvm.load
// CHECK:           %[[X1E:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[X1]])
// CHECK-NEXT:      %[[X1O:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK-NEXT:      %[[A1:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[X0E]], %[[WE]], %[[A]])
// CHECK-NEXT:      %[[A2:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[X0O]], %[[WO]], %[[A1]])
// CHECK-NEXT:      %[[B1:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[X1E]], %[[WE]], %[[B]])
// CHECK-NEXT:      %[[B2:.*]] = llvm.call_intrinsic "llvm.arm.smlad"(%[[X1O]], %[[WO]], %[[B1]])
// CHECK-NEXT:      scf.yield %[[A2]], %[[B2]] : i32, i32
// CHECK-NEXT:    } {loop_annotation = #[[ANNOTATION]]}
// CHECK-NOT:       memref.load
// CHECK:         return %[[R]]#0, %[[R]]#1
func.func @dot(%x: memref<2x12xi8>, %w: memref<12xi8>, %init: i32) -> (i32, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c12 = arith.constant 12 : index
  %r:2 = scf.for %i = %c0 to %c12 step %c1 iter_args(%a = %init, %b = %init) -> (i32, i32) {
    %x0 = memref.load %x[%c0, %i] : memref<2x12xi8>
    %x1 = memref.load %x[%c1, %i] : memref<2x12xi8>
    %wv = memref.load %w[%i] : memref<12xi8>
    %xe0 = arith.extsi %x0 : i8 to i32
    %xe1 = arith.extsi %x1 : i8 to i32
    %we = arith.extsi %wv : i8 to i32
    %p0 = arith.muli %xe0, %we : i32
    %p1 = arith.muli %xe1, %we : i32
    %s0 = arith.addi %a, %p0 : i32
    %s1 = arith.addi %b, %p1 : i32
    scf.yield %s0, %s1 : i32, i32
  }
  return %r#0, %r#1 : i32, i32
}

// -----

// Eight bytes (a kernel row of a few channels): the two steps are unrolled,
// the second reading the words four bytes on; no loop is left to count.
// CHECK-LABEL: func.func @short_run
// CHECK-NOT:     scf.for
// CHECK:         %[[X0:.*]] = llvm.load
// CHECK:         %[[W0:.*]] = llvm.load
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK:         %[[X1:.*]] = llvm.load
// CHECK:         %[[W1:.*]] = llvm.load
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @short_run(%x: memref<8xi8>, %w: memref<8xi8>, %init: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %init) -> (i32) {
    %xv = memref.load %x[%i] : memref<8xi8>
    %wv = memref.load %w[%i] : memref<8xi8>
    %xe = arith.extsi %xv : i8 to i32
    %we = arith.extsi %wv : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %a, %p : i32
    scf.yield %s : i32
  }
  return %r : i32
}

// -----

// Six bytes are not a whole number of words: the loop stays as it is.
// CHECK-LABEL: func.func @partial_word
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// CHECK-NOT:     llvm.call_intrinsic
func.func @partial_word(%x: memref<6xi8>, %w: memref<6xi8>, %init: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %r = scf.for %i = %c0 to %c6 step %c1 iter_args(%a = %init) -> (i32) {
    %xv = memref.load %x[%i] : memref<6xi8>
    %wv = memref.load %w[%i] : memref<6xi8>
    %xe = arith.extsi %xv : i8 to i32
    %we = arith.extsi %wv : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %a, %p : i32
    scf.yield %s : i32
  }
  return %r : i32
}

// -----

// An operand less an int8 zero point (a convolution's border) has the zero
// point subtracted from both 16-bit lanes (SSUB16, exact: the differences
// fit) before the SMLADs: -128 in each lane is 0xFF80FF80.
// CHECK-LABEL: func.func @zero_point
// CHECK:           %[[X:.*]] = llvm.load
// CHECK:           %[[XE:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"(%[[X]])
// CHECK-NEXT:      %[[XO:.*]] = llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK-NEXT:      %[[ZP:.*]] = arith.constant -8323200 : i32
// CHECK-NEXT:      %[[XEZ:.*]] = llvm.call_intrinsic "llvm.arm.ssub16"(%[[XE]], %[[ZP]])
// CHECK-NEXT:      %[[XOZ:.*]] = llvm.call_intrinsic "llvm.arm.ssub16"(%[[XO]], %[[ZP]])
// CHECK:           llvm.call_intrinsic "llvm.arm.smlad"(%[[XEZ]],
// CHECK-NEXT:      llvm.call_intrinsic "llvm.arm.smlad"(%[[XOZ]],
// CHECK-NOT:       arith.subi
// CHECK:         return
func.func @zero_point(%x: memref<8xi8>, %w: memref<8xi8>, %init: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zp = arith.constant -128 : i32
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %init) -> (i32) {
    %xv = memref.load %x[%i] : memref<8xi8>
    %wv = memref.load %w[%i] : memref<8xi8>
    %xe = arith.extsi %xv : i8 to i32
    %xz = arith.subi %xe, %zp : i32
    %we = arith.extsi %wv : i8 to i32
    %p = arith.muli %xz, %we : i32
    %s = arith.addi %a, %p : i32
    scf.yield %s : i32
  }
  return %r : i32
}

// -----

// A product of bytes that are not consecutive along the loop (the input
// channel is not the innermost dimension) stays as it is.
// CHECK-LABEL: func.func @strided
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// CHECK-NOT:     llvm.call_intrinsic
func.func @strided(%x: memref<8x2xi8>, %w: memref<8xi8>, %init: i32) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%a = %init) -> (i32) {
    %xv = memref.load %x[%i, %c0] : memref<8x2xi8>
    %wv = memref.load %w[%i] : memref<8xi8>
    %xe = arith.extsi %xv : i8 to i32
    %we = arith.extsi %wv : i8 to i32
    %p = arith.muli %xe, %we : i32
    %s = arith.addi %a, %p : i32
    scf.yield %s : i32
  }
  return %r : i32
}

// -----

// A single input channel (a first convolution): the loop over it, of one
// iteration, is promoted first, so the loop over the kernel columns, whose
// bytes are consecutive (the channel dimension has one element), is the
// dot product, its index the loop variable plus the window's first column
// (one step: unrolled).
// CHECK-LABEL: func.func @single_channel
// CHECK-SAME:    (%[[X:.*]]: memref<1x8x1xi8>, %[[W:.*]]: memref<4x1xi8>, %[[INIT:.*]]: i32, %[[ORIGIN:.*]]: index)
// CHECK:           %[[FIRST:.*]] = arith.addi %{{.*}}, %[[ORIGIN]] : index
// CHECK:           arith.muli %[[FIRST]], %{{.*}} : index
// CHECK:           llvm.load
// CHECK:           llvm.call_intrinsic "llvm.arm.smlad"
// CHECK-NOT:     scf.for
// CHECK:         return
func.func @single_channel(%x: memref<1x8x1xi8>, %w: memref<4x1xi8>, %init: i32, %origin: index) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %k = %c0 to %c4 step %c1 iter_args(%a = %init) -> (i32) {
    %s = scf.for %ic = %c0 to %c1 step %c1 iter_args(%b = %a) -> (i32) {
      %col = arith.addi %origin, %k : index
      %xv = memref.load %x[%c0, %col, %ic] : memref<1x8x1xi8>
      %wv = memref.load %w[%k, %ic] : memref<4x1xi8>
      %xe = arith.extsi %xv : i8 to i32
      %we = arith.extsi %wv : i8 to i32
      %p = arith.muli %xe, %we : i32
      %sum = arith.addi %b, %p : i32
      scf.yield %sum : i32
    }
    scf.yield %s : i32
  }
  return %r : i32
}
