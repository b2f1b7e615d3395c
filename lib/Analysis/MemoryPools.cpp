//===- MemoryPools.cpp - What the memory pools' placement weighs -*- C++ -*-===//

#include "pex/Analysis/MemoryPools.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::pex;

SmallVector<double> mlir::pex::estimateAccesses(const BufferGraph &graph) {
  ArrayRef<BufferGraph::Unit> units = graph.getUnits();
  SmallVector<double> accesses;
  for (auto [index, buffer] : llvm::enumerate(graph.getBuffers())) {
    double count = buffer.exactBytes;
    if (buffer.ownerGroup)
      count += units[*buffer.ownerGroup].macs;
    for (unsigned consumer : buffer.consumers) {
      const BufferGraph::Unit &unit = units[consumer];
      bool multiplies =
          unit.macs > 0 &&
          (unit.group || llvm::is_contained(unit.anchorInputs, index));
      count += multiplies ? unit.macs : buffer.exactBytes;
    }
    accesses.push_back(count);
  }
  return accesses;
}

PlacementAttr mlir::pex::findPlacement(const BufferGraph &graph,
                                       unsigned index) {
  const BufferGraph::Buffer &buffer = graph.getBuffers()[index];
  auto entry = [](Operation *op, StringRef name, unsigned position) {
    auto entries = op->getAttrOfType<ArrayAttr>(name);
    if (!entries || position >= entries.size())
      return PlacementAttr();
    return dyn_cast<PlacementAttr>(entries[position]);
  };
  if (auto arg = dyn_cast<BlockArgument>(buffer.value))
    return graph.getFunction().getArgAttrOfType<PlacementAttr>(
        arg.getArgNumber(), kPlacementAttrName);
  if (buffer.isAccumulator) {
    auto group =
        cast<GroupOp>(graph.getUnits()[*buffer.ownerGroup].op.getSink());
    ValueRange accumulated = group.getPartialYield().getAccumulate();
    return entry(group, kAccumulatorPlacementsAttrName,
                 llvm::find(accumulated, buffer.value) - accumulated.begin());
  }
  if (buffer.isRowAccumulator)
    return entry(graph.getUnits()[*buffer.ownerGroup].op.getSink(),
                 kAccumulatorPlacementsAttrName, 0);
  Operation *op = buffer.value.getDefiningOp();
  if (isa<GroupOp, StreamOp, scf::ForOp>(op))
    return entry(op, kResultPlacementsAttrName,
                 cast<OpResult>(buffer.value).getResultNumber());
  return op->getAttrOfType<PlacementAttr>(kPlacementAttrName);
}
