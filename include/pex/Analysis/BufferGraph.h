//===- BufferGraph.h - Activation buffers and who reads them ----*- C++ -*-===//
//
// The buffers of a function and the units that produce and read them, built
// from the IR once: what every schedule of the function is made of. How many
// bytes are live at each step of one schedule is Liveness.h's question; what
// the graph would look like with a chain run as a group is the partitioner's
// (Partitioning.h). See docs/memory-model.md.
//
// * A unit is what the schedule orders: a logical operator (an anchor and
//   its fused element-wise epilogue, see LogicalOperators.h) or a whole
//   pex.group, pex.stream or scf.for. A group expands into internal steps:
//   its body's logical operators (run once per slice) followed by its
//   epilogue's; a stream into its operators (run once per row, see
//   RowStreaming.h); a loop into its body's (run once per iteration), its
//   carried values one storage each, live across the loop.
// * A buffer is an activation tensor: a function argument or a unit's
//   result. Views (reshape) share their source's buffer; constants live in
//   flash and are not buffers. Inside a group, slice-sized values and
//   accumulators are buffers of the group; inside a stream, line buffers
//   and the accumulator of a last operator reducing all rows.
// * A buffer's size is what the arena gives it: its bytes rounded up to the
//   arena's alignment, so that every figure computed from the graph is the
//   arena's.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_BUFFERGRAPH_H
#define PEX_ANALYSIS_BUFFERGRAPH_H

#include "pex/Analysis/LogicalOperators.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>

namespace mlir::pex {

class GroupOp;

struct BufferGraphOptions {
  /// Count the function's inputs and outputs (the caller's buffers
  /// otherwise).
  bool countIO = true;
  /// Every buffer takes a multiple of this many bytes (the arena's
  /// alignment).
  int64_t alignment = 1;
};

class BufferGraph {
public:
  /// An activation tensor's storage.
  struct Buffer {
    /// The value that owns the storage (views of it share the buffer).
    Value value;
    /// Bytes of the tensor, and the bytes it takes in the arena (rounded up
    /// to the alignment): every sum of live bytes counts `bytes`.
    int64_t exactBytes = 0;
    int64_t bytes = 0;
    /// Producing unit; none for function arguments.
    std::optional<unsigned> producer;
    /// Units that read the buffer, each once, in no particular order.
    SmallVector<unsigned> consumers;
    bool isArgument = false;
    /// Returned by the function: live until the last step.
    bool isResult = false;
    /// A variable's value after the run (pex-thread-variables): a result
    /// the arena holds wherever the model's input and output are, unless
    /// computed in the variable's global.
    bool isState = false;
    /// A loop's carried value the function returns whose next value an
    /// operator of the body computes (an RNN's last h): the lowering needs a
    /// planned storage to carry it in, whoever holds the model's output
    /// (bufferization then makes it the caller's output when that is not in
    /// the arena). A sequence assembled by slices needs none.
    bool isCarriedResult = false;
    /// A variable's new value computed in the variable's own global, not in
    /// the arena: a loop's carried value started from the variable's value
    /// before the run, which nothing else reads (findStateComputedInPlace),
    /// or an operator run after the other readers of that value
    /// (findStateWrittenAfterReaders).
    FlatSymbolRefAttr computedInState;
    /// The result of a concatenation reading this buffer (directly, or
    /// through reshapes nothing else reads), when the buffer's producer can
    /// compute it directly in its slice of that result and its other readers
    /// can read it there (getConcatenationSlice,
    /// findOperandsInConcatenation): the two may share the concatenation's
    /// storage, which the liveness decides.
    std::optional<unsigned> concatenatedInto;
    /// A group's full-size accumulator of its consumer's result.
    bool isAccumulator = false;
    /// The rows of a stream's intermediate tensor its reader still needs.
    bool isLineBuffer = false;
    /// A stream's accumulator of the rows its last operator reduces.
    bool isRowAccumulator = false;
    /// For buffers inside a group, stream or loop: its unit and the internal
    /// steps that write and last read it (loop rule applied).
    std::optional<unsigned> ownerGroup;
    unsigned internalFirst = 0, internalLast = 0;

    bool isIO() const { return isArgument || isResult; }
  };

  /// How a group's internal steps use memory, relative to the group's start.
  struct GroupProfile {
    /// Internal steps: the body's logical operators, then the epilogue's.
    SmallVector<LogicalOperator> steps;
    unsigned numBodySteps = 0;
    /// Per internal step: bytes of the group's own buffers and outputs live.
    SmallVector<int64_t> internalBytes;
    /// Per input buffer: the last internal step that needs it.
    llvm::DenseMap<unsigned, unsigned> inputLastStep;
    /// Per output buffer: the first internal step at which it is live.
    llvm::DenseMap<unsigned, unsigned> outputFirstStep;
    /// Buffers owned by the group (slices, accumulators).
    SmallVector<unsigned> ownBuffers;
    /// Per output buffer written by the epilogue: the buffer (a whole input
    /// or the accumulator) its first step writes it over, when that buffer
    /// dies at that step and neither is the function's input or output. In
    /// a loop, per temporary: the temporary its step writes it over.
    llvm::DenseMap<unsigned, unsigned> inPlaceOver;
    /// Per temporary of a group's or a loop's body: a temporary of wider
    /// elements that dies at its step, which its kernel writes it over from
    /// the same first byte (getOverwritableOperand: a softmax's f32
    /// probabilities quantised to int8). Unlike inPlaceOver's pairs, the two
    /// keep storages of their own (ScheduleLiveness::Overwrite).
    llvm::DenseMap<unsigned, unsigned> overWiderTemporary;
    /// A stream's result written row by row over the rows of its input that
    /// no later action reads, starting `offset` bytes (0 or below) from the
    /// input's first byte (RowStreaming.h), when the input dies at the
    /// stream.
    struct ResultOverInput {
      unsigned result, input;
      int64_t offset;
    };
    std::optional<ResultOverInput> resultOverInput;
  };

