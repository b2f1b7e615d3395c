// A model without an output has no C entry point to generate: a located error.
// RUN: not pexc %s --target=host -q -o %t.o 2>&1 | FileCheck %s
// CHECK: no-output.mlir:[[@LINE+1]]:1: error: pex: the C entry point needs at least one input and one output; @sink has 1 inputs and 0 outputs
func.func @sink(%arg0: tensor<1x4xf32>) {
  return
}
