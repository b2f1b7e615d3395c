//===- LowerKernels.cpp - pex-lower-kernels ---------------------*- C++ -*-===//

#include "pex/Conversion/Passes.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Interfaces/KernelEmitterOpInterface.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"
#include "EmitterUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::pex {
#define GEN_PASS_DEF_LOWERKERNELS
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Emits one bufferized kernel.
class KernelEmission {
public:
  explicit KernelEmission(KernelOp kernel) : kernel(kernel) {}
  LogicalResult emit();

private:
  /// Reads one member's operands: fused scalars of the current element,
  /// memref operands of the kernel, or immediates defined in the body.
  class MemberOperands : public KernelOperands {
  public:
    MemberOperands(KernelEmission &emission, Operation *member)
        : emission(emission), member(member) {}
    Value load(OpBuilder &builder, Location loc, unsigned index,
               ValueRange indices) override {
      Value operand = member->getOperand(index);
      if (Value scalar = emission.scalars.lookup(operand))
        return scalar;
      if (Value memref = emission.memrefOf.lookup(operand))
        return memref::LoadOp::create(builder, loc, memref, indices);
      // Checked by `classify`: an immediate is a single-element constant.
      auto attr = cast<DenseElementsAttr>(getConstant(index));
      return arith::ConstantOp::create(builder, loc,
                                       attr.getSplatValue<TypedAttr>());
    }
    DenseElementsAttr getConstant(unsigned index) override {
      DenseElementsAttr attr;
      if (matchPattern(member->getOperand(index), m_Constant(&attr)))
        return attr;
      return {};
    }
    /// Weights and quantisation parameters are views (slices in group
    /// loops, reshapes) of constant globals.
    DenseElementsAttr getConstantSource(unsigned index) override {
      if (DenseElementsAttr attr = getConstant(index))
        return attr;
      Value memref = emission.memrefOf.lookup(member->getOperand(index));
      while (auto view =
                 dyn_cast_or_null<ViewLikeOpInterface>(
                     memref ? memref.getDefiningOp() : nullptr))
        memref = view.getViewSource();
      auto get = dyn_cast_or_null<memref::GetGlobalOp>(
          memref ? memref.getDefiningOp() : nullptr);
      if (!get)
        return {};
      auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          get, get.getNameAttr());
      auto attr = global ? dyn_cast_or_null<DenseElementsAttr>(
                               global.getConstantInitValue())
                         : DenseElementsAttr();
      // A view reinterpreting bytes (memref.view) reads other values.
      auto type = cast<ShapedType>(member->getOperand(index).getType());
      if (!attr || attr.getElementType() != type.getElementType())
        return {};
      return attr;
    }

  private:
    KernelEmission &emission;
    Operation *member;
  };

  LogicalResult classify();
  /// Evaluates the element-wise members at `indices` given the anchor's
  /// value, and stores the result.
  void emitElement(OpBuilder &builder, Location loc, ValueRange indices,
                   Value anchorValue);

  KernelOp kernel;
  Operation *anchor = nullptr;
  SmallVector<Operation *> elementwise;
  llvm::DenseMap<Value, Value> memrefOf;
  llvm::DenseMap<Value, Value> scalars;
  bool failedElement = false;
};

LogicalResult KernelEmission::classify() {
  Block &body = kernel.getBody().front();
  for (auto [arg, operand] :
       llvm::zip(body.getArguments(), kernel->getOperands()))
    memrefOf[arg] = operand;
  for (Operation &op : body.without_terminator()) {
    if (op.hasTrait<OpTrait::ConstantLike>()) {
      auto type = dyn_cast<ShapedType>(op.getResult(0).getType());
      if (type && type.getNumElements() > 1)
        return op.emitOpError("is a constant of more than one element inside "
                              "a kernel; pass it as a kernel input");
      continue;
    }
    if (!isa<KernelEmitterOpInterface>(op))
      return op.emitError() << "pex: no code generation for '" << op.getName()
                            << "'";
    auto partial = dyn_cast<PartialExecutionOpInterface>(op);
    if (partial && partial.hasProperty(PartialExecutionProperties::Elementwise)) {
      elementwise.push_back(&op);
      continue;
    }
    if (anchor)
      return op.emitError() << "pex: a kernel has one anchor, found '"
                            << anchor->getName() << "' and '" << op.getName()
                            << "'";
    anchor = &op;
  }
  return success();
}

void KernelEmission::emitElement(OpBuilder &builder, Location loc,
                                 ValueRange indices, Value anchorValue) {
  if (anchor)
    scalars[anchor->getResult(0)] = anchorValue;
  for (Operation *op : elementwise) {
    MemberOperands operands(*this, op);
    Value value = cast<KernelEmitterOpInterface>(op).emitElement(
        builder, operands, indices);
    if (!value) {
      failedElement = true;
      return;
    }
    scalars[op->getResult(0)] = value;
  }
  Value result = kernel.getYield().getValues()[0];
  Value scalar = scalars.lookup(result);
  if (!scalar)
    if (Value memref = memrefOf.lookup(result))
      scalar = memref::LoadOp::create(builder, loc, memref, indices);
  // A kernel that only fills its output: a one-element accumulator's zero,
  // once its tile folded away.
  DenseElementsAttr constant;
  if (!scalar && matchPattern(result, m_Constant(&constant)))
    scalar = arith::ConstantOp::create(builder, loc,
                                       constant.getSplatValue<TypedAttr>());
  if (!scalar) {
    kernel.emitError() << "pex: the kernel yields a value it does not compute";
    failedElement = true;
    return;
  }
  memref::StoreOp::create(builder, loc, scalar, kernel.getOutput(),
                          indices);
}

LogicalResult KernelEmission::emit() {
  if (failed(classify()))
    return failure();
  OpBuilder builder(kernel);
  auto callback = [&](OpBuilder &b, Location loc, ValueRange indices,
                      Value value) { emitElement(b, loc, indices, value); };
  if (anchor) {
    MemberOperands operands(*this, anchor);
    if (failed(cast<KernelEmitterOpInterface>(anchor).emitLoopNest(
            builder, operands, callback)))
      return failure();
  } else {
    auto outputType = cast<ShapedType>(kernel.getOutput().getType());
    emit::buildLoopNest(builder, kernel.getLoc(), outputType.getShape(),
                        [&](OpBuilder &b, Location loc, ValueRange indices) {
                          callback(b, loc, indices, Value());
                        });
  }
  return failure(failedElement);
}

struct LowerKernelsPass
    : public pex::impl::LowerKernelsBase<LowerKernelsPass> {
  void runOnOperation() override {
    SmallVector<KernelOp> kernels;
    getOperation().walk([&](KernelOp kernel) { kernels.push_back(kernel); });
    for (KernelOp kernel : kernels) {
      if (!kernel.getResults().empty()) {
        kernel.emitError() << "pex: kernels must be bufferized before they "
                              "are lowered";
        return signalPassFailure();
      }
      if (failed(KernelEmission(kernel).emit()))
        return signalPassFailure();
      kernel.erase();
    }
  }
};
} // namespace
