//===- MaterializeArena.cpp - pex-materialize-arena -------------*- C++ -*-===//
//
// Carries out the placement pex-plan-arena recorded: one static arena (or
// one per memory pool), and every buffer a view of it at its planned
// offset. Nothing is decided here;
// a buffer without a placement is a buffer the plan does not know, which a
// lowering step must not create.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Support/BufferCopies.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::pex {
#define GEN_PASS_DEF_MATERIALIZEARENA
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Accessor roles of the model's arguments held in the arena: "input" and
/// "output", numbered when there are several of a kind.
/// Variables' values are not the application's: no role.
SmallVector<std::string> getArgumentRoles(func::FuncOp func) {
  SmallVector<bool> isOutput;
  SmallVector<unsigned> modelArguments;
  for (unsigned index = 0; index < func.getNumArguments(); ++index) {
    if (func.getArgAttr(index, kVariableAttrName))
      continue;
    modelArguments.push_back(index);
    isOutput.push_back(func.getArgAttr(index, kOutputArgAttrName) != nullptr);
  }
  unsigned outputs = llvm::count(isOutput, true);
  unsigned inputs = isOutput.size() - outputs;
  SmallVector<std::string> roles(func.getNumArguments());
  unsigned input = 0, output = 0;
  for (auto [index, out] : llvm::zip(modelArguments, isOutput)) {
    std::string role = out ? "output" : "input";
    if ((out ? outputs : inputs) > 1)
      role += std::to_string(out ? output : input);
    (out ? output : input)++;
    roles[index] = role;
  }
  return roles;
}

/// The memref.global keeping each state between runs, by symbol: what each
/// ml_program.global a function's argument names (pex-thread-variables)
/// becomes, holding the initial value (none: zeros) until the first run,
/// marked `pex.variable`.
FailureOr<llvm::DenseMap<StringAttr, memref::GlobalOp>>
createVariableGlobals(ModuleOp module) {
  llvm::DenseSet<StringAttr> named;
  for (auto func : module.getOps<func::FuncOp>())
    for (unsigned index = 0; index < func.getNumArguments(); ++index)
      if (auto symbol = func.getArgAttrOfType<FlatSymbolRefAttr>(
              index, kVariableAttrName))
        named.insert(symbol.getAttr());
  llvm::DenseMap<StringAttr, memref::GlobalOp> globals;
  OpBuilder builder(module.getContext());
  for (auto state :
       llvm::make_early_inc_range(module.getOps<ml_program::GlobalOp>())) {
    auto tensorType = dyn_cast<RankedTensorType>(state.getType());
    if (!named.contains(state.getSymNameAttr()))
      continue;
    if (!tensorType || !tensorType.hasStaticShape())
      return state.emitError() << "pex: the state @" << state.getSymName()
                               << " kept between runs has no static shape";
    std::optional<Attribute> initial = state.getValue();
    auto elements =
        initial ? dyn_cast<DenseElementsAttr>(*initial) : DenseElementsAttr();
    if (initial && !elements)
      return state.emitError() << "pex: the state @" << state.getSymName()
                               << " has an initial value that is not dense";
    Attribute value =
        elements ? Attribute(elements) : builder.getZeroAttr(tensorType);
    builder.setInsertionPoint(state);
    StringAttr name = state.getSymNameAttr();
    auto global = memref::GlobalOp::create(
        builder, state.getLoc(), name.getValue(),
        builder.getStringAttr("private"),
        MemRefType::get(tensorType.getShape(), tensorType.getElementType()),
        value, /*constant=*/false, /*alignment=*/IntegerAttr());
    global->setAttr(kVariableAttrName, builder.getUnitAttr());
    state.erase();
    globals[name] = global;
  }
  return globals;
}

/// The global keeping `state` between runs, for a buffer of `type` placed
/// there (a loop's carried storage, of the state's own type).
FailureOr<Value>
getStateStorage(OpBuilder &builder, Location loc, Operation *user,
                FlatSymbolRefAttr state, MemRefType type,
                const llvm::DenseMap<StringAttr, memref::GlobalOp> &globals) {
  memref::GlobalOp global = globals.lookup(state.getAttr());
  if (!global || global.getType() != type)
    return user->emitError() << "pex: internal error: a buffer of type " << type
                             << " placed in the state " << state
                             << ", which has no global of that type";
  return memref::GetGlobalOp::create(builder, loc, global.getType(),
                                     global.getSymName())
      .getResult();
}

