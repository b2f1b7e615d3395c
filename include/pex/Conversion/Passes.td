//===- Passes.td - Pex conversion passes -------------------*- tablegen -*-===//

#ifndef PEX_CONVERSION_PASSES_TD
#define PEX_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerKernels : Pass<"pex-lower-kernels", "ModuleOp"> {
  let summary = "Emit each bufferized pex.kernel as one loop nest";
  let description = [{
    Replaces every `pex.kernel` on memrefs by scalar code: the anchor
    operator emits the loop nest over its output (KernelEmitterOpInterface),
    and for every output element the fused element-wise operators are
    evaluated in registers and the result is stored to the destination.
    Intermediate values of the chain are never stored. Each kernel becomes
    a private, never inlined function `<function>_k<N>_<anchor>` called where
    the kernel was: the views, constants and index arithmetic its operands
    are made of are recomputed inside, the values they start from are its
    arguments. A module pass: the emitters may add constant globals
    (weights prepared at compile time). A stream's `pex.shift_rows` becomes a
    forward copy loop in place, in 32-bit words when it can. With
    `vector-mac`, the int8 convolutions' micro-kernels take the 16-byte
    layouts of the M-profile vector extension (MicroKernels.h) instead of
    the DSP extension's words. With `rounding-conversion`, a float32 cast to
    an integer is one VCVTR (and a saturation to the integer's range)
    instead of the rounding emulated in software: the conversion rounds in
    FPSCR's rounding mode, round to nearest (ties to even) from reset, which
    the generated code assumes the application has not changed.
  }];
  let options = [
    Option<"vectorMac", "vector-mac", "bool", /*default=*/"false",
           "Lay the int8 dot-product micro-kernels out for 16-lane vector "
           "multiply-accumulates (Armv8.1-M MVE)">,
    Option<"roundingConversion", "rounding-conversion", "bool",
           /*default=*/"false",
           "Convert floats to integers with the Arm FPU's VCVTR (round to "
           "nearest, ties to even, in FPSCR's reset rounding mode)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tosa::TosaDialect"];
}

