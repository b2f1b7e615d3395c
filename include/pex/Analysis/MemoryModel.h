//===- MemoryModel.h - Peak SRAM of a schedule ------------------*- C++ -*-===//
//
// The one model of memory that every Pex pass asks: for a function and an
// execution order, which buffers are live at each step and how many bytes
// they hold. See docs/memory-model.md.
//
// * A unit is what the schedule orders: a logical operator (an anchor and
//   its fused element-wise epilogue, see LogicalOperators.h) or a whole
//   pex.group. A group expands into internal steps: its body's logical
//   operators (run once per slice) followed by its epilogue's.
// * A buffer is an activation tensor: a function argument or a unit's
//   result. Views (reshape) share their source's buffer; constants live in
//   flash and are not buffers. Inside a group, slice-sized values and
//   accumulators are buffers of the group.
// * A buffer is live from the step that writes it to its last reader. Group
//   bodies are loops: a buffer from outside that the body reads, and any
//   result or accumulator the body writes, is live for the whole body.
// * An element-wise unit whose input dies at it writes its output over that
//   input (in place) when they have the same size and neither is the
//   function's input or output. A group's epilogue does the same over a
//   whole input or its accumulator.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_MEMORYMODEL_H
#define PEX_ANALYSIS_MEMORYMODEL_H

#include "pex/Analysis/LogicalOperators.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>

namespace mlir::pex {

class GroupOp;

/// What the model counts.
struct MemoryModelOptions {
  /// Count the function's inputs and outputs (the caller's buffers).
  bool countIO = true;
};

class MemoryModel {
public:
  /// An activation tensor's storage.
  struct Buffer {
    /// The value that owns the storage (views of it share the buffer).
    Value value;
    int64_t bytes = 0;
    /// Producing unit; none for function arguments.
    std::optional<unsigned> producer;
    /// Units that read the buffer, each once, in no particular order.
    SmallVector<unsigned> consumers;
    bool isArgument = false;
    /// Returned by the function: live until the last step.
    bool isResult = false;
    /// A group's full-size accumulator of its consumer's result.
    bool isAccumulator = false;
    /// For buffers inside a group: the group's unit and the internal steps
    /// that write and last read it (loop rule applied).
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
    /// dies at that step and neither is the function's input or output.
    llvm::DenseMap<unsigned, unsigned> inPlaceOver;
  };

  /// A schedulable unit.
  struct Unit {
    LogicalOperator op;
    SmallVector<unsigned> inputs;
    SmallVector<unsigned> outputs;
    /// An input the output may overwrite when the input dies at this unit.
    std::optional<unsigned> inPlaceInput;
    /// The inputs the anchor reads (the others are read by the fused
    /// element-wise operators).
    SmallVector<unsigned> anchorInputs;
    /// Groups only: how their internal steps use memory.
    std::shared_ptr<const GroupProfile> group;
    int64_t macs = 0;

    Operation *getOperation() const { return op.getRepresentative(); }
    unsigned getNumSteps() const { return group ? group->steps.size() : 1; }
  };

  /// One step of an evaluated order.
  struct Step {
    unsigned unit;
    /// Internal step of a group unit (0 otherwise).
    unsigned internalStep = 0;
    int64_t liveBytes = 0;
    /// The logical operator executed at this step.
    const LogicalOperator *op = nullptr;
  };

  /// The memory use of one execution order.
  struct Evaluation {
    SmallVector<unsigned> order;
    SmallVector<Step> steps;
    /// Per buffer: inclusive step interval; buffers written in place over
    /// another share its storage and point to it in `storageOf`.
    SmallVector<std::pair<unsigned, unsigned>> lifetimes;
    SmallVector<unsigned> storageOf;
    int64_t peakBytes = 0;
    unsigned peakStep = 0;

