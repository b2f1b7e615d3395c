//===- Bufferize.cpp - pex-bufferize ----------------------------*- C++ -*-===//

#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Support/BufferCopies.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::pex {
#define GEN_PASS_DEF_BUFFERIZE
#include "pex/Transforms/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::bufferization;

namespace {
/// A contiguous view of `buffer` with the shape of `type` (identity layouts:
/// collapse to one dimension, expand to the shape). A rank-0 buffer (a
/// model's scalar result) is one element: it expands to and collapses from
/// one dimension with no reassociation.
Value reshapeView(OpBuilder &builder, Location loc, Value buffer,
                  MemRefType type) {
  auto bufferType = cast<MemRefType>(buffer.getType());
  Value flat = buffer;
  if (bufferType.getRank() == 0) {
    flat = memref::ExpandShapeOp::create(
        builder, loc, MemRefType::get({1}, bufferType.getElementType()), buffer,
        ArrayRef<ReassociationIndices>{});
  } else if (bufferType.getRank() != 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, bufferType.getRank()));
    flat = memref::CollapseShapeOp::create(builder, loc, buffer,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (type.getRank() == 0)
    return memref::CollapseShapeOp::create(builder, loc, type, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (type.getRank() == 1)
    return flat;
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  return memref::ExpandShapeOp::create(builder, loc, type, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

/// The buffer whose bytes `value` is: through reshape views, and through
/// loops that carry the buffer (yield their iteration argument, as the loops
/// over a group's slices do).
Value getAllocatedStorage(Value value) {
  auto throughViews = [](Value v) {
    while (Operation *def = v.getDefiningOp()) {
      if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(def))
        break;
      v = def->getOperand(0);
    }
    return v;
  };
  for (value = throughViews(value);; value = throughViews(value)) {
    auto loop = value.getDefiningOp<scf::ForOp>();
    if (!loop)
      return value;
    unsigned index = cast<OpResult>(value).getResultNumber();
    if (throughViews(loop.getYieldedValues()[index]) !=
        loop.getRegionIterArgs()[index])
      return value;
    value = loop.getInits()[index];
  }
}

/// Makes `to`, a function's output buffer, hold the value of `from`. When
/// `from` is (a reshape of) a buffer the function allocated, the allocation
/// becomes a view of the output, so the result is computed in place;
/// otherwise the elements are copied with loops (no memref.copy, which
/// would call the runtime library).
LogicalResult writeIntoOutput(OpBuilder &builder, Location loc, Value from,
                              Value to) {
  Value root = getAllocatedStorage(from);
  if (auto alloc = root.getDefiningOp<memref::AllocOp>();
      alloc && alloc.getType().getLayout().isIdentity() &&
      alloc.getType().hasStaticShape()) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(alloc);
    Value view = reshapeView(builder, alloc.getLoc(), to, alloc.getType());
    alloc.replaceAllUsesWith(view);
    alloc.erase();
    return success();
  }
  pex::createCopyLoops(builder, loc, from, to);
  return success();
}

/// Whether `a` and `b` view the same bytes the same way: one value, or
/// subviews of one buffer at the same static offsets, sizes and strides (a
/// kernel's destination slice and the slice bufferization copies its result
/// into, which are then one).
bool isSameView(Value a, Value b) {
  if (a == b)
    return true;
  auto first = a.getDefiningOp<memref::SubViewOp>();
  auto second = b.getDefiningOp<memref::SubViewOp>();
  return first && second && first.getType() == second.getType() &&
         isSameView(first.getSource(), second.getSource()) &&
         first.getStaticOffsets() == second.getStaticOffsets() &&
         first.getStaticSizes() == second.getStaticSizes() &&
         first.getStaticStrides() == second.getStaticStrides() &&
         first.getOffsets().empty() && second.getOffsets().empty() &&
         first.getSizes().empty() && second.getSizes().empty() &&
         first.getStrides().empty() && second.getStrides().empty();
}

struct BufferizePass : public pex::impl::BufferizeBase<BufferizePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        LayoutMapOption::IdentityLayoutMap);
    options.unknownTypeConverterFn = [](TensorType type, Attribute space,
                                        const BufferizationOptions &) {
      return getMemRefTypeWithStaticIdentityLayout(type, space);
    };
    // Kernel bodies describe the computation at tensor level; they are
    // emitted, not bufferized. A kernel already on memrefs keeps its tensor
    // body arguments, which bufferization's final check would otherwise take
    // for an operation left on tensors.
    options.opFilter.denyOperation([](Operation *op) {
      if (op->getParentOfType<pex::KernelOp>())
        return true;
      auto kernel = dyn_cast<pex::KernelOp>(op);
      return kernel && kernel.getResults().empty();
    });

