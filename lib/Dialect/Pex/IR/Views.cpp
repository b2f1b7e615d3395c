//===- Views.cpp - Which operations are views of their operand --*- C++ -*-===//

#include "pex/Dialect/Pex/IR/Views.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value mlir::pex::getViewSource(Operation *op) {
  if (auto reshape = dyn_cast<tosa::ReshapeOp>(op))
    return reshape.getInput1();
  // A slice reads its source through strides.
  if (auto slice = dyn_cast<tosa::SliceOp>(op))
    return slice.getInput1();
  // A loop over time steps reads its step's row of a sequence in place.
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return slice.getSource();
  if (auto view = dyn_cast<ViewLikeOpInterface>(op))
    return view.getViewSource();
  return nullptr;
}

bool mlir::pex::isConstantValue(Value value) {
  if (matchPattern(value, m_Constant()))
    return true;
  // A view of weights (a slice or reshape of a constant) reads flash; any
  // other computation on constants produces new data in SRAM.
  Operation *op = value.getDefiningOp();
  Value source = op ? getViewSource(op) : Value();
  return source && isConstantValue(source);
}
