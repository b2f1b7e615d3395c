//===- LowerStreams.cpp - pex-lower-streams ---------------------*- C++ -*-===//
//
// Carries out a pex.stream: the schedule of RowStreaming.h (the one the
// planner counted) becomes straight-line code for its first and last rows
// and scf.for loops over the rows whose actions repeat. Each row an operator
// computes is its logical operator restricted to the window of input rows
// (RowWindowOpInterface), written into the next line buffer or the stream's
// result with tensor.insert_slice; line buffers are loop-carried tensors in
// the storage the planner placed. A last operator reducing all rows
// (RowReductionOpInterface) instead adds each row to an accumulator in its
// placed storage, and computes the stream's result from it after the last
// row. A stream without result ends in the write of the model output's rows:
// each row its last operator computes goes to the application from the
// one-row line buffer it was computed into.
//
//===----------------------------------------------------------------------===//

#include "pex/Analysis/RowStreaming.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/RowReductionOpInterface.h"
#include "pex/Interfaces/RowWindowOpInterface.h"
#include "pex/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace mlir::pex {
#define GEN_PASS_DEF_LOWERSTREAMS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Where a step's row actions read and write in the rows of the whole
/// tensors (the stream's input, for the first stage's window and a skip's
/// row, and the result, unless the last stage accumulates); every other
/// position is fixed.
SmallVector<int64_t> getPositions(ArrayRef<StreamAction> actions,
                                  const StreamSchedule &schedule) {
  unsigned last = schedule.stages.size() - 1;
  SmallVector<int64_t> positions;
  for (const StreamAction &action : actions) {
    if (action.kind != StreamAction::Kind::Row)
      continue;
    if (action.stage == 0)
      positions.push_back(action.inputBegin);
    if (schedule.stages[action.stage].readsStreamInput)
      positions.push_back(action.row);
    if (action.stage == last && !schedule.stages[last].accumulates)
      positions.push_back(action.row);
  }
  return positions;
}

/// Whether two steps run the same actions at possibly different positions
/// of the whole tensors (a line buffer slot is fixed).
bool haveSameShape(ArrayRef<StreamAction> a, ArrayRef<StreamAction> b,
                   unsigned lastStage) {
  auto shape = [&](const StreamAction &action) {
    int64_t slot = action.stage == lastStage ? 0 : action.slot;
    return std::make_tuple(action.kind, action.stage,
                           action.inputEnd - action.inputBegin, action.padTop,
                           action.padBottom, action.drop, action.keep, slot);
  };
  return a.size() == b.size() && llvm::all_of(llvm::zip(a, b), [&](auto pair) {
           return shape(std::get<0>(pair)) == shape(std::get<1>(pair));
         });
}

class StreamLowering {
public:
  explicit StreamLowering(StreamOp stream) : stream(stream), builder(stream) {}
  LogicalResult lower();

private:
  /// Emits the actions of one step; `positions` are the values of the step's
  /// getPositions (constants, or affine in a loop's induction variable).
  void emitStep(ArrayRef<StreamAction> actions, ArrayRef<Value> positions);
  /// Emits `stage`'s logical operator on `window`, one output row; `skip`
  /// is the row of the stream's input the stage also reads, if it does.
  Value emitRow(const StreamStage &stage, Value window, Value skip,
                const StreamAction &action);
  Value extractRows(Value source, OpFoldResult offset, int64_t rows);
  /// Reads the application's input row `row` into `slot` of the first line
  /// buffer; returns the updated buffer.
  Value emitReadRow(Value row, int64_t slot);
  /// Hands the row in the last line buffer to the application as the model
  /// output's row `row`.
  void emitWriteRow(Value row);
  Value insertRow(Value row, Value destination, OpFoldResult offset);
  /// Computes the stream's result from the accumulator of the last stage's
  /// rows: the reduction's result and the stage's element-wise members, into
  /// the result's planned storage.
  Value emitAccumulatedResult();
  /// Where the planner put the stream's result, and the accumulator of a
  /// last stage reducing all rows.
  PlacementAttr getResultPlacement();
  PlacementAttr getAccumulatorPlacement();

