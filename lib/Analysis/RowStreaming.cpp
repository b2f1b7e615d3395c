//===- RowStreaming.cpp - Running a chain of operators row by row ---------===//

#include "pex/Analysis/RowStreaming.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "pex/Interfaces/RowReductionOpInterface.h"
#include "pex/Interfaces/RowWindowOpInterface.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

bool isNHWC(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getRank() == 4 &&
         tensor.getDimSize(0) == 1;
}

/// Why `op`, reading `activation` (and, if not null, the stream's input
/// `skip` through an element-wise member at its own rows), cannot be a
/// stage; empty when it can.
std::string checkStage(const LogicalOperator &op, Value activation,
                       Value skip) {
  Operation *reader = op.anchor ? op.anchor : op.ops.front();
  for (Operation *member : op.ops) {
    for (Value operand : member->getOperands()) {
      if (operand == activation && member != reader)
        return getOpLabel(member) + " reads the stream's tensor beside " +
               getOpLabel(reader);
      // The skip's rows are those of the member's result, one for one.
      if (skip && operand == skip &&
          (member == op.anchor ||
           cast<ShapedType>(operand.getType()).getShape() !=
               cast<ShapedType>(member->getResult(0).getType()).getShape()))
        return getOpLabel(member) +
               " reads the stream's input other than row for row";
      // Element-wise operands are restricted to rows with the result: a
      // constant that varies along rows cannot be.
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (member != op.anchor && type && type.getRank() == 4 &&
          type.getDimSize(1) != 1 && isConstantValue(operand))
        return getOpLabel(member) + " reads a constant that varies by row";
    }
    for (Type type : member->getResultTypes())
      if (!isNHWC(type))
        return getOpLabel(member) + " does not produce an NHWC tensor";
  }
  auto reduction = dyn_cast_or_null<RowReductionOpInterface>(op.anchor);
  if (op.anchor && !isa<RowWindowOpInterface>(op.anchor) &&
      !(reduction && reduction.reducesAllRows()))
    return getOpLabel(op.anchor) + " does not compute rows from a window";
  if (op.anchor && op.anchor->getOperand(0) != activation)
    return getOpLabel(op.anchor) + " does not read the stream's tensor as "
                                   "its window input";
  return {};
}

class RowScheduler {
public:
  explicit RowScheduler(ArrayRef<StreamStage> stages) {
    schedule.stages.assign(stages.begin(), stages.end());
    produced.assign(stages.size(), 0);
    base.assign(stages.size(), 0);
    schedule.lineRows.assign(stages.size() - 1, 0);
  }

  StreamSchedule run() && {
    unsigned last = schedule.stages.size() - 1;
    for (int64_t row = 0; row < schedule.stages[last].outputRows; ++row) {
      current = &schedule.steps.emplace_back();
      computeRow(last, row);
    }
    return std::move(schedule);
  }

private:
  void computeRow(unsigned stage, int64_t row) {
    const StreamStage &info = schedule.stages[stage];
    int64_t begin = row * info.stride - info.padTop;
    int64_t end = begin + info.window;
    int64_t inputBegin = std::max<int64_t>(begin, 0);
    int64_t inputEnd = std::min(end, info.inputRows);
    if (stage > 0) {
      unsigned line = stage - 1;
      // Rows above the window are never read again: drop them, keeping the
      // ones still held at the top of the buffer.
      if (base[line] < inputBegin) {
        int64_t keep = produced[line] - inputBegin;
        if (keep > 0) {
          StreamAction shift;
          shift.kind = StreamAction::Kind::Shift;
          shift.stage = line;
          shift.drop = inputBegin - base[line];
          shift.keep = keep;
          current->push_back(shift);
        }
        base[line] = inputBegin;
      }
      while (produced[line] < inputEnd)
        computeRow(line, produced[line]);
      schedule.lineRows[line] =
          std::max(schedule.lineRows[line], inputEnd - inputBegin);
    }
    StreamAction action;
    action.stage = stage;
    action.row = row;
    action.inputBegin = inputBegin;
    action.inputEnd = inputEnd;
    action.padTop = inputBegin - begin;
    action.padBottom = end - inputEnd;
    action.slot = row - base[stage];
    current->push_back(action);
    ++produced[stage];
  }

  StreamSchedule schedule;
  /// Per stage: rows computed so far, and the first row its line buffer
  /// holds.
  SmallVector<int64_t> produced, base;
  SmallVector<StreamAction> *current = nullptr;
};

} // namespace

