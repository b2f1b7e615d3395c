//===- Profile.cpp - Where a run in QEMU spends its instructions -*- C++ -*-===//

#include "pex/Driver/Profile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>

using namespace mlir::pex::driver;

namespace {
struct FunctionRange {
  uint64_t begin, end;
  size_t index; ///< Into the result.
};
} // namespace

llvm::Expected<std::vector<FunctionProfile>>
mlir::pex::driver::readFunctionProfile(llvm::StringRef elfPath,
                                       llvm::StringRef profilePath) {
  auto object = llvm::object::ObjectFile::createObjectFile(elfPath);
  if (!object)
    return object.takeError();
  auto *elf =
      llvm::dyn_cast<llvm::object::ELFObjectFileBase>(object->getBinary());
  if (!elf)
    return llvm::createStringError(elfPath + ": not an ELF program");

  std::vector<FunctionProfile> functions;
  std::vector<FunctionRange> ranges;
  for (llvm::object::ELFSymbolRef symbol : elf->symbols()) {
    llvm::Expected<llvm::object::SymbolRef::Type> type = symbol.getType();
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    llvm::Expected<uint64_t> address = symbol.getAddress();
    if (!type || !name || !address) {
      llvm::consumeError(type.takeError());
      llvm::consumeError(name.takeError());
      llvm::consumeError(address.takeError());
      continue;
    }
    if (*type != llvm::object::SymbolRef::ST_Function || symbol.getSize() == 0)
      continue;
    uint64_t begin = *address & ~uint64_t(1); // The Thumb bit.
    ranges.push_back({begin, begin + symbol.getSize(), functions.size()});
    functions.push_back({name->str()});
  }
  llvm::sort(ranges, [](const FunctionRange &a, const FunctionRange &b) {
    return a.begin < b.begin;
  });

  auto buffer = llvm::MemoryBuffer::getFile(profilePath);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   profilePath + ": cannot read the profile");
  for (llvm::StringRef line : llvm::split((*buffer)->getBuffer(), '\n')) {
    llvm::SmallVector<llvm::StringRef, 4> fields;
    llvm::SplitString(line, fields);
    if (fields.empty())
      continue;
    uint64_t address;
    int64_t instructions, executions, cycles;
    if (fields.size() != 4 || fields[0].getAsInteger(/*Radix=*/0, address) ||
        fields[1].getAsInteger(10, instructions) ||
        fields[2].getAsInteger(10, executions) ||
        fields[3].getAsInteger(10, cycles))
      return llvm::createStringError(profilePath + ": malformed line '" +
                                     line + "'");
    address &= ~uint64_t(1);
    auto after = llvm::upper_bound(ranges, address,
                                   [](uint64_t at, const FunctionRange &r) {
                                     return at < r.begin;
                                   });
    if (after == ranges.begin() || address >= std::prev(after)->end)
      continue;
    const FunctionRange &range = *std::prev(after);
    FunctionProfile &function = functions[range.index];
    function.instructions += instructions * executions;
    function.estimatedCycles += cycles;
    if (address == range.begin)
      function.calls += executions;
  }
  return functions;
}

std::vector<LayerProfile> mlir::pex::driver::attributeToLayers(
    llvm::ArrayRef<KernelLayer> kernels, llvm::StringRef runSymbol,
    llvm::ArrayRef<FunctionProfile> functions, int64_t instructions,
    int64_t estimatedCycles) {
  llvm::StringMap<const FunctionProfile *> bySymbol;
  for (const FunctionProfile &function : functions)
    bySymbol[function.symbol] = &function;
  std::vector<LayerProfile> layers;
  LayerProfile other{"", "other", ""};
  other.instructions = instructions;
  other.estimatedCycles = estimatedCycles;
  auto add = [&](LayerProfile row, int64_t macsPerCall) {
    if (const FunctionProfile *function = bySymbol.lookup(row.symbol)) {
      row.calls = function->calls;
      row.macs = function->calls * macsPerCall;
      row.instructions = function->instructions;
      row.estimatedCycles = function->estimatedCycles;
    }
    other.instructions -= row.instructions;
    other.estimatedCycles -= row.estimatedCycles;
    layers.push_back(std::move(row));
  };
  for (const KernelLayer &kernel : kernels)
    add({kernel.symbol, kernel.op, kernel.name}, kernel.macsPerCall);
  add({runSymbol.str(), "run", ""}, 0);
  if (estimatedCycles == 0)
    other.estimatedCycles = 0;
  layers.push_back(std::move(other));
  return layers;
}
