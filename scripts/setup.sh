#!/usr/bin/env bash
# Installs every Debian package Pex needs to build, test and run models.
# Idempotent and non-interactive: packages already present are skipped.
set -euo pipefail

packages=(
  # Build: LLVM/MLIR 22 (libMLIR.so, tablegen, lit, FileCheck), clang/lld, CMake, Ninja.
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  # The sanitizer and libFuzzer runtimes (-DPEX_SANITIZE=ON).
  libclang-rt-22-dev
  cmake ninja-build
  # Cortex-M execution: QEMU, the arm-none-eabi toolchain and newlib (semihosting).
  qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
  # Host compiler for the QEMU instruction-count plugin.
  gcc libc6-dev
  # python/ (run with /usr/bin/python3): importers, zoo, reference runtime, training.
  python3 python3-numpy python3-flatbuffers python3-onnx python3-torch python3-torchvision
  # ONNX's node tests (model + inputs + expected outputs): the ONNX reference evaluator's check.
  libonnx-testdata
  # Independent reference runtime for the importers: Arm NN with its CPU backend.
  python3-pyarmnn libarmnn-cpuref-backend22
  dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
