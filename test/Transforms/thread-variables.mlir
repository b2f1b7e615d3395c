// RUN: pex-opt %s -split-input-file --pex-thread-variables -verify-diagnostics | FileCheck %s

// The state a run starts from becomes an argument and the state it leaves a
// result, both marked with the global.
// CHECK-LABEL: func.func @step(
// CHECK-SAME:    %[[X:.*]]: tensor<1x4xi8>, %[[OLD:.*]]: tensor<1x4xi8> {pex.variable = @h})
// CHECK-SAME:    -> (tensor<1x4xi8>, tensor<1x4xi8> {pex.variable = @h})
// CHECK:         %[[NEW:.*]] = tosa.add %[[X]], %[[OLD]]
// CHECK:         %[[OUT:.*]] = tosa.clamp %[[NEW]]
// CHECK-NOT:     ml_program
// CHECK:         return %[[OUT]], %[[NEW]]
ml_program.global private mutable @h(dense<0> : tensor<1x4xi8>) : tensor<1x4xi8>
func.func @step(%x: tensor<1x4xi8>) -> tensor<1x4xi8> {
  %old = ml_program.global_load @h : tensor<1x4xi8>
  %new = tosa.add %x, %old : (tensor<1x4xi8>, tensor<1x4xi8>) -> tensor<1x4xi8>
  ml_program.global_store @h = %new : tensor<1x4xi8>
  %out = tosa.clamp %new {max_val = 100 : i8, min_val = 0 : i8} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %out : tensor<1x4xi8>
}

// -----

// A load after the store reads the stored value; loads before it share one
// argument.
// CHECK-LABEL: func.func @reload(
// CHECK-SAME:    %[[X:.*]]: tensor<4xf32>, %[[OLD:.*]]: tensor<4xf32> {pex.variable = @s})
// CHECK:         %[[A:.*]] = tosa.add %[[OLD]], %[[OLD]]
// CHECK:         %[[B:.*]] = tosa.add %[[X]], %[[A]]
// CHECK:         return %[[B]], %[[A]]
ml_program.global private mutable @s : tensor<4xf32>
func.func @reload(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = ml_program.global_load @s : tensor<4xf32>
  %b = ml_program.global_load @s : tensor<4xf32>
  %sum = tosa.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  ml_program.global_store @s = %sum : tensor<4xf32>
  %c = ml_program.global_load @s : tensor<4xf32>
  %y = tosa.add %x, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Storing back the loaded value leaves the state as it is: no result. A
// global nobody stores to is read where it is: an argument only.
// CHECK-LABEL: func.func @unchanged(
// CHECK-SAME:    %[[X:.*]]: tensor<2xi8>, %[[K:.*]]: tensor<2xi8> {pex.variable = @kept}, %[[T:.*]]: tensor<2xi8> {pex.variable = @table}) -> tensor<2xi8>
// CHECK:         %[[Y:.*]] = tosa.add %[[X]], %[[T]]
// CHECK:         tosa.add %[[Y]], %[[K]]
ml_program.global private mutable @kept(dense<1> : tensor<2xi8>) : tensor<2xi8>
ml_program.global private @table(dense<3> : tensor<2xi8>) : tensor<2xi8>
func.func @unchanged(%x: tensor<2xi8>) -> tensor<2xi8> {
  %k = ml_program.global_load @kept : tensor<2xi8>
  ml_program.global_store @kept = %k : tensor<2xi8>
  %u = ml_program.global_load @table : tensor<2xi8>
  %y = tosa.add %x, %u : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  %z = tosa.add %y, %k : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  return %z : tensor<2xi8>
}

// -----

ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @twice(%x: tensor<4xi8>) -> tensor<4xi8> {
  ml_program.global_store @h = %x : tensor<4xi8>
  // expected-error @+1 {{pex: the state @h is written more than once in a run}}
  ml_program.global_store @h = %x : tensor<4xi8>
  return %x : tensor<4xi8>
}

// -----

ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @in_loop(%x: tensor<4xi8>) -> tensor<4xi8> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%a = %x) -> (tensor<4xi8>) {
    // expected-error @+1 {{pex: the state @h is accessed inside a region; a model reads and writes its state in its body}}
    %h = ml_program.global_load @h : tensor<4xi8>
    scf.yield %h : tensor<4xi8>
  }
  return %r : tensor<4xi8>
}

