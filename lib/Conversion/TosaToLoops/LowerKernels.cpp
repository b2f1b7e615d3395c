//===- LowerKernels.cpp - pex-lower-kernels ---------------------*- C++ -*-===//

#include "EmitterUtils.h"
#include "ShiftRows.h"
#include "pex/Analysis/OpLabels.h"
#include "pex/Conversion/Passes.h"
#include "pex/Dialect/Pex/IR/PexOps.h"
#include "pex/Dialect/Pex/IR/Views.h"
#include "pex/Interfaces/KernelEmitterOpInterface.h"
#include "pex/Interfaces/PartialExecutionOpInterface.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <functional>

namespace mlir::pex {
#define GEN_PASS_DEF_LOWERKERNELS
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Emits one bufferized kernel at a builder's insertion point, where
/// `operandsAt` maps its operands to values (identity: the kernel's own).
class KernelEmission {
public:
  KernelEmission(KernelOp kernel, const IRMapping &operandsAt,
                 KernelTarget target)
      : kernel(kernel), operandsAt(operandsAt), target(target) {}
  LogicalResult emit(OpBuilder &builder);

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
    Value getMemRef(unsigned index) override {
      return emission.memrefOf.lookup(member->getOperand(index));
    }
    KernelTarget getTarget() override { return emission.target; }
    /// The bound the operator computing the operand in this kernel (the
    /// anchor or a fused element-wise operator) gives, from its own
    /// operands' bounds; once per value (a value read twice down a chain
    /// would otherwise be bounded again along every path).
    std::optional<int64_t> getMagnitudeBound(unsigned index) override {
      Value operand = member->getOperand(index);
      auto known = emission.bounds.find(operand);
      if (known != emission.bounds.end())
        return known->second;
      Operation *producer = operand.getDefiningOp();
      auto emitter = dyn_cast_or_null<KernelEmitterOpInterface>(producer);
      std::optional<int64_t> bound;
      if (emitter && producer->getBlock() == member->getBlock() &&
          operand == producer->getResult(0)) {
        MemberOperands producerOperands(emission, producer);
        bound = emitter.getMagnitudeBound(producerOperands);
      }
      emission.bounds[operand] = bound;
      return bound;
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
  const IRMapping &operandsAt;
  KernelTarget target;
  Operation *anchor = nullptr;
  SmallVector<Operation *> elementwise;
  llvm::DenseMap<Value, Value> memrefOf;
  llvm::DenseMap<Value, Value> scalars;
  /// Magnitude bounds of the values computed in the kernel, as asked.
  llvm::DenseMap<Value, std::optional<int64_t>> bounds;
  bool failedElement = false;
};

LogicalResult KernelEmission::classify() {
  Block &body = kernel.getBody().front();
  for (auto [arg, operand] :
       llvm::zip(body.getArguments(), kernel->getOperands()))
    memrefOf[arg] = operandsAt.lookupOrDefault(operand);
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
  Value output = operandsAt.lookupOrDefault(kernel.getOutput());
  // A 16x8 convolution's i48 result is computed in i64: stored as i48.
  Type stored = cast<MemRefType>(output.getType()).getElementType();
  if (scalar.getType() != stored && isa<IntegerType>(stored))
    scalar = emit::castInt(builder, loc, scalar, stored);
  memref::StoreOp::create(builder, loc, scalar, output, indices);
}

LogicalResult KernelEmission::emit(OpBuilder &builder) {
  if (failed(classify()))
    return failure();
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

/// Whether `op` is part of how a kernel's operand is computed that a kernel
/// function recomputes rather than receives: constants, globals, views and
/// index arithmetic (cheap, and they keep weights visible as constants and
/// layouts static).
bool isRecomputed(Operation *op) {
  if (op->getNumRegions() != 0 || !isPure(op))
    return false;
  return isa<memref::GetGlobalOp, ViewLikeOpInterface>(op) ||
         op->hasTrait<OpTrait::ConstantLike>() ||
         isa<arith::ArithDialect>(op->getDialect());
}

/// The values a kernel function receives: those its operands are computed
/// from that it does not recompute. Empty when one cannot be passed as a
/// plain pointer or scalar (a memref of dynamic shape or strided layout).
std::optional<SetVector<Value>>
collectArguments(KernelOp kernel, SetVector<Operation *> &recomputed) {
  SetVector<Value> arguments;
  bool passable = true;
  // Depth first in operand order: the arguments come in the kernel's
  // operand order.
  std::function<void(Value)> visit = [&](Value value) {
    Operation *def = value.getDefiningOp();
    if (def && isRecomputed(def)) {
      if (recomputed.insert(def))
        llvm::for_each(def->getOperands(), visit);
      return;
    }
    if (auto type = dyn_cast<MemRefType>(value.getType()))
      passable &= type.hasStaticShape() && type.getLayout().isIdentity();
    arguments.insert(value);
  };
  llvm::for_each(kernel->getOperands(), visit);
  if (!passable)
    return std::nullopt;
  return arguments;
}

/// The operation a kernel is formed around (its first emitter), or null
/// for a kernel that only copies.
Operation *getAnchor(KernelOp kernel) {
  for (Operation &op : kernel.getBody().front().without_terminator())
    if (isa<KernelEmitterOpInterface>(op))
      return &op;
  return nullptr;
}

/// "<function>_k<index>_<anchor>", e.g. pex_vww_run_k3_conv2d.
std::string kernelName(func::FuncOp parent, unsigned index, KernelOp kernel) {
  Operation *anchor = getAnchor(kernel);
  StringRef kind = anchor ? anchor->getName().stripDialect() : "copy";
  return (parent.getSymName() + "_k" + Twine(index) + "_" + kind).str();
}

/// What one call of the kernel computes, for profiles: its anchor, the
/// model's name for it and the multiply-accumulates of its operations.
LayerAttr getLayer(KernelOp kernel) {
  Operation *anchor = getAnchor(kernel);
  int64_t macs = 0;
  kernel.getBody().walk(
      [&](PartialExecutionOpInterface op) { macs += op.getMacs(); });
  return LayerAttr::get(
      kernel.getContext(),
      anchor ? anchor->getName().getStringRef() : StringRef("copy"),
      getLocationName(anchor ? anchor->getLoc() : kernel.getLoc()), macs);
}

/// Emits `kernel` into a function of its own, `name`, called where the
/// kernel was. In one function for the whole model, LLVM hoists every
/// kernel's invariants to its entry and the inner loops spill: a function
/// per kernel keeps that, and register allocation, to one kernel (and names
/// the kernel in the symbol table, for profiles). The function is never
/// inlined.
LogicalResult outlineKernel(KernelOp kernel, StringRef name,
                            KernelTarget target) {
  SetVector<Operation *> recomputed;
  std::optional<SetVector<Value>> arguments =
      collectArguments(kernel, recomputed);
  OpBuilder builder(kernel);
  if (!arguments) {
    IRMapping identity;
    return KernelEmission(kernel, identity, target).emit(builder);
  }
  auto parent = kernel->getParentOfType<func::FuncOp>();
  auto module = parent->getParentOfType<ModuleOp>();
  SmallVector<Type> types;
  for (Value argument : *arguments)
    types.push_back(argument.getType());
  OpBuilder moduleBuilder(parent);
  moduleBuilder.setInsertionPointAfter(parent);
  auto function = func::FuncOp::create(
      moduleBuilder, kernel.getLoc(), name,
      moduleBuilder.getFunctionType(types, {}));
  function.setPrivate();
  function->setAttr(kLayerAttrName, getLayer(kernel));
  function->setAttr("passthrough",
                    moduleBuilder.getArrayAttr(
                        {moduleBuilder.getStringAttr("noinline")}));
  SymbolTable(module).insert(function);

  IRMapping operandsAt;
  Block *body = function.addEntryBlock();
  for (auto [argument, value] : llvm::zip(body->getArguments(), *arguments))
    operandsAt.map(value, argument);
  OpBuilder bodyBuilder = OpBuilder::atBlockEnd(body);
  for (Operation *op : topologicalSort(recomputed))
    bodyBuilder.clone(*op, operandsAt);
  if (failed(KernelEmission(kernel, operandsAt, target).emit(bodyBuilder)))
    return failure();
  func::ReturnOp::create(bodyBuilder, kernel.getLoc());
  func::CallOp::create(builder, kernel.getLoc(), function,
                       arguments->getArrayRef());
  return success();
}

/// Replaces the calls of every outlined kernel identical to an earlier one
/// (same layer, same code: a stream computes the same row of an operator at
/// several places of its schedule) by calls of that one, and erases it.
void mergeIdenticalKernels(ModuleOp module, ArrayRef<func::FuncOp> kernels) {
  llvm::StringMap<func::FuncOp> byCode;
  OpPrintingFlags flags;
  flags.printGenericOpForm().useLocalScope().elideLargeElementsAttrs(0);
  for (func::FuncOp kernel : kernels) {
    // The code without the name: the function printed under a fixed one.
    StringAttr name = kernel.getSymNameAttr();
    kernel.setSymName("kernel");
    std::string code;
    llvm::raw_string_ostream os(code);
    kernel->print(os, flags);
    kernel.setSymNameAttr(name);
    auto [it, inserted] = byCode.try_emplace(code, kernel);
    if (inserted)
      continue;
    if (failed(SymbolTable::replaceAllSymbolUses(
            kernel, it->second.getSymNameAttr(), module)))
      continue;
    kernel.erase();
  }
}

struct LowerKernelsPass
    : public pex::impl::LowerKernelsBase<LowerKernelsPass> {
  using LowerKernelsBase::LowerKernelsBase;
  void runOnOperation() override {
    SmallVector<func::FuncOp> functions(
        getOperation().getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      SmallVector<KernelOp> kernels;
      function.walk([&](KernelOp kernel) { kernels.push_back(kernel); });
      SmallVector<func::FuncOp> outlined;
      for (auto [index, kernel] : llvm::enumerate(kernels)) {
        if (!kernel.getResults().empty()) {
          kernel.emitError() << "pex: kernels must be bufferized before they "
                                "are lowered";
          return signalPassFailure();
        }
        std::string name = kernelName(function, index, kernel);
        if (failed(outlineKernel(kernel, name,
                                 KernelTarget{vectorMac, roundingConversion})))
          return signalPassFailure();
        kernel.erase();
        if (auto created = getOperation().lookupSymbol<func::FuncOp>(name))
          outlined.push_back(created);
      }
      mergeIdenticalKernels(getOperation(), outlined);
      SmallVector<ShiftRowsOp> shifts;
      function.walk([&](ShiftRowsOp shift) { shifts.push_back(shift); });
      for (ShiftRowsOp shift : shifts)
        lowerShiftRows(shift);
    }
  }
};
} // namespace
