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
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs (counted)">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Every buffer takes a multiple of this many arena bytes">,
  ];
}

def NormalizeTosa : Pass<"pex-normalize-tosa", "func::FuncOp"> {
  let summary = "Bring every frontend's TOSA to one form before planning";
  let description = [{
    Exact rewrites of converter idioms that would otherwise cost memory or
    cut partial-execution chains (include/pex/Transforms/NormalizePatterns.h),
    together with TOSA's canonicalizations (identities, reshapes and
    transposes that cancel):
    - an explicit pad read by a convolution, depthwise convolution or max
      pool becomes its padding when it pads with the value the operator pads
      with (a pad lowered in rank around reshapes first gets its rank back);
    - a slice that drops trailing rows or columns (added so that TOSA
      windows divide exactly) moves through the window and element-wise
      operators that compute the sliced tensor, so they compute only what
      is read;
    - a 1x1 convolution (fully connected layer) over a flattened map
      becomes a convolution whose window covers the map;
    - an element-wise operator reading a reshape that keeps the channels
      last runs before it, so reshapes around it cancel;
    - a producer of several output channels (with the element-wise
      operators after it) read only by slices of disjoint channel ranges
      (queries, keys and values cut from one projection) becomes one
      producer per slice;
    - identities disappear, and consecutive transposes become one (none
      when they cancel).
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def Reorder : Pass<"pex-reorder", "func::FuncOp"> {
  let summary = "Reorder operators to minimise the peak SRAM";
  let description = [{
    Finds the execution order of the function's logical operators (and
    groups) with the smallest peak of live bytes and moves the operations
    into that order. The search is exact while every layer of the search
    holds at most `max-states` sets of executed operators, and a beam search
    beyond (with a remark when the order found is above the lower bound, so
    possibly not the best). The result is never worse than the given order.
  }];
  let options = [
    Option<"maxStates", "max-states", "unsigned", /*default=*/"4096",
           "Sets of executed operators kept per search layer">,
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs (counted)">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Every buffer takes a multiple of this many arena bytes">,
  ];
}

def Partition : Pass<"pex-partition", "func::FuncOp"> {
  let summary = "Run chains of operators as loops over channel slices";
  let description = [{
    Finds chains of logical operators that can run as a loop over channel
    slices (an operator that can produce a slice of its output channels or
    receives sliced input, then channel-local operators, ending in an
    operator that accumulates its input-channel slices or in a tensor
    assembled slice by slice) and wraps the chains that lower the peak SRAM
    the most in `pex.group`s, with slice counts chosen by the memory model
    (docs/memory-model.md). Weights, biases and per-channel quantisation
    parameters are cut with `pex.slice`; a consumer's bias moves to the
    group's epilogue, which applies it once after the last slice, so no
    multiply-accumulate is repeated. With `arena-budget`, stops as soon as
    the peak is within it, and fails, naming the operator and the largest
    tensor at the peak, when it cannot be met. The function gets a
    `pex.peak_before_partition` attribute for the reports.
  }];
  let options = [
    Option<"arenaBudget", "arena-budget", "int64_t", /*default=*/"0",
           "Stop when the peak is at most this many bytes (0: minimise)">,
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs (counted)">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Every buffer takes a multiple of this many arena bytes">,
    Option<"maxStates", "max-states", "unsigned", /*default=*/"4096",
           "Sets of executed operators kept per layer when scheduling">,
    Option<"slices", "slices", "int64_t", /*default=*/"0",
           "Give every group this many slices (or its channel count if "
           "smaller) instead of choosing (0); for testing">,
    Option<"beamWidth", "beam-width", "unsigned", /*default=*/"4",
           "Plans the search extends each round (1: greedy)">,
  ];
  let dependentDialects = ["::mlir::pex::PexDialect",
                           "::mlir::tosa::TosaDialect"];
}

def SplitHeads : Pass<"pex-split-heads", "func::FuncOp"> {
  let summary = "Run attention's heads one at a time";
  let description = [{
    A batched matmul whose batch is a model's attention heads (scores =
    Q x K^T per head), the operators after it that keep each batch element
    apart (the softmax: element-wise operators, reductions along another
    axis) and the matmul that reads their result (scores x V) become a
    `pex.group` along the batch axis (axis 0) of one element per slice: it
    reads each head's slices of Q, K and V (views) and assembles each
    head's result, so one head's scores exist at a time. Same operations,
    same order of sums in each: the bytes do not change. Chains whose values
    are read outside them are left whole, and so is a chain whose group
    would not lower the peak of the best order (or, with the peak
    elsewhere, the bytes live while it runs): the group reads Q, K and V
    whole, which may cost more than the scores it cuts.
  }];
  let options = [
    Option<"maxStates", "max-states", "unsigned", /*default=*/"4096",
           "Sets of executed operators kept per search layer">,
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs (counted)">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Every buffer takes a multiple of this many arena bytes">,
  ];
  let dependentDialects = ["::mlir::pex::PexDialect",
                           "::mlir::tosa::TosaDialect"];
}

