//===- MaterializeArena.cpp - pex-materialize-arena -------------*- C++ -*-===//
//
// Carries out the placement pex-plan-arena recorded: one static arena, and
// every buffer a view of it at its planned offset. Nothing is decided here;
// a buffer without a placement is a buffer the plan does not know, which a
// lowering step must not create.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/Passes.h"

namespace mlir::pex {
#define GEN_PASS_DEF_MATERIALIZEARENA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

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

/// Where the arena view of an argument goes: inputs hold data from the
/// start; an output from its first write, so its view is defined right
/// before the first operation of the body that touches it.
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

/// `value` (an allocation or an argument) replaced by the view of `arena`
/// at `placement`.
Value createView(OpBuilder &builder, Location loc, Value arena, Value value,
                 PlacementAttr placement) {
  Value offset =
      arith::ConstantIndexOp::create(builder, loc, placement.getOffset());
  auto view =
      memref::ViewOp::create(builder, loc, cast<MemRefType>(value.getType()),
                             arena, offset, ValueRange());
  view->setAttr(kPlacementAttrName, placement);
  value.replaceAllUsesWith(view.getResult());
  return view;
}

struct MaterializeArenaPass
    : public pex::impl::MaterializeArenaBase<MaterializeArenaPass> {
  using MaterializeArenaBase::MaterializeArenaBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // One arena for the module, as large as the largest function's plan.
    ArenaAttr arena;
    int64_t firstFitSize = 0;
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      auto planned = func->getAttrOfType<ArenaAttr>(kArenaAttrName);
      if (!planned) {
        func.emitError() << "pex: the function has no planned arena "
                            "(pex-plan-arena runs before bufferization)";
        return signalPassFailure();
      }
      if (!arena || planned.getSize() > arena.getSize())
        arena = planned;
      if (auto size = func->getAttrOfType<IntegerAttr>(kFirstFitSizeAttrName))
        firstFitSize = std::max(firstFitSize, size.getInt());
      funcs.push_back(func);
    }
    if (!arena || arena.getSize() == 0) {
      for (func::FuncOp func : funcs)
        if (failed(checkNothingToPlace(func)))
          return signalPassFailure();
      return;
    }

    OpBuilder builder(module.getBodyRegion());
    builder.setInsertionPointToStart(module.getBody());
    auto arenaType = MemRefType::get({arena.getSize()}, builder.getI8Type());
    auto global = memref::GlobalOp::create(
        builder, module.getLoc(), symbol,
        builder.getStringAttr(external ? "public" : "private"), arenaType,
        external ? Attribute() : builder.getUnitAttr(), /*constant=*/false,
        builder.getI64IntegerAttr(arena.getAlignment()));
    global->setAttr(kArenaAttrName, arena);
    global->setAttr(kFirstFitSizeAttrName,
                    builder.getI64IntegerAttr(firstFitSize));

    for (func::FuncOp func : funcs) {
      func->removeAttr(kArenaAttrName);
      func->removeAttr(kFirstFitSizeAttrName);
      builder.setInsertionPointToStart(&func.getBody().front());
      Value arenaValue = memref::GetGlobalOp::create(builder, func.getLoc(),
                                                     arenaType, symbol);
      SmallVector<memref::AllocOp> allocs;
      func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
      for (memref::AllocOp alloc : allocs) {
        auto placement =
            alloc->getAttrOfType<PlacementAttr>(kPlacementAttrName);
        if (!placement) {
          alloc.emitError() << "pex: internal error: a buffer of type "
                            << alloc.getType()
                            << " has no planned placement (a lowering step "
                               "made a buffer the plan does not have)";
          return signalPassFailure();
        }
        builder.setInsertionPoint(alloc);
        createView(builder, alloc.getLoc(), arenaValue, alloc, placement);
        alloc.erase();
      }
      SmallVector<std::string> roles = getArgumentRoles(func);
      llvm::BitVector placedArguments(func.getNumArguments());
      for (BlockArgument arg : func.getArguments()) {
        auto placement = func.getArgAttrOfType<PlacementAttr>(
            arg.getArgNumber(), kPlacementAttrName);
        if (!placement)
          continue;
        setInsertionPointForArgument(builder, arg, arenaValue);
        Value view = createView(builder, func.getLoc(), arenaValue, arg,
                                placement);
        view.getDefiningOp()->setAttr(
            kArenaIOAttrName, builder.getStringAttr(roles[arg.getArgNumber()]));
        placedArguments.set(arg.getArgNumber());
      }
      if (failed(func.eraseArguments(placedArguments)))
        return signalPassFailure();
      func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    }
  }

  /// A function whose plan has no buffer must have no allocation either.
  LogicalResult checkNothingToPlace(func::FuncOp func) {
    WalkResult result = func.walk([](memref::AllocOp alloc) {
      alloc.emitError() << "pex: internal error: a buffer of type "
                        << alloc.getType()
                        << " has no planned placement (a lowering step made "
                           "a buffer the plan does not have)";
      return WalkResult::interrupt();
    });
    func->removeAttr(kArenaAttrName);
    func->removeAttr(kFirstFitSizeAttrName);
    return failure(result.wasInterrupted());
  }
};
} // namespace
