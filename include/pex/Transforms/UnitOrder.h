//===- UnitOrder.h - Rewriting a function body into a unit order -*- C++
//-*-===//
//
// Carries out an execution order of a buffer graph's units in the IR, where
// the order of the function body is the schedule.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_TRANSFORMS_UNITORDER_H
#define PEX_TRANSFORMS_UNITORDER_H

#include "pex/Analysis/BufferGraph.h"

namespace mlir::pex {

/// Rewrites the body of `model`'s function so that its units run in `order`:
/// constants first, then each unit's operations (and the views they read) in
/// unit order.
void applyUnitOrder(const BufferGraph &model, ArrayRef<unsigned> order);

} // namespace mlir::pex

#endif // PEX_TRANSFORMS_UNITORDER_H
