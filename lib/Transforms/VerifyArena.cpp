//===- VerifyArena.cpp - pex-verify-arena -----------------------*- C++ -*-===//
//
// Re-derives, independently of the planner, which arena buffers are live at
// each operation, and checks that live buffers of the same arena (or memory
// pool) never share bytes, and that every pool is within its capacity. The
// lifetimes here are deliberately conservative: every operation that takes a
// buffer and returns a memref is assumed to alias it, and a use inside a
// loop covers the whole loop.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::pex {
#define GEN_PASS_DEF_VERIFYARENA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// An arena global: the one arena, or a memory pool's.
struct ArenaStorage {
  int64_t size;
  /// The pool's name; empty for the one arena.
  StringRef pool;
};

struct ArenaBuffer {
  memref::ViewOp view;
  StringAttr storage;
  int64_t offset, bytes;
  /// Positions (in a pre-order numbering) of every operation that touches
  /// the buffer.
  int64_t first, last;
  /// A stream's result planned over its input's consumed rows: the input
  /// buffer's offset.
  std::optional<int64_t> overConsumedInput = std::nullopt;
};

/// Whether `writer` is a stream's result planned over the consumed rows of
/// `input` (which the rows are read from, so it is touched first); row by
/// row the planner showed that no byte is written before its last read.
bool isPlannedOverlap(const ArenaBuffer &writer, const ArenaBuffer &input) {
  return writer.overConsumedInput &&
         *writer.overConsumedInput == input.offset &&
         input.first <= writer.first;
}

/// Every value that may refer to the bytes of `root`: through operations
/// that return memrefs from it, loop-carried values and yields.
SmallVector<Operation *> collectTouchingOps(Value root) {
  SmallVector<Operation *> touching;
  SmallVector<Value> worklist{root};
  llvm::DenseSet<Value> seen{root};
  auto push = [&](Value value) {
    if (seen.insert(value).second)
      worklist.push_back(value);
  };
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      touching.push_back(user);
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()))
          push(result);
      if (auto loop = dyn_cast<LoopLikeOpInterface>(user)) {
        for (auto [init, arg] :
             llvm::zip(loop.getInitsMutable(), loop.getRegionIterArgs()))
          if (init.get() == value)
            push(arg);
      }
      if (user->hasTrait<OpTrait::IsTerminator>())
        if (auto loop = dyn_cast<LoopLikeOpInterface>(user->getParentOp()))
          if (auto results = loop.getLoopResults())
            for (Value result : *results)
              push(result);
    }
  }
  return touching;
}