/// Buffers placed in a state's global (a loop carrying a variable's new
/// value there) become that global.
LogicalResult
bindStateBuffers(func::FuncOp func,
                 const llvm::DenseMap<StringAttr, memref::GlobalOp> &globals) {
  SmallVector<memref::AllocOp> allocs;
  func.walk([&](memref::AllocOp alloc) {
    auto placement = alloc->getAttrOfType<PlacementAttr>(kPlacementAttrName);
    if (placement && placement.getState())
      allocs.push_back(alloc);
  });
  OpBuilder builder(func.getContext());
  for (memref::AllocOp alloc : allocs) {
    builder.setInsertionPoint(alloc);
    FailureOr<Value> storage = getStateStorage(
        builder, alloc.getLoc(), alloc,
        alloc->getAttrOfType<PlacementAttr>(kPlacementAttrName).getState(),
        alloc.getType(), globals);
    if (failed(storage))
      return failure();
    alloc.replaceAllUsesWith(*storage);
    alloc.erase();
  }
  return success();
}

/// Reads of a variable's value before the run become the variable's global;
/// its value after the run, computed at the argument's planned place, is
/// copied into the global after the last step, unless it was computed in
/// the global itself.
LogicalResult bindVariableArguments(
    func::FuncOp func,
    const llvm::DenseMap<StringAttr, memref::GlobalOp> &globals,
    llvm::BitVector &boundArguments) {
  Block &body = func.getBody().front();
  OpBuilder builder(func.getContext());
  for (BlockArgument arg : func.getArguments()) {
    auto symbol = func.getArgAttrOfType<FlatSymbolRefAttr>(arg.getArgNumber(),
                                                           kVariableAttrName);
    if (!symbol)
      continue;
    memref::GlobalOp global = globals.lookup(symbol.getAttr());
    if (!global)
      return func.emitError() << "pex: no mutable global " << symbol;
    bool isNewValue = static_cast<bool>(
        func.getArgAttr(arg.getArgNumber(), kOutputArgAttrName));
    auto placement = func.getArgAttrOfType<PlacementAttr>(arg.getArgNumber(),
                                                          kPlacementAttrName);
    if (isNewValue && !placement)
      return func.emitError() << "pex: internal error: the new value of "
                              << symbol << " has no planned placement";
    if (isNewValue && placement.getState() && placement.getState() != symbol)
      return func.emitError()
             << "pex: internal error: the new value of " << symbol
             << " is placed in the state " << placement.getState();
    // Computed in the global itself: the argument is the global.
    bool inGlobal = !isNewValue || placement.getState();
    builder.setInsertionPoint(inGlobal ? &body.front() : body.getTerminator());
    Value storage = memref::GetGlobalOp::create(
        builder, func.getLoc(), global.getType(), global.getSymName());
    if (inGlobal) {
      arg.replaceAllUsesWith(storage);
      boundArguments.set(arg.getArgNumber());
      continue;
    }
    // The view replacing the argument is made with the other placed ones.
    createCopyLoops(builder, func.getLoc(), arg, storage);
  }
  return success();
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
    FailureOr<llvm::DenseMap<StringAttr, memref::GlobalOp>> variables =
        createVariableGlobals(module);
    if (failed(variables))
      return signalPassFailure();
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
      for (func::FuncOp func : funcs) {
        llvm::BitVector bound(func.getNumArguments());
        if (failed(bindStateBuffers(func, *variables)) ||
            failed(checkNothingToPlace(func)) ||
            failed(bindVariableArguments(func, *variables, bound)) ||
            failed(func.eraseArguments(bound)))
          return signalPassFailure();
      }
      return;
    }

    // With memory pools, every function must have the same ones.
    ArrayAttr pools = funcs.front()->getAttrOfType<ArrayAttr>(kPoolsAttrName);
    for (func::FuncOp func : funcs) {
      auto own = func->getAttrOfType<ArrayAttr>(kPoolsAttrName);
      if (static_cast<bool>(own) != static_cast<bool>(pools) ||
          (pools && !samePools(own, pools))) {
        func.emitError() << "pex: the functions of the module are planned "
                            "with different memory pools";
        return signalPassFailure();
      }
    }

    OpBuilder builder(module.getBodyRegion());
    builder.setInsertionPointToStart(module.getBody());
    auto createGlobal = [&](StringRef name, int64_t size) {
      return memref::GlobalOp::create(
          builder, module.getLoc(), name,
          builder.getStringAttr(external ? "public" : "private"),
          MemRefType::get({size}, builder.getI8Type()),
          external ? Attribute() : builder.getUnitAttr(), /*constant=*/false,
          builder.getI64IntegerAttr(arena.getAlignment()));
    };
    // The storages the views are of: the arena, or each pool's global by
    // pool name.
    SmallVector<std::pair<StringAttr, memref::GlobalOp>> globals;
    if (!pools) {
      memref::GlobalOp global = createGlobal(symbol, arena.getSize());
      global->setAttr(kArenaAttrName, arena);
      global->setAttr(kFirstFitSizeAttrName,
                      builder.getI64IntegerAttr(firstFitSize));
      globals.push_back({builder.getStringAttr(""), global});
    } else {
      module->setAttr(kArenaAttrName, arena);
      module->setAttr(kFirstFitSizeAttrName,
                      builder.getI64IntegerAttr(firstFitSize));
      SmallVector<NamedAttribute> sections;
      for (auto [index, attr] : llvm::enumerate(pools)) {
        auto pool = cast<PoolAttr>(attr);
        int64_t size = 0;
        for (func::FuncOp func : funcs)
          size = std::max(size, cast<PoolAttr>(func->getAttrOfType<ArrayAttr>(
                                                    kPoolsAttrName)[index])
                                    .getSize());
        if (size == 0)
          continue;
        std::string name = (symbol + "_" + pool.getName()).str();
        memref::GlobalOp global = createGlobal(name, size);
        global->setAttr(kPoolAttrName,
                        PoolAttr::get(&getContext(), pool.getName(),
                                      pool.getCapacity(), size,
                                      pool.getSection()));
        globals.push_back({builder.getStringAttr(pool.getName()), global});
        if (!pool.getSection().empty())
          sections.push_back(builder.getNamedAttr(
              name, builder.getStringAttr(pool.getSection())));
      }
      if (!sections.empty())
        module->setAttr(kSectionsAttrName,
                        builder.getDictionaryAttr(sections));
    }

    for (func::FuncOp func : funcs) {
      func->removeAttr(kArenaAttrName);
      func->removeAttr(kFirstFitSizeAttrName);
      func->removeAttr(kPoolsAttrName);
      builder.setInsertionPointToStart(&func.getBody().front());
      llvm::DenseMap<StringAttr, Value> storageOf;
      for (auto [pool, global] : globals)
        storageOf[pool] = memref::GetGlobalOp::create(
            builder, func.getLoc(), global.getType(), global.getSymName());
      auto storageFor = [&](Operation *op,
                            PlacementAttr placement) -> Value {
        Value storage =
            storageOf.lookup(builder.getStringAttr(placement.getPool()));
        if (!storage)
          op->emitError() << "pex: internal error: placement " << placement
                          << " is in no planned pool";
        return storage;
      };
      if (failed(bindStateBuffers(func, *variables)))
        return signalPassFailure();
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
        Value storage = storageFor(alloc, placement);
        if (!storage)
          return signalPassFailure();
        builder.setInsertionPoint(alloc);
        Attribute over = alloc->getAttr(kOverConsumedInputAttrName);
        Value view =
            createView(builder, alloc.getLoc(), storage, alloc, placement);
        if (over)
          view.getDefiningOp()->setAttr(kOverConsumedInputAttrName, over);
        alloc.erase();
      }
      SmallVector<std::string> roles = getArgumentRoles(func);
      llvm::BitVector placedArguments(func.getNumArguments());
      if (failed(bindVariableArguments(func, *variables, placedArguments)))
        return signalPassFailure();
      for (BlockArgument arg : func.getArguments()) {
        auto placement = func.getArgAttrOfType<PlacementAttr>(
            arg.getArgNumber(), kPlacementAttrName);
        if (!placement || placedArguments.test(arg.getArgNumber()))
          continue;
        Value storage = storageFor(func, placement);
        if (!storage)
          return signalPassFailure();
        setInsertionPointForArgument(builder, arg, storage);
        Value view =
            createView(builder, func.getLoc(), storage, arg, placement);
        if (const std::string &role = roles[arg.getArgNumber()]; !role.empty())
          view.getDefiningOp()->setAttr(kArenaIOAttrName,
                                        builder.getStringAttr(role));
        placedArguments.set(arg.getArgNumber());
      }
      if (failed(func.eraseArguments(placedArguments)))
        return signalPassFailure();
      func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    }
  }

  static bool samePools(ArrayAttr a, ArrayAttr b) {
    return a.size() == b.size() &&
           llvm::all_of(llvm::zip(a, b), [](auto pair) {
             auto [x, y] = pair;
             auto first = cast<PoolAttr>(x), second = cast<PoolAttr>(y);
             return first.getName() == second.getName() &&
                    first.getCapacity() == second.getCapacity() &&
                    first.getSection() == second.getSection();
           });
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
    func->removeAttr(kPoolsAttrName);
    return failure(result.wasInterrupted());
  }
};
} // namespace