  StreamOp stream;
  OpBuilder builder;
  StreamSchedule schedule;
  /// Values the body uses from its own constants, cloned once before the
  /// loops.
  IRMapping invariants;
  /// The current line buffers (per stage but the last), and the result or,
  /// when the last stage accumulates, its accumulator (null before the
  /// first row; always null when the last stage writes the rows out).
  SmallVector<Value> lines;
  Value output;
};

Value StreamLowering::extractRows(Value source, OpFoldResult offset,
                                  int64_t rows) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] = rows;
  SmallVector<OpFoldResult> offsets(4, builder.getIndexAttr(0));
  offsets[1] = offset;
  SmallVector<OpFoldResult> sizes =
      llvm::map_to_vector(shape, [&](int64_t size) -> OpFoldResult {
        return builder.getIndexAttr(size);
      });
  SmallVector<OpFoldResult> strides(4, builder.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(builder, stream.getLoc(),
                                        type.clone(shape), source, offsets,
                                        sizes, strides);
}

Value StreamLowering::insertRow(Value row, Value destination,
                                OpFoldResult offset) {
  auto type = cast<RankedTensorType>(row.getType());
  SmallVector<OpFoldResult> offsets(4, builder.getIndexAttr(0));
  offsets[1] = offset;
  SmallVector<OpFoldResult> sizes =
      llvm::map_to_vector(type.getShape(), [&](int64_t size) -> OpFoldResult {
        return builder.getIndexAttr(size);
      });
  SmallVector<OpFoldResult> strides(4, builder.getIndexAttr(1));
  return tensor::InsertSliceOp::create(builder, stream.getLoc(), row,
                                       destination, offsets, sizes, strides);
}

Value StreamLowering::emitReadRow(Value row, int64_t slot) {
  OpFoldResult slotOffset = builder.getIndexAttr(slot);
  Value destination = extractRows(lines[0], slotOffset, 1);
  Value filled = ReadRowsOp::create(builder, stream.getLoc(),
                                    destination.getType(), destination, row)
                     .getResult();
  return insertRow(filled, lines[0], slotOffset);
}

void StreamLowering::emitWriteRow(Value row) {
  Value source = extractRows(lines.back(), builder.getIndexAttr(0), 1);
  WriteRowsOp::create(builder, stream.getLoc(), source, row);
}

Value StreamLowering::emitRow(const StreamStage &stage, Value window,
                              Value skip, const StreamAction &action) {
  IRMapping mapping = invariants;
  if (skip)
    mapping.map(stream.getInputArgument(), skip);
  const LogicalOperator &op = stage.op;
  for (Operation *member : op.ops) {
    Operation *row;
    if (member == op.anchor) {
      row = cast<RowWindowOpInterface>(member).cloneForRows(
          builder, window, action.padTop, action.padBottom, /*outputRows=*/1);
    } else {
      if (member == op.ops.front())
        for (Value operand : member->getOperands())
          if (!mapping.contains(operand) && !invariants.contains(operand) &&
              operand.getParentRegion() == &stream.getBody())
            mapping.map(operand, window);
      row = builder.clone(*member, mapping);
      for (Value result : row->getResults()) {
        auto type = cast<RankedTensorType>(result.getType());
        SmallVector<int64_t> shape(type.getShape());
        shape[1] = 1;
        result.setType(type.clone(shape));
      }
    }
    row->removeAttr(kPlacementAttrName);
    mapping.map(member->getResults(), row->getResults());
  }
  return mapping.lookup(op.getSink()->getResult(0));
}

void StreamLowering::emitStep(ArrayRef<StreamAction> actions,
                              ArrayRef<Value> positions) {
  unsigned last = schedule.stages.size() - 1;
  const Value *position = positions.begin();
  for (const StreamAction &action : actions) {
    if (action.kind == StreamAction::Kind::Shift) {
      lines[action.stage] =
          ShiftRowsOp::create(builder, stream.getLoc(),
                              lines[action.stage].getType(),
                              lines[action.stage], action.drop, action.keep)
              .getResult();
      continue;
    }
    const StreamStage &stage = schedule.stages[action.stage];
    if (stage.source) {
      lines[0] = emitReadRow(*position++, action.slot);
      continue;
    }
    if (stage.sink) {
      emitWriteRow(*position++);
      continue;
    }
    int64_t rows = action.inputEnd - action.inputBegin;
    Value window = action.stage == 0
                       ? extractRows(stream.getInput(), *position++, rows)
                       : extractRows(lines[action.stage - 1],
                                     builder.getIndexAttr(0), rows);
    if (stage.accumulates) {
      output = cast<RowReductionOpInterface>(stage.op.anchor)
                   .buildAccumulateRow(builder, output, window);
      if (PlacementAttr placement = getAccumulatorPlacement())
        output.getDefiningOp()->setAttr(kPlacementAttrName, placement);
      continue;
    }
    Value skip = stage.readsStreamInput
                     ? extractRows(stream.getInput(), *position++, 1)
                     : Value();
    Value row = emitRow(stage, window, skip, action);
    if (action.stage == last)
      output = insertRow(row, output, *position++);
    else
      lines[action.stage] = insertRow(row, lines[action.stage],
                                      builder.getIndexAttr(action.slot));
  }
}