struct VerifyArenaPass : public pex::impl::VerifyArenaBase<VerifyArenaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::DenseMap<StringAttr, ArenaStorage> arenaSizes;
    for (auto global : module.getOps<memref::GlobalOp>()) {
      if (auto arena = global->getAttrOfType<ArenaAttr>(kArenaAttrName))
        arenaSizes[global.getSymNameAttr()] = {arena.getSize(), ""};
      if (auto pool = global->getAttrOfType<PoolAttr>(kPoolAttrName)) {
        if (pool.getSize() > pool.getCapacity() ||
            global.getType().getNumElements() > pool.getCapacity()) {
          global.emitError() << "pex: memory pool '" << pool.getName()
                             << "' of " << pool.getCapacity()
                             << " bytes holds " << global.getType();
          return signalPassFailure();
        }
        arenaSizes[global.getSymNameAttr()] = {pool.getSize(),
                                               pool.getName()};
      }
    }

    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && failed(verifyFunction(func, arenaSizes)))
        return signalPassFailure();
  }

  LogicalResult
  verifyFunction(func::FuncOp func,
                 const llvm::DenseMap<StringAttr, ArenaStorage> &arenaSizes) {
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t next = 0;
    WalkResult heap = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      position[op] = next++;
      if (isa<memref::AllocOp, memref::AllocaOp>(op)) {
        op->emitError() << "pex: buffer outside the arena";
        return WalkResult::interrupt();
      }
      return isa<KernelOp>(op) ? WalkResult::skip() : WalkResult::advance();
    });
    if (heap.wasInterrupted())
      return failure();

    SmallVector<ArenaBuffer> buffers;
    WalkResult bad = func.walk([&](memref::ViewOp view) {
      auto global = view.getSource().getDefiningOp<memref::GetGlobalOp>();
      auto arenaSize =
          global ? arenaSizes.find(global.getNameAttr().getAttr())
                 : arenaSizes.end();
      if (arenaSize == arenaSizes.end())
        return WalkResult::advance();
      APInt offsetValue;
      if (!matchPattern(view.getByteShift(), m_ConstantInt(&offsetValue))) {
        view.emitError() << "pex: arena view at a dynamic offset";
        return WalkResult::interrupt();
      }
      MemRefType type = view.getType();
      ArenaBuffer buffer{view, arenaSize->first, offsetValue.getSExtValue(),
                         // LLVM stores whole power-of-two bytes (i48: 8).
                         type.getNumElements() *
                             static_cast<int64_t>(llvm::PowerOf2Ceil(
                                 llvm::divideCeil(
                                     type.getElementTypeBitWidth(), 8))),
                         0, 0};
      const ArenaStorage &storage = arenaSize->second;
      if (buffer.offset < 0 || buffer.offset + buffer.bytes > storage.size) {
        InFlightDiagnostic diag = view.emitError()
                                  << "pex: buffer [" << buffer.offset << ", "
                                  << buffer.offset + buffer.bytes
                                  << ") exceeds the ";
        if (storage.pool.empty())
          diag << "arena";
        else
          diag << "memory pool '" << storage.pool << "'";
        diag << " of " << storage.size << " bytes";
        return WalkResult::interrupt();
      }
      auto placement = view->getAttrOfType<PlacementAttr>(kPlacementAttrName);
      if (!placement || placement.getOffset() != buffer.offset ||
          placement.getSize() < buffer.bytes ||
          placement.getPool() != storage.pool) {
        view.emitError() << "pex: buffer at offset " << buffer.offset
                         << " of " << buffer.bytes
                         << " bytes does not match its placement";
        return WalkResult::interrupt();
      }
      buffer.first = buffer.last = position.lookup(view);
      if (auto over = view->getAttrOfType<IntegerAttr>(kOverConsumedInputAttrName))
        buffer.overConsumedInput = over.getInt();
      for (Operation *op : collectTouchingOps(view.getResult())) {
        int64_t at = position.lookup(op);
        buffer.first = std::min(buffer.first, at);
        buffer.last = std::max(buffer.last, at);
        for (Operation *parent = op->getParentOp(); parent != func;
             parent = parent->getParentOp()) {
          if (!isa<LoopLikeOpInterface>(parent) ||
              parent->isProperAncestor(view))
            continue;
          int64_t start = position.lookup(parent);
          int64_t end = start;
          parent->walk([&](Operation *nested) {
            end = std::max(end, position.lookup(nested));
          });
          buffer.first = std::min(buffer.first, start);
          buffer.last = std::max(buffer.last, end);
        }
      }
      // The application reads an output the arena holds after the call.
      if (auto role = view->getAttrOfType<StringAttr>(kArenaIOAttrName);
          role && role.getValue().starts_with("output"))
        buffer.last = next;
      buffers.push_back(buffer);
      return WalkResult::advance();
    });
    if (bad.wasInterrupted())
      return failure();

    for (auto [i, a] : llvm::enumerate(buffers))
      for (const ArenaBuffer &b : ArrayRef(buffers).drop_front(i + 1)) {
        bool liveTogether = a.storage == b.storage && a.first <= b.last &&
                            b.first <= a.last;
        bool shareBytes = a.offset < b.offset + b.bytes &&
                          b.offset < a.offset + a.bytes;
        if (!liveTogether || !shareBytes || isPlannedOverlap(a, b) ||
            isPlannedOverlap(b, a))
          continue;
        memref::ViewOp view = a.view;
        view.emitError()
            << "pex: arena buffers overlap: [" << a.offset << ", "
            << a.offset + a.bytes << ") and [" << b.offset << ", "
            << b.offset + b.bytes << ") are live at the same time";
        memref::ViewOp other = b.view;
        other.emitRemark() << "the other buffer";
        return failure();
      }
    return success();
  }
};
} // namespace
