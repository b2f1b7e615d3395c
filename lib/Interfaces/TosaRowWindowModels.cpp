//===- TosaRowWindowModels.cpp - Row windows of TOSA operators --*- C++ -*-===//

#include "pex/Interfaces/RowWindowOpInterface.h"
#include "pex/Interfaces/TosaModels.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::pex;

namespace {

/// Kernel height of each window operator: convolutions read it from their
/// weights (OHWI, or HWCM for depthwise), pools from their `kernel`.
int64_t getKernelHeight(tosa::Conv2DOp op) {
  return op.getWeight().getType().getDimSize(1);
}
int64_t getKernelHeight(tosa::DepthwiseConv2DOp op) {
  return op.getWeight().getType().getDimSize(0);
}
template <typename PoolOp> int64_t getKernelHeight(PoolOp op) {
  return op.getKernel()[0];
}

int64_t getDilationH(Operation *op) {
  if (auto dilation = op->getAttrOfType<DenseI64ArrayAttr>("dilation"))
    return dilation[0];
  return 1;
}

template <typename OpTy>
struct RowWindowModel
    : RowWindowOpInterface::ExternalModel<RowWindowModel<OpTy>, OpTy> {
  int64_t getRowWindow(Operation *op) const {
    return (getKernelHeight(cast<OpTy>(op)) - 1) * getDilationH(op) + 1;
  }
  int64_t getRowStride(Operation *op) const {
    return cast<OpTy>(op).getStride()[0];
  }
  int64_t getRowPadTop(Operation *op) const {
    return cast<OpTy>(op).getPad()[0];
  }
  Operation *cloneForRows(Operation *op, OpBuilder &builder, Value input,
                          int64_t padTop, int64_t padBottom,
                          int64_t outputRows) const {
    auto window = cast<OpTy>(op);
    IRMapping mapping;
    mapping.map(op->getOperand(0), input);
    Operation *clone = builder.clone(*op, mapping);
    SmallVector<int64_t> pad(window.getPad());
    pad[0] = padTop;
    pad[1] = padBottom;
    clone->setAttr("pad", builder.getDenseI64ArrayAttr(pad));
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[1] = outputRows;
    clone->getResult(0).setType(type.clone(shape));
    return clone;
  }
};

} // namespace

void mlir::pex::registerTosaRowWindowModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    tosa::Conv2DOp::attachInterface<RowWindowModel<tosa::Conv2DOp>>(*context);
    tosa::DepthwiseConv2DOp::attachInterface<
        RowWindowModel<tosa::DepthwiseConv2DOp>>(*context);
    tosa::AvgPool2dOp::attachInterface<RowWindowModel<tosa::AvgPool2dOp>>(
        *context);
    tosa::MaxPool2dOp::attachInterface<RowWindowModel<tosa::MaxPool2dOp>>(
        *context);
  });
}
