//===- PexAttrs.cpp - Pex attributes ----------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::pex;

#define GET_ATTRDEF_CLASSES
#include "pex/Dialect/Pex/IR/PexAttrs.cpp.inc"

void PexDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "pex/Dialect/Pex/IR/PexAttrs.cpp.inc"
      >();
}

LogicalResult
PlacementAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      int64_t offset, int64_t size, int64_t first, int64_t last,
                      StringRef pool, FlatSymbolRefAttr state) {
  if (offset < 0)
    return emitError() << "placement offset must be non-negative, got "
                       << offset;
  if (size <= 0)
    return emitError() << "placement size must be positive, got " << size;
  if (first < 0 || last < first)
    return emitError() << "placement lifetime [" << first << ", " << last
                       << "] is not a non-empty range of steps";
  if (state && (offset != 0 || !pool.empty()))
    return emitError() << "a placement in the state " << state
                       << " is at offset 0 of no memory pool";
  return success();
}

Attribute PlacementAttr::parse(AsmParser &parser, Type) {
  int64_t offset, size, first, last;
  std::string pool;
  FlatSymbolRefAttr state;
  if (parser.parseLess() || parser.parseKeyword("offset") ||
      parser.parseEqual() || parser.parseInteger(offset) ||
      parser.parseComma() || parser.parseKeyword("size") ||
      parser.parseEqual() || parser.parseInteger(size) || parser.parseComma() ||
      parser.parseKeyword("live") || parser.parseEqual() ||
      parser.parseLSquare() || parser.parseInteger(first) ||
      parser.parseComma() || parser.parseInteger(last) || parser.parseRSquare())
    return {};
  // Where the buffer is when not in the arena: `, pool = "name"`, then
  // `, state = @name`, each optional.
  bool hasPool = false;
  while (succeeded(parser.parseOptionalComma())) {
    llvm::SMLoc at = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword) || parser.parseEqual())
      return {};
    if (keyword == "pool" && !hasPool && !state) {
      hasPool = true;
      if (parser.parseString(&pool))
        return {};
    } else if (keyword == "state" && !state) {
      if (parser.parseAttribute(state))
        return {};
    } else {
      parser.emitError(at, "expected 'pool' then 'state', each at most once");
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<PlacementAttr>(parser.getContext(), offset, size,
                                          first, last, pool, state);
}

void PlacementAttr::print(AsmPrinter &printer) const {
  printer << "<offset = " << getOffset() << ", size = " << getSize()
          << ", live = [" << getFirst() << ", " << getLast() << "]";
  if (!getPool().empty()) {
    printer << ", pool = ";
    printer.printString(getPool());
  }
  if (getState())
    printer << ", state = " << getState();
  printer << ">";
}

bool PlacementAttr::beginsWith(PlacementAttr other) const {
  return getOffset() == other.getOffset() && getPool() == other.getPool() &&
         getState() == other.getState();
}

LogicalResult ArenaAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                int64_t size, int64_t alignment, int64_t peak,
                                int64_t lowerBound) {
  if (alignment <= 0 || !llvm::isPowerOf2_64(alignment))
    return emitError() << "arena alignment must be a power of two, got "
                       << alignment;
  if (size < 0 || peak < 0 || lowerBound < 0)
    return emitError() << "arena sizes must be non-negative";
  if (lowerBound < peak)
    return emitError() << "arena lower bound " << lowerBound
                       << " is below the peak " << peak
                       << "; padding only adds bytes";
  if (lowerBound > size)
    return emitError() << "arena of " << size
                       << " bytes is below its lower bound of " << lowerBound
                       << " bytes";
  return success();
}

LogicalResult PoolAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               StringRef name, int64_t capacity, int64_t size,
                               StringRef section) {
  if (name.empty())
    return emitError() << "memory pool name must not be empty";
  if (capacity <= 0)
    return emitError() << "memory pool '" << name
                       << "' capacity must be positive, got " << capacity;
  if (size < 0 || size > capacity)
    return emitError() << "memory pool '" << name << "' uses " << size
                       << " bytes of its " << capacity;
  return success();
}
