//===- OpLabels.cpp - Names of operations in reports ------------*- C++ -*-===//

#include "pex/Analysis/OpLabels.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/IR/Location.h"

using namespace mlir;

std::string mlir::pex::getLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = getLocationName(inner); !name.empty())
        return name;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLocationName(callSite.getCallee());
  return "";
}

std::string mlir::pex::getOpLabel(Operation *op) {
  std::string label = op->getName().getStringRef().str();
  if (std::string name = getLocationName(op->getLoc()); !name.empty())
    label += " \"" + name + "\"";
  return label;
}

std::string mlir::pex::getValueLabel(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg)
    return getOpLabel(value.getDefiningOp());
  if (auto func =
          dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp()))
    if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                      "pex.name"))
      return "\"" + name.str() + "\"";
  return "%arg" + std::to_string(arg.getArgNumber());
}
