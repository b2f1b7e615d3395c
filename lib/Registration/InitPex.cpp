//===- InitPex.cpp - Register Pex with a context or tool --------*- C++ -*-===//

#include "pex/InitPex.h"

#include "pex/Conversion/Passes.h"
#include "pex/Conversion/TosaKernelEmitters.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"
#include "pex/Dialect/Pex/Transforms/BufferizableOpInterfaceImpl.h"
#include "pex/Interfaces/PexModels.h"
#include "pex/Interfaces/TosaModels.h"
#include "pex/Pipelines/Pipelines.h"
#include "pex/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

using namespace mlir;

void pex::registerPexDialects(DialectRegistry &registry) {
  registry.insert<pex::PexDialect, tosa::TosaDialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect,
                  bufferization::BufferizationDialect, memref::MemRefDialect,
                  scf::SCFDialect, math::MathDialect, affine::AffineDialect,
                  cf::ControlFlowDialect, vector::VectorDialect,
                  ml_program::MLProgramDialect, LLVM::LLVMDialect>();
  registerTosaInterfaceModels(registry);
  registerPexInterfaceModels(registry);
  registerTosaKernelEmitters(registry);
  pex::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  // Lets bufferization recognise memref.alloc as an allocation (used to
  // compute results directly into output parameters).
  memref::registerAllocationOpInterfaceExternalModels(registry);
  // The LLVM conversions Pex's pipelines run, as dialect interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void pex::registerPexPassesAndPipelines() {
  registerPexPasses();
  registerPexConversionPasses();
  registerPexPipelines();
}
