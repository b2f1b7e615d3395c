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

/// Lifetimes, in program order, of the buffers of a function that the arena
/// holds: its allocations and, when the arena also holds the model's input
/// and output, its memref arguments.
class BufferLifetimes {
public:
  BufferLifetimes(func::FuncOp func, bool includeArguments);
  /// The buffers: `memref.alloc` results and block arguments.
  ArrayRef<Value> getValues() const { return values; }
  ArrayRef<PackingBuffer> getBuffers() const { return buffers; }

private:
  void addBuffer(Value value, int64_t first, int64_t last);
  void extend(unsigned buffer, Operation *user);

  SmallVector<Value> values;
  SmallVector<PackingBuffer> buffers;
  llvm::DenseMap<Operation *, int64_t> step;
  /// Last step inside each loop.
  llvm::DenseMap<Operation *, int64_t> loopEnd;
};

BufferLifetimes::BufferLifetimes(func::FuncOp func, bool includeArguments) {
  // Steps number operations in program order; kernel bodies are
  // descriptions of one step, not steps.
  int64_t next = 0;
  func.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    step[op] = next++;
    return isa<KernelOp>(op) ? WalkResult::skip() : WalkResult::advance();
  });
  int64_t lastStep = std::max<int64_t>(next - 1, 0);
  func.getBody().walk([&](LoopLikeOpInterface loop) {
    int64_t end = step[loop];
    loop->walk([&](Operation *nested) {
      if (auto it = step.find(nested); it != step.end())
        end = std::max(end, it->second);
    });
    loopEnd[loop] = end;
  });

  llvm::DenseMap<Value, unsigned> bufferOf;
  // An input holds data when the function starts; an output from its first
  // write (the earliest use found below) to the end, when the caller reads it.
  if (includeArguments)
    for (BlockArgument arg : func.getArguments()) {
      if (!isa<MemRefType>(arg.getType()))
        continue;
      bool isOutput = func.getArgAttr(arg.getArgNumber(), kOutputArgAttrName) != nullptr;
      bufferOf[arg] = values.size();
      addBuffer(arg, isOutput ? lastStep : 0, isOutput ? lastStep : 0);
    }
  func.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      bufferOf[alloc] = values.size();
      addBuffer(alloc, step[op], step[op]);
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
}

void BufferLifetimes::addBuffer(Value value, int64_t first, int64_t last) {
  auto type = cast<MemRefType>(value.getType());
  int64_t size = type.hasStaticShape()
                     ? type.getNumElements() *
                           llvm::divideCeil(type.getElementTypeBitWidth(), 8)
                     : 0;
  values.push_back(value);
  buffers.push_back({size, first, last});
}

void BufferLifetimes::extend(unsigned index, Operation *user) {
  PackingBuffer &buffer = buffers[index];
  int64_t use = step.lookup(user);
  int64_t first = use, last = use;
  // A buffer defined outside a loop and used inside it is needed by every
  // iteration: it lives for the whole loop.
  Operation *definition = values[index].getDefiningOp();
  for (Operation *parent = user->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (definition && parent->isProperAncestor(definition))
      break;
    if (auto it = loopEnd.find(parent); it != loopEnd.end()) {
      first = std::min(first, step.lookup(parent));
      last = std::max(last, it->second);
    }
  }
  buffer.first = std::min(buffer.first, first);
  buffer.last = std::max(buffer.last, last);
}

/// Where the arena view of an argument goes: inputs hold data from the
/// start; an output from its first write, so its view is defined right
/// before the first operation of the body that touches it (as an
/// allocation would be), which is where its lifetime starts.
void setInsertionPointForArgument(OpBuilder &builder, BlockArgument arg,
                                  Value arena) {
  auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!func.getArgAttr(arg.getArgNumber(), kOutputArgAttrName)) {
    builder.setInsertionPointAfterValue(arena);
    return;
  }
  Block &body = func.getBody().front();
  Operation *first = body.getTerminator();
  for (Operation *user : arg.getUsers()) {
    Operation *ancestor = body.findAncestorOpInBlock(*user);
    if (ancestor && ancestor->isBeforeInBlock(first))
      first = ancestor;
  }
  builder.setInsertionPoint(first);
}

/// Accessor roles of the model's arguments held in the arena: "input" and
/// "output", numbered when there are several of a kind.
SmallVector<std::string> getArgumentRoles(func::FuncOp func) {
  SmallVector<bool> isOutput;
  for (unsigned index = 0; index < func.getNumArguments(); ++index)
    isOutput.push_back(func.getArgAttr(index, kOutputArgAttrName) != nullptr);
  unsigned outputs = llvm::count(isOutput, true);
  unsigned inputs = isOutput.size() - outputs;
  SmallVector<std::string> roles;
  unsigned input = 0, output = 0;
  for (bool out : isOutput) {
    std::string role = out ? "output" : "input";
    if ((out ? outputs : inputs) > 1)
      role += std::to_string(out ? output : input);
    (out ? output : input)++;
    roles.push_back(role);
  }
  return roles;
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
      BufferLifetimes lifetimes;
      Packing packing;
      int64_t peak;
    };
    std::vector<std::pair<func::FuncOp, Plan>> plans;
    int64_t arenaSize = 0, peak = 0, lowerBound = 0, firstFitSize = 0;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      BufferLifetimes lifetimes(func, holdIO && func.isPublic());
      for (Value value : lifetimes.getValues())
        if (!cast<MemRefType>(value.getType()).hasStaticShape() ||
            !cast<MemRefType>(value.getType()).getLayout().isIdentity()) {
          Location loc = value.getDefiningOp() ? value.getDefiningOp()->getLoc()
                                               : func.getLoc();
          emitError(loc) << "pex: buffer " << value.getType()
                         << " cannot be placed in a static arena (dynamic "
                            "shape or strided layout)";
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
      if (plan.lifetimes.getValues().empty())
        continue;
      builder.setInsertionPointToStart(&func.getBody().front());
      Value arena = memref::GetGlobalOp::create(builder, func.getLoc(),
                                                arenaType, symbol);
      SmallVector<std::string> roles = getArgumentRoles(func);
      llvm::BitVector placedArguments(func.getNumArguments());
      for (auto [index, placed] : llvm::enumerate(plan.lifetimes.getValues())) {
        Value value = placed;
        const PackingBuffer &buffer = plan.lifetimes.getBuffers()[index];
        int64_t offset = plan.packing.offsets[index];
        auto arg = dyn_cast<BlockArgument>(value);
        Location loc = arg ? func.getLoc() : value.getDefiningOp()->getLoc();
        if (arg)
          setInsertionPointForArgument(builder, arg, arena);
        else
          builder.setInsertionPoint(value.getDefiningOp());
        Value offsetValue = arith::ConstantIndexOp::create(builder, loc, offset);
        auto view = memref::ViewOp::create(builder, loc,
                                           cast<MemRefType>(value.getType()),
                                           arena, offsetValue, ValueRange());
        view->setAttr(kPlacementAttrName,
                      PlacementAttr::get(&getContext(), offset, buffer.size,
                                         buffer.first, buffer.last));
        value.replaceAllUsesWith(view.getResult());
        if (arg) {
          view->setAttr(kArenaIOAttrName,
                        builder.getStringAttr(roles[arg.getArgNumber()]));
          placedArguments.set(arg.getArgNumber());
        } else {
          value.getDefiningOp()->erase();
        }
      }
      if (failed(func.eraseArguments(placedArguments)))
        return signalPassFailure();
      func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    }
  }
};
} // namespace