Value StreamLowering::emitAccumulatedResult() {
  const LogicalOperator &op = schedule.stages.back().op;
  IRMapping mapping = invariants;
  mapping.map(op.anchor->getResult(0),
              cast<RowReductionOpInterface>(op.anchor)
                  .buildResult(builder, output));
  for (Operation *member : op.ops)
    if (member != op.anchor)
      builder.clone(*member, mapping)->removeAttr(kPlacementAttrName);
  Value result = mapping.lookup(op.getSink()->getResult(0));
  if (PlacementAttr placement = getResultPlacement())
    result.getDefiningOp()->setAttr(kPlacementAttrName, placement);
  return result;
}

PlacementAttr StreamLowering::getResultPlacement() {
  auto placements = stream->getAttrOfType<ArrayAttr>(kResultPlacementsAttrName);
  return placements ? dyn_cast<PlacementAttr>(placements[0]) : nullptr;
}

PlacementAttr StreamLowering::getAccumulatorPlacement() {
  if (schedule.stages.back().accumulatesIntoResult)
    return getResultPlacement();
  auto placements =
      stream->getAttrOfType<ArrayAttr>(kAccumulatorPlacementsAttrName);
  return placements ? dyn_cast<PlacementAttr>(placements[0]) : nullptr;
}

LogicalResult StreamLowering::lower() {
  Block &body = stream.getBody().front();
  std::string whyNot;
  FailureOr<SmallVector<StreamStage>> stages =
      getStreamStages(formLogicalOperators(body), stream.getInputArgument(),
                      whyNot);
  if (failed(stages))
    return stream.emitError() << "pex: cannot stream this chain: " << whyNot;
  schedule = scheduleRows(*stages);
  if (ArrayRef<int64_t>(schedule.lineRows) != stream.getLineRows())
    return stream.emitError()
           << "pex: the stream's line buffers differ from its schedule's";
  bool accumulates = schedule.stages.back().accumulates;
  bool ownAccumulator =
      accumulates && !schedule.stages.back().accumulatesIntoResult;
  if (ownAccumulator != stream->hasAttr(kAccumulatorPlacementsAttrName) &&
      getResultPlacement())
    return stream.emitError()
           << (ownAccumulator
                   ? "pex: the stream's result is placed but not its "
                     "accumulator"
                   : "pex: the stream records an accumulator placement but "
                     "has no accumulator of its own");

  Location loc = stream.getLoc();
  // Constants the body defines are the same for every row.
  for (Operation &op : body.without_terminator())
    if (op.hasTrait<OpTrait::ConstantLike>())
      builder.clone(op, invariants);
  for (auto [stage, rows] : llvm::zip(schedule.stages, schedule.lineRows)) {
    auto type = cast<RankedTensorType>(stage.op.getSink()->getResultTypes()[0]);
    SmallVector<int64_t> shape(type.getShape());
    shape[1] = rows;
    auto lineType = type.clone(shape);
    auto placement =
        stage.op.getSink()->getAttrOfType<PlacementAttr>(kPlacementAttrName);
    // Named after the operator whose rows it holds, as in the schedule.
    Location lineLoc = stage.op.getSink()->getLoc();
    lines.push_back(
        placement
            ? BufferOp::create(builder, lineLoc, lineType, placement)
                  .getResult()
            : tensor::EmptyOp::create(builder, loc, shape,
                                      type.getElementType())
                  .getResult());
  }
  bool writes = schedule.stages.back().sink;
  if (!accumulates && !writes) {
    auto resultType = stream.getResult().getType();
    PlacementAttr resultPlacement = getResultPlacement();
    output = resultPlacement
                 ? BufferOp::create(builder, loc, resultType, resultPlacement)
                       .getResult()
                 : tensor::EmptyOp::create(builder, loc, resultType.getShape(),
                                           resultType.getElementType())
                       .getResult();
    // Written over the input's consumed rows, as planned.
    if (Attribute over = stream->getAttr(kOverConsumedInputAttrName);
        over && resultPlacement)
      output.getDefiningOp()->setAttr(kOverConsumedInputAttrName, over);
  }

  unsigned last = schedule.stages.size() - 1;
  ArrayRef<SmallVector<StreamAction>> steps = schedule.steps;
  size_t step = 0;
  while (step < steps.size()) {
    // The longest run of steps doing the same actions at positions that
    // advance by a constant per step; the first accumulation starts the
    // accumulator, so it is its own step.
    SmallVector<int64_t> first = getPositions(steps[step], schedule);
    size_t end = step + 1;
    SmallVector<int64_t> deltas;
    if (end < steps.size() && !(accumulates && step == 0) &&
        haveSameShape(steps[step], steps[end], last)) {
      SmallVector<int64_t> second = getPositions(steps[end], schedule);
      for (auto [a, b] : llvm::zip(first, second))
        deltas.push_back(b - a);
      ++end;
      while (end < steps.size() &&
             haveSameShape(steps[step], steps[end], last)) {
        SmallVector<int64_t> next = getPositions(steps[end], schedule);
        bool affine = true;
        for (auto [a, b, delta] : llvm::zip(first, next, deltas))
          affine &= b - a == delta * static_cast<int64_t>(end - step);
        if (!affine)
          break;
        ++end;
      }
    }
    if (end - step == 1) {
      SmallVector<Value> positions =
          llvm::map_to_vector(first, [&](int64_t value) -> Value {
            return arith::ConstantIndexOp::create(builder, loc, value);
          });
      emitStep(steps[step], positions);
      ++step;
      continue;
    }
    SmallVector<Value> carried(lines);
    if (output)
      carried.push_back(output);
    Value lower = arith::ConstantIndexOp::create(builder, loc, 0);
    Value upper = arith::ConstantIndexOp::create(builder, loc, end - step);
    Value one = arith::ConstantIndexOp::create(builder, loc, 1);
    ArrayRef<StreamAction> actions = steps[step];
    auto loop = scf::ForOp::create(
        builder, loc, lower, upper, one, carried,
        [&](OpBuilder &nested, Location nestedLoc, Value iv, ValueRange args) {
          OpBuilder::InsertionGuard guard(builder);
          builder.setInsertionPoint(nested.getInsertionBlock(),
                                    nested.getInsertionPoint());
          lines.assign(args.begin(), args.begin() + lines.size());
          if (output)
            output = args.back();
          SmallVector<Value> positions;
          for (auto [start, delta] : llvm::zip(first, deltas)) {
            Value scaled = arith::MulIOp::create(
                builder, nestedLoc, iv,
                arith::ConstantIndexOp::create(builder, nestedLoc, delta));
            positions.push_back(arith::AddIOp::create(
                builder, nestedLoc, scaled,
                arith::ConstantIndexOp::create(builder, nestedLoc, start)));
          }
          emitStep(actions, positions);
          SmallVector<Value> yielded(lines);
          if (output)
            yielded.push_back(output);
          scf::YieldOp::create(builder, nestedLoc, yielded);
        });
    ValueRange results = loop.getResults();
    lines.assign(results.begin(), results.begin() + lines.size());
    if (output)
      output = results.back();
    step = end;
  }
  if (ownAccumulator)
    output = emitAccumulatedResult();
  if (!writes)
    stream.getResult().replaceAllUsesWith(output);
  stream.erase();
  return success();
}

struct LowerStreamsPass : public pex::impl::LowerStreamsBase<LowerStreamsPass> {
  void runOnOperation() override {
    SmallVector<StreamOp> streams;
    getOperation().walk([&](StreamOp stream) { streams.push_back(stream); });
    for (StreamOp stream : streams)
      if (failed(StreamLowering(stream).lower()))
        return signalPassFailure();
  }
};

} // namespace