def DualMultiplyAccumulate
    : Pass<"pex-dual-multiply-accumulate", "func::FuncOp"> {
  let summary = "Compute int8 dot-product loops four bytes at a time with "
                "the Armv7E-M DSP extension";
  let description = [{
    Rewrites every loop that only accumulates products of sign-extended int8
    loads (less an int8 constant, such as an input zero point, or not) into
    i32 carried values, each load reading consecutive bytes along the
    induction variable (one index, of a unit-stride dimension, is the loop
    variable, plus a loop-invariant value or not: the input-channel loops of
    convolutions, or the kernel-column loops of a single input channel once
    loops of one iteration are promoted), when its trip count is a multiple
    of four: each step loads a word per operand
    (unaligned), splits it into two pairs of 16-bit lanes (SXTB16), subtracts
    the constant from both lanes (SSUB16) and adds each product pair with one
    SMLAD (`llvm.arm.sxtb16`, `llvm.arm.ssub16`, `llvm.arm.smlad`). Exact:
    the i32 sums only change order. A product of a sign-extended int8 or
    int16 and one 16-bit lane of a word (`w >> 16`, `(w << 16) >> 16`:
    depthwise 3x3 weights packed two taps a word) added to an i32 becomes
    one `llvm.arm.smlabt` or `llvm.arm.smlabb` of the word as it is. The
    marked micro-kernel loops (lib/Conversion/TosaToLoops/MicroKernels.h,
    among them a line buffer's word copy, `pex.copy`) become inline
    assembly. For 32-bit targets with the DSP extension (Cortex-M4, M7, M33); runs after
    `pex-lower-kernels`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def VectorMultiplyAccumulate
    : Pass<"pex-vector-multiply-accumulate", "func::FuncOp"> {
  let summary = "Compute the vector micro-kernels' int8 dot products with "
                "the M-profile vector extension";
  let description = [{
    Replaces every loop marked `pex.vector_mac` (the micro-kernels
    `pex-lower-kernels` emits with `vector-mac`, MicroKernels.h) by a loop
    over the same vectors of 16 bytes: per step one 16-byte load per pixel
    and per output channel, and one `llvm.arm.mve.vmldava` (VMLADAVA.S8:
    the 16 lanes' products summed into an accumulator) per pixel and
    channel. Exact: the i32 sums only change order. For Armv8.1-M targets
    with MVE (Cortex-M55); runs after `pex-lower-kernels`, before
    `pex-dual-multiply-accumulate`, which takes the loops left.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def ApproximateMath : Pass<"pex-approximate-math"> {
  let summary = "Replace math functions by polynomial approximations";
  let description = [{
    Rewrites exp, tanh and the other math operations that would otherwise
    become libm calls into arithmetic (polynomial approximations), the floor
    those approximations use into conversions and compares, fused
    multiply-adds into a multiply and an add, and NaN-propagating maximum and
    minimum into compares and selects, so the generated code calls no libm
    function on any Cortex-M (M0+ still needs the compiler's soft-float and
    64-bit helpers from libgcc). exp is upstream's approximation without the
    two compares its input clamp makes dead (the same bits). With
    `software-sqrt` (a core without FPU, whose square root would be libm's
    sqrtf), f32 square roots and
    reciprocal square roots are computed in integer arithmetic, correctly
    rounded as the FPU's and the host's are.
  }];
  let options = [
    Option<"softwareSqrt", "software-sqrt", "bool", /*default=*/"false",
           "Compute f32 square roots in integer arithmetic (no FPU)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def ExportEntryPoint : Pass<"pex-export-entry-point", "ModuleOp"> {
  let summary = "Give the model function its C entry point";
  let description = [{
    Renames the module's public function `@NAME` (after bufferization it
    takes the input and output buffers) to `@pex_NAME_run` and makes it
    return an i32 status (0), so that with bare-pointer memrefs it becomes
    `int pex_NAME_run(const in_t *input, out_t *output)`. The argument and
    result attributes (the importers' tensor names and quantisation, used
    for the C header) are dropped. An input or output the arena holds (a
    view marked `pex.io` by `pex-plan-arena hold-io`) gets an accessor
    `@pex_NAME_<role>() -> !llvm.ptr` returning its address in the arena.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect"];
}

def InterleaveChannelConstants
    : Pass<"pex-interleave-channel-constants", "ModuleOp"> {
  let summary = "Read a channel's constants from one record per channel";
  let description = [{
    In each function called inside a loop (a stream's row kernels, which set
    every channel up again on each row), the constant globals (integers of
    8 to 32 bits, f32) whose every load indexes the leading dimension by
    the same value and the others by constants (a loop's per-channel filter, biases and
    requantisation parameters) are interleaved into one private global of
    i32 records, `[channel][table elements...]`, and their loads become
    loads of the record's words converted back (truncation, bitcast): a
    channel's constants are then fixed offsets from one address instead of
    one address per table. Exact. A set of tables read together in several
    functions shares its records; a table no function reads any more is
    erased.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def AnnotateLLVMSymbols : Pass<"pex-annotate-llvm-symbols", "ModuleOp"> {
  let summary = "Mark generated functions and globals for bare-metal code "
                "generation";
  let description = [{
    Adds `nounwind` (no unwind tables or personality routines) and
    `no-builtins` (loops are not turned into memcpy/memset library calls)
    to every LLVM function with a body, and gives private globals (the
    arena, the weights) and private functions (the kernels) internal
    linkage: still local to the object, but named in its symbol table, so
    map files, `nm`, debuggers and profiles show where the arena, each
    weight tensor and each kernel live and how large they are. The memory
    pools' globals get the linker sections the module's `pex.sections`
    records (pex-materialize-arena), which is then removed.
  }];
}

#endif // PEX_CONVERSION_PASSES_TD