    // A variable's value before the run is read from the variable's global
    // while the run computes the new value: never written in place.
    for (auto func : module.getOps<func::FuncOp>())
      for (unsigned index = 0; index < func.getNumArguments(); ++index)
        if (func.getArgAttr(index, pex::kVariableAttrName))
          func.setArgAttr(index, BufferizationDialect::kWritableAttrName,
                          BoolAttr::get(&getContext(), false));

    IRRewriter rewriter(module.getContext());
    if (failed(eliminateEmptyTensors(rewriter, module)))
      return signalPassFailure();
    BufferizationState state;
    if (failed(runOneShotModuleBufferize(module, options, state)))
      return signalPassFailure();

    // The caller owns the model's outputs: results become output parameters,
    // and a result computed into a fresh buffer is computed into the output
    // parameter instead.
    // The planner's placements of the results the arena holds move to the
    // output parameters that replace them.
    SmallVector<std::pair<func::FuncOp, unsigned>> numResults;
    SmallVector<SmallVector<Attribute>> resultPlacements, resultVariables;
    for (auto func : module.getOps<func::FuncOp>()) {
      numResults.push_back({func, func.getNumResults()});
      resultPlacements.emplace_back();
      resultVariables.emplace_back();
      for (unsigned index = 0; index < func.getNumResults(); ++index) {
        resultPlacements.back().push_back(
            func.getResultAttr(index, pex::kPlacementAttrName));
        resultVariables.back().push_back(
            func.getResultAttr(index, pex::kVariableAttrName));
      }
    }
    // A value returned more than once (an ONNX model listing an output
    // twice): each further result gets a buffer of its own holding a copy,
    // so that every output parameter is written.
    module.walk([](func::ReturnOp ret) {
      llvm::SmallDenseSet<Value> returned;
      OpBuilder builder(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<MemRefType>(operand.get().getType());
        if (!type || returned.insert(operand.get()).second)
          continue;
        Value copy = memref::AllocOp::create(builder, ret.getLoc(), type);
        pex::createCopyLoops(builder, ret.getLoc(), operand.get(), copy);
        operand.set(copy);
      }
    });
    BufferResultsToOutParamsOpts outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    outParams.memCpyFn = writeIntoOutput;
    if (failed(promoteBufferResultsToOutParams(module, outParams)))
      return signalPassFailure();
    // Copies bufferization still made (a strided view returned through a
    // function boundary) become loops: memref.copy would call the runtime
    // library. A copy of a slice onto itself (a concatenation's operand
    // computed in its slice) is dropped.
    SmallVector<memref::CopyOp> copies;
    module.walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      // A result computed where it is inserted: nothing to copy.
      if (isSameView(copy.getSource(), copy.getTarget())) {
        copy.erase();
        continue;
      }
      OpBuilder builder(copy);
      pex::createCopyLoops(builder, copy.getLoc(), copy.getSource(),
                           copy.getTarget());
      copy.erase();
    }

    // The output parameters are the last arguments; mark them so later
    // stages (an arena holding the outputs) tell them from inputs.
    UnitAttr unit = UnitAttr::get(&getContext());
    for (auto [entry, placements, variables] :
         llvm::zip(numResults, resultPlacements, resultVariables)) {
      auto [func, count] = entry;
      unsigned first = func.getNumArguments() - count;
      for (unsigned index = first; index < func.getNumArguments(); ++index) {
        func.setArgAttr(index, pex::kOutputArgAttrName, unit);
        if (Attribute placement = placements[index - first])
          func.setArgAttr(index, pex::kPlacementAttrName, placement);
        if (Attribute variable = variables[index - first])
          func.setArgAttr(index, pex::kVariableAttrName, variable);
      }
    }
  }
};
} // namespace
