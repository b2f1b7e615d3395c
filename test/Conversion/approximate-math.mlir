// RUN: pex-opt %s -split-input-file --pex-approximate-math | FileCheck %s

// floor(x): truncate through i32 and subtract one where that rounded a
// negative value up; values of magnitude 2^23 (0x4B000000) or more, and NaN,
// are returned unchanged. No math.floor (floorf on Cortex-M4) remains.
// CHECK-LABEL: func.func @floor
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-DAG:   %[[LIMIT:.*]] = arith.constant 0x4B000000 : f32
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:       %[[I:.*]] = arith.fptosi %[[X]] : f32 to i32
// CHECK-NEXT:  %[[T:.*]] = arith.sitofp %[[I]] : i32 to f32
// CHECK-NEXT:  %[[UP:.*]] = arith.cmpf ogt, %[[T]], %[[X]] : f32
// CHECK-NEXT:  %[[DOWN:.*]] = arith.subf %[[T]], %[[ONE]] : f32
// CHECK-NEXT:  %[[FLOOR:.*]] = arith.select %[[UP]], %[[DOWN]], %[[T]] : f32
// CHECK-NEXT:  %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK-NEXT:  %[[BIG:.*]] = arith.cmpf uge, %[[ABS]], %[[LIMIT]] : f32
// CHECK-NEXT:  %[[R:.*]] = arith.select %[[BIG]], %[[X]], %[[FLOOR]] : f32
// CHECK-NEXT:  return %[[R]] : f32
func.func @floor(%x: f32) -> f32 {
  %0 = math.floor %x : f32
  return %0 : f32
}

// -----

// fma(a, b, c) is a multiply and an add (fmaf on Cortex-M0+ otherwise).
// CHECK-LABEL: func.func @fma
// CHECK-SAME:    (%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32)
// CHECK-NEXT:  %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:  %[[S:.*]] = arith.addf %[[P]], %[[C]] : f32
// CHECK-NEXT:  return %[[S]] : f32
func.func @fma(%a: f32, %b: f32, %c: f32) -> f32 {
  %0 = math.fma %a, %b, %c : f32
  return %0 : f32
}

// -----

// NaN-propagating maximum and minimum are an unordered compare and a select,
// then a select of the second operand when it is NaN (the first operand's
// NaN already wins the unordered compare).
// CHECK-LABEL: func.func @maximum_minimum
// CHECK-SAME:    (%[[X:.*]]: f32, %[[Y:.*]]: f32)
// CHECK-NEXT:  %[[GT:.*]] = arith.cmpf ugt, %[[X]], %[[Y]] : f32
// CHECK-NEXT:  %[[MAX:.*]] = arith.select %[[GT]], %[[X]], %[[Y]] : f32
// CHECK-NEXT:  %[[NAN1:.*]] = arith.cmpf uno, %[[Y]], %[[Y]] : f32
// CHECK-NEXT:  %[[MAXR:.*]] = arith.select %[[NAN1]], %[[Y]], %[[MAX]] : f32
// CHECK-NEXT:  %[[LT:.*]] = arith.cmpf ult, %[[X]], %[[Y]] : f32
// CHECK-NEXT:  %[[MIN:.*]] = arith.select %[[LT]], %[[X]], %[[Y]] : f32
// CHECK-NEXT:  %[[NAN2:.*]] = arith.cmpf uno, %[[Y]], %[[Y]] : f32
// CHECK-NEXT:  %[[MINR:.*]] = arith.select %[[NAN2]], %[[Y]], %[[MIN]] : f32
// CHECK-NEXT:  return %[[MAXR]], %[[MINR]] : f32, f32
func.func @maximum_minimum(%x: f32, %y: f32) -> (f32, f32) {
  %0 = arith.maximumf %x, %y : f32
  %1 = arith.minimumf %x, %y : f32
  return %0, %1 : f32, f32
}

// -----

