//===- RowStreaming.h - Running a chain of operators row by row -*- C++ -*-===//
//
// What a row stream (pex.stream) is made of and the order in which it
// computes rows: the one description of a stream that the planner
// (pex-stream), the memory model (BufferGraph) and the lowering
// (pex-lower-streams) share, so that the line buffers the planner counts are
// the ones the lowering makes.
//
// * A stage is one logical operator of the chain, seen along rows (NHWC
//   dimension 1): output row r reads input rows
//   [r * stride - padTop, r * stride - padTop + window) clipped to the input
//   (window 1 for element-wise operators).
// * The first stage may be the model input's rows read from the
//   application (pex.read_rows, `pexc --io=stream`): a stage of window 1
//   whose rows are handed over, one at a time, into its line buffer.
// * The last stage may be the model output's rows written to the
//   application (pex.write_rows, `pexc --io=stream`): a stage of window 1
//   whose rows are handed over, one at a time, from the one-row line buffer
//   of the stage before it; the stream then has no result.
// * A stage may also read the stream's input at its own output row, through
//   an element-wise member: a residual add whose skip connection starts at
//   the stream's input (read whole, outside the line buffers).
// * The last stage may reduce all rows into one (a global pooling,
//   RowReductionOpInterface): it then accumulates each input row as it
//   arrives, a stage of window 1 whose "rows" are the accumulations, and
//   computes its result once all are done.
// * Rows are pulled: the last stage computes its rows in order; before a
//   stage computes a row, its line buffer drops the rows no later window
//   reads (pex.shift_rows) and the stage before it computes the rows the
//   window still lacks, recursively. Each row of each stage is computed
//   once. A line buffer's capacity is the largest window it holds.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_ROWSTREAMING_H
#define PEX_ANALYSIS_ROWSTREAMING_H

#include "pex/Analysis/LogicalOperators.h"

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir::pex {

/// One logical operator of a stream, along rows.
struct StreamStage {
  LogicalOperator op;
  int64_t inputRows = 0, outputRows = 0;
  int64_t window = 1, stride = 1, padTop = 0;
  /// Bytes of one output row.
  int64_t rowBytes = 0;
  /// The first stage may read the model input's rows from the application
  /// (pex.read_rows): each "row" it computes is one row handed over.
  bool source = false;
  /// The last stage may write the model output's rows to the application
  /// (pex.write_rows): each "row" it computes is one row handed over.
  bool sink = false;
  /// An element-wise member also reads the stream's input, at the stage's
  /// output row (a residual add whose skip is the stream's input).
  bool readsStreamInput = false;
  /// The last stage reduces all rows: one accumulation per input row.
  bool accumulates = false;
  /// ... into the stream's result (the accumulator is the result, and no
  /// element-wise operator follows the reduction).
  bool accumulatesIntoResult = false;
};

/// One step of a stream's schedule: compute a row, or drop rows from a line
/// buffer.
struct StreamAction {
  enum class Kind { Row, Shift } kind = Kind::Row;
  /// Row: the stage; Shift: the line buffer (the result of that stage).
  unsigned stage = 0;
  /// Row: the output row computed, and the input rows [inputBegin,
  /// inputEnd) it reads with the padding rows that complete its window.
  int64_t row = 0, inputBegin = 0, inputEnd = 0, padTop = 0, padBottom = 0;
  /// Row of an intermediate stage: where its line buffer receives the row.
  int64_t slot = 0;
  /// Shift: rows dropped from the top and rows kept.
  int64_t drop = 0, keep = 0;
};

/// The schedule of a stream: per output row of the last stage, the actions
/// that compute it, and each line buffer's capacity in rows.
struct StreamSchedule {
  SmallVector<StreamStage> stages;
  /// Per stage but the last: rows of its line buffer.
  SmallVector<int64_t> lineRows;
  SmallVector<SmallVector<StreamAction>> steps;
};

/// The activations `op` reads (its operands that are not constants), in
/// order of first use.
SmallVector<Value> getActivations(const LogicalOperator &op);

/// The activation `op` reads, when it reads exactly one (its other operands
/// are constants): the tensor a stage of a stream would read.
std::optional<Value> getOnlyActivation(const LogicalOperator &op);

/// Whether `op` reads all the model input's rows from the application (a
/// stream can start with it, and then has no input).
bool isReadOfAllRows(const LogicalOperator &op);

/// Whether `op` writes all the model output's rows to the application (a
/// stream can end with it, and then has no result).
bool isWriteOfAllRows(const LogicalOperator &op);

/// The stages of `ops`, a chain of logical operators whose first reads
/// `input` or is a read of all input rows (`input` is then unused), and
/// whose last may be a write of all output rows; fails with the reason in
/// `whyNot` when the chain cannot be streamed (an operator that reads two
/// activations, is not a row window, skips rows, is not NHWC, or reduces
/// all rows before the last computing one, or before a write).
FailureOr<SmallVector<StreamStage>>
getStreamStages(ArrayRef<LogicalOperator> ops, Value input,
                std::string &whyNot);

/// The pull schedule of `stages`.
StreamSchedule scheduleRows(ArrayRef<StreamStage> stages);

/// Where a stream's result may start relative to its input's first byte
/// (0 or below, a multiple of `alignment`), as high as possible, so that
/// every result row is written over input rows no later action reads (the
/// input dying at the stream) or below the input. None when the result is
/// not written row by row (the last stage accumulates), the stream has no
/// input or no result (its rows go to the application).
std::optional<int64_t> getResultOffsetOverInput(const StreamSchedule &schedule,
                                                int64_t inputRowBytes,
                                                int64_t alignment);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_ROWSTREAMING_H
