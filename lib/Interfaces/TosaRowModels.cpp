//===- TosaRowModels.cpp - TOSA operators computed row by row ---*- C++ -*-===//

#include "pex/Interfaces/RowReductionOpInterface.h"
#include "pex/Interfaces/RowWindowOpInterface.h"
#include "pex/Interfaces/TosaModels.h"
#include "pex/Support/TosaArithmetic.h"

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

/// A global avg_pool2d accumulated row by row: each row's sum of
/// (x - input_zp) over its columns (a depthwise convolution with weights 1,
/// which subtracts the zero point as the pool does), added in the
/// accumulator's type; the result divides by the count as the pool does:
/// TOSA's reciprocal scale with single rounding for integers, so the bytes
/// are the pool's. Floats sum in another order and multiply by a rounded
/// 1/count where the pool divides (within rounding). Only int8 with i32
/// accumulators and f32 pools: the depthwise convolution has no other
/// accumulator for them.
struct AvgPoolRowReductionModel
    : RowReductionOpInterface::ExternalModel<AvgPoolRowReductionModel,
                                             tosa::AvgPool2dOp> {
  bool reducesAllRows(Operation *op) const {
    auto pool = cast<tosa::AvgPool2dOp>(op);
    auto inputType = cast<RankedTensorType>(pool.getInput().getType());
    Type element = inputType.getElementType(), accType = pool.getAccType();
    bool supported = (element.isInteger(8) && accType.isInteger(32)) ||
                     (element.isF32() && accType.isF32());
    return supported && inputType.hasStaticShape() &&
           inputType.getRank() == 4 &&
           pool.getKernel()[0] == inputType.getDimSize(1) &&
           pool.getKernel()[1] == inputType.getDimSize(2) &&
           llvm::all_of(pool.getPad(), [](int64_t pad) { return pad == 0; }) &&
           succeeded(pool.getInputZeroPoint()) &&
           succeeded(pool.getOutputZeroPoint());
  }

  RankedTensorType getAccumulatorType(Operation *op) const {
    auto pool = cast<tosa::AvgPool2dOp>(op);
    auto type = cast<RankedTensorType>(pool.getType());
    return RankedTensorType::get({1, 1, 1, type.getDimSize(3)},
                                 pool.getAccType());
  }

  Value buildAccumulateRow(Operation *op, OpBuilder &builder,
                           Value accumulator, Value row) const {
    auto pool = cast<tosa::AvgPool2dOp>(op);
    Location loc = op->getLoc();
    auto rowType = cast<RankedTensorType>(row.getType());
    Type element = rowType.getElementType();
    Type accType = pool.getAccType();
    int64_t width = rowType.getDimSize(2), channels = rowType.getDimSize(3);
    auto weightType = RankedTensorType::get({1, width, channels, 1}, element);
    Attribute one = isa<FloatType>(element)
                        ? Attribute(builder.getFloatAttr(element, 1.0))
                        : Attribute(builder.getIntegerAttr(element, 1));
    Value weights = constant(builder, loc, weightType, one);
    Value bias = constant(builder, loc,
                          RankedTensorType::get({channels}, accType),
                          builder.getZeroAttr(accType));
    Value weightZp =
        constant(builder, loc, RankedTensorType::get({1}, element),
                 builder.getZeroAttr(element));
    Value sum = tosa::DepthwiseConv2DOp::create(
        builder, loc, getAccumulatorType(op), row, weights, bias,
        pool.getInputZp(), weightZp, builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
        builder.getDenseI64ArrayAttr({1, 1}),
        builder.getDenseI64ArrayAttr({1, 1}), TypeAttr::get(accType));
    if (!accumulator)
      return sum;
    return tosa::AddOp::create(builder, loc, accumulator.getType(),
                               accumulator, sum);
  }

  Value buildResult(Operation *op, OpBuilder &builder,
                    Value accumulator) const {
    auto pool = cast<tosa::AvgPool2dOp>(op);
    Location loc = op->getLoc();
    auto inputType = cast<RankedTensorType>(pool.getInput().getType());
    int64_t count = inputType.getDimSize(1) * inputType.getDimSize(2);
    auto resultType = cast<RankedTensorType>(pool.getType());
    Type accType = pool.getAccType();
    if (auto floatType = dyn_cast<FloatType>(accType)) {
      Value reciprocal = constant(
          builder, loc, RankedTensorType::get({1, 1, 1, 1}, floatType),
          builder.getFloatAttr(floatType, 1.0 / static_cast<double>(count)));
      Value shift = constant(builder, loc,
                             RankedTensorType::get({1}, builder.getI8Type()),
                             builder.getI8IntegerAttr(0));
      return tosa::MulOp::create(builder, loc, resultType, accumulator,
                                 reciprocal, shift);
    }
    auto [multiplier, shift] = getReciprocalScale(count);
    auto scalar = [&](Type type, int64_t value) {
      return constant(builder, loc, RankedTensorType::get({1}, type),
                      builder.getIntegerAttr(type, value));
    };
    return tosa::RescaleOp::create(
        builder, loc, resultType, accumulator,
        scalar(builder.getI32Type(), multiplier),
        scalar(builder.getI8Type(), shift), scalar(accType, 0),
        pool.getOutputZp(), /*scale32=*/true, tosa::RoundingMode::SINGLE_ROUND,
        /*per_channel=*/false, /*input_unsigned=*/false,
        /*output_unsigned=*/false);
  }

private:
  static Value constant(OpBuilder &builder, Location loc,
                        RankedTensorType type, Attribute value) {
    return tosa::ConstOp::create(builder, loc, type,
                                 DenseElementsAttr::get(type, value));
  }
};

