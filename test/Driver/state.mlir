// A TOSA variable (TOSA 1.0's variable extension) is state kept between runs:
// each run adds its input to the state and returns the sum, which is the
// state the next run starts from. Three runs of the inputs 1, 2, 3 (four
// elements each) from the initial state 1 give 2, 4, 7.
// RUN: %python -c "open('%t.in', 'wb').write(bytes([1] * 4 + [2] * 4 + [3] * 4))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out --report-json=%t.json
// RUN: %python -c "print(list(open('%t.out', 'rb').read()))" | FileCheck %s --check-prefix=RUNS
// RUNS: [2, 2, 2, 2, 4, 4, 4, 4, 7, 7, 7, 7]
// RUN: FileCheck %s --input-file=%t.json --check-prefix=JSON
// JSON: "state_bytes": 4,
//
// The state comes out of an SRAM budget with the caller's input and output.
// RUN: not pexc %s --target=host -q -o %t.budget.o --sram-budget=10 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BUDGET
// BUDGET: error: pex: SRAM budget of 10 bytes cannot be met: the input and output take 8 bytes, the state kept between runs 4 bytes
//
// The variable is a mutable global beside the arena, holding the initial
// value when the program loads; the run reads it where it is; its new value,
// the model's output too, is copied into the global by a kernel run after
// the last reader of the old value (no copy in the arena, none after the
// last step); pex_NAME_reset_state() fills the global with the initial value
// again.
// RUN: pexc %s --target=host --emit=memref -o - | FileCheck %s
// CHECK:       memref.global "private" @acc : memref<1x4xi8> = dense<1> {pex.variable}
// CHECK-LABEL: func.func @state(
// CHECK:         %[[KEPT:.*]] = memref.get_global @acc : memref<1x4xi8>
// CHECK:         %[[OLD:.*]] = memref.get_global @acc : memref<1x4xi8>
// CHECK:         pex.kernel ins(%{{.*}}, %[[OLD]] : {{.*}} outs(%[[OUT:.*]] : memref<1x4xi8>)
// CHECK:           tosa.add
// CHECK:         pex.kernel ins(%[[OUT]] : memref<1x4xi8>) outs(%[[KEPT]] : memref<1x4xi8>)
// CHECK:           tosa.identity
// CHECK-NOT:     scf.for
// CHECK:         return
// RUN: pexc %s --target=host --emit=llvm-dialect -o - | FileCheck %s --check-prefix=RESET
// RESET-LABEL: llvm.func @pex_state_reset_state()
// RESET:         llvm.mlir.addressof @acc
// RESET:         llvm.store

module attributes {tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_int], extensions = [variable]>} {
  tosa.variable @acc = dense<1> : tensor<1x4xi8>
  func.func @state(%x: tensor<1x4xi8>) -> tensor<1x4xi8> {
    %old = tosa.variable_read @acc : tensor<1x4xi8>
    %new = tosa.add %x, %old : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    tosa.variable_write @acc, %new : tensor<1x4xi8>
    %out = tosa.clamp %new {max_val = 127 : i8, min_val = -128 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
    return %out : tensor<1x4xi8>
  }
}
