//===- InterleaveChannelConstants.cpp - pex-interleave-channel-constants --===//
//
// A kernel's loop over output channels reads each channel's constants from
// several tables: the filter, the biases, the requantisation multiplier,
// shift and rounding word. Every table is a global of its own, so each
// channel's iteration materialises one address per table (MOVW/MOVT on
// Thumb-2) or keeps them in registers the kernel needs for its
// accumulators. Interleaved into one table of per-channel records, the
// channel's constants are loads at fixed offsets from a single pointer.
//
//===----------------------------------------------------------------------===//

#include "pex/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::pex {
#define GEN_PASS_DEF_INTERLEAVECHANNELCONSTANTS
#include "pex/Conversion/Passes.h.inc"
} // namespace mlir::pex

using namespace mlir;

namespace {

/// A constant global whose every load in a function indexes its leading
/// dimension by the same value and its other dimensions by constants.
struct ChannelTable {
  memref::GlobalOp global;
  DenseElementsAttr value;
  SmallVector<memref::LoadOp> loads;
  /// Elements per channel (the product of the trailing dimensions).
  int64_t width;
};

/// The element's bits as an i32 (sign-extended narrower integers, an f32's
/// bits; isRecordElementType): what the record stores and the rewritten
/// load converts back.
int32_t recordBits(Attribute element) {
  if (auto integer = dyn_cast<IntegerAttr>(element))
    return static_cast<int32_t>(
        integer.getValue().sextOrTrunc(32).getSExtValue());
  return static_cast<int32_t>(
      cast<FloatAttr>(element).getValue().bitcastToAPInt().getZExtValue());
}

bool isRecordElementType(Type type) {
  return (type.isSignlessInteger() && type.getIntOrFloatBitWidth() >= 8 &&
          type.getIntOrFloatBitWidth() <= 32) ||
         type.isF32();
}

/// `global` as a channel table of `function`, with the value indexing its
/// leading dimension in every load there, if it is one.
std::optional<std::pair<ChannelTable, Value>>
getChannelTable(memref::GlobalOp global, ArrayRef<memref::GetGlobalOp> uses) {
  auto type = global.getType();
  auto value = dyn_cast_or_null<DenseElementsAttr>(
      global.getInitialValue().value_or(Attribute()));
  if (!global.getConstant() || !value || !type.hasStaticShape() ||
      type.getRank() < 1 || !isRecordElementType(type.getElementType()))
    return std::nullopt;
  ChannelTable table{global, value, {}, 1};
  for (int64_t size : type.getShape().drop_front())
    table.width *= size;
  Value channel;
  for (memref::GetGlobalOp use : uses)
    for (Operation *user : use->getUsers()) {
      auto load = dyn_cast<memref::LoadOp>(user);
      if (!load)
        return std::nullopt;
      ValueRange indices = load.getIndices();
      if (channel && indices[0] != channel)
        return std::nullopt;
      channel = indices[0];
      if (!llvm::all_of(indices.drop_front(), [](Value index) {
            return matchPattern(index, m_Constant());
          }))
        return std::nullopt;
      table.loads.push_back(load);
    }
  if (!channel)
    return std::nullopt;
  return std::make_pair(std::move(table), channel);
}

/// The record global of `tables` (each channel's elements of every table in
/// turn, as i32), created once per set of tables.
memref::GlobalOp getOrCreateRecords(SymbolTable &symbols,
                                    ArrayRef<ChannelTable> tables,
                                    int64_t channels, int64_t width) {
  std::string name = "pex_records";
  for (const ChannelTable &table : tables)
    name += "_" + memref::GlobalOp(table.global).getSymName().str();
  if (auto existing = symbols.lookup<memref::GlobalOp>(name))
    return existing;
  SmallVector<int32_t> records;
  records.reserve(channels * width);
  SmallVector<SmallVector<Attribute>> elements;
  for (const ChannelTable &table : tables)
    elements.push_back(llvm::to_vector(table.value.getValues<Attribute>()));
  for (int64_t channel = 0; channel < channels; ++channel)
    for (auto [table, values] : llvm::zip(tables, elements))
      for (int64_t i = 0; i < table.width; ++i)
        records.push_back(recordBits(values[channel * table.width + i]));
  memref::GlobalOp first = tables.front().global;
  OpBuilder builder(first);
  auto type = MemRefType::get({channels, width}, builder.getI32Type());
  auto global = memref::GlobalOp::create(
      builder, first.getLoc(), name, builder.getStringAttr("private"), type,
      DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), builder.getI32Type()),
          ArrayRef(records)),
      /*constant=*/true, builder.getI64IntegerAttr(4));
  symbols.insert(global);
  return global;
}

