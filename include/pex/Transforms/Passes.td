//===- Passes.td - Pex transformation passes ---------------*- tablegen -*-===//

#ifndef PEX_TRANSFORMS_PASSES_TD
#define PEX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MemoryReport : Pass<"pex-memory-report", "ModuleOp"> {
  let summary = "Print the live SRAM of every step and the peak";
  let description = [{
    Builds the memory model (docs/memory-model.md) of every function in the
    module for its current order and prints, to stderr, one line per step:
    the step, the live bytes, the operator and a bar, with the peak marked;
    then the peak, the lower bound, the input/output bytes, the flash bytes
    of constants and the multiply-accumulates. With `json=FILE` it also
    writes the same figures as JSON. The IR is not changed.
  }];
  let options = [
    Option<"jsonPath", "json", "std::string", /*default=*/"",
           "Also write the report as JSON to this file">,
    Option<"countIO", "count-io", "bool", /*default=*/"true",
           "Count the function's input and output tensors as SRAM">,
  ];
}

def Reorder : Pass<"pex-reorder", "func::FuncOp"> {
  let summary = "Reorder operators to minimise the peak SRAM";
  let description = [{
    Finds the execution order of the function's logical operators (and
    groups) with the smallest peak of live bytes and moves the operations
    into that order. The search is exact while every layer of the search
    holds at most `max-states` sets of executed operators, and a beam search
    beyond. The result is never worse than the given order.
  }];
  let options = [
    Option<"maxStates", "max-states", "unsigned", /*default=*/"4096",
           "Sets of executed operators kept per search layer">,
    Option<"countIO", "count-io", "bool", /*default=*/"true",
           "Count the function's input and output tensors as SRAM">,
  ];
}

def FormKernels : Pass<"pex-form-kernels", "func::FuncOp"> {
  let summary = "Wrap each logical operator in a pex.kernel";
  let description = [{
    Partitions every block of the function (its body and the loops made by
    `pex-lower-groups`) into logical operators, the same partition the
    memory model counts (docs/memory-model.md), and wraps each in a
    destination-passing `pex.kernel`. A kernel's destination is a new empty
    tensor, or, when the memory model's in-place rule applies (an
    element-wise-read operand of the output's size dies at the kernel), that
    operand. Reshapes become tensor collapse/expand views and the remaining
    TOSA constants become arith constants, so the function bufferizes.
  }];
  let dependentDialects = ["::mlir::pex::PexDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def Bufferize : Pass<"pex-bufferize", "ModuleOp"> {
  let summary = "Bufferize kernels, loops and slices without copies";
  let description = [{
    One-shot bufferization of the module with identity-layout function
    boundaries. Kernel bodies stay at tensor level (they describe the
    computation that `pex-lower-kernels` emits). Empty tensors that become
    slices of a larger destination are eliminated first, so a kernel writes
    its slice of an assembled result in place. The function's results then
    become output parameters (the caller's buffers): the kernel that
    computed a result into a fresh buffer writes the output parameter
    instead. Every remaining allocation is an activation buffer for the
    arena planner.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // PEX_TRANSFORMS_PASSES_TD
