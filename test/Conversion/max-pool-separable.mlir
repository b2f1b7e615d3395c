// RUN: pex-opt %s -split-input-file --pex-lower-kernels --canonicalize --cse | FileCheck %s

// A 5x5 max pool at stride 1 with padding 2 (YOLO's SPPF) in two passes per
// output row: the rows its windows cover, clipped to the input
// ([oh - 2, oh + 3) within [0, 4)), folded column by column into a buffer
// of one row (the first copied), then each window's maximum over its columns
// of the buffer: interior columns (2 and 3) five unrolled maxima, border
// columns their taps inside (three for column 0). No tap is checked.
// CHECK-LABEL: func.func private @sppf_k0_max_pool2d
// CHECK-SAME:    (%[[X:.*]]: memref<1x4x6x2xi8>, %[[Y:.*]]: memref<1x4x6x2xi8>)
// CHECK:         %[[BUF:.*]] = memref.alloca() {alignment = 4 : i64} : memref<6x2xi8>
// CHECK:         scf.for %[[OH:.*]] = %c0 to %c4 step %c1 {
// CHECK:           %[[START:.*]] = arith.subi %[[OH]], %c2 : index
// CHECK-NEXT:      %[[BEGIN:.*]] = arith.maxsi %[[START]], %c0 : index
// CHECK:           %[[END:.*]] = arith.minsi %{{.*}}, %c4 : index
// CHECK:             %[[FIRST:.*]] = memref.load %[[X]][%c0, %[[BEGIN]], %{{.*}}, %{{.*}}]
// CHECK-NEXT:        memref.store %[[FIRST]], %[[BUF]]
// CHECK:           %[[NEXT:.*]] = arith.addi %[[BEGIN]], %c1 : index
// CHECK:           scf.for %[[IH:.*]] = %[[NEXT]] to %[[END]] step %c1 {
// CHECK:               %[[OLD:.*]] = memref.load %[[BUF]]
// CHECK-NEXT:          %[[IN:.*]] = memref.load %[[X]][%c0, %[[IH]], %{{.*}}, %{{.*}}]
// CHECK-NEXT:          %[[MAX:.*]] = arith.maxsi %[[OLD]], %[[IN]] : i8
// CHECK-NEXT:          memref.store %[[MAX]], %[[BUF]]
// CHECK-COUNT-3:     memref.load %[[BUF]][%c{{[0-2]}}, %{{.*}}]
// CHECK:             memref.store %{{.*}}, %[[Y]][%c0, %[[OH]], %c0, %{{.*}}]
// CHECK:           scf.for %[[OW:.*]] = %c2 to %c4 step %c1 {
// CHECK-COUNT-5:       memref.load %[[BUF]]
// CHECK:               memref.store %{{.*}}, %[[Y]][%c0, %[[OH]], %[[OW]], %{{.*}}]
// CHECK-NOT:     scf.if
func.func @sppf(%x: memref<1x4x6x2xi8>, %y: memref<1x4x6x2xi8>) {
  pex.kernel ins(%x : memref<1x4x6x2xi8>) outs(%y : memref<1x4x6x2xi8>) {
  ^bb0(%xa: tensor<1x4x6x2xi8>, %out: tensor<1x4x6x2xi8>):
    %r = tosa.max_pool2d %xa {kernel = array<i64: 5, 5>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>} : (tensor<1x4x6x2xi8>) -> tensor<1x4x6x2xi8>
    pex.yield %r : tensor<1x4x6x2xi8>
  }
  return
}

// -----

// A 2x2 pool at stride 2 reads each input once either way: its windows stay
// whole, each folded over its taps (no buffer).
// CHECK-LABEL: func.func private @halving_k0_max_pool2d
// CHECK-NOT:     memref.alloca
// CHECK:         scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}}) -> (i8)
// CHECK:           arith.maxsi %{{.*}} : i8
func.func @halving(%x: memref<1x4x4x2xi8>, %y: memref<1x2x2x2xi8>) {
  pex.kernel ins(%x : memref<1x4x4x2xi8>) outs(%y : memref<1x2x2x2xi8>) {
  ^bb0(%xa: tensor<1x4x4x2xi8>, %out: tensor<1x2x2x2xi8>):
    %r = tosa.max_pool2d %xa {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8>
    pex.yield %r : tensor<1x2x2x2xi8>
  }
  return
}