// exp(x) = 2^k * p(r), MLIR's approximation (same constants and operations):
// x clamped to [-87.8, 88.8] (a NaN passes), k = floor(x * log2(e) + 0.5)
// (the floor expanded into conversions) clamped to at most 127, r = x - k *
// ln(2) in two parts, p a polynomial, 2^k built in the exponent bits of an
// f32. x's clamp keeps x * log2(e) + 0.5 within [-126.2, 128.6], so neither
// floor's check for magnitudes of 2^23 nor k's lower clamp is emitted: three
// compares, no absf.
// CHECK-LABEL: func.func @exp
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-DAG:   %[[LO:.*]] = arith.constant -8.780000e+01 : f32
// CHECK-DAG:   %[[HI:.*]] = arith.constant 8.880000e+01 : f32
// CHECK-DAG:   %[[LOG2E:.*]] = arith.constant 1.44269502 : f32
// CHECK-DAG:   %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:   %[[KMAX:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-DAG:   %[[LN2HI:.*]] = arith.constant -0.693359375 : f32
// CHECK-DAG:   %[[LN2LO:.*]] = arith.constant 2.12194442E-4 : f32
// CHECK-DAG:   %[[BIAS:.*]] = arith.constant 127 : i32
// CHECK-DAG:   %[[MANT:.*]] = arith.constant 23 : i32
// CHECK:       %[[GE:.*]] = arith.cmpf uge, %[[X]], %[[LO]] : f32
// CHECK-NEXT:  %[[X1:.*]] = arith.select %[[GE]], %[[X]], %[[LO]] : f32
// CHECK-NEXT:  %[[LE:.*]] = arith.cmpf ule, %[[X1]], %[[HI]] : f32
// CHECK-NEXT:  %[[X2:.*]] = arith.select %[[LE]], %[[X1]], %[[HI]] : f32
// CHECK-NEXT:  %[[XS:.*]] = arith.mulf %[[X2]], %[[LOG2E]] : f32
// CHECK-NEXT:  %[[T:.*]] = arith.addf %[[XS]], %[[HALF]] : f32
// CHECK-NEXT:  %[[I:.*]] = arith.fptosi %[[T]] : f32 to i32
// CHECK-NEXT:  %[[F:.*]] = arith.sitofp %[[I]] : i32 to f32
// CHECK-NEXT:  %[[UP:.*]] = arith.cmpf ogt, %[[F]], %[[T]] : f32
// CHECK-NEXT:  %[[DOWN:.*]] = arith.subf %[[F]], %[[ONE]] : f32
// CHECK-NEXT:  %[[FLOOR:.*]] = arith.select %[[UP]], %[[DOWN]], %[[F]] : f32
// CHECK-NEXT:  %[[KLE:.*]] = arith.cmpf ule, %[[FLOOR]], %[[KMAX]] : f32
// CHECK-NEXT:  %[[K:.*]] = arith.select %[[KLE]], %[[FLOOR]], %[[KMAX]] : f32
// CHECK-NEXT:  %[[KH:.*]] = arith.mulf %[[K]], %[[LN2HI]] : f32
// CHECK-NEXT:  %[[R1:.*]] = arith.addf %[[KH]], %[[X2]] : f32
// CHECK-NEXT:  %[[KL:.*]] = arith.mulf %[[K]], %[[LN2LO]] : f32
// CHECK-NEXT:  %[[R:.*]] = arith.addf %[[KL]], %[[R1]] : f32
// CHECK-NOT:   arith.cmpf
// CHECK-NOT:   math.
// CHECK:       %[[KI:.*]] = arith.fptosi %[[K]] : f32 to i32
// CHECK-NEXT:  %[[E:.*]] = arith.addi %[[KI]], %[[BIAS]] : i32
// CHECK-NEXT:  %[[BITS:.*]] = arith.shli %[[E]], %[[MANT]] : i32
// CHECK-NEXT:  %[[POW:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK-NEXT:  %[[Y:.*]] = arith.mulf %{{.*}}, %[[POW]] : f32
// CHECK-NEXT:  return %[[Y]] : f32
func.func @exp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// -----

// tanh(x): clamped to +-7.99881172, a rational polynomial p(x)/q(x), and x
// itself where |x| < 4e-4. No exp and no libm tanhf.
// CHECK-LABEL: func.func @tanh
// CHECK-SAME:    (%[[X:.*]]: f32)
// CHECK-DAG:   %[[SMALL:.*]] = arith.constant 4.000000e-04 : f32
// CHECK-DAG:   %[[HI:.*]] = arith.constant 7.99881172 : f32
// CHECK-DAG:   %[[LO:.*]] = arith.constant -7.99881172 : f32
// CHECK:       %[[LT:.*]] = arith.cmpf ult, %[[X]], %[[HI]] : f32
// CHECK-NEXT:  %[[C1:.*]] = arith.select %[[LT]], %[[X]], %[[HI]] : f32
// CHECK-NEXT:  %[[GT:.*]] = arith.cmpf ugt, %[[C1]], %[[LO]] : f32
// CHECK-NEXT:  %[[C:.*]] = arith.select %[[GT]], %[[C1]], %[[LO]] : f32
// CHECK-NEXT:  %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK-NEXT:  %[[TINY:.*]] = arith.cmpf olt, %[[ABS]], %[[SMALL]] : f32
// CHECK-NOT:   math.{{tanh|exp}}
// CHECK:       %[[Q:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:  %[[R:.*]] = arith.select %[[TINY]], %[[C]], %[[Q]] : f32
// CHECK-NEXT:  return %[[R]] : f32
func.func @tanh(%x: f32) -> f32 {
  %0 = math.tanh %x : f32
  return %0 : f32
}

// -----

// Inside the loops pex-lower-kernels emits (a float sigmoid, 1 / (1 + e^-x)),
// the math operations are replaced too; only math.absf (a bit operation, no
// call) remains.
// CHECK-LABEL: func.func @sigmoid_loop
// CHECK:       scf.for
// CHECK:         %[[V:.*]] = memref.load
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[V]] : f32
// CHECK-NOT:     math.{{exp|floor}}
// CHECK:         arith.bitcast
// CHECK:         %[[E:.*]] = arith.mulf
// CHECK-NEXT:    %[[D:.*]] = arith.addf %[[E]], %{{.*}} : f32
// CHECK-NEXT:    %[[S:.*]] = arith.divf %{{.*}}, %[[D]] : f32
// CHECK-NEXT:    memref.store %[[S]]
func.func @sigmoid_loop(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    %one = arith.constant 1.000000e+00 : f32
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %s = arith.divf %one, %d : f32
    memref.store %s, %y[%i] : memref<4xf32>
  }
  return
}
