// RUN: pex-opt %s -split-input-file --pex-annotate-llvm-symbols | FileCheck %s

// Every function with a body gets nounwind (no unwind tables or personality
// routines) and no-builtins (loops are not turned into memcpy/memset calls);
// a declaration (here the soft-float helper M0+ code calls) is untouched.
// CHECK-LABEL: llvm.func @pex_model_run(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) -> i32
// CHECK-SAME:    attributes {passthrough = ["nounwind", "no-builtins"]}
// CHECK-LABEL: llvm.func @__aeabi_fadd(f32, f32) -> f32{{$}}
llvm.func @pex_model_run(%in: !llvm.ptr, %out: !llvm.ptr) -> i32 {
  %0 = llvm.mlir.constant(0 : i32) : i32
  llvm.return %0 : i32
}
llvm.func @__aeabi_fadd(f32, f32) -> f32

// -----

// Attributes already passed through are kept and the two are appended. A
// private function is annotated too, and keeps its linkage (only globals'
// linkage changes).
// CHECK-LABEL: llvm.func private @helper()
// CHECK-SAME:    attributes {passthrough = ["noinline", "nounwind", "no-builtins"]}
llvm.func private @helper() attributes {passthrough = ["noinline"]} {
  llvm.return
}

// -----

// Private globals (the arena, the weights) become internal: still local to
// the object, but named in its symbol table. Other linkages are untouched,
// including an external arena the application defines.
// CHECK-DAG:   llvm.mlir.global internal @pex_arena() {addr_space = 0 : i32, alignment = 16 : i64} : !llvm.array<64 x i8>
// CHECK-DAG:   llvm.mlir.global internal constant @__constant_3xi32(dense<[1, 2, 3]> : tensor<3xi32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<3 x i32>
// CHECK-DAG:   llvm.mlir.global external @pex_model_arena() {addr_space = 0 : i32} : !llvm.array<32 x i8>
// CHECK-DAG:   llvm.mlir.global internal @already_internal(0 : i32) {addr_space = 0 : i32} : i32
// CHECK-DAG:   llvm.mlir.global weak @weak_symbol(1 : i32) {addr_space = 0 : i32} : i32
// CHECK-DAG:   llvm.mlir.global linkonce @linkonce_symbol(2 : i32) {addr_space = 0 : i32} : i32
// CHECK-NOT:   private
llvm.mlir.global private @pex_arena() {addr_space = 0 : i32, alignment = 16 : i64} : !llvm.array<64 x i8>
llvm.mlir.global private constant @__constant_3xi32(dense<[1, 2, 3]> : tensor<3xi32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<3 x i32>
llvm.mlir.global external @pex_model_arena() {addr_space = 0 : i32} : !llvm.array<32 x i8>
llvm.mlir.global internal @already_internal(0 : i32) {addr_space = 0 : i32} : i32
llvm.mlir.global weak @weak_symbol(1 : i32) {addr_space = 0 : i32} : i32
llvm.mlir.global linkonce @linkonce_symbol(2 : i32) {addr_space = 0 : i32} : i32
