//===- Prune.cpp - pex-prune ------------------------------------*- C++ -*-===//

#include "pex/Analysis/ChannelCoupling.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Analysis/Partitioning.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::pex {
#define GEN_PASS_DEF_PRUNE
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// What was removed from one class, in the original model's channel
/// numbering, and the operators that carry it.
struct Mask {
  int64_t channels = 0;
  SmallVector<int64_t> kept, removed;
  llvm::json::Array producers, channelLocal, consumers;
};

/// The model's names of `ops` (their locations), each once.
llvm::json::Array names(ArrayRef<Operation *> ops) {
  llvm::json::Array result;
  llvm::StringSet<> seen;
  for (Operation *op : ops) {
    std::string name = getLocationName(op->getLoc());
    if (name.empty())
      name = getOpLabel(op);
    if (seen.insert(name).second)
      result.push_back(name);
  }
  return result;
}

struct PrunePass : public pex::impl::PruneBase<PrunePass> {
  using PruneBase::PruneBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (budget <= 0) {
      func.emitError() << "pex: pex-prune needs a budget in bytes";
      return signalPassFailure();
    }
    // Masks by the class's first producer, which outlives the rewrites.
    llvm::MapVector<Operation *, Mask> masks;
    std::optional<int64_t> peakBefore;
    int64_t peak = 0;
    constexpr unsigned kMaxSteps = 10000;
    for (unsigned step = 0;; ++step) {
      FailureOr<BufferGraph> model =
          BufferGraph::build(func, BufferGraphOptions{arenaIO, alignment});
      if (failed(model))
        return signalPassFailure();
      PartitionSearchOptions search;
      search.arenaBudget = budget;
      PartitionResult partition = choosePartition(*model, search);
      peak = partition.peakAfter;
      if (!peakBefore)
        peakBefore = peak;
      if (peak <= budget || step == kMaxSteps)
        break;
      if (failed(pruneAtPeak(func, partition, masks)))
        return signalPassFailure();
    }
    if (peak > budget) {
      func.emitError() << "pex: pruning did not reach the budget";
      return signalPassFailure();
    }
    eraseDeadConstants(func);
    if (!jsonPath.empty() && failed(writeMasks(masks, *peakBefore, peak)))
      return signalPassFailure();
  }

  /// Removes channels from the prunable class with the most bytes live at
  /// the peak of `partition`'s schedule.
  LogicalResult pruneAtPeak(func::FuncOp func,
                            const PartitionResult &partition,
                            llvm::MapVector<Operation *, Mask> &masks) {
    const BufferGraph &model = *partition.model;
    ScheduleLiveness eval = computeLiveness(model, partition.order);
    ChannelCoupling coupling(func);
    // In buffer order, so that ties go to the same class on every run.
    llvm::MapVector<const ChannelClass *, int64_t> bytesAtPeak;
    std::string reasons;
    for (auto [index, buffer] : llvm::enumerate(model.getBuffers())) {
      if (buffer.bytes == 0 || !eval.isLive(index, eval.peakStep))
        continue;
      const ChannelClass *cls = coupling.getClass(buffer.value);
      if (!cls)
        continue;
      if (cls->isPrunable() && cls->channels > minChannels) {
        bytesAtPeak[cls] += buffer.bytes;
        continue;
      }
      std::string reason =
          !cls->pinned.empty()      ? cls->pinned
          : cls->producers.empty() ? "channels nothing produces"
                                   : "channels already at min-channels";
      if (reasons.find(reason) == std::string::npos)
        reasons += (reasons.empty() ? "" : "; ") + reason;
    }
    if (bytesAtPeak.empty()) {
      Operation *op = eval.getPeakOp(func);
      return op->emitError()
             << "pex: memory budget of " << static_cast<int64_t>(budget)
             << " bytes cannot be met by pruning: the peak of "
             << eval.peakBytes << " bytes at " << getOpLabel(op)
             << " has no channel left to remove (" << reasons << ")";
    }
    const ChannelClass *target =
        std::max_element(bytesAtPeak.begin(), bytesAtPeak.end(),
                         [](const auto &a, const auto &b) {
                           return a.second < b.second;
                         })
            ->first;

    int64_t count = std::max<int64_t>(1, target->channels * fraction);
    count = std::min<int64_t>(count, target->channels - minChannels);
    SmallVector<double> importance = getChannelImportance(*target);
    auto order = llvm::to_vector(llvm::seq<int64_t>(0, target->channels));
    llvm::stable_sort(order, [&](int64_t a, int64_t b) {
      return importance[a] < importance[b];
    });
    SmallVector<int64_t> removed(order.begin(), order.begin() + count);
    llvm::sort(removed);

    Mask &mask = masks[target->producers.front()];
    if (mask.kept.empty()) {
      mask.channels = target->channels;
      mask.kept = llvm::to_vector(llvm::seq<int64_t>(0, target->channels));
      mask.producers = names(target->producers);
      mask.channelLocal = names(target->channelLocal);
      SmallVector<Operation *> consumers;
      for (OpOperand *use : target->consumers)
        consumers.push_back(use->getOwner());
      mask.consumers = names(consumers);
    }
    for (int64_t channel : llvm::reverse(removed)) {
      mask.removed.push_back(mask.kept[channel]);
      mask.kept.erase(mask.kept.begin() + channel);
    }
    removeChannels(*target, removed);
    return success();
  }

  void eraseDeadConstants(func::FuncOp func) {
    SmallVector<Operation *> dead;
    func.walk([&](Operation *op) {
      if (op->hasTrait<OpTrait::ConstantLike>() && op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : dead)
      op->erase();
  }

  LogicalResult writeMasks(llvm::MapVector<Operation *, Mask> &masks,
                           int64_t peakBefore, int64_t peakAfter) {
    llvm::json::Array classes;
    for (auto &[producer, mask] : masks) {
      llvm::sort(mask.removed);
      classes.push_back(llvm::json::Object{
          {"channels", mask.channels},
          {"kept", llvm::json::Array(mask.kept)},
          {"removed", llvm::json::Array(mask.removed)},
          {"producers", std::move(mask.producers)},
          {"channel_local", std::move(mask.channelLocal)},
          {"consumers", std::move(mask.consumers)},
      });
    }
    std::string error;
    auto file = openOutputFile(jsonPath, &error);
    if (!file)
      return getOperation().emitError() << "pex: cannot write " << error;
    file->os() << llvm::formatv(
        "{0:2}\n",
        llvm::json::Value(llvm::json::Object{
            {"function", getOperation().getSymName().str()},
            {"budget_bytes", static_cast<int64_t>(budget)},
            {"peak_before_bytes", peakBefore},
            {"peak_after_bytes", peakAfter},
            {"importance", "L1 norm of the producing filters, scaled by "
                           "their per-channel requantisation multiplier"},
            {"pruned", std::move(classes)},
        }));
    file->keep();
    return success();
  }
};
} // namespace
