//===- PlanArena.cpp - pex-plan-arena ---------------------------*- C++ -*-===//

#include "pex/Analysis/ArenaPacking.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::pex {
#define GEN_PASS_DEF_PLANARENA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Lifetimes of a function's allocations in program order.
class AllocationLifetimes {
public:
  explicit AllocationLifetimes(func::FuncOp func);
  ArrayRef<memref::AllocOp> getAllocations() const { return allocations; }
  ArrayRef<PackingBuffer> getBuffers() const { return buffers; }

private:
  void extend(unsigned buffer, Operation *user);

  SmallVector<memref::AllocOp> allocations;
  SmallVector<PackingBuffer> buffers;
  llvm::DenseMap<Operation *, int64_t> step;
  /// Last step inside each loop.
  llvm::DenseMap<Operation *, int64_t> loopEnd;
};

AllocationLifetimes::AllocationLifetimes(func::FuncOp func) {
  // Steps number operations in program order; kernel bodies are
  // descriptions of one step, not steps.
  int64_t next = 0;
  func.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    step[op] = next++;
    return isa<KernelOp>(op) ? WalkResult::skip() : WalkResult::advance();
  });
  func.getBody().walk([&](LoopLikeOpInterface loop) {
    int64_t end = step[loop];
    loop->walk([&](Operation *nested) {
      if (auto it = step.find(nested); it != step.end())
        end = std::max(end, it->second);
    });
    loopEnd[loop] = end;
  });

  llvm::DenseMap<Value, unsigned> bufferOf;
  func.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      bufferOf[alloc] = buffers.size();
      allocations.push_back(alloc);
      buffers.push_back({0, step[op], step[op]});
    }
    if (auto view = dyn_cast<ViewLikeOpInterface>(op))
      if (auto it = bufferOf.find(view.getViewSource()); it != bufferOf.end())
        bufferOf[view.getViewDest()] = it->second;
    if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
      for (auto [init, arg, result] :
           llvm::zip(loop.getInitsMutable(), loop.getRegionIterArgs(),
                     *loop.getLoopResults()))
        if (auto it = bufferOf.find(init.get()); it != bufferOf.end()) {
          bufferOf[arg] = it->second;
          bufferOf[result] = it->second;
        }
    for (Value operand : op->getOperands())
      if (auto it = bufferOf.find(operand); it != bufferOf.end())
        extend(it->second, op);
    return isa<KernelOp>(op) ? WalkResult::skip() : WalkResult::advance();
  });
  for (auto [alloc, buffer] : llvm::zip(allocations, buffers)) {
    MemRefType type = alloc.getType();
    buffer.size = type.getNumElements() *
                  llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  }
}

void AllocationLifetimes::extend(unsigned index, Operation *user) {
  PackingBuffer &buffer = buffers[index];
  int64_t last = step.lookup(user);
  // A buffer allocated outside a loop and used inside it is needed by every
  // iteration: it lives until the loop ends.
  Operation *alloc = allocations[index];
  for (Operation *parent = user->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (parent->isProperAncestor(alloc))
      break;
    if (auto it = loopEnd.find(parent); it != loopEnd.end())
      last = std::max(last, it->second);
  }
  buffer.last = std::max(buffer.last, last);
}

struct PlanArenaPass : public pex::impl::PlanArenaBase<PlanArenaPass> {
  using PlanArenaBase::PlanArenaBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      module.emitError() << "pex: arena alignment must be a power of two";
      return signalPassFailure();
    }
    if (strategy != "first-fit" && strategy != "search") {
      module.emitError() << "pex: unknown arena strategy '" << strategy
                         << "' (expected first-fit or search)";
      return signalPassFailure();
    }
    PackingStrategy packingStrategy = strategy == "first-fit"
                                          ? PackingStrategy::FirstFit
                                          : PackingStrategy::Search;

    struct Plan {
      AllocationLifetimes lifetimes;
      Packing packing;
      int64_t peak;
    };
    std::vector<std::pair<func::FuncOp, Plan>> plans;
    int64_t arenaSize = 0, peak = 0, lowerBound = 0, firstFitSize = 0;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      AllocationLifetimes lifetimes(func);
      for (memref::AllocOp alloc : lifetimes.getAllocations())
        if (!alloc.getType().hasStaticShape()) {
          alloc.emitError() << "pex: dynamic allocation "
                            << alloc.getType()
                            << " cannot be placed in a static arena";
          return signalPassFailure();
        }
      Packing packing =
          packBuffers(lifetimes.getBuffers(), alignment, packingStrategy);
      int64_t funcPeak = getLivenessPeak(lifetimes.getBuffers(), 1);
      firstFitSize = std::max(
          firstFitSize, packBuffers(lifetimes.getBuffers(), alignment,
                                    PackingStrategy::FirstFit)
                            .size);
      arenaSize = std::max(arenaSize, packing.size);
      peak = std::max(peak, funcPeak);
      lowerBound = std::max(lowerBound, packing.lowerBound);
      plans.push_back({func, Plan{std::move(lifetimes), std::move(packing),
                                  funcPeak}});
    }
    if (arenaSize == 0)
      return;

    OpBuilder builder(module.getBodyRegion());
    builder.setInsertionPointToStart(module.getBody());
    auto arenaType = MemRefType::get({arenaSize}, builder.getI8Type());
    auto global = memref::GlobalOp::create(
        builder, module.getLoc(), symbol,
        builder.getStringAttr(external ? "public" : "private"), arenaType,
        external ? Attribute() : builder.getUnitAttr(), /*constant=*/false,
        builder.getI64IntegerAttr(alignment));
    global->setAttr(kArenaAttrName,
                    ArenaAttr::get(&getContext(), arenaSize, alignment, peak,
                                   lowerBound));
    // What TensorFlow Lite Micro's greedy planner would need for the same
    // buffers and lifetimes, for comparison.
    global->setAttr(kFirstFitSizeAttrName,
                    builder.getI64IntegerAttr(firstFitSize));

    for (auto &[func, plan] : plans) {
      builder.setInsertionPointToStart(&func.getBody().front());
      Value arena = memref::GetGlobalOp::create(builder, func.getLoc(),
                                                arenaType, symbol);
      for (auto [index, constAlloc] :
           llvm::enumerate(plan.lifetimes.getAllocations())) {
        memref::AllocOp alloc = constAlloc;
        const PackingBuffer &buffer = plan.lifetimes.getBuffers()[index];
        int64_t offset = plan.packing.offsets[index];
        builder.setInsertionPoint(alloc);
        Value offsetValue =
            arith::ConstantIndexOp::create(builder, alloc.getLoc(), offset);
        auto view = memref::ViewOp::create(builder, alloc.getLoc(),
                                           alloc.getType(), arena, offsetValue,
                                           ValueRange());
        view->setAttr(kPlacementAttrName,
                      PlacementAttr::get(&getContext(), offset, buffer.size,
                                         buffer.first, buffer.last));
        alloc.replaceAllUsesWith(view.getResult());
        alloc.erase();
      }
      func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    }
  }
};
} // namespace
