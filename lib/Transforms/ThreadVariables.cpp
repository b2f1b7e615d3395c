//===- ThreadVariables.cpp - pex-thread-variables ---------------*- C++ -*-===//
//
// A mutable ml_program.global is state the model keeps between runs
// (TFLite's variable tensors: SVDF's memory, an LSTM's h and c; TOSA's
// variables, which tosa-to-mlprogram turns into such globals). Within one
// run it is two values: the one the run starts from and the one it leaves.
// This pass makes them what the planner already understands, an argument
// and a result of the model function, each marked with the global; the
// planner places the result like any buffer, and pex-materialize-arena
// keeps the global apart from the arena, reads it in place and overwrites
// it after the run's last step.
//
//===----------------------------------------------------------------------===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::pex {
#define GEN_PASS_DEF_THREADVARIABLES
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// The type of a stored global (mutable: ml_program's verifier) pex can
/// keep between runs: of static shape, its initial value (none: zeros) one
/// repeated element, so that resetting the state is a fill.
FailureOr<RankedTensorType> getStateType(ml_program::GlobalOp global) {
  auto type = dyn_cast<RankedTensorType>(global.getType());
  if (!type || !type.hasStaticShape())
    return global.emitError() << "pex: the state @" << global.getSymName()
                              << " kept between runs has no static shape";
  if (std::optional<Attribute> initial = global.getValue()) {
    auto elements = dyn_cast<DenseElementsAttr>(*initial);
    if (!elements || !elements.isSplat())
      return global.emitError()
             << "pex: the state @" << global.getSymName()
             << " kept between runs has an initial value that is not one "
                "repeated element (pex resets state by filling it)";
  }
  return type;
}

/// The loads and the stores of one global in the module.
struct GlobalAccesses {
  SmallVector<ml_program::GlobalLoadOp> loads;
  SmallVector<ml_program::GlobalStoreOp> stores;
};

/// The value whose storage `value` is, through views.
Value getViewRoot(Value value) {
  while (Operation *definition = value.getDefiningOp()) {
    Value source = getViewSource(definition);
    if (!source)
      break;
    value = source;
  }
  return value;
}

/// Whether the state's new value `value` needs a copy of its own, to be a
/// buffer the planner places: when the body does not compute it (an
/// argument, such as another state's value before the run, a constant, a
/// view of either) or when the function also returns its storage (the
/// model's output, another state's new value).
bool needsCopy(Value value, Operation *terminator) {
  Value root = getViewRoot(value);
  if (isa<BlockArgument>(root) ||
      root.getDefiningOp()->hasTrait<OpTrait::ConstantLike>())
    return true;
  return llvm::any_of(terminator->getOperands(), [&](Value returned) {
    return getViewRoot(returned) == root;
  });
}

struct ThreadVariablesPass
    : public pex::impl::ThreadVariablesBase<ThreadVariablesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // By global, in the order the module first uses them.
    llvm::MapVector<StringAttr, GlobalAccesses> accesses;
    module.walk([&](Operation *op) {
      if (auto load = dyn_cast<ml_program::GlobalLoadOp>(op))
        accesses[load.getGlobalAttr().getRootReference()].loads.push_back(load);
      else if (auto store = dyn_cast<ml_program::GlobalStoreOp>(op))
        accesses[store.getGlobalAttr().getRootReference()].stores.push_back(
            store);
    });
    for (auto &[name, access] : accesses) {
      auto global = symbols.lookup<ml_program::GlobalOp>(name);
      if (!global) {
        Operation *first = access.loads.empty()
                               ? access.stores.front().getOperation()
                               : access.loads.front().getOperation();
        first->emitError() << "pex: no ml_program.global @" << name.getValue();
        return signalPassFailure();
      }
      if (failed(thread(global, access)))
        return signalPassFailure();
    }
    // What remains of the globals: those the functions' arguments and
    // results name.
    for (auto global :
         llvm::make_early_inc_range(module.getOps<ml_program::GlobalOp>()))
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
  }

  /// Makes the loads and the store of `global` an argument and a result of
  /// the one function that uses it (a global nobody stores to: an argument
  /// only, read where it is).
  LogicalResult thread(ml_program::GlobalOp global, GlobalAccesses &access) {
    StringRef name = global.getSymName();
    Operation *first = access.loads.empty()
                           ? access.stores.front().getOperation()
                           : access.loads.front().getOperation();
    auto func = first->getParentOfType<func::FuncOp>();
    SmallVector<Operation *> ops(access.loads.begin(), access.loads.end());
    ops.append(access.stores.begin(), access.stores.end());
    for (Operation *op : ops) {
      if (op->getParentOfType<func::FuncOp>() != func)
        return op->emitError()
               << "pex: the state @" << name << " is used by @"
               << op->getParentOfType<func::FuncOp>().getSymName() << " and @"
               << func.getSymName() << "; state belongs to one model function";
      if (op->getBlock() != &func.getBody().front())
        return op->emitError()
               << "pex: the state @" << name
               << " is accessed inside a region; a model reads and writes its "
                  "state in its body";
    }
    FailureOr<RankedTensorType> type = getStateType(global);
    if (failed(type))
      return failure();
    if (access.stores.size() > 1)
      return access.stores[1].emitError()
             << "pex: the state @" << name
             << " is written more than once in a run";
    auto symbol = FlatSymbolRefAttr::get(global.getSymNameAttr());
    ml_program::GlobalStoreOp store =
        access.stores.empty() ? nullptr : access.stores.front();

    // Loads before the store see the value the run starts from; loads after
    // it, the stored value.
    BlockArgument before;
    for (ml_program::GlobalLoadOp load : access.loads) {
      if (store && store->isBeforeInBlock(load)) {
        load.replaceAllUsesWith(store.getValue());
        load.erase();
        continue;
      }
      if (!before) {
        unsigned index = func.getNumArguments();
        if (failed(func.insertArgument(index, *type, {}, global.getLoc())))
          return failure();
        func.setArgAttr(index, kVariableAttrName, symbol);
        before = func.getArgument(index);
      }
      load.replaceAllUsesWith(before);
      load.erase();
    }
    if (!store)
      return success();
    Value after = store.getValue();
    store.erase();
    // Storing back what was loaded leaves the state as it is.
    if (after == before)
      return success();
    Operation *terminator = func.getBody().front().getTerminator();
    if (needsCopy(after, terminator)) {
      OpBuilder builder(terminator);
      after = tosa::IdentityOp::create(builder, after.getLoc(), after.getType(),
                                       after);
    }
    unsigned index = func.getNumResults();
    if (failed(func.insertResult(index, *type, {})))
      return failure();
    terminator->insertOperands(terminator->getNumOperands(), after);
    func.setResultAttr(index, kVariableAttrName, symbol);
    return success();
  }
};

} // namespace
