// RUN: pex-opt %s --pex-reorder | FileCheck %s
// Found by pex.fuzz.mlir (a bufferized test module given to the default
// pipeline): pex-reorder moved the operations that belong to no scheduled unit
// to the end while iterating over them, and with two of them it never ended.
// They keep their relative order.

// CHECK-LABEL: func.func @unscheduled
// CHECK:       memref.get_global @a
// CHECK-NEXT:  memref.get_global @b
// CHECK-NEXT:  return
memref.global "private" constant @a : memref<4xi8> = dense<1>
memref.global "private" constant @b : memref<4xi8> = dense<2>
func.func @unscheduled(%x: tensor<4xi8>) -> tensor<4xi8> {
  %a = memref.get_global @a : memref<4xi8>
  %b = memref.get_global @b : memref<4xi8>
  return %x : tensor<4xi8>
}
