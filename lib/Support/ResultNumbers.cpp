//===- ResultNumbers.cpp - Result numbers checked before parsing -*- C++ -*-===//

#include "pex/Support/ResultNumbers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {
/// The characters of an MLIR suffix identifier (`%name`, `%0`).
bool isIdentifierChar(char c) {
  return llvm::isAlnum(c) || c == '$' || c == '.' || c == '_' || c == '-';
}
} // namespace

LogicalResult mlir::pex::checkResultNumbers(const llvm::SourceMgr &sourceMgr,
                                            unsigned bufferId) {
  llvm::StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') { // a string literal, escapes included
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      ++i;
    } else if (text.substr(i).starts_with("//")) {
      i = text.find('\n', i);
    } else if (c == '%') {
      size_t end = i + 1;
      while (end < text.size() && isIdentifierChar(text[end]))
        ++end;
      if (end + 1 < text.size() && text[end] == '#' &&
          llvm::isDigit(text[end + 1])) {
        size_t digits = end + 1;
        while (digits < text.size() && llvm::isDigit(text[digits]))
          ++digits;
        llvm::StringRef number = text.slice(end + 1, digits);
        uint64_t value;
        // Too many digits for 64 bits is past any file size too.
        if (number.getAsInteger(10, value) || value >= text.size()) {
          sourceMgr.PrintMessage(
              llvm::errs(), llvm::SMLoc::getFromPointer(text.data() + i),
              llvm::SourceMgr::DK_Error,
              "result number " + number + " of '" + text.slice(i, end) +
                  "': no operation in a file of " + llvm::Twine(text.size()) +
                  " bytes has that many results");
          return failure();
        }
        end = digits;
      }
      i = end;
    } else {
      ++i;
    }
  }
  return success();
}
