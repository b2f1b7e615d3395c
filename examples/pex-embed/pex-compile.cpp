//===- pex-compile.cpp - The whole compiler through the driver API -*- C++
//-*-===//
//
// What pexc does, from another program: compiles a model for the host with
// its input and output in the arena, runs it on raw input bytes and writes
// the report. The driver finds the importer, runtime and tools of the Pex
// installed at PEX_PREFIX (docs/embedding.md).
//
//===----------------------------------------------------------------------===//

#include "pex/Driver/Compiler.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir::pex::driver;

int main(int argc, char **argv) {
  if (argc != 5) {
    llvm::errs() << "usage: pex-compile MODEL OBJECT INPUT.bin OUTPUT.bin\n";
    return 2;
  }
  CompileOptions options;
  options.modelPaths = {argv[1]};
  options.outputPath = argv[2];
  options.runInputPath = argv[3];
  options.runOutputPath = argv[4];
  options.targetName = "host";
  options.io = IOPlacement::Arena;
  options.reportJsonPath = std::string(argv[2]) + ".json";
  options.quiet = true;
  return compile(options, Paths::fromPrefix(PEX_PREFIX));
}
