//===- PexOps.td - Pex operations --------------------------*- tablegen -*-===//

#ifndef PEX_DIALECT_PEX_IR_PEXOPS_TD
#define PEX_DIALECT_PEX_IR_PEXOPS_TD

include "pex/Dialect/Pex/IR/PexBase.td"
include "pex/Dialect/Pex/IR/PexAttrs.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ViewLikeInterface.td"

//===----------------------------------------------------------------------===//
// pex.group
//===----------------------------------------------------------------------===//

def Pex_RemainderPosition : I32EnumAttr<"RemainderPosition",
    "where the smaller last slice of a group runs", [
  I32EnumAttrCase<"First", 0, "first">,
  I32EnumAttrCase<"Last", 1, "last">
]> {
  let cppNamespace = "::mlir::pex";
}

def Pex_GroupOp : Pex_Op<"group", [
    AttrSizedOperandSegments, RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<RegionBranchOpInterface,
                              ["getRegionInvocationBounds"]>]> {
  let summary = "Operators run as a loop over channel slices";
  let description = [{
    A partial-execution group runs its `body` region once per channel slice.
    The channel dimension (`axis` of every sliced activation) has `channels`
    elements and is cut into `slices` slices of `ceil(channels / slices)`
    channels; the last slice holds the remainder and must not be empty.

    Operands:
    * `whole` activations are passed to every iteration unchanged;
    * `sliced` activations are cut along `axis`: iteration `i` sees channels
      `[i * S, i * S + s_i)` where `S` is the slice size and `s_i` is `S`,
      or the remainder for the last slice.

    The body's block arguments are the whole operands followed by the sliced
    operands typed at the nominal slice size `S`. Constants (weights, biases,
    per-channel quantisation parameters) and views of them (reshapes,
    slices) are used from above; those that
    vary with the slice are cut with `pex.slice`. Activations must be
    operands: the body may not capture other values from above, so the
    group's data flow is explicit.

    The body ends in `pex.partial_yield`:
    * `assemble` values are slices (of size `S` along `axis`) of results that
      are assembled slice by slice: slice `i` is written at channel `i * S`;
    * `accumulate` values are each slice's contribution to a full-size
      accumulator. Accumulators start at zero and sum the contributions of all
      slices (integer accumulation is exact; float accumulation changes the
      order of the additions).

    The optional `epilogue` region runs once after the last slice. Its block
    arguments are the final accumulators followed by the whole operands (for
    example a residual partner) and it ends in `pex.yield`. Without an
    epilogue the accumulators are results themselves.

    Results: the assembled results (full size along `axis`), followed by the
    epilogue's results (or the accumulators).

    Every iteration of the remainder slice executes the body with each
    slice-sized dimension (block arguments, `pex.slice` results and the values
    computed from them) shrunk to the remainder; `pex-lower-groups` makes that
    explicit. `remainder` records whether that slice runs before the others
    or after them (the default): the planner's choice, which lowering
    follows.

    Control flow (`RegionBranchOpInterface`): the body runs exactly `slices`
    times, then the epilogue once, then control returns to the parent. Only
    the epilogue forwards values (its `pex.yield` operands become the results
    after the assembled ones); the body's arguments, the epilogue's arguments
    and the assembled results are defined by the group itself (slices of its
    operands, sums of contributions, concatenations of slices), not forwarded
    along an edge.

    ```mlir
    %y = pex.group axis = 3, channels = 96, slices = 3
        whole(%x : tensor<1x8x8x16xi8>) -> (tensor<1x8x8x24xi8>) {
    ^bb0(%xw: tensor<1x8x8x16xi8>):
      %w1 = pex.slice %expand_weights[0]
          : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
      ...                                  // expand, depthwise on the slice
      %p = tosa.conv2d %d, %w3, %zero_bias, ...
          : (...) -> tensor<1x8x8x24xi32>  // project: input channels of slice
      pex.partial_yield accumulate(%p : tensor<1x8x8x24xi32>)
    } epilogue {
    ^bb0(%acc: tensor<1x8x8x24xi32>, %xw: tensor<1x8x8x16xi8>):
      %r = tosa.rescale %acc, ...          // bias, requantise, clamp
      pex.yield %r : tensor<1x8x8x24xi8>
    }
    ```
  }];

  let arguments = (ins
    Variadic<AnyRankedTensor>:$whole,
    Variadic<AnyRankedTensor>:$sliced,
    ConfinedAttr<I64Attr, [IntNonNegative]>:$axis,
    ConfinedAttr<I64Attr, [IntPositive]>:$channels,
    ConfinedAttr<I64Attr, [IntPositive]>:$slices,
    DefaultValuedAttr<Pex_RemainderPosition,
                      "::mlir::pex::RemainderPosition::Last">:$remainder);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body, MaxSizedRegion<1>:$epilogue);

  let assemblyFormat = [{
    `axis` `=` $axis `,` `channels` `=` $channels `,` `slices` `=` $slices
    (`,` `remainder` `=` $remainder^)?
    (`whole` `(` $whole^ `:` type($whole) `)`)?
    (`sliced` `(` $sliced^ `:` type($sliced) `)`)?
    (`->` `(` type($results)^ `)`)? $body (`epilogue` $epilogue^)? attr-dict
  }];

  let extraClassDeclaration = [{
    /// Channels per slice (all slices but possibly the last).
    int64_t getSliceSize() {
      return (getChannels() + getSlices() - 1) / getSlices();
    }
    /// Channels of the last slice.
    int64_t getLastSliceSize() {
      return getChannels() - (getSlices() - 1) * getSliceSize();
    }
    /// The body's terminator.
    PartialYieldOp getPartialYield();
    /// Results assembled from slices, then epilogue results (or accumulators).
    ValueRange getAssembledResults();
    ValueRange getFinalResults();
    bool hasEpilogue() { return !getEpilogue().empty(); }
    /// `type` with its `axis` dimension set to `size`.
    static RankedTensorType withChannels(RankedTensorType type, int64_t axis,
                                         int64_t size);
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.stream
//===----------------------------------------------------------------------===//

def Pex_StreamOp : Pex_Op<"stream", [RecursiveMemoryEffects]> {
  let summary = "A chain of operators run row by row through line buffers";
  let description = [{
    A row stream computes a chain of NHWC operators one output row of its
    last operator at a time. Each tensor between two operators of the chain
    never exists in full: it lives in a line buffer that holds only the rows
    its reader's window still needs, `line_rows[i]` rows for the result of
    the chain's operator `i` (one entry per operator but the last). Every row
    of every operator is computed once: no multiply-accumulate is repeated.

    The body holds the chain at full size, as if it ran unstreamed: its
    logical operators (an anchor and its fused element-wise operators) form
    a chain in which each operator reads the previous operator's result
    (the first reads the block argument, which is the stream's input, read
    whole); an operator after the first may also read the block argument
    through an element-wise member at its own rows (a residual's skip). A stream without input starts with
    `pex.read_rows` of all the model's input rows instead: its line buffer
    receives the application's rows one at a time, and the input never
    exists in full. The body ends in `pex.yield` of the
    last operator's result, which is assembled row by row into the stream's
    result. A stream without result ends instead with `pex.write_rows` of
    all the last operator's rows to the application (the model's output,
    `pexc --io=stream`) and an empty `pex.yield`: each row goes out as soon
    as it is computed, from a line buffer of one row, and the output never
    exists in full. Constants are used from above. Window operators after the first
    must not skip rows (kernel height at least the stride), so that each
    row an operator computes is read.

    `pex-stream` chooses streams and their line buffers;
    `pex-plan-arena` places each line buffer (the placement on the body
    operation computing it); `pex-lower-streams` makes the loop over rows.

    ```mlir
    %y = pex.stream line_rows = [3]
        (%x : tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> {
    ^bb0(%xs: tensor<1x8x8x16xi8>):
      %a = tosa.conv2d %xs, %w1, ... -> tensor<1x8x8x16xi32>
      %b = tosa.rescale %a, ... -> tensor<1x8x8x16xi8>
      %c = tosa.depthwise_conv2d %b, %w2, ... {pad = 1, 1, 1, 1}
      %d = tosa.rescale %c, ... -> tensor<1x8x8x16xi8>
      pex.yield %d : tensor<1x8x8x16xi8>
    }
    ```
  }];

  let arguments = (ins Optional<AnyStaticShapeTensor>:$input,
                       DenseI64ArrayAttr:$line_rows);
  let results = (outs Optional<AnyStaticShapeTensor>:$result);
  let regions = (region SizedRegion<1>:$body);

  let assemblyFormat = [{
    `line_rows` `=` $line_rows `(` ($input^ `:` type($input))? `)`
    (`->` type($result)^)? $body attr-dict
  }];
  let extraClassDeclaration = [{
    /// The body's view of the input; null for a stream without input.
    ::mlir::Value getInputArgument() {
      return getInput() ? getBody().getArgument(0) : ::mlir::Value();
    }
  }];
  let hasRegionVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.shift_rows
//===----------------------------------------------------------------------===//

def Pex_ShiftRowsOp : Pex_Op<"shift_rows", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Moves a line buffer's rows up, dropping the oldest";
  let description = [{
    Rows `[drop, drop + keep)` of an NHWC line buffer (dimension 1) move to
    rows `[0, keep)`; the rows after them are left undefined. A stream does
    this when its reader's window advances, so that the rows the window
    reads are always contiguous and at fixed positions: the kernels of a
    stream read and write line buffers at constant offsets.

    On tensors the op returns the updated buffer; after bufferisation it
    updates the memref in place and has no result.

    ```mlir
    %l1 = pex.shift_rows %l0 drop 1 keep 2 : tensor<1x3x8x16xi8>
    ```
  }];
  let arguments = (ins AnyTypeOf<[AnyStaticShapeTensor, AnyStaticShapeMemRef]>:$buffer,
                       ConfinedAttr<I64Attr, [IntPositive]>:$drop,
                       ConfinedAttr<I64Attr, [IntPositive]>:$keep);
  let results = (outs Optional<AnyStaticShapeTensor>:$result);
  let assemblyFormat = [{
    $buffer `drop` $drop `keep` $keep attr-dict `:` type($buffer)
    (`->` type($result)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.read_rows
//===----------------------------------------------------------------------===//

def Pex_ReadRowsOp : Pex_Op<"read_rows", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Rows of the model's input, handed over by the application";
  let description = [{
    Fills `buffer` (rows along dimension 1) with the model input's rows
    `[first_row, first_row + R)`, where `R` is the buffer's number of rows:
    the application hands them over when asked (`pexc --io=stream`), so the
    input never has to exist in full. A model reads each input row once, in
    increasing order: a camera or microphone driver can deliver rows as they
    arrive.

    `pex-read-input-rows` replaces the model's input argument by one read of
    all rows; `pex-stream` may take that read into a stream, whose lowering
    reads one row at a time into a line buffer. On tensors the op returns the
    filled buffer; after bufferisation it writes the memref and has no
    result. `pex-export-entry-point` turns it into a call of the
    application's `pex_NAME_read_input_rows(dst, first_row, row_count)`.
    Reading the application's input is a side effect: reads are neither
    merged nor reordered.

    ```mlir
    %rows = pex.read_rows %line rows_from %r : tensor<1x1x96x3xi8> -> tensor<1x1x96x3xi8>
    ```
  }];
  let arguments = (ins AnyTypeOf<[AnyStaticShapeTensor, AnyStaticShapeMemRef]>:$buffer,
                       Index:$first_row);
  let results = (outs Optional<AnyStaticShapeTensor>:$result);
  let assemblyFormat = [{
    $buffer `rows_from` $first_row attr-dict `:` type($buffer)
    (`->` type($result)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.write_rows
//===----------------------------------------------------------------------===//

def Pex_WriteRowsOp : Pex_Op<"write_rows", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "Rows of the model's output, handed to the application";
  let description = [{
    Hands `rows` to the application as the model output's rows
    `[first_row, first_row + R)`: `R` is the number of rows of `rows`
    (dimension 1) when it has rank 3 or more; an output of lower rank (a
    classifier's `[1, N]`) is one row, written at row 0. The application
    receives them when they are ready (`pexc --io=stream`), so the output
    never has to exist in full. A model writes each output row once, in
    increasing order.

    `pex-write-output-rows` replaces the model's result by one write of all
    rows; `pex-stream` may take that write into a stream, whose lowering
    writes each row from a one-row line buffer as soon as it is computed.
    `pex-export-entry-point` turns it into a call of the application's
    `pex_NAME_write_output_rows(src, first_row, row_count)`. Writing the
    application's output is a side effect: writes are neither merged nor
    reordered.

    ```mlir
    pex.write_rows %row rows_from %r : tensor<1x1x96x8xi8>
    ```
  }];
  let arguments = (ins AnyTypeOf<[AnyStaticShapeTensor, AnyStaticShapeMemRef]>:$rows,
                       Index:$first_row);
  let assemblyFormat = [{
    $rows `rows_from` $first_row attr-dict `:` type($rows)
  }];
  let extraClassDeclaration = [{
    /// The output rows written: dimension 1 of rank 3 or more, else one.
    int64_t getRowCount() { return getRowCount(getRows().getType()); }
    /// The rows of an output of type `type` (a shaped type).
    static int64_t getRowCount(::mlir::Type type);
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.grouped_conv2d
//===----------------------------------------------------------------------===//

def Pex_GroupedConv2DOp : Pex_Op<"grouped_conv2d", [Pure]> {
  let summary = "A 2-D convolution whose channels form independent groups";
  let description = [{
    `tosa.conv2d` with groups, which TOSA does not have: the input's `C`
    channels form `G = C / IC` groups of `IC` channels (`IC`: the weights'
    last dimension) and the `OC` output channels `G` groups of `OC / G`;
    output group `g` sums over input group `g` only. Operands, attributes
    and arithmetic are otherwise `tosa.conv2d`'s: NHWC input, `[OC, KH, KW,
    IC]` weights, a bias of `OC` (or one) elements, zero points, `pad`,
    `stride`, `dilation` and `acc_type`.

    The groups are implied by the shapes, so a slice of whole groups (input
    channels, weights and bias cut along the channels) is again a grouped
    convolution, and a slice of one group is a `tosa.conv2d`. When input and
    output groups are equally wide, the operator is channel-local at a
    granularity of one group and partial execution cuts it into groups
    (`pex-partition`, `pex-expand-grouped-convolutions`); no grouped
    convolution is left for code generation.

    ```mlir
    %y = pex.grouped_conv2d %x, %w, %b, %x_zp, %w_zp {acc_type = i32,
        dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
        stride = array<i64: 1, 1>}
        : (tensor<1x8x8x32xi8>, tensor<32x3x3x8xi8>, tensor<32xi32>,
           tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x32xi32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       AnyRankedTensor:$bias, AnyRankedTensor:$input_zp,
                       AnyRankedTensor:$weight_zp,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation, TypeAttr:$acc_type);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $input_zp `,` $weight_zp attr-dict `:`
    functional-type(operands, results)
  }];
  // One group is a `tosa.conv2d`: the form code generation emits.
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// Input channels per group (the weights' last dimension).
    int64_t getGroupInputChannels();
    /// The number of groups.
    int64_t getGroups();
    /// Output channels per group.
    int64_t getGroupOutputChannels();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.slice
//===----------------------------------------------------------------------===//

def Pex_SliceOp : Pex_Op<"slice", [Pure, HasParent<"GroupOp">,
    DeclareOpInterfaceMethods<ViewLikeOpInterface>]> {
  let summary = "The current iteration's channel slice of a constant";
  let description = [{
    Inside a `pex.group` body, yields the slice of `source` along `dim` that
    belongs to the current iteration: elements `[i * S, i * S + s_i)` of
    `dim`, where `source` has the group's `channels` elements along `dim`
    and the result has the slice size `S` (the remainder in the last slice).
    It cuts weights, biases and per-channel quantisation parameters along
    with the activations they apply to: output channels (dimension 0 of
    `tosa.conv2d` weights), input channels (dimension 3) or depthwise
    channels (dimension 2).

    ```mlir
    %w = pex.slice %weights[0] : tensor<96x1x1x16xi8> -> tensor<32x1x1x16xi8>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$source,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$dim);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $source `[` $dim `]` attr-dict `:` type($source) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Terminators
//===----------------------------------------------------------------------===//

def Pex_PartialYieldOp : Pex_Op<"partial_yield", [Pure, Terminator,
    AttrSizedOperandSegments, HasParent<"GroupOp">,
    DeclareOpInterfaceMethods<RegionBranchTerminatorOpInterface>]> {
  let summary = "Ends one slice of a partial-execution group";
  let description = [{
    Terminates a `pex.group` body. `assemble` values are this iteration's
    slice of the results assembled along the group's axis; `accumulate`
    values are this iteration's contribution to the full-size accumulators.

    ```mlir
    pex.partial_yield assemble(%s : tensor<1x8x8x32xi8>)
                      accumulate(%p : tensor<1x8x8x24xi32>)
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$assemble,
                       Variadic<AnyRankedTensor>:$accumulate);
  let assemblyFormat = [{
    (`assemble` `(` $assemble^ `:` type($assemble) `)`)?
    (`accumulate` `(` $accumulate^ `:` type($accumulate) `)`)? attr-dict
  }];
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, ValueRange(), ValueRange()); }]>];
}

def Pex_YieldOp : Pex_Op<"yield", [Pure, Terminator, ReturnLike,
    ParentOneOf<["GroupOp", "KernelOp", "StreamOp"]>]> {
  let summary = "Yields the results of a group epilogue, a kernel body or a stream";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, ValueRange()); }]>];
}

//===----------------------------------------------------------------------===//
// pex.buffer
//===----------------------------------------------------------------------===//

def Pex_BufferOp : Pex_Op<"buffer", [MemoryEffects<[MemAlloc]>]> {
  let summary = "A tensor's storage, where the planner placed it";
  let description = [{
    The destination of a kernel whose result the arena planner
    (`pex-plan-arena`) placed: a tensor with undefined contents whose
    storage is `placement` (offset, size and lifetime in the arena).
    Bufferization turns it into a `memref.alloc` carrying the placement, and
    `pex-materialize-arena` into a view of the arena at that offset. The
    tensor may be smaller than the placement (the remainder slice of a group
    reuses the full slice's storage).
    ```mlir
    %d = pex.buffer <offset = 64, size = 2304, live = [3, 5]>
        : tensor<1x48x48x1xi8>
    ```
  }];
  let arguments = (ins Pex_PlacementAttr:$placement);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = "$placement attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// pex.kernel
//===----------------------------------------------------------------------===//

def Pex_KernelOp : Pex_Op<"kernel", [
    IsolatedFromAbove, SingleBlock,
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "One logical operator, emitted as one loop nest";
  let description = [{
    A kernel is what a microcontroller kernel computes in one pass: an anchor
    operator (a convolution, pooling, reduction, ...) followed by the
    element-wise operators fused into it, such as `tosa.rescale` and
    `tosa.clamp` after an int8 convolution, or the rescale/add/rescale of an
    int8 residual add. The values between the fused operators are never
    materialised: code generation evaluates the chain per output element.

    The body holds the operators at tensor level. Its block arguments are the
    `ins` followed by the destination (`outs`), as tensors; the body yields
    the tensor that is written to the destination. Reading the `outs` block argument
    reads the destination's previous contents, which is how a slice of input
    channels is accumulated in place. Large constants (weights, per-channel
    parameters) are `ins`, so that kernels share them; the body may define
    small constants (zero points, shapes).

    The op is destination-passing: on tensors it returns the updated
    destination; after bufferisation it takes memrefs and has no results.

    ```mlir
    %y = pex.kernel ins(%x, %w, %b : tensor<1x8x8x16xi8>,
                        tensor<24x1x1x16xi8>, tensor<24xi32>)
                    outs(%init : tensor<1x8x8x24xi8>) {
    ^bb0(%xa: tensor<1x8x8x16xi8>, %wa: tensor<24x1x1x16xi8>,
         %ba: tensor<24xi32>, %out: tensor<1x8x8x24xi8>):
      %acc = tosa.conv2d %xa, %wa, %ba, ... -> tensor<1x8x8x24xi32>
      %q = tosa.rescale %acc, ... -> tensor<1x8x8x24xi8>
      %r = tosa.clamp %q {...} -> tensor<1x8x8x24xi8>
      pex.yield %r : tensor<1x8x8x24xi8>
    } -> tensor<1x8x8x24xi8>
    ```
  }];

  let arguments = (ins Variadic<AnyShaped>:$inputs, AnyShaped:$output);
  let results = (outs Optional<AnyRankedTensor>:$result);
  let regions = (region SizedRegion<1>:$body);

  let assemblyFormat = [{
    (`ins` `(` $inputs^ `:` type($inputs) `)`)?
    `outs` `(` $output `:` type($output) `)`
    $body (`->` type($result)^)? attr-dict
  }];

  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() {
      return MutableOperandRange(getOutputMutable());
    }
    YieldOp getYield();
    /// The block argument that reads the destination's previous contents.
    BlockArgument getOutputArgument();
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

#endif // PEX_DIALECT_PEX_IR_PEXOPS_TD
