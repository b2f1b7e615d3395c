//===- UnitOrder.cpp - Rewriting a function body into a unit order -------===//

#include "pex/Transforms/UnitOrder.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>

using namespace mlir;
using namespace mlir::pex;

void mlir::pex::applyUnitOrder(const BufferGraph &model,
                               ArrayRef<unsigned> order) {
  Block &block = model.getFunction().getBody().front();
  Operation *terminator = block.getTerminator();

  // Constants first, in their original order, so every unit can use them.
  SmallVector<Operation *> constants;
  for (Operation &op : block.without_terminator())
    if (op.hasTrait<OpTrait::ConstantLike>() ||
        (op.getNumResults() > 0 && llvm::all_of(op.getResults(), [](Value v) {
           return isConstantValue(v);
         })))
      constants.push_back(&op);

  llvm::DenseSet<Operation *> placed;
  auto place = [&](Operation *op) {
    placed.insert(op);
    op->moveBefore(terminator);
  };
  for (Operation *op : constants)
    place(op);

  // Operations that are not units (views) go right before their first user;
  // a loop's body reads them too.
  std::function<void(Operation *)> placeWithDependencies = [&](Operation *op) {
    if (placed.contains(op))
      return;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && def->getBlock() == &block && def != op &&
            !model.getUnitOf(def))
          placeWithDependencies(def);
    });
    place(op);
  };
  for (unsigned unit : order)
    for (Operation *op : model.getUnits()[unit].op.ops)
      placeWithDependencies(op);

  // Remaining operations (views nobody reads) keep their relative order.
  // Collected first: moving while iterating would visit them again.
  SmallVector<Operation *> rest;
  for (Operation &op : block.without_terminator())
    if (!placed.contains(&op))
      rest.push_back(&op);
  for (Operation *op : rest)
    op->moveBefore(terminator);
}