// -----

// expected-error @+1 {{pex: the state @h kept between runs has an initial value that is not one repeated element (pex resets state by filling it)}}
ml_program.global private mutable @h(dense<[0, 1, 2, 3]> : tensor<4xi8>) : tensor<4xi8>
func.func @not_splat(%x: tensor<4xi8>) -> tensor<4xi8> {
  ml_program.global_store @h = %x : tensor<4xi8>
  return %x : tensor<4xi8>
}

// -----

// A new value the model also returns: the state gets a copy.
// CHECK-LABEL: func.func @returned(
// CHECK:         %[[Y:.*]] = tosa.clamp
// CHECK:         %[[COPY:.*]] = tosa.identity %[[Y]]
// CHECK:         return %[[Y]], %[[COPY]]
ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @returned(%x: tensor<4xi8>) -> tensor<4xi8> {
  %y = tosa.clamp %x {max_val = 100 : i8, min_val = 0 : i8} : (tensor<4xi8>) -> tensor<4xi8>
  ml_program.global_store @h = %y : tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// A new value the body does not compute into a buffer of its own (another
// state's value before the run, the model's input) is copied into the state:
// a frame shifted through two states. A mutable global nobody uses goes.
// CHECK-NOT:   @unused
// CHECK-LABEL: func.func @frames(
// CHECK-SAME:    %[[X:.*]]: tensor<4xi8>, %[[A:.*]]: tensor<4xi8> {pex.variable = @a})
// CHECK-SAME:    -> (tensor<4xi8>, tensor<4xi8> {pex.variable = @a}, tensor<4xi8> {pex.variable = @b})
// CHECK:         %[[SUM:.*]] = tosa.add %[[X]], %[[A]]
// CHECK:         %[[NEWA:.*]] = tosa.identity %[[X]]
// CHECK:         %[[B:.*]] = tosa.identity %[[A]]
// CHECK:         return %[[SUM]], %[[NEWA]], %[[B]]
ml_program.global private mutable @a(dense<0> : tensor<4xi8>) : tensor<4xi8>
ml_program.global private mutable @b(dense<0> : tensor<4xi8>) : tensor<4xi8>
ml_program.global private mutable @unused(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @frames(%x: tensor<4xi8>) -> tensor<4xi8> {
  %a = ml_program.global_load @a : tensor<4xi8>
  ml_program.global_store @b = %a : tensor<4xi8>
  ml_program.global_store @a = %x : tensor<4xi8>
  %sum = tosa.add %x, %a : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %sum : tensor<4xi8>
}

// -----

ml_program.global private mutable @h(dense<0> : tensor<4xi8>) : tensor<4xi8>
func.func @writer(%x: tensor<4xi8>) -> tensor<4xi8> {
  %y = tosa.clamp %x {max_val = 100 : i8, min_val = 0 : i8} : (tensor<4xi8>) -> tensor<4xi8>
  // expected-error @+1 {{pex: the state @h is used by @writer and @reader; state belongs to one model function}}
  ml_program.global_store @h = %y : tensor<4xi8>
  return %x : tensor<4xi8>
}
func.func @reader(%x: tensor<4xi8>) -> tensor<4xi8> {
  %h = ml_program.global_load @h : tensor<4xi8>
  return %h : tensor<4xi8>
}

// -----

// expected-error @+1 {{pex: the state @d kept between runs has no static shape}}
ml_program.global private mutable @d : tensor<?xi8>
func.func @dynamic(%x: tensor<?xi8>) -> tensor<?xi8> {
  ml_program.global_store @d = %x : tensor<?xi8>
  return %x : tensor<?xi8>
}
