//===- PexDialect.cpp - Pex dialect -----------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::pex;

#include "pex/Dialect/Pex/IR/PexDialect.cpp.inc"

void PexDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "pex/Dialect/Pex/IR/PexOps.cpp.inc"
      >();
  registerAttributes();
}

/// An array with one placement (or unit, for a value the arena does not
/// hold) per value of `values`.
static LogicalResult verifyPlacementArray(Operation *op, NamedAttribute attr,
                                          size_t values) {
  auto array = dyn_cast<ArrayAttr>(attr.getValue());
  if (!array || array.size() != values ||
      !llvm::all_of(array, llvm::IsaPred<PlacementAttr, UnitAttr>))
    return op->emitOpError()
           << "'" << attr.getName().getValue() << "' must be an array of "
           << values << " #pex.placement or unit entries";
  return success();
}

/// Success when `ok`, else "'NAME' must be WHAT" on `op`.
static LogicalResult expectAttribute(Operation *op, StringRef name, bool ok,
                                     StringRef what) {
  if (ok)
    return success();
  return op->emitOpError() << "'" << name << "' must be " << what;
}

LogicalResult PexDialect::verifyOperationAttribute(Operation *op,
                                                   NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  auto expect = [&](bool ok, StringRef what) {
    return expectAttribute(op, name, ok, what);
  };
  if (name == kPlacementAttrName)
    return expect(isa<PlacementAttr>(value), "a #pex.placement");
  if (name == kArenaAttrName)
    return expect(isa<ArenaAttr>(value) &&
                      isa<FunctionOpInterface, memref::GlobalOp, ModuleOp>(op),
                  "a #pex.arena on a function, the arena global or (with "
                  "memory pools) the module");
  if (name == kPoolsAttrName) {
    auto pools = dyn_cast<ArrayAttr>(value);
    return expect(pools && isa<FunctionOpInterface>(op) &&
                      llvm::all_of(pools, llvm::IsaPred<PoolAttr>),
                  "an array of #pex.pool on a function");
  }
  if (name == kPoolAttrName)
    return expect(isa<PoolAttr>(value) && isa<memref::GlobalOp>(op),
                  "a #pex.pool on a pool's global");
  if (name == kSectionsAttrName) {
    auto sections = dyn_cast<DictionaryAttr>(value);
    return expect(sections && isa<ModuleOp>(op) &&
                      llvm::all_of(sections.getValue(),
                                   [](NamedAttribute section) {
                                     return isa<StringAttr>(section.getValue());
                                   }),
                  "a dictionary of section names on the module");
  }
  if (name == kLayerAttrName)
    return expect(isa<LayerAttr>(value) && isa<FunctionOpInterface>(op),
                  "a #pex.layer on a function");
  if (name == kVariableAttrName)
    return expect(isa<UnitAttr>(value) && isa<memref::GlobalOp>(op),
                  "a unit attribute on a variable's global");
  if (name == kFloat32RoundingAttrName) {
    auto rescale = dyn_cast<tosa::RescaleOp>(op);
    if (failed(expect(isa<UnitAttr>(value) && rescale &&
                          rescale.getRoundingMode() ==
                              tosa::RoundingMode::SINGLE_ROUND &&
                          getElementTypeOrSelf(rescale.getType())
                                  .getIntOrFloatBitWidth() <= 16 &&
                          getElementTypeOrSelf(rescale.getInput())
                                  .getIntOrFloatBitWidth() <= 32,
                      "a unit attribute on a SINGLE_ROUND tosa.rescale from at "
                      "most 32 to at most 16 bits")))
      return failure();
    // The lowering needs float32 multipliers (24 significant bits) and
    // shifts it can take 2^(s - 1) and 2^-s of: constants are checked.
    DenseElementsAttr multipliers, shifts;
    bool multipliersFit =
        !matchPattern(rescale.getMultiplier(), m_Constant(&multipliers)) ||
        llvm::all_of(multipliers.getValues<APInt>(), [](const APInt &m) {
          APInt magnitude = m.abs();
          return magnitude.isZero() ||
                 magnitude.getActiveBits() - magnitude.countr_zero() <= 24;
        });
    bool shiftsFit =
        !matchPattern(rescale.getShift(), m_Constant(&shifts)) ||
        llvm::all_of(shifts.getValues<APInt>(), [](const APInt &s) {
          return s.getSExtValue() >= 2 && s.getSExtValue() <= 62;
        });
    return expect(multipliersFit && shiftsFit,
                  "on a rescale whose multipliers have at most 24 "
                  "significant bits and shifts are 2 to 62");
  }
  if (name == kDivisorAttrName) {
    auto divisor = dyn_cast<FloatAttr>(value);
    return expect(divisor && divisor.getType().isF32() &&
                      isa<tosa::MulOp>(op) &&
                      getElementTypeOrSelf(op->getResult(0)).isF32(),
                  "an f32 divisor on a float32 tosa.mul");
  }
  if (name == kFirstFitSizeAttrName || name == kPeakBeforePartitionAttrName)
    return expect(isa<IntegerAttr>(value), "an integer number of bytes");
  if (name == kArenaIOAttrName)
    return expect(isa<StringAttr>(value) && isa<memref::ViewOp>(op),
                  "a role string on an arena view");
  if (name == kOverConsumedInputAttrName)
    return expect(
        isa<IntegerAttr>(value) &&
            (isa<StreamOp, BufferOp, memref::AllocOp, memref::ViewOp>(op) ||
             op->hasAttr(kPlacementAttrName)),
        "an arena offset on a pex.stream, a placed operator or "
        "its result's storage");
  if (name == kOperandsInResultAttrName) {
    auto positions = dyn_cast<DenseI64ArrayAttr>(value);
    auto concat = dyn_cast<tosa::ConcatOp>(op);
    if (!positions || !concat || positions.empty() ||
        !op->hasAttr(kPlacementAttrName))
      return op->emitOpError()
             << "'" << name
             << "' must be a non-empty array of operand positions on a "
                "placed tosa.concat";
    int64_t previous = -1;
    for (int64_t position : positions.asArrayRef()) {
      if (position <= previous ||
          position >= static_cast<int64_t>(op->getNumOperands()))
        return op->emitOpError()
               << "'" << name << "' lists operand " << position
               << ": positions must be increasing and below "
               << op->getNumOperands();
      previous = position;
    }
    return success();
  }
  if (name == kResultPlacementsAttrName && isa<StreamOp, scf::ForOp>(op))
    return verifyPlacementArray(op, attr, op->getNumResults());
  // A stream's one accumulator: its last operator's, reducing all rows.
  if (name == kAccumulatorPlacementsAttrName && isa<StreamOp>(op))
    return verifyPlacementArray(op, attr, 1);
  if (name == kResultPlacementsAttrName ||
      name == kAccumulatorPlacementsAttrName) {
    auto group = dyn_cast<GroupOp>(op);
    if (!group)
      return op->emitOpError() << "'" << name << "' belongs on a pex.group";
    size_t values = name == kResultPlacementsAttrName
                        ? group->getNumResults()
                        : group.getPartialYield().getAccumulate().size();
    return verifyPlacementArray(op, attr, values);
  }
  if (name == kMicroKernelMacAttrName || name == kMicroKernelPlanarAttrName ||
      name == kMicroKernelVectorMacAttrName)
    return expect(isa<DictionaryAttr>(value) && isa<scf::ForOp>(op),
                  "a dictionary on an scf.for");
  if (name == kMicroKernelIm2ColAttrName ||
      name == kMicroKernelGatherAttrName || name == kMicroKernelCopyAttrName)
    return expect(isa<UnitAttr>(value) && isa<scf::ForOp>(op),
                  "a unit attribute on an scf.for");
  return op->emitOpError() << "unknown pex attribute '" << name << "'";
}