  /// A schedulable unit.
  struct Unit {
    LogicalOperator op;
    SmallVector<unsigned> inputs;
    SmallVector<unsigned> outputs;
    /// An input the output may overwrite when the input dies at this unit.
    std::optional<unsigned> inPlaceInput;
    /// An input of wider elements the output may be written over from the
    /// same first byte when the input dies at this unit
    /// (getOverwritableOperand); the input may be the model's (the run
    /// consumes it), not a returned value.
    std::optional<unsigned> overwritableInput;
    /// The inputs the anchor reads (the others are read by the fused
    /// element-wise operators).
    SmallVector<unsigned> anchorInputs;
    /// Units that must run before this one though it reads none of their
    /// outputs: the other readers of a variable's value before the run,
    /// which this unit overwrites with the new value in the variable's
    /// global.
    SmallVector<unsigned> runsAfter;
    /// Groups, streams and loops only: how their internal steps use memory.
    std::shared_ptr<const GroupProfile> group;
    int64_t macs = 0;

    Operation *getOperation() const { return op.getRepresentative(); }
    unsigned getNumSteps() const { return group ? group->steps.size() : 1; }
  };

  using Options = BufferGraphOptions;

  /// Builds the graph of `func`; emits a diagnostic and fails on IR it cannot
  /// represent (dynamic shapes, control flow other than a loop with constant
  /// bounds carrying tensors, nested groups and loops).
  static FailureOr<BufferGraph> build(func::FuncOp func, Options options = {});
  /// The same for a pass that changes the schedule: fails on a function
  /// whose arena is already planned (pex-plan-arena), which must not change.
  static FailureOr<BufferGraph> buildUnplanned(func::FuncOp func,
                                               Options options = {});

  func::FuncOp getFunction() const { return func; }
  ArrayRef<Unit> getUnits() const { return units; }
  ArrayRef<Buffer> getBuffers() const { return buffers; }
  const Options &getOptions() const { return options; }
  /// Whether the schedule's live bytes include `buffer` (inputs and outputs
  /// count only with `countIO`; a variable's new value and a returned loop's
  /// carried value always do, unless computed in the variable's global).
  bool counts(const Buffer &buffer) const {
    if (buffer.computedInState)
      return false;
    return options.countIO || !buffer.isIO() || buffer.isState ||
           buffer.isCarriedResult;
  }

  /// Whether `unit` computes a variable's new value in the variable's global:
  /// it stays a unit of its own, not a member of a group or stream (which
  /// assemble their results in storage of their own).
  bool computesInState(unsigned unit) const {
    return llvm::any_of(units[unit].outputs, [&](unsigned output) {
      return static_cast<bool>(buffers[output].computedInState);
    });
  }

  /// The order of the units in the function body, except that a unit with
  /// Unit::runsAfter waits for those units, and its readers for it.
  SmallVector<unsigned> getProgramOrder() const;
  /// Bytes of distinct constants (weights in flash).
  int64_t getFlashBytes() const { return flashBytes; }
  /// Multiply-accumulates of the whole function (groups counted over all
  /// their slices).
  int64_t getMacs() const;
  /// Bytes of the function's inputs and outputs.
  int64_t getIOBytes() const;
  /// Counted bytes of inputs the function also returns: bufferization copies
  /// them into the output after the last step, when both exist.
  int64_t getReturnedInputBytes() const;

  /// A short description of a buffer for reports ("tosa.conv2d result").
  std::string describeBuffer(unsigned buffer) const;
  /// The unit that owns `op` (a member of its logical operator), if any.
  std::optional<unsigned> getUnitOf(Operation *op) const;
  /// The buffer holding a value of the function's body (through views), if
  /// it is an activation.
  std::optional<unsigned> getBufferOf(Value value) const;

private:
  BufferGraph() = default;
  /// Fills a group profile's per-step bytes from its own buffers'
  /// intervals (internal steps) and its outputs' first steps.
  void finishGroupProfile(
      GroupProfile &profile,
      const llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>>
          &ownIntervals);
  /// The bytes a tensor of `exactBytes` takes in the arena.
  int64_t getAlignedBytes(int64_t exactBytes) const;

  func::FuncOp func;
  Options options;
  std::vector<Unit> units;
  SmallVector<Buffer> buffers;
  llvm::DenseMap<Operation *, unsigned> unitOfOp;
  llvm::DenseMap<Value, unsigned> bufferOfValue;
  int64_t flashBytes = 0;

  friend class BufferGraphBuilder;
  /// The partitioner's what-if: the graph with a chain run as a group.
  friend class GroupSimulation;
};

} // namespace mlir::pex

#endif // PEX_ANALYSIS_BUFFERGRAPH_H
