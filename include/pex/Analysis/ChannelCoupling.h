//===- ChannelCoupling.h - Which tensors share their channels ---*- C++ -*-===//
//
// Tensors whose channel dimension (the last, NHWC) must keep the same
// channels: an element-wise or channel-local operator's input and output,
// the two sides of a residual add. Removing channel c from such a class
// removes it from every operator that produces, transforms or consumes the
// class's tensors: the structured pruning pex-prune performs.
//
//===----------------------------------------------------------------------===//

#ifndef PEX_ANALYSIS_CHANNELCOUPLING_H
#define PEX_ANALYSIS_CHANNELCOUPLING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace mlir::pex {

struct ChannelClass {
  /// Activations whose last dimension is the class's channels.
  SmallVector<Value> tensors;
  int64_t channels = 0;
  /// Operators that compute the channels (a convolution's output channels).
  SmallVector<Operation *> producers;
  /// Channel-local operators between them (depthwise, pooling, element-wise
  /// with per-channel parameters).
  SmallVector<Operation *> channelLocal;
  /// Operators that sum over the channels (a convolution's input channels),
  /// with the operand they read.
  SmallVector<OpOperand *> consumers;
  /// Why the channels cannot be removed, if they cannot.
  std::string pinned;

  bool isPrunable() const { return pinned.empty() && !producers.empty(); }
};

class ChannelCoupling {
public:
  explicit ChannelCoupling(func::FuncOp func);
  ArrayRef<ChannelClass> getClasses() const { return classes; }
  /// The class of an activation, if it has one.
  const ChannelClass *getClass(Value value) const;

private:
  std::vector<ChannelClass> classes;
  llvm::DenseMap<Value, unsigned> classOf;
};

/// Removes `channels` (sorted indices) from every tensor of `cls` and from the
/// weights, biases and per-channel parameters of the operators around it.
void removeChannels(const ChannelClass &cls, ArrayRef<int64_t> channels);

/// How much each channel of a prunable class contributes: the L1 norm of the
/// filters that produce it, each scaled by its per-channel requantisation
/// multiplier when the producer is int8 (so filters of different scales
/// compare). Higher is more important.
SmallVector<double> getChannelImportance(const ChannelClass &cls);

} // namespace mlir::pex

#endif // PEX_ANALYSIS_CHANNELCOUPLING_H
