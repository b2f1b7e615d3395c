// A loop carrying a state from its value before the run (as an LSTM's time
// loop carries h and c): each run adds its input three times to the state and
// returns the sum. Three runs of the inputs 1, 2, 3 from the initial state 1
// give 4, 10, 19.
// RUN: %python -c "open('%t.in', 'wb').write(bytes([1] * 4 + [2] * 4 + [3] * 4))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out --report-json=%t.json
// RUN: %python -c "print(list(open('%t.out', 'rb').read()))" | FileCheck %s --check-prefix=RUNS
// RUNS: [4, 4, 4, 4, 10, 10, 10, 10, 19, 19, 19, 19]
//
// The loop carries the state in its global, so the arena holds nothing (the
// caller holds the input and the output): no copy of the new value in the
// arena, none into the global after the last step.
// RUN: FileCheck %s --input-file=%t.json --check-prefix=JSON
// JSON: "arena_bytes": 0,
// JSON: "state_bytes": 4,
// RUN: pexc %s --target=host --emit=memref -o - | FileCheck %s
// CHECK:       memref.global "private" @acc : memref<1x4xi8> = dense<1> {pex.variable}
// CHECK-LABEL: func.func @carried(
// CHECK-NOT:     pex_arena
// CHECK:         memref.get_global @acc : memref<1x4xi8>
// CHECK:         memref.get_global @acc : memref<1x4xi8>
// CHECK:         pex.kernel ins(%{{.*}} : memref<1x4xi8>) outs(%[[KEPT:.*]] : memref<1x4xi8>)
// CHECK:         scf.for
// CHECK:           pex.kernel ins(%arg0 : memref<1x4xi8>) outs(%[[KEPT]] : memref<1x4xi8>)
// CHECK-NOT:     memref.get_global @acc
// CHECK:         return

module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int], extensions = [variable]>} {
  tosa.variable @acc = dense<1> : tensor<1x4xi8>
  func.func @carried(%x: tensor<1x4xi8>) -> tensor<1x4xi8> {
    %old = tosa.variable_read @acc : tensor<1x4xi8>
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %new = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %old) -> (tensor<1x4xi8>) {
      %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
      scf.yield %n : tensor<1x4xi8>
    }
    tosa.variable_write @acc, %new : tensor<1x4xi8>
    %out = tosa.clamp %new {max_val = 100 : i8, min_val = -100 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
    return %out : tensor<1x4xi8>
  }
}