bool pex::isVariableArgument(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg)
    return false;
  auto function = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  return function && arg.getOwner()->isEntryBlock() &&
         function.getArgAttr(arg.getArgNumber(), kVariableAttrName);
}

/// The attributes of a function's arguments and results.
static LogicalResult verifyValueAttribute(Operation *op, NamedAttribute attr,
                                          bool isArgument) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  auto expect = [&](bool ok, StringRef what) {
    return expectAttribute(op, name, ok, what);
  };
  if (name == kTensorNameAttrName)
    return expect(isa<StringAttr>(value), "a string");
  if (name == kScaleAttrName)
    return expect(isa<FloatAttr>(value), "a float");
  if (name == kZeroPointAttrName)
    return expect(isa<IntegerAttr>(value), "an integer");
  if (name == kUnsignedAttrName)
    return expect(isa<UnitAttr>(value), "a unit attribute");
  if (name == kPlacementAttrName)
    return expect(isa<PlacementAttr>(value), "a #pex.placement");
  if (name == kOutputArgAttrName && isArgument)
    return expect(isa<UnitAttr>(value), "a unit attribute");
  if (name == kVariableAttrName)
    return expect(isa<FlatSymbolRefAttr>(value), "a variable's symbol");
  return op->emitOpError() << "unknown pex attribute '" << name << "' on a "
                           << (isArgument ? "argument" : "result");
}

LogicalResult PexDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                   unsigned,
                                                   NamedAttribute attr) {
  return verifyValueAttribute(op, attr, /*isArgument=*/true);
}

LogicalResult PexDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                      unsigned,
                                                      NamedAttribute attr) {
  return verifyValueAttribute(op, attr, /*isArgument=*/false);
}