    bool isLive(unsigned buffer, unsigned step) const {
      return lifetimes[buffer].first <= step && step <= lifetimes[buffer].second;
    }
    /// The operation diagnostics about the peak point at: the peak step's,
    /// or `func` when the function has no step (it only returns an input).
    Operation *getPeakOp(func::FuncOp func) const {
      return steps.empty() ? func.getOperation()
                           : steps[peakStep].op->getRepresentative();
    }
  };

  using Options = MemoryModelOptions;

  /// How pex-partition would run a chain of units as a group: `chain` lists
  /// the units in order (the first produces or receives the slices, the
  /// others are channel-local, and with `accumulates` the last consumes the
  /// slices into an accumulator and applies its epilogue after the last
  /// slice); `channels` are cut into slices of `sliceSize`.
  struct GroupPlan {
    SmallVector<unsigned> chain;
    bool accumulates = false;
    int64_t channels = 0;
    int64_t sliceSize = 0;
  };

  /// Builds the model of `func`; emits a diagnostic and fails on IR the model
  /// cannot represent (dynamic shapes, control flow, nested groups).
  static FailureOr<MemoryModel> build(func::FuncOp func, Options options = {});

  /// The model of the same function with `plan`'s chain run as a group: the
  /// figures the IR that pex-partition builds for `plan` will have. The
  /// chain's units are replaced by one group unit, placed where the chain's
  /// last unit was (unit indices after it shift down by the chain's length
  /// minus one). The result describes no IR (its operations are the chain's).
  MemoryModel withGroup(const GroupPlan &plan) const;
  /// Where a unit of this model is in `withGroup(plan)`'s model.
  static unsigned mapUnit(const GroupPlan &plan, unsigned unit);

  func::FuncOp getFunction() const { return func; }
  ArrayRef<Unit> getUnits() const { return units; }
  ArrayRef<Buffer> getBuffers() const { return buffers; }
  const Options &getOptions() const { return options; }

  /// The order of the units in the function body.
  SmallVector<unsigned> getProgramOrder() const;
  /// Evaluates `order` (a topological order of all units).
  Evaluation evaluate(ArrayRef<unsigned> order) const;

  /// Bytes live while `unit` runs after the units in `executed` (a
  /// downward-closed set), given `liveBefore` bytes live before it: the
  /// incremental form of `evaluate` used by the scheduler. Also returns the
  /// bytes live after it.
  std::pair<int64_t, int64_t> getUnitCost(unsigned unit,
                                          const llvm::BitVector &executed,
                                          int64_t liveBefore) const;
  /// Bytes live before any unit runs (the counted function arguments).
  int64_t getInitialBytes() const;

  /// Bytes that must be live at some step in any order: the largest working
  /// set of a single unit (its inputs, outputs and internal buffers).
  int64_t getLowerBound() const;
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

private:
  MemoryModel() = default;
  bool counts(const Buffer &buffer) const {
    return options.countIO || !buffer.isIO();
  }
  bool isLastConsumer(unsigned buffer, unsigned unit,
                      const llvm::BitVector &executed) const;
  /// The internal step at which `output` is written over the whole input
  /// `input` if `input` dies at the group (the caller checks that).
  std::optional<unsigned> getInPlaceInputStep(const GroupProfile &profile,
                                              unsigned output,
                                              unsigned input) const;
  /// Fills a group profile's per-step bytes from its own buffers'
  /// intervals (internal steps) and its outputs' first steps.
  void finishGroupProfile(
      GroupProfile &profile,
      const llvm::DenseMap<unsigned, std::pair<unsigned, unsigned>>
          &ownIntervals);

  func::FuncOp func;
  Options options;
  std::vector<Unit> units;
  SmallVector<Buffer> buffers;
  llvm::DenseMap<Operation *, unsigned> unitOfOp;
  int64_t flashBytes = 0;

  friend class MemoryModelBuilder;
};

} // namespace mlir::pex

#endif // PEX_ANALYSIS_MEMORYMODEL_H
