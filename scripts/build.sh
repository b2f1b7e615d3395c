#!/usr/bin/env bash
# Configures (once) and builds Pex in build/ with Debian's LLVM/MLIR 22.
# PEX_SANITIZE=ON configures it with ASan and UBSan (scripts/test.sh builds that
# in build-sanitize/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PEX_BUILD_DIR:-$root/build}"

models="$("$root/scripts/models-dir.sh")"

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    ${models:+-DPEX_MODELS_DIR="$models"} \
    -DPEX_SANITIZE="${PEX_SANITIZE:-OFF}" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DMLIR_LINK_MLIR_DYLIB=ON \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
ninja -C "$build" "$@"
