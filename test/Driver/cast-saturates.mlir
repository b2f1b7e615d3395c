// A float cast to int32 saturates as llvm.fptosi.sat does, on the host and the
// Cortex-M4 alike: 2^31 and above give INT32_MAX (float(INT32_MAX) is 2^31,
// which fptosi may not be given), below -2^31 INT32_MIN, NaN 0; halves round
// to even, as TOSA's cast rounds.
// RUN: %python -c "import numpy as np, sys; open(sys.argv[1], 'wb').write(np.array([3e9, -3e9, np.nan, 2.5, -2.5, 2147483520.0, np.inf, -np.inf], np.float32).tobytes())" %t.in
// RUN: pexc %s --target=host -q -o %t.o --run=%t.in --output=%t.out
// RUN: %python -c "import numpy as np, sys; y = np.fromfile(sys.argv[1], np.int32); sys.exit(y.tolist() != [2147483647, -2147483648, 0, 2, -2, 2147483520, 2147483647, -2147483648])" %t.out
// RUN: %if qemu %{ pexc %s --target=cortex-m4 -q -o %t.m4.o --run=%t.in --output=%t.m4.out %}
// RUN: %if qemu %{ cmp %t.out %t.m4.out %}

func.func @saturate(%x: tensor<1x8xf32>) -> tensor<1x8xi32> {
  %y = tosa.cast %x : (tensor<1x8xf32>) -> tensor<1x8xi32>
  return %y : tensor<1x8xi32>
}
