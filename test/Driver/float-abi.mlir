// --float-abi: objects for firmware that passes floats in core registers or
// runs on a core without FPU. A float multiply is an FPU instruction with the
// target's hard ABI and with softfp, a libgcc call with soft.
// RUN: pexc %s --target=cortex-m4 --emit=asm -q -o - | FileCheck %s --check-prefix=FPU-INSN
// RUN: pexc %s --target=cortex-m4 --float-abi=softfp --emit=asm -q -o - | FileCheck %s --check-prefix=FPU-INSN
// RUN: pexc %s --target=cortex-m33 --float-abi=soft --emit=asm -q -o - | FileCheck %s --check-prefix=SOFT
// RUN: pexc %s --target=cortex-m0plus --float-abi=soft --emit=asm -q -o - | FileCheck %s --check-prefix=SOFT
// RUN: not pexc %s --target=cortex-m0plus --float-abi=hard -q -o %t.o 2>&1 | FileCheck %s --check-prefix=M0-HARD
// RUN: not pexc %s --target=host --float-abi=soft -q -o %t.o 2>&1 | FileCheck %s --check-prefix=HOST
// RUN: pexc %s --target=cortex-m7 --float-abi=soft -q -o %t.o --report-json=%t.json
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// FPU-INSN: vmul.f32
// FPU-INSN-NOT: __aeabi_fmul

// SOFT-NOT: vmul.f32
// SOFT: bl __aeabi_fmul
// SOFT-NOT: vmul.f32

// M0-HARD: pexc: error: cortex-m0plus has no FPU: only --float-abi=soft
// HOST: pexc: error: --float-abi applies to the Cortex-M targets, not to host
// REPORT: "float_abi": "soft"

func.func @square(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %x, %x, %shift : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>, tensor<1xi8>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
