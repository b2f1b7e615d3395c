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

/// The type of a global pex can keep between runs: mutable, of static shape,
/// its initial value (none: zeros) one repeated element, so that resetting
/// the state is a fill.
FailureOr<RankedTensorType> getStateType(ml_program::GlobalOp global) {
  auto type = dyn_cast<RankedTensorType>(global.getType());
  if (!global.getIsMutable())
    return global.emitError() << "pex: global @" << global.getSymName()
                              << " is stored to but not mutable";
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

/// The loads and the store of one global in a function body.
struct GlobalAccesses {
  SmallVector<ml_program::GlobalLoadOp> loads;
  SmallVector<ml_program::GlobalStoreOp> stores;
};

/// Loads of a global that never changes become constants of its value.
LogicalResult replaceByConstant(ml_program::GlobalOp global,
                                ArrayRef<ml_program::GlobalLoadOp> loads) {
  std::optional<Attribute> value = global.getValue();
  auto elements = value ? dyn_cast<ElementsAttr>(*value) : ElementsAttr();
  if (!elements)
    return ml_program::GlobalLoadOp(loads.front()).emitError()
           << "pex: the global @" << global.getSymName()
           << " is loaded but has no value";
  for (ml_program::GlobalLoadOp load : loads) {
    OpBuilder builder(load);
    Value constant =
        tosa::ConstOp::create(builder, load.getLoc(), load.getType(), elements);
    load.replaceAllUsesWith(constant);
    load.erase();
  }
  return success();
}

struct ThreadVariablesPass
    : public pex::impl::ThreadVariablesBase<ThreadVariablesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && failed(thread(func, symbols)))
        return signalPassFailure();
  }

  LogicalResult thread(func::FuncOp func, SymbolTable &symbols) {
    // By global, in the order the body first uses them.
    llvm::MapVector<StringAttr, GlobalAccesses> accesses;
    Block &body = func.getBody().front();
    WalkResult walk = func.walk([&](Operation *op) {
      StringAttr name;
      if (auto load = dyn_cast<ml_program::GlobalLoadOp>(op)) {
        name = load.getGlobalAttr().getRootReference();
        accesses[name].loads.push_back(load);
      } else if (auto store = dyn_cast<ml_program::GlobalStoreOp>(op)) {
        name = store.getGlobalAttr().getRootReference();
        accesses[name].stores.push_back(store);
      } else {
        return WalkResult::advance();
      }
      if (op->getBlock() != &body) {
        op->emitError() << "pex: the state @" << name.getValue()
                        << " is accessed inside a region; a model reads and "
                           "writes its state in its body";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    for (auto &[name, access] : accesses) {
      Operation *first = access.loads.empty()
                             ? access.stores.front().getOperation()
                             : access.loads.front().getOperation();
      auto global = symbols.lookup<ml_program::GlobalOp>(name);
      if (!global)
        return first->emitError()
               << "pex: no ml_program.global @" << name.getValue();
      // A global nobody stores to is a constant.
      if (access.stores.empty()) {
        if (failed(replaceByConstant(global, access.loads)))
          return failure();
        continue;
      }
      FailureOr<RankedTensorType> type = getStateType(global);
      if (failed(type))
        return failure();
      if (access.stores.size() > 1)
        return access.stores[1].emitError()
               << "pex: the state @" << name.getValue()
               << " is written more than once in a run";
      auto symbol = FlatSymbolRefAttr::get(name);
      ml_program::GlobalStoreOp store = access.stores.front();

      // Loads before the store see the value the run starts from; loads
      // after it, the stored value.
      BlockArgument before;
      for (ml_program::GlobalLoadOp load : access.loads) {
        if (store->isBeforeInBlock(load)) {
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
      Value after = store.getValue();
      store.erase();
      // Storing back what was loaded leaves the state as it is.
      if (after == before)
        continue;
      Operation *terminator = body.getTerminator();
      // A value the model also returns (or leaves in another state) is one
      // buffer with two destinations: the state gets a copy.
      if (llvm::is_contained(terminator->getOperands(), after)) {
        OpBuilder builder(terminator);
        after = tosa::IdentityOp::create(builder, after.getLoc(),
                                         after.getType(), after);
      }
      unsigned index = func.getNumResults();
      if (failed(func.insertResult(index, *type, {})))
        return failure();
      terminator->insertOperands(terminator->getNumOperands(), after);
      func.setResultAttr(index, kVariableAttrName, symbol);
    }
    return success();
  }
};

} // namespace