/// Rewrites each load of a table into a load of its record's element and
/// the conversion back to the table's element type.
void rewriteLoads(const ChannelTable &table, Value records, int64_t offset) {
  MemRefType type = memref::GlobalOp(table.global).getType();
  for (memref::LoadOp load : table.loads) {
    OpBuilder builder(load);
    Location loc = load.getLoc();
    int64_t linear = 0;
    for (auto [index, size] : llvm::zip(load.getIndices().drop_front(),
                                        type.getShape().drop_front()))
      linear = linear * size + *getConstantIntValue(index);
    Value word = memref::LoadOp::create(
        builder, loc, records,
        ValueRange{load.getIndices()[0], arith::ConstantIndexOp::create(
                                             builder, loc, offset + linear)});
    Type element = type.getElementType();
    Value value = word;
    if (element.isF32())
      value = arith::BitcastOp::create(builder, loc, element, word);
    else if (element.getIntOrFloatBitWidth() < 32)
      value = arith::TruncIOp::create(builder, loc, element, word);
    load.replaceAllUsesWith(value);
    load.erase();
  }
}

struct InterleaveChannelConstantsPass
    : public pex::impl::InterleaveChannelConstantsBase<
          InterleaveChannelConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    llvm::SetVector<memref::GlobalOp> interleaved;
    // Kernels called inside a loop (a stream's row kernels, a group's
    // slices) set their channels up on every call; a kernel called once
    // sets each channel up once, and its records would only cost flash
    // (an 8-bit table's words are padded to 32 bits).
    llvm::DenseSet<StringRef> calledInLoops;
    module.walk([&](func::CallOp call) {
      if (call->getParentOfType<LoopLikeOpInterface>())
        calledInLoops.insert(call.getCallee());
    });
    for (auto function : module.getOps<func::FuncOp>()) {
      if (function.isExternal() || !calledInLoops.contains(function.getName()))
        continue;
      llvm::MapVector<memref::GlobalOp, SmallVector<memref::GetGlobalOp>> uses;
      function.walk([&](memref::GetGlobalOp get) {
        if (auto global = symbols.lookup<memref::GlobalOp>(get.getName()))
          uses[global].push_back(get);
      });
      // Tables by the value indexing their channels and their channel count.
      llvm::MapVector<std::pair<Value, int64_t>, SmallVector<ChannelTable>>
          groups;
      for (auto &[global, gets] : uses)
        if (auto table = getChannelTable(global, gets))
          groups[{table->second, global.getType().getDimSize(0)}].push_back(
              std::move(table->first));
      for (auto &[key, tables] : groups) {
        if (tables.size() < 2)
          continue;
        int64_t width = 0;
        for (const ChannelTable &table : tables)
          width += table.width;
        memref::GlobalOp records =
            getOrCreateRecords(symbols, tables, key.second, width);
        OpBuilder builder(&function.getBody().front(),
                          function.getBody().front().begin());
        Value recordsValue = memref::GetGlobalOp::create(
            builder, function.getLoc(), records.getType(),
            records.getSymName());
        int64_t offset = 0;
        for (const ChannelTable &table : tables) {
          rewriteLoads(table, recordsValue, offset);
          offset += table.width;
          for (memref::GetGlobalOp get : uses.lookup(table.global))
            get.erase();
          interleaved.insert(table.global);
        }
      }
    }
    // Tables every reader now reads from records.
    for (memref::GlobalOp global : interleaved)
      if (SymbolTable::symbolKnownUseEmpty(global, module))
        global.erase();
  }
};

} // namespace
