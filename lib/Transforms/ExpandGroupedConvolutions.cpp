//===- ExpandGroupedConvolutions.cpp - Grouped convolutions as groups -----===//

#include "pex/Analysis/LogicalOperators.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Transforms/GroupBuilder.h"
#include "pex/Transforms/Passes.h"

#include "llvm/ADT/MapVector.h"

namespace mlir::pex {
#define GEN_PASS_DEF_EXPANDGROUPEDCONVOLUTIONS
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {
struct ExpandGroupedConvolutionsPass
    : public pex::impl::ExpandGroupedConvolutionsBase<
          ExpandGroupedConvolutionsPass> {
  void runOnOperation() override {
    // The convolutions to expand, by block: each block's logical operators
    // are formed once, before any of its groups replaces operators.
    llvm::MapVector<Block *, SmallVector<GroupedConv2DOp>> byBlock;
    WalkResult walk = getOperation().walk([&](GroupedConv2DOp conv) {
      if (conv->getParentOfType<GroupOp>())
        return WalkResult::advance(); // cut into groups by pex-lower-groups
      if (conv->getParentOfType<StreamOp>()) {
        conv.emitOpError() << "cannot run in a row stream";
        return WalkResult::interrupt();
      }
      if (conv.getGroupInputChannels() != conv.getGroupOutputChannels()) {
        conv.emitOpError() << "has input groups of "
                           << conv.getGroupInputChannels()
                           << " channels and output groups of "
                           << conv.getGroupOutputChannels()
                           << ": only groups of equal width are supported";
        return WalkResult::interrupt();
      }
      byBlock[conv->getBlock()].push_back(conv);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    for (auto &[block, convs] : byBlock) {
      SmallVector<LogicalOperator> logical = formLogicalOperators(*block);
      for (GroupedConv2DOp conv : convs) {
        // A grouped convolution is a computation that is not element-wise,
        // so it anchors a logical operator of its own.
        const LogicalOperator *op =
            llvm::find_if(logical, [&](const LogicalOperator &l) {
              return l.anchor == conv;
            });
        assert(op != logical.end() && "a grouped convolution is an anchor");
        int64_t channels = conv.getOutput().getType().getDimSize(3);
        GroupChoice choice{{*op},
                           /*accumulates=*/false,
                           channels,
                           conv.getGroups(),
                           conv.getGroupInputChannels()};
        buildGroup(choice);
      }
    }
  }
};
} // namespace