/// A reduce_sum along rows accumulated row by row: the first row is the sum
/// of itself, each other is added to it, in the order the whole reduction
/// adds them; the accumulator is the result.
struct ReduceSumRowReductionModel
    : RowReductionOpInterface::ExternalModel<ReduceSumRowReductionModel,
                                             tosa::ReduceSumOp> {
  bool reducesAllRows(Operation *op) const {
    auto sum = cast<tosa::ReduceSumOp>(op);
    auto inputType = dyn_cast<RankedTensorType>(sum.getInput().getType());
    return inputType && inputType.hasStaticShape() &&
           inputType.getRank() == 4 && sum.getAxis() == 1;
  }

  RankedTensorType getAccumulatorType(Operation *op) const {
    return cast<RankedTensorType>(op->getResult(0).getType());
  }

  bool isAccumulatorTheResult(Operation *) const { return true; }

  Value buildAccumulateRow(Operation *op, OpBuilder &builder,
                           Value accumulator, Value row) const {
    Location loc = op->getLoc();
    if (!accumulator)
      return tosa::ReduceSumOp::create(builder, loc, getAccumulatorType(op),
                                       row, builder.getI32IntegerAttr(1));
    return tosa::AddOp::create(builder, loc, accumulator.getType(),
                               accumulator, row);
  }

  Value buildResult(Operation *, OpBuilder &, Value accumulator) const {
    return accumulator;
  }
};

} // namespace

void mlir::pex::registerTosaRowModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, tosa::TosaDialect *) {
    tosa::Conv2DOp::attachInterface<RowWindowModel<tosa::Conv2DOp>>(*context);
    tosa::DepthwiseConv2DOp::attachInterface<
        RowWindowModel<tosa::DepthwiseConv2DOp>>(*context);
    tosa::AvgPool2dOp::attachInterface<RowWindowModel<tosa::AvgPool2dOp>,
                                       AvgPoolRowReductionModel>(*context);
    tosa::ReduceSumOp::attachInterface<ReduceSumRowReductionModel>(*context);
    tosa::MaxPool2dOp::attachInterface<RowWindowModel<tosa::MaxPool2dOp>>(
        *context);
  });
}