bool mlir::pex::isReadOfAllRows(const LogicalOperator &op) {
  auto read = dyn_cast<ReadRowsOp>(op.getSink());
  return read && op.ops.size() == 1 && read.getResult() &&
         matchPattern(read.getFirstRow(), m_Zero());
}

bool mlir::pex::isWriteOfAllRows(const LogicalOperator &op) {
  auto write = dyn_cast<WriteRowsOp>(op.getSink());
  return write && op.ops.size() == 1 &&
         isa<RankedTensorType>(write.getRows().getType()) &&
         matchPattern(write.getFirstRow(), m_Zero());
}

SmallVector<Value> mlir::pex::getActivations(const LogicalOperator &op) {
  SmallVector<Value> activations;
  for (Value operand : op.getExternalOperands())
    if (!isConstantValue(operand))
      activations.push_back(operand);
  return activations;
}

std::optional<Value> mlir::pex::getOnlyActivation(const LogicalOperator &op) {
  SmallVector<Value> activations = getActivations(op);
  if (activations.size() != 1)
    return std::nullopt;
  return activations.front();
}

FailureOr<SmallVector<StreamStage>>
mlir::pex::getStreamStages(ArrayRef<LogicalOperator> ops, Value input,
                           std::string &whyNot) {
  if (ops.empty() || (!isReadOfAllRows(ops.front()) &&
                      (!input || !isNHWC(input.getType())))) {
    whyNot = "a stream reads one NHWC tensor through at least one operator";
    return failure();
  }
  // The application's output rows end the chain: a stage after the others.
  std::optional<LogicalOperator> write;
  if (isWriteOfAllRows(ops.back())) {
    write = ops.back();
    ops = ops.drop_back();
    if (ops.empty()) {
      whyNot = "a stream writes the rows of at least one operator";
      return failure();
    }
  }
  SmallVector<StreamStage> stages;
  Value activation = input;
  if (isReadOfAllRows(ops.front())) {
    // The application's rows, one at a time, into the first line buffer.
    Value rows = ops.front().getSink()->getResult(0);
    if (!isNHWC(rows.getType())) {
      whyNot = "the model input's rows are not those of an NHWC tensor";
      return failure();
    }
    StreamStage stage;
    stage.op = ops.front();
    stage.source = true;
    stage.inputRows = stage.outputRows =
        cast<RankedTensorType>(rows.getType()).getDimSize(1);
    stage.rowBytes = getStorageBytes(rows.getType()) / stage.outputRows;
    stages.push_back(std::move(stage));
    activation = rows;
    ops = ops.drop_front();
  }
  for (const LogicalOperator &op : ops) {
    // Besides the previous operator's result, a stage after the first may
    // read the stream's input (a residual's skip).
    SmallVector<Value> activations = getActivations(op);
    Value skip;
    if (!stages.empty() && input && activation != input &&
        activations.size() == 2 && llvm::is_contained(activations, input))
      skip = input;
    if (!llvm::is_contained(activations, activation) ||
        activations.size() != (skip ? 2u : 1u)) {
      whyNot = getOpLabel(op.getRepresentative()) +
               " does not read exactly the previous operator's result" +
               (stages.empty() ? "" : " (and maybe the stream's input)");
      return failure();
    }
    if (std::string reason = checkStage(op, activation, skip);
        !reason.empty()) {
      whyNot = std::move(reason);
      return failure();
    }
    StreamStage stage;
    stage.op = op;
    stage.readsStreamInput = static_cast<bool>(skip);
    auto inputType = cast<RankedTensorType>(activation.getType());
    auto outputType = cast<RankedTensorType>(op.getSink()->getResultTypes()[0]);
    stage.inputRows = inputType.getDimSize(1);
    stage.outputRows = outputType.getDimSize(1);
    stage.rowBytes = getStorageBytes(outputType) / stage.outputRows;
    // A reduction of all rows accumulates when it ends the stream; before
    // that, it is a window over all rows if it is one at all.
    auto reduction = dyn_cast_or_null<RowReductionOpInterface>(op.anchor);
    auto window = dyn_cast_or_null<RowWindowOpInterface>(op.anchor);
    if (reduction && reduction.reducesAllRows() && &op != &ops.back() &&
        !window) {
      whyNot = getOpLabel(op.anchor) +
               " reduces all rows: only a stream's last operator can";
      return failure();
    }
    if (reduction && reduction.reducesAllRows() && &op == &ops.back()) {
      stage.accumulates = true;
      stage.accumulatesIntoResult =
          reduction.isAccumulatorTheResult() && op.ops.size() == 1;
      stage.outputRows = stage.inputRows;
    } else if (window) {
      stage.window = window.getRowWindow();
      stage.stride = window.getRowStride();
      stage.padTop = window.getRowPadTop();
      // A row computed from padding alone has no window of input rows (the
      // bottom padding of a model padded to a multiple of the stride).
      int64_t lastBegin =
          (stage.outputRows - 1) * stage.stride - stage.padTop;
      if (stage.padTop >= stage.window || lastBegin >= stage.inputRows) {
        whyNot = getOpLabel(op.anchor) + " computes rows from padding alone";
        return failure();
      }
    } else if (stage.inputRows != stage.outputRows) {
      whyNot = getOpLabel(op.getRepresentative()) + " changes the row count";
      return failure();
    }
    // A stage after the first reads rows from a line buffer in order: a
    // window that skips rows would leave rows computed for nothing.
    if (!stages.empty() && stage.window < stage.stride) {
      whyNot = getOpLabel(op.getRepresentative()) +
               " skips rows (stride above its window)";
      return failure();
    }
    stages.push_back(std::move(stage));
    activation = op.getSink()->getResult(0);
  }
  if (write) {
    auto rows = cast<WriteRowsOp>(write->getSink());
    if (stages.back().accumulates) {
      whyNot = getOpLabel(stages.back().op.anchor) +
               " reduces all rows: its result is written after the stream, "
               "not row by row";
      return failure();
    }
    if (rows.getRows() != activation || !isNHWC(activation.getType())) {
      whyNot = "the model output's rows are not those of the stream's last "
               "operator's NHWC result";
      return failure();
    }
    // One row at a time from the line buffer of the stage before.
    StreamStage stage;
    stage.op = *write;
    stage.sink = true;
    stage.inputRows = stage.outputRows =
        cast<RankedTensorType>(activation.getType()).getDimSize(1);
    stage.rowBytes = getStorageBytes(activation.getType()) / stage.outputRows;
    stages.push_back(std::move(stage));
  }
  return stages;
}

