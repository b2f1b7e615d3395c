//===- BufferizableOpInterfaceImpl.cpp - Bufferizing pex ops ----*- C++ -*-===//

#include "pex/Dialect/Pex/Transforms/BufferizableOpInterfaceImpl.h"
#include "pex/Dialect/Pex/IR/PexOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::pex;

namespace {
struct KernelOpInterface
    : public DstBufferizableOpInterfaceExternalModel<KernelOpInterface,
                                                     KernelOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    auto kernel = cast<KernelOp>(op);
    // The destination is read only when the body reads its previous contents.
    return kernel.isDpsInput(&operand) ||
           !kernel.getOutputArgument().use_empty();
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto kernel = cast<KernelOp>(op);
    SmallVector<Value> inputs;
    for (Value input : kernel.getInputs()) {
      FailureOr<Value> buffer = getBuffer(rewriter, input, options, state);
      if (failed(buffer))
        return failure();
      inputs.push_back(*buffer);
    }
    FailureOr<Value> output =
        getBuffer(rewriter, kernel.getOutput(), options, state);
    if (failed(output))
      return failure();
    rewriter.setInsertionPoint(kernel);
    auto bufferized =
        KernelOp::create(rewriter, kernel.getLoc(), Type(), inputs, *output);
    bufferized->setDiscardableAttrs(kernel->getDiscardableAttrDictionary());
    rewriter.inlineRegionBefore(kernel.getBody(), bufferized.getBody(),
                                bufferized.getBody().end());
    replaceOpWithBufferizedValues(rewriter, op, *output);
    return success();
  }
};
/// A placed buffer is an allocation that keeps its placement:
/// pex-materialize-arena turns it into a view of the arena.
struct BufferOpInterface
    : public BufferizableOpInterface::ExternalModel<BufferOpInterface,
                                                    BufferOp> {
  bool bufferizesToAllocation(Operation *op, Value value) const {
    return true;
  }
  bool resultBufferizesToMemoryWrite(Operation *op, OpResult opResult,
                                     const AnalysisState &state) const {
    // Its contents are undefined, like an empty tensor's.
    return false;
  }
  AliasingOpOperandList getAliasingOpOperands(Operation *op, Value value,
                                              const AnalysisState &) const {
    return {};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto buffer = cast<BufferOp>(op);
    auto tensorType = buffer.getResult().getType();
    auto memrefType =
        MemRefType::get(tensorType.getShape(), tensorType.getElementType());
    rewriter.setInsertionPoint(buffer);
    auto alloc = memref::AllocOp::create(rewriter, buffer.getLoc(), memrefType);
    alloc->setDiscardableAttrs(buffer->getDiscardableAttrDictionary());
    alloc->setAttr(kPlacementAttrName, buffer.getPlacement());
    replaceOpWithBufferizedValues(rewriter, op, alloc.getResult());
    return success();
  }
};
/// Moves rows within its buffer: reads and writes it in place.
struct ShiftRowsOpInterface
    : public BufferizableOpInterface::ExternalModel<ShiftRowsOpInterface,
                                                    ShiftRowsOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return true;
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &,
                                      const AnalysisState &) const {
    return {{op->getResult(0), BufferRelation::Equivalent}};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto shift = cast<ShiftRowsOp>(op);
    FailureOr<Value> buffer =
        getBuffer(rewriter, shift.getBuffer(), options, state);
    if (failed(buffer))
      return failure();
    rewriter.setInsertionPoint(shift);
    ShiftRowsOp::create(rewriter, shift.getLoc(), Type(), *buffer,
                        shift.getDrop(), shift.getKeep());
    replaceOpWithBufferizedValues(rewriter, op, *buffer);
    return success();
  }
};
/// Writes the application's rows into its buffer, in place.
struct ReadRowsOpInterface
    : public BufferizableOpInterface::ExternalModel<ReadRowsOpInterface,
                                                    ReadRowsOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return false;
  }
  bool bufferizesToMemoryWrite(Operation *op, OpOperand &operand,
                               const AnalysisState &) const {
    return operand.getOperandNumber() == 0;
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &operand,
                                      const AnalysisState &) const {
    if (operand.getOperandNumber() != 0)
      return {};
    return {{op->getResult(0), BufferRelation::Equivalent}};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto read = cast<ReadRowsOp>(op);
    FailureOr<Value> buffer =
        getBuffer(rewriter, read.getBuffer(), options, state);
    if (failed(buffer))
      return failure();
    rewriter.setInsertionPoint(read);
    ReadRowsOp::create(rewriter, read.getLoc(), Type(), *buffer,
                       read.getFirstRow());
    replaceOpWithBufferizedValues(rewriter, op, *buffer);
    return success();
  }
};
/// Hands the rows of its buffer to the application: a read, in place.
struct WriteRowsOpInterface
    : public BufferizableOpInterface::ExternalModel<WriteRowsOpInterface,
                                                    WriteRowsOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &operand,
                              const AnalysisState &) const {
    return operand.getOperandNumber() == 0;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                      const AnalysisState &) const {
    return {};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto write = cast<WriteRowsOp>(op);
    FailureOr<Value> buffer =
        getBuffer(rewriter, write.getRows(), options, state);
    if (failed(buffer))
      return failure();
    rewriter.setInsertionPoint(write);
    WriteRowsOp::create(rewriter, write.getLoc(), *buffer,
                        write.getFirstRow());
    rewriter.eraseOp(write);
    return success();
  }
};
} // namespace

void mlir::pex::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, PexDialect *) {
    KernelOp::attachInterface<KernelOpInterface>(*context);
    BufferOp::attachInterface<BufferOpInterface>(*context);
    ShiftRowsOp::attachInterface<ShiftRowsOpInterface>(*context);
    ReadRowsOp::attachInterface<ReadRowsOpInterface>(*context);
    WriteRowsOp::attachInterface<WriteRowsOpInterface>(*context);
  });
}