def ExpandGroupedConvolutions
    : Pass<"pex-expand-grouped-convolutions", "func::FuncOp"> {
  let summary = "Run each grouped convolution as a loop over its groups";
  let description = [{
    Code generation emits convolutions of one group. A `pex.grouped_conv2d`
    that `pex-partition` left outside any group (every one with
    `--no-partial`) is wrapped, with the element-wise operators fused after
    it (its logical operator: an int8 rescale and clamp), in a `pex.group`
    of one slice per group: input channels, weights, bias and per-channel
    parameters are cut per group, and each group's int8 result is written
    into the output, so no int32 tensor of the whole output exists. Its
    memory is the operator's: input and output. A grouped convolution whose
    input and output groups differ in width cannot be cut that way and is
    reported.
  }];
  let dependentDialects = ["::mlir::pex::PexDialect"];
}

def Prune : Pass<"pex-prune", "func::FuncOp"> {
  let summary = "Remove channels where the memory peak is, to meet a budget";
  let description = [{
    Memory-aware structured pruning. Until the peak after partial execution
    (the memory model with the groups pex-partition would choose) is within
    `budget`, takes the class of coupled tensors (docs/passes.md) with the
    most bytes live at the peak and removes `fraction` of its channels, the
    least important ones: the lowest L1 norm of the filters that produce
    them, scaled by their per-channel requantisation multiplier for int8.
    A channel is removed everywhere together: the producing convolutions'
    output filters and biases, the channel-local operators' per-channel
    weights and quantisation parameters, every residual partner, and the
    consuming convolutions' input weights. The result is a valid smaller
    TOSA function; with `json=FILE` the removed and kept channels of every
    pruned class, by the names of its operators, are written so a training
    framework can apply the same mask. Fails, naming the peak, when the
    tensors live at the peak cannot lose channels (the model's input and
    output, reshaped or concatenated channels) or are at `min-channels`.
  }];
  let options = [
    Option<"budget", "budget", "int64_t", /*default=*/"0",
           "Peak SRAM to reach, in bytes (required)">,
    Option<"jsonPath", "json", "std::string", /*default=*/"",
           "Write the pruning mask as JSON to this file">,
    Option<"fraction", "fraction", "double", /*default=*/"0.125",
           "Fraction of a class's channels removed per step">,
    Option<"minChannels", "min-channels", "int64_t", /*default=*/"4",
           "Channels a class keeps at least">,
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs (counted)">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Every buffer takes a multiple of this many arena bytes">,
  ];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def ReadInputRows : Pass<"pex-read-input-rows", "func::FuncOp"> {
  let summary = "Take the model's input from the application, row by row";
  let description = [{
    Replaces the input argument of a public function (a model) by
    `pex.read_rows` of all its rows: the application hands the rows over
    (`pexc --io=stream`) and the input's storage becomes a buffer of the
    plan like any other, or, once `pex-stream` takes the read into a stream,
    a line buffer of the rows its reader still needs. When the input's only
    use reshapes it to NHWC (an audio model's flat features), the rows are
    those of the reshaped tensor: the same bytes. The model must have one
    input of rank 2 or more; the function loses that argument.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::pex::PexDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ThreadVariables : Pass<"pex-thread-variables", "ModuleOp"> {
  let summary = "Make the state a model keeps between runs an argument and a result";
  let description = [{
    A mutable `ml_program.global` a function stores to is state kept between
    runs (TFLite's variable tensors, as the importers emit them; TOSA's
    `tosa.variable`, after upstream `tosa-to-mlprogram`). In the one
    function that uses it, the loads before the store become one new
    argument (the value the run starts from) and the store one new result
    (the value it leaves), both marked `pex.variable = @name`; loads after
    the store take the stored value. A global nobody stores to becomes an
    argument only (read where it is). A new value the body does not compute
    into a buffer of its own (an argument, a constant, a view of either) or
    that the function also returns is copied (`tosa.identity`) into the
    state's result. Globals no function uses any more are erased. The
    planner then places the result like any buffer, and
    pex-materialize-arena keeps the global apart from the arena
    (docs/memory-model.md, State kept between runs).

    Refused with a located error: a global used by two functions, accessed
    inside a region (a loop's body), stored twice in a run, without a static
    shape, or with an initial value that is not one repeated element (a
    reset fills the state).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::ml_program::MLProgramDialect",
                           "::mlir::tosa::TosaDialect"];
}

def WriteOutputRows : Pass<"pex-write-output-rows", "func::FuncOp"> {
  let summary = "Hand the model's output to the application, row by row";
  let description = [{
    Replaces the result of a public function (a model) by `pex.write_rows`
    of all its rows at the end: the application receives the rows
    (`pexc --io=stream`) and the output's storage becomes a buffer of the
    plan like any other, or, once `pex-stream` takes the write into a
    stream, a line buffer of one row. The rows are dimension 1 of an output
    of rank 3 or more; an output of lower rank is one row. The model must
    have one static output that it computes (not its input) and that
    nothing else reads; the function loses that result.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::pex::PexDialect"];
}

def Stream : Pass<"pex-stream", "func::FuncOp"> {
  let summary = "Run chains of operators row by row through line buffers";
  let description = [{
    Wraps chains of NHWC operators (each reading only the previous one's
    result, which nothing else reads) into `pex.stream`s where that lowers
    the schedule's peak: the tensors inside a stream exist only as line
    buffers of the rows their reader's window still needs (see
    `include/pex/Analysis/RowStreaming.h`). Candidate sub-chains are
    measured with the memory model on a copy of the function; the best is
    kept, until no stream lowers the peak. Records the line buffers' rows
    (`line_rows`); `pex-plan-arena` places them.

    With an arena budget, streams cost instructions that only a budget
    which cannot be met otherwise justifies: they are added, best first,
    only until the function fits (with the channel splitting
    `pex-partition` will choose, when `partial`); a function that fits
    without them gets none.
  }];
  let options = [
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "Count the function's inputs and outputs">,
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Bytes every buffer is rounded up to">,
    Option<"arenaBudget", "arena-budget", "int64_t", /*default=*/"0",
           "Add streams only until the peak is at most this many bytes "
           "(0: wherever a stream lowers the peak)">,
    Option<"partial", "partial", "bool", /*default=*/"true",
           "Channel splitting follows (pex-partition): the budget counts "
           "what it saves">,
    Option<"maxStates", "max-states", "unsigned", /*default=*/"4096",
           "Sets of executed operators kept per layer when scheduling the "
           "channel splitting">,
  ];
  let dependentDialects = ["::mlir::pex::PexDialect"];
}

def LowerStreams : Pass<"pex-lower-streams", "func::FuncOp"> {
  let summary = "Lower pex.stream to loops over rows through line buffers";
  let description = [{
    Rewrites every `pex.stream` as the schedule of `RowStreaming.h`: each
    row an operator computes is its logical operator restricted to a window
    of input rows (padding completed per row, `RowWindowOpInterface`), read
    from the stream's input or from the previous operator's line buffer and
    `tensor.insert_slice`d into its own line buffer or the stream's result;
    `pex.shift_rows` drops the rows no window reads again. Steps that repeat
    the same actions become one `scf.for` over rows carrying the line
    buffers, the first and last rows (where windows are clipped) are
    straight-line code. Line buffers are `pex.buffer`s at the placements
    `pex-plan-arena` recorded on the body's operations. Fails when the
    stream's `line_rows` are not those of its schedule.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LowerGroups : Pass<"pex-lower-groups", "func::FuncOp"> {
  let summary = "Lower pex.group to loops over channel slices";
  let description = [{
    Rewrites every `pex.group` as an `scf.for` over its full slices on
    tensor slices (`tensor.extract_slice` of the sliced operands and of the
    constants `pex.slice` cuts), followed by the remainder slice, peeled
    with its own static shapes when the slice count does not divide the
    channels. Assembled results are `tensor.insert_slice`d into loop-carried
    tensors; accumulators are loop-carried tensors that start at zero and to
    which each slice's contribution is added (`tosa.add`, fused with the
    operator that computes it into one in-place kernel); the epilogue runs
    after the remainder. After bufferization the tensors inside the group
    exist only at slice size.
    A grouped convolution sliced to one group becomes a `tosa.conv2d` (the
    operator's canonicalization).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::tosa::TosaDialect"];
}

def DepthwiseFiltersToConv
    : Pass<"pex-depthwise-filters-to-conv", "func::FuncOp"> {
  let summary = "Run a channel multiplier's filters over one plane as a conv2d";
  let description = [{
    A depthwise convolution over one integer input channel (a grayscale
    image's or a spectrogram's first layer) computes its M filters over one
    plane: the sums of a `tosa.conv2d` with weights `[M, KH, KW, 1]`, taps in
    the same order, so the bits are the same. As a conv2d the packed int8
    kernels read each receptive field once for all the filters; the depthwise
    kernels read it once per filter. Runs after `pex-lower-groups` and
    `pex-lower-streams`, on the filters each kernel computes: a partial-
    execution slice of fewer than five filters stays depthwise (one filter
    would be padded to a channel pair and copy every field for itself; up to
    four go to the planar filter, which the depthwise 3x3 kernels beat).
    Constant weights, whole or sliced along the filters, only.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::tosa::TosaDialect"];
}

def FormKernels : Pass<"pex-form-kernels", "func::FuncOp"> {
  let summary = "Wrap each logical operator in a pex.kernel";
  let description = [{
    Partitions every block of the function (its body and the loops made by
    `pex-lower-groups`) into logical operators, the same partition the
    memory model counts (docs/memory-model.md), and wraps each in a
    destination-passing `pex.kernel`. A kernel's destination follows the
    planner's record: the operand with the result's placement (in place), a
    `pex.buffer` at the placement (marked `pex.over_consumed_input` when
    planned over an input at least as wide), or an empty tensor for a result
    the arena does not hold. Reshapes become tensor collapse/expand views and the remaining
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
    instead; output parameters are marked `pex.output`. Every remaining
    allocation is an activation buffer for the arena planner.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

def PlanArena : Pass<"pex-plan-arena", "func::FuncOp"> {
  let summary = "Place every buffer of the schedule in the static arena";
  let description = [{
    The planner's last decision, recorded in the IR. Computes the liveness
    of the function's schedule as the IR records it (the order of the body,
    the groups, the results written in place over an input: see
    docs/memory-model.md), packs the storages in one arena with every
    offset and size aligned (an element-wise result over a wider input at
    that input's offset where the bytes are free, marked
    `pex.over_consumed_input`), and records each buffer's `#pex.placement`
    (offset, exact size, lifetime in steps): on the operation computing it,
    in `pex.placements` and `pex.accumulator_placements` on a group or a
    stream (line buffers on the operation whose rows they hold), on a
    function argument (the model's input, with `arena-io`). A loop carrying
    a state from its value before the run, which nothing else reads, is
    placed in the state's global (`state = @name`: no arena bytes, no copy
    after the run); a loop's carried value the function returns is placed
    whoever holds the output. The function
    gets `#pex.arena` (size, alignment, exact peak, aligned peak) and
    `pex.first_fit_size`, the size TensorFlow Lite Micro's greedy planner
    would need for the same buffers. The lowering carries out the
    placements (`pex-lower-groups`, `pex-form-kernels`, `pex-bufferize`,
    `pex-materialize-arena`) without deciding anything that changes a
    lifetime. `strategy=first-fit` is TensorFlow Lite Micro's planner
    (largest first, lowest offset); `search` (default) tries several orders
    and a bounded local search, stopping at the aligned peak, which is what
    `pex-reorder` and `pex-partition` minimise. With `arena-budget`, fails
    when the placed arena exceeds it.

    With `pools` (`NAME:BYTES[:SECTION]`, fastest first), the arena is split
    over memory pools: each storage goes, in decreasing order of its
    estimated accesses per byte, to the fastest pool where it still fits,
    never over a capacity; each placement names its `pool`, and the
    function gets `pex.pools` (one `#pex.pool` each, with the bytes used)
    and a `#pex.arena` whose size is the pools' sum. Fails, naming the peak
    step, when the pools cannot hold the buffers.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Alignment of every buffer offset and size, in bytes">,
    Option<"strategy", "strategy", "std::string", /*default=*/"\"search\"",
           "Placement: first-fit (TFLite Micro) or search">,
    Option<"arenaIO", "arena-io", "bool", /*default=*/"false",
           "The arena holds the function's inputs and outputs">,
    Option<"arenaBudget", "arena-budget", "int64_t", /*default=*/"0",
           "Fail when the arena exceeds this many bytes (0: no budget)">,
    ListOption<"pools", "pools", "std::string",
               "Memory pools NAME:BYTES[:SECTION], fastest first">,
  ];
  let dependentDialects = ["::mlir::pex::PexDialect"];
}

def MaterializeArena : Pass<"pex-materialize-arena", "ModuleOp"> {
  let summary = "Make the planned arena and every buffer a view of it";
  let description = [{
    Carries out pex-plan-arena's record after bufferization: one
    `memref.global` arena (as large as the largest function's plan, with its
    `#pex.arena` and `pex.first_fit_size`), and every `memref.alloc` replaced
    by a `memref.view` of the arena at the offset of its `#pex.placement`
    (or by the state's global, for a placement in a state).
    An argument with a placement (the model's input or output, when the
    arena holds them) becomes a view marked `pex.io` with its role
    ("input", "output") and is removed; `pex-export-entry-point` gives it an
    accessor. An allocation without a placement is an internal error: a
    lowering step made a buffer the plan does not have. With `external`,
    the arena is a declaration the application defines (so it can choose
    the SRAM bank or section).

    A function planned with memory pools (`pex.pools`) gets one global per
    pool that holds buffers, `SYMBOL_POOL`, with its `#pex.pool`; views
    are of their placement's pool. The module then carries `#pex.arena`
    (the pools' sum) and, when pools have linker sections, `pex.sections`
    (section by symbol), which `pex-annotate-llvm-symbols` sets on the
    LLVM globals.
  }];
  let options = [
    Option<"external", "external", "bool", /*default=*/"false",
           "Declare the arena for the application to define">,
    Option<"symbol", "symbol", "std::string", /*default=*/"\"pex_arena\"",
           "Name of the arena symbol">,
  ];
  let dependentDialects = ["::mlir::pex::PexDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def VerifyArena : Pass<"pex-verify-arena", "ModuleOp"> {
  let summary = "Check that no two live arena buffers overlap";
  let description = [{
    An independent check of a planned module: every buffer is a view of the
    arena (or a state's global, which only its loop writes) inside its
    bounds and inside its recorded placement, no heap
    allocation remains, and no two buffers that are live at the same time
    (lifetimes recomputed here from every use, through any operation that
    derives a memref from a buffer and through loops) share a byte.
  }];
}

#endif // PEX_TRANSFORMS_PASSES_TD