StreamSchedule mlir::pex::scheduleRows(ArrayRef<StreamStage> stages) {
  return RowScheduler(stages).run();
}

std::optional<int64_t>
mlir::pex::getResultOffsetOverInput(const StreamSchedule &schedule,
                                    int64_t inputRowBytes, int64_t alignment) {
  const StreamStage &first = schedule.stages.front();
  const StreamStage &last = schedule.stages.back();
  if (first.source || last.accumulates || last.sink)
    return std::nullopt;
  // The action index at which each result row is written, and at which each
  // input row is read for the last time, in the schedule's pull order.
  SmallVector<int64_t> writtenAt(last.outputRows, 0);
  SmallVector<int64_t> lastReadAt(first.inputRows, -1);
  unsigned lastStage = schedule.stages.size() - 1;
  int64_t index = 0;
  for (ArrayRef<StreamAction> step : schedule.steps)
    for (const StreamAction &action : step) {
      if (action.kind == StreamAction::Kind::Row && action.stage == 0)
        for (int64_t row = action.inputBegin; row < action.inputEnd; ++row)
          lastReadAt[row] = index;
      if (action.kind == StreamAction::Kind::Row &&
          schedule.stages[action.stage].readsStreamInput)
        lastReadAt[action.row] = std::max(lastReadAt[action.row], index);
      if (action.kind == StreamAction::Kind::Row && action.stage == lastStage)
        writtenAt[action.row] = index;
      ++index;
    }
  // Reads go down the input: when result row r is written, the rows still
  // to read are those from the first one read at or after the write on.
  // Result row r must end at or above that row's first byte: the result
  // starts `below` bytes under the input for the largest such distance.
  int64_t below = 0, consumed = 0;
  for (int64_t row = 0; row < last.outputRows; ++row) {
    while (consumed < first.inputRows && lastReadAt[consumed] < writtenAt[row])
      ++consumed;
    below = std::max(below, (row + 1) * last.rowBytes - consumed * inputRowBytes);
  }
  return -static_cast<int64_t>(llvm::alignTo(below, alignment));
}
