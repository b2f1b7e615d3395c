// A loop carrying a state that starts from a model input (a streaming
// recurrent model handed its state by the application): the carried storage
// starts as a copy of the input, which the loop reads at its start. Three
// steps of h = h + x from h0: x = 1, h0 = 5 gives 8.
// RUN: %python -c "open('%t.in', 'wb').write(bytes([1] * 4 + [5] * 4))"
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out
// RUN: %python -c "print(list(open('%t.out', 'rb').read()))" | FileCheck %s --check-prefix=OUT
// OUT: [8, 8, 8, 8]
// RUN: pexc %s --target=host --io=arena -q -o %t.arena.o --run=%t.in --output=%t.arena.out
// RUN: cmp %t.out %t.arena.out
//
// The copy is a kernel before the loop, from the input into the storage the
// loop carries and updates.
// RUN: pexc %s --target=host --emit=kernels -o - | FileCheck %s
// CHECK-LABEL: func.func @from_input(
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<1x4xi8>{{.*}}, %[[H0:[a-z0-9]+]]: tensor<1x4xi8>
// CHECK:         %[[COPY:.*]] = pex.kernel ins(%[[H0]] : tensor<1x4xi8>)
// CHECK-NEXT:    ^bb0
// CHECK-NEXT:      tosa.identity
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %[[COPY]])

func.func @from_input(%x: tensor<1x4xi8>, %h0: tensor<1x4xi8>) -> tensor<1x4xi8> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %h = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %h0) -> (tensor<1x4xi8>) {
    %n = tosa.add %a, %x : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
    scf.yield %n : tensor<1x4xi8>
  }
  %out = tosa.clamp %h {max_val = 100 : i8, min_val = -100 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out : tensor<1x4xi8>
}
