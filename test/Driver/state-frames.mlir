// Two states shifting frames (a delay line): each run stores the old value of
// @a into @b and its input into @a, and returns their sum: out_k = x_(k-1) +
// x_(k-2). The new values are no buffers the body computes (an argument, the
// old value of another state), so each is copied into a buffer of its own
// before the run's end copies it into its state. Four runs of 1, 2, 3, 4 give
// 0, 1, 3, 5, with the input and output in the arena or not.
// RUN: %python -c "open('%t.in', 'wb').write(bytes([1] * 4 + [2] * 4 + [3] * 4 + [4] * 4))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out
// RUN: %python -c "print(list(open('%t.out', 'rb').read()))" | FileCheck %s
// RUN: pexc %s --io=arena --target=host -q -o %t.arena.o --run=%t.in --output=%t.arena.out
// RUN: %python -c "print(list(open('%t.arena.out', 'rb').read()))" | FileCheck %s
// CHECK: [0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5]

module {
  ml_program.global private mutable @a(dense<0> : tensor<4xi8>) : tensor<4xi8>
  ml_program.global private mutable @b(dense<0> : tensor<4xi8>) : tensor<4xi8>
  func.func @frames(%x: tensor<4xi8>) -> tensor<4xi8> {
    %a = ml_program.global_load @a : tensor<4xi8>
    %b = ml_program.global_load @b : tensor<4xi8>
    ml_program.global_store @b = %a : tensor<4xi8>
    ml_program.global_store @a = %x : tensor<4xi8>
    %sum = tosa.add %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
    return %sum : tensor<4xi8>
  }
}
