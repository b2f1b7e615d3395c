//===- GroupBuilder.h - Building a pex.group from a chain -------*- C++ -*-===//

#ifndef PEX_TRANSFORMS_GROUPBUILDER_H
#define PEX_TRANSFORMS_GROUPBUILDER_H

#include "pex/Analysis/Partitioning.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

namespace mlir::pex {
/// Replaces the operations of `choice`'s chain by the pex.group that runs
/// them slice by slice (GroupOp's documentation gives the form): slices of
/// the activations they cut and `pex.slice`s of the constants, the
/// accumulating consumer's bias and the rest of its logical operator in the
/// epilogue.
GroupOp buildGroup(const GroupChoice &choice);
} // namespace mlir::pex

#endif // PEX_TRANSFORMS_GROUPBUILDER_H
