// The output is a reshape of the input: the caller holds two 10-byte buffers
// (io_bytes 20) and the run copies the input into the output; with the
// arena holding them, both are in the arena.
// RUN: %python -c "open('%t.in', 'wb').write(bytes(range(10)))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out --report-json=%t.json
// RUN: cmp %t.in %t.out
// RUN: FileCheck %s --input-file=%t.json
// CHECK: "io_bytes": 20,
// RUN: pexc %s --target=host -q -o %t.arena.o --io=arena --run=%t.in --output=%t.arena.out --report-json=%t.arena.json
// RUN: cmp %t.in %t.arena.out
// RUN: FileCheck %s --input-file=%t.arena.json --check-prefix=ARENA
// ARENA: "arena_bytes": 32,
// ARENA: "io_bytes": 0,

func.func @reshape_only(%arg0: tensor<1x1x1x10xi8>) -> tensor<1x10xi8> {
  %0 = tosa.const_shape {values = dense<[1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %1 = tosa.reshape %arg0, %0 : (tensor<1x1x1x10xi8>, !tosa.shape<2>) -> tensor<1x10xi8>
  return %1 : tensor<1x10xi8>
}
