//===- sanitizer-options.cpp - Defaults of the sanitized tools --*- C++ -*-===//
//
// Linked into pexc, pex-opt and pex-fuzz-mlir with -DPEX_SANITIZE=ON, so that
// every run of them (lit, the fuzzers, by hand) checks the same way. ASAN_OPTIONS
// and UBSAN_OPTIONS add to these.
//
//===----------------------------------------------------------------------===//

/// allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons the slabs it takes
/// and unpoisons each allocation, but only where it is compiled with ASan.
/// MLIR's storage uniquer allocates from one allocator both in Pex's
/// (instrumented) code and in libMLIR.so (not instrumented), whose allocations
/// then stay poisoned and read as use-after-poison. Container annotations need
/// no such setting: libstdc++ makes them only with _GLIBCXX_SANITIZE_VECTOR.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

/// The first report ends the tool (-fno-sanitize-recover) with its stack.
extern "C" const char *__ubsan_default_options() {
  return "print_stacktrace=1";
}
