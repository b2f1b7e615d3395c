// RUN: pex-opt %s --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: pex-opt %s --pex-optimize-tosa="arena-alignment=1" | FileCheck %s --check-prefix=PLAN
// RUN: pex-opt %s --pex-optimize-tosa --pex-tosa-to-kernels | FileCheck %s --check-prefix=KERNELS
// RUN: pexc %s --target=host -o %t.o -q

// An LSTM's gates in a loop body: a convolution of the step's input row makes
// a temporary (32 B), a convolution of the state h adds it element-wise (its
// epilogue reads it at the same indices, and it dies there), and the next h
// is computed from their sum. The sum is written over the first temporary, as
// a kernel outside a loop writes over an input that dies at it: 64 B at every
// step (h and one temporary), not 96.
// REPORT-LABEL: pex memory report: @gates
// REPORT:       scf.for
// REPORT-NEXT:  0           64    | iteration: tosa.conv2d
// REPORT-NEXT:  1           64    | iteration: tosa.conv2d
// REPORT-NEXT:  2           64    | iteration: tosa.mul
// REPORT-NEXT:  peak SRAM: 64 bytes
// REPORT-NEXT:  lower bound: 64 bytes

// The plan: both temporaries in one storage.
// PLAN-LABEL:   func.func @gates
// PLAN-SAME:    pex.arena = #pex.arena<size = 64, alignment = 1, peak = 64, lower_bound = 64>
// PLAN:         scf.for
// PLAN:         tosa.conv2d {{.*}}pex.placement = #pex.placement<offset = [[SUM:[0-9]+]], size = 32, live = [0, 1]>
// PLAN:         tosa.add {{.*}}{pex.placement = #pex.placement<offset = [[SUM]], size = 32, live = [1, 2]>}

// The second kernel's destination is the first kernel's result, which it
// reads no more as an input.
// KERNELS-LABEL: func.func @gates
// KERNELS:       scf.for
// KERNELS:       %[[INPUT:[0-9]+]] = pex.kernel ins({{[^)]*}}) outs(%{{[0-9]+}} : tensor<1x1x1x8xf32>)
// KERNELS:       tosa.conv2d
// KERNELS:       pex.kernel ins(%{{[a-z_0-9]+}}, %{{[a-z_0-9]+}}, %{{[a-z_0-9]+}} : tensor<1x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>) outs(%[[INPUT]] : tensor<1x1x1x8xf32>)
// KERNELS:       tosa.conv2d
// KERNELS:       tosa.add
func.func @gates(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %r = "tosa.const"() {values = dense<0.25> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %reset = "tosa.const"() {values = dense<1.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %shape4 = tosa.const_shape {values = dense<[1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape2 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %shape3 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %empty = tensor.empty() : tensor<1x4x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %l:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %reset, %y = %empty) -> (tensor<1x8xf32>, tensor<1x4x8xf32>) {
    %row = tensor.extract_slice %x[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x4x8xf32> to tensor<1x1x8xf32>
    %in = tosa.reshape %row, %shape4 : (tensor<1x1x8xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
    %fromx = tosa.conv2d %in, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x8xf32>
    %hin = tosa.reshape %h, %shape4 : (tensor<1x8xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
    %fromh = tosa.conv2d %hin, %r, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x8xf32>
    %sum = tosa.add %fromh, %fromx : (tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
    %flat = tosa.reshape %sum, %shape2 : (tensor<1x1x1x8xf32>, !tosa.shape<2>) -> tensor<1x8xf32>
    %next = tosa.mul %flat, %h, %shift : (tensor<1x8xf32>, tensor<1x8xf32>, tensor<1xi8>) -> tensor<1x8xf32>
    %out = tosa.reshape %next, %shape3 : (tensor<1x8xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
    %y2 = tensor.insert_slice %out into %y[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x1x8xf32> into tensor<1x4x8xf32>
    scf.yield %next, %y2 : tensor<1x8xf32>, tensor<1x4x8xf32>
  }
  return %l#1 : tensor<1x4x8xf32>
}
