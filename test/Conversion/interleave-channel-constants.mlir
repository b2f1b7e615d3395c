// RUN: pex-opt %s -split-input-file --pex-interleave-channel-constants | FileCheck %s

// A kernel called inside a loop reads each channel's multiplier (i32), shift
// (i8) and two filter words ([C][2] i32) by its channel loop's index: they
// become one record per channel, [multiplier, shift, filter0, filter1], the
// shift sign-extended to 32 bits and truncated back. The three tables go.
// CHECK-LABEL: memref.global "private" constant @pex_records_multiplier_shift_filter : memref<2x4xi32> = dense<{{\[}}[1000, -3, 7, 8], [2000, 5, 9, 10]]> {alignment = 4 : i64}
// CHECK-NOT:   memref.global "private" constant @multiplier
// CHECK-NOT:   memref.global "private" constant @shift
// CHECK-NOT:   memref.global "private" constant @filter
// CHECK-LABEL: func.func private @row_kernel
// CHECK:         %[[RECORDS:.*]] = memref.get_global @pex_records_multiplier_shift_filter
// CHECK:         scf.for %[[C:.*]] =
// CHECK-DAG:       %[[M:.*]] = memref.load %[[RECORDS]][%[[C]], %c0{{.*}}] : memref<2x4xi32>
// CHECK-DAG:       %[[SW:.*]] = memref.load %[[RECORDS]][%[[C]], %c1{{.*}}] : memref<2x4xi32>
// CHECK-DAG:       %[[S:.*]] = arith.trunci %[[SW]] : i32 to i8
// CHECK-DAG:       %[[F1:.*]] = memref.load %[[RECORDS]][%[[C]], %c3{{.*}}] : memref<2x4xi32>
// CHECK-NOT:       memref.get_global
memref.global "private" constant @multiplier : memref<2xi32> = dense<[1000, 2000]>
memref.global "private" constant @shift : memref<2xi8> = dense<[-3, 5]>
memref.global "private" constant @filter : memref<2x2xi32> = dense<[[7, 8], [9, 10]]>
func.func private @row_kernel(%out: memref<2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %m = memref.get_global @multiplier : memref<2xi32>
  %s = memref.get_global @shift : memref<2xi8>
  %f = memref.get_global @filter : memref<2x2xi32>
  scf.for %c = %c0 to %c2 step %c1 {
    %mv = memref.load %m[%c] : memref<2xi32>
    %sv = memref.load %s[%c] : memref<2xi8>
    %fv = memref.load %f[%c, %c1] : memref<2x2xi32>
    %se = arith.extsi %sv : i8 to i32
    %a = arith.addi %mv, %se : i32
    %b = arith.addi %a, %fv : i32
    memref.store %b, %out[%c] : memref<2xi32>
  }
  return
}
func.func @model(%out: memref<2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %row = %c0 to %c4 step %c1 {
    func.call @row_kernel(%out) : (memref<2xi32>) -> ()
  }
  return
}

// -----

// A kernel called once sets each channel up once: its tables stay.
// CHECK-LABEL: func.func private @whole_kernel
// CHECK:         memref.get_global @multiplier
// CHECK:         memref.get_global @bias
// CHECK-NOT:     pex_records
memref.global "private" constant @multiplier : memref<2xi32> = dense<[1000, 2000]>
memref.global "private" constant @bias : memref<2xi32> = dense<[1, 2]>
func.func private @whole_kernel(%out: memref<2xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %m = memref.get_global @multiplier : memref<2xi32>
  %b = memref.get_global @bias : memref<2xi32>
  scf.for %c = %c0 to %c2 step %c1 {
    %mv = memref.load %m[%c] : memref<2xi32>
    %bv = memref.load %b[%c] : memref<2xi32>
    %a = arith.addi %mv, %bv : i32
    memref.store %a, %out[%c] : memref<2xi32>
  }
  return
}
func.func @model(%out: memref<2xi32>) {
  func.call @whole_kernel(%out) : (memref<2xi32>) -> ()
  return
}

// -----

// A table also read at another channel index (the next channel's bias)
// stays a table of its own; a single table left has nothing to share its
// records with.
// CHECK-LABEL: func.func private @neighbours
// CHECK:         memref.get_global @multiplier
// CHECK:         memref.get_global @bias
// CHECK-NOT:     pex_records
memref.global "private" constant @multiplier : memref<3xi32> = dense<[1000, 2000, 3000]>
memref.global "private" constant @bias : memref<3xi32> = dense<[1, 2, 3]>
func.func private @neighbours(%out: memref<3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %m = memref.get_global @multiplier : memref<3xi32>
  %b = memref.get_global @bias : memref<3xi32>
  scf.for %c = %c0 to %c2 step %c1 {
    %next = arith.addi %c, %c1 : index
    %mv = memref.load %m[%c] : memref<3xi32>
    %bv = memref.load %b[%c] : memref<3xi32>
    %bn = memref.load %b[%next] : memref<3xi32>
    %a = arith.addi %mv, %bv : i32
    %d = arith.addi %a, %bn : i32
    memref.store %d, %out[%c] : memref<3xi32>
  }
  return
}
func.func @model(%out: memref<3xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %row = %c0 to %c4 step %c1 {
    func.call @neighbours(%out) : (memref<3xi32>) -> ()
  }
  return
}
