// RUN: pex-opt %s -split-input-file --pex-lower-kernels | FileCheck %s

// A line buffer placed at a word-aligned arena offset moves its kept rows up
// as 32-bit words: rows 1 and 2 (70 words) to rows 0 and 1, reading word
// i + 35 before writing word i, in a loop marked for the DSP word copy.
// CHECK-LABEL: func.func @words
// CHECK:         %[[WORDS:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<4096xi8> to memref<105xi32>
// CHECK-DAG:     %[[DROP:.*]] = arith.constant 35 : index
// CHECK-DAG:     %[[KEEP:.*]] = arith.constant 70 : index
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %[[KEEP]]
// CHECK:           %[[FROM:.*]] = arith.addi %[[I]], %[[DROP]]
// CHECK:           %[[WORD:.*]] = memref.load %[[WORDS]][%[[FROM]]]
// CHECK:           memref.store %[[WORD]], %[[WORDS]][%[[I]]]
// CHECK:         } {pex.copy}
// CHECK-NOT:     pex.shift_rows
func.func @words(%arena: memref<4096xi8>) {
  %c64 = arith.constant 64 : index
  %line = memref.view %arena[%c64][] : memref<4096xi8> to memref<1x3x5x28xi8>
  pex.shift_rows %line drop 1 keep 2 : memref<1x3x5x28xi8>
  return
}

// -----

// Rows of an odd number of bytes are moved byte by byte, in a loop the
// word copy does not take.
// CHECK-LABEL: func.func @bytes
// CHECK:         %[[FLAT:.*]] = memref.collapse_shape %{{.*}} : memref<1x3x5x3xi8> into memref<45xi8>
// CHECK:         scf.for
// CHECK:           memref.load %[[FLAT]]
// CHECK:           memref.store %{{.*}}, %[[FLAT]]
// CHECK-NOT:     pex.copy
func.func @bytes(%arena: memref<4096xi8>) {
  %c64 = arith.constant 64 : index
  %line = memref.view %arena[%c64][] : memref<4096xi8> to memref<1x3x5x3xi8>
  pex.shift_rows %line drop 2 keep 1 : memref<1x3x5x3xi8>
  return
}
