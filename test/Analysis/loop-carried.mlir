// RUN: pex-opt %s --pex-memory-report="alignment=1" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: pex-opt %s --pex-memory-report="alignment=1 arena-io=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=IO
// RUN: pex-opt %s --pex-optimize-tosa="arena-alignment=1" | FileCheck %s --check-prefix=PLAN
// RUN: pex-opt %s --pex-optimize-tosa --pex-tosa-to-kernels --pex-kernels-to-memref | FileCheck %s --check-prefix=LOWERED
// RUN: pexc %s --target=host -o %t.o -q
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: llvm-nm --undefined-only %t.o | count 0

// A recurrence over 4 time steps (the shape of an LSTM's loop): each step
// reads its row of the input, a 1x1 convolution makes a temporary, and the
// state h is updated from it and written at the step's row of the output.
// The loop is one unit; its internal steps are the body's operators, run once
// per iteration. The carried state (32 B) is live across the whole loop, the
// temporary (32 B) from the convolution to the add that reads it; the next
// state is computed over the current one (the add reads it element-wise), so
// the peak is 64 B. The output is filled row by row in place (the caller's).
// REPORT-LABEL: pex memory report: @recurrence
// REPORT:       scf.for
// REPORT-NEXT:  0           64    | iteration: tosa.conv2d
// REPORT-SAME:  <- peak
// REPORT-NEXT:  1           64    | iteration: tosa.add
// REPORT-NEXT:  peak SRAM: 64 bytes at step 0 (tosa.conv2d)
// REPORT-NEXT:  lower bound: 64 bytes
// REPORT-NEXT:  inputs and outputs: 256 bytes (not counted)
// The MACs of every iteration: 4 x 64.
// REPORT:       MACs: 256
// REPORT:       whole at the peak: the value carried by scf.for #0 (32 bytes) is carried by a loop across all its iterations

// With the input and output in the arena, both are live across the loop too:
// the body reads the input at every iteration and fills the output at every
// iteration.
// IO-LABEL:     pex memory report: @recurrence
// IO:           0          320    | iteration: tosa.conv2d
// IO-NEXT:      1          320    | iteration: tosa.add
// IO-NEXT:      peak SRAM: 320 bytes

// The plan: the carried state's storage on the loop (its result) and on the
// operator computing the next state; the temporary's on the convolution.
// The loop and its body stay as they are.
// PLAN-LABEL:   func.func @recurrence
// PLAN-SAME:    pex.arena = #pex.arena<size = 64, alignment = 1, peak = 64, lower_bound = 64>
// PLAN:         scf.for
// PLAN:         tosa.conv2d {{.*}}pex.placement = #pex.placement<offset = [[TEMP:[0-9]+]], size = 32, live = [0, 1]>
// PLAN:         tosa.add {{.*}}{pex.placement = #pex.placement<offset = [[STATE:[0-9]+]], size = 32, live = [0, 1]>}
// PLAN:         tensor.insert_slice
// PLAN:         } {pex.placements = [#pex.placement<offset = [[STATE]], size = 32, live = [0, 1]>, unit]}

// Lowered: the state's storage is filled with the reset value before the
// loop, which stays one scf.for over the 4 steps (not 4 copies of the body)
// with the two kernels inside: the convolution into the temporary, the add
// over the state. Every buffer is a view of the arena.
// LOWERED-LABEL: func.func @recurrence
// LOWERED:       %[[ARENA:.*]] = memref.get_global @pex_arena : memref<64xi8>
// LOWERED:       %[[STATE:.*]] = memref.view %[[ARENA]][%{{.*}}][] {pex.placement = #pex.placement<offset = [[S:[0-9]+]], size = 32
// LOWERED:       pex.kernel outs(%[[STATE]] : memref<1x8xf32>)
// LOWERED:       tosa.tile
// LOWERED:       scf.for %{{.*}} = %c0 to %c4 step %c1 {
// LOWERED:       memref.view %[[ARENA]]{{.*}}size = 32, live = [0, 1]>} : memref<64xi8> to memref<1x1x1x8xf32>
// LOWERED:       pex.kernel ins({{.*}}) outs(%{{.*}} : memref<1x1x1x8xf32>)
// LOWERED:       tosa.conv2d
// LOWERED:       pex.kernel ins({{.*}}) outs(%[[STATE]] : memref<1x8xf32>)
// LOWERED:       tosa.add
// LOWERED-NOT:   tosa.conv2d
// LOWERED-NOT:   memref.alloc
// LOWERED:       return

// The object uses its static arena only: no heap, no undefined symbol at all
// (no malloc, free or memcpy), and one convolution kernel.
// SYMBOLS:       b pex_recurrence_arena
// SYMBOLS:       t pex_recurrence_run_k{{[0-9]+}}_conv2d
// SYMBOLS-NOT:   conv2d
func.func @recurrence(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %reset = "tosa.const"() {values = dense<0.0> : tensor<1x8xf32>} : () -> tensor<1x8xf32>
  %shape4 = tosa.const_shape {values = dense<[1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %shape2 = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %shape3 = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %empty = tensor.empty() : tensor<1x4x8xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%h = %reset, %y = %empty) -> (tensor<1x8xf32>, tensor<1x4x8xf32>) {
    %row = tensor.extract_slice %x[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x4x8xf32> to tensor<1x1x8xf32>
    %in = tosa.reshape %row, %shape4 : (tensor<1x1x8xf32>, !tosa.shape<4>) -> tensor<1x1x1x8xf32>
    %conv = tosa.conv2d %in, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x8xf32>
    %flat = tosa.reshape %conv, %shape2 : (tensor<1x1x1x8xf32>, !tosa.shape<2>) -> tensor<1x8xf32>
    %next = tosa.add %flat, %h : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
    %out = tosa.reshape %next, %shape3 : (tensor<1x8xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
    %y2 = tensor.insert_slice %out into %y[0, %t, 0] [1, 1, 8] [1, 1, 1] : tensor<1x1x8xf32> into tensor<1x4x8xf32>
    scf.yield %next, %y2 : tensor<1x8xf32>, tensor<1x4x8xf32>
  }
  return %r#1 : tensor<1x4x8xf32>
}
