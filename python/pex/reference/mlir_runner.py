"""Executor: lower a TOSA module with upstream MLIR passes and run it with mlir-runner.

A generated @main embeds the input as a constant, calls the model, and prints every
result as i32 (int8 and int16 sign-extended, f32 bit-cast) so the bytes come back exactly.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

import numpy as np

from pex.graph import NUMPY_TYPES

LLVM_BIN = os.environ.get("PEX_LLVM_BIN", "/usr/lib/llvm-22/bin")
LLVM_LIB = os.path.join(os.path.dirname(LLVM_BIN), "lib")
RUNNER_LIBS = [os.path.join(LLVM_LIB, name)
               for name in ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so")]

TOSA_TARGET = "--tosa-attach-target=profiles=pro_int,pro_fp extensions=doubleround"
LOWERING = [
    TOSA_TARGET,
    "--tosa-to-linalg-pipeline",
    "--tosa-to-tensor",
    "--tosa-to-arith=include-apply-rescale",
    "--convert-elementwise-to-linalg",  # the harness's arith.bitcast on tensors
    # A recurrent operator's loop yields its new state in new storage each step.
    "--one-shot-bufferize=bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map",
    "--convert-linalg-to-loops",
    "--expand-strided-metadata",  # before lower-affine: slices of loop-carried tensors
    "--lower-affine",             # index their memrefs with affine.apply
    "--convert-scf-to-cf",
    "--finalize-memref-to-llvm",
    "--convert-to-llvm",
    "--reconcile-unrealized-casts",
]


@dataclass(frozen=True)
class TensorSignature:
    shape: tuple[int, ...]
    dtype: str

    @property
    def type(self) -> str:
        return "tensor<" + "".join(f"{d}x" for d in self.shape) + self.dtype + ">"

    @property
    def num_bytes(self) -> int:
        return int(np.prod(self.shape)) * np.dtype(NUMPY_TYPES[self.dtype]).itemsize


@dataclass(frozen=True)
class FunctionSignature:
    name: str
    arguments: list[TensorSignature]
    results: list[TensorSignature]


_TENSOR = re.compile(r"tensor<((?:\d+x)*)(\w+)>")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _tensors(text: str) -> list[TensorSignature]:
    return [TensorSignature(tuple(int(d) for d in dims.split("x") if d), dtype)
            for dims, dtype in _TENSOR.findall(text)]


def public_function(mlir: str) -> FunctionSignature:
    """The signature of the module's (first) public func.func."""
    for line in mlir.splitlines():
        # Results as "-> (tensor<..>, ..)" or, for one result, "-> tensor<..>".
        match = re.match(r"\s*func\.func @([\w$.]+)\((.*)\) -> \(?(.*?)\)? \{\s*$",
                         _STRING.sub('""', line))
        if match:
            return FunctionSignature(match.group(1), _tensors(match.group(2)),
                                     _tensors(match.group(3)))
    raise ValueError("no public func.func on one line in the module")


def _harness(signature: FunctionSignature, input_bytes: bytes) -> str:
    lines, arguments, offset = [], [], 0
    for index, argument in enumerate(signature.arguments):
        chunk = input_bytes[offset:offset + argument.num_bytes]
        offset += argument.num_bytes
        lines.append(f'%in{index} = arith.constant dense<"0x{chunk.hex().upper()}"> '
                     f": {argument.type}")
        arguments.append(f"%in{index}")
    if offset != len(input_bytes):
        raise ValueError(f"{len(input_bytes)} input bytes for arguments of {offset} bytes")
    results = ", ".join(f"%out{i}" for i in range(len(signature.results)))
    lines.append(f"{results} = func.call @{signature.name}({', '.join(arguments)}) : "
                 f"({', '.join(a.type for a in signature.arguments)}) -> "
                 f"({', '.join(r.type for r in signature.results)})")
    for index, result in enumerate(signature.results):
        as_i32 = TensorSignature(result.shape, "i32")
        value = f"%out{index}"
        if result.dtype in ("i8", "i16"):
            lines.append(f"%w{index} = tosa.cast {value} : ({result.type}) -> {as_i32.type}")
            value = f"%w{index}"
        elif result.dtype == "f32":
            lines.append(f"%w{index} = arith.bitcast {value} : {result.type} to {as_i32.type}")
            value = f"%w{index}"
        memref = as_i32.type.replace("tensor<", "memref<")
        lines.append(f"%m{index} = bufferization.to_buffer {value} : {as_i32.type} to {memref}")
        lines.append(f"%u{index} = memref.cast %m{index} : {memref} to memref<*xi32>")
        lines.append(f"func.call @printMemrefI32(%u{index}) : (memref<*xi32>) -> ()")
    body = "\n    ".join(lines)
    return (f"  func.func @main() {{\n    {body}\n    return\n  }}\n"
            f"  func.func private @printMemrefI32(memref<*xi32>) attributes "
            f"{{llvm.emit_c_interface}}\n")


def _run(command: list[str], stdin: str) -> str:
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{os.path.basename(command[0])} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def run(mlir: str, input_bytes: bytes) -> bytes:
    """Executor: the result bytes of the module's public function on `input_bytes`."""
    signature = public_function(mlir)
    # The harness goes inside the module: give a bare function list one.
    if not re.match(r"\s*(//.*\n\s*)*module\b", mlir):
        mlir = "module {\n" + mlir + "\n}\n"
    module_end = mlir.rstrip().rfind("}")
    program = mlir[:module_end] + _harness(signature, input_bytes) + "}\n"
    lowered = _run([os.path.join(LLVM_BIN, "mlir-opt"), *LOWERING], program)
    # The TOSA target attribute names a dialect mlir-runner does not load.
    lowered = re.sub(r"attributes \{tosa\.target_env = [^}]*\}", "", lowered, count=1)
    printed = _run([os.path.join(LLVM_BIN, "mlir-runner"), "-e", "main",
                    "-entry-point-result=void", "-shared-libs=" + ",".join(RUNNER_LIBS)],
                   lowered)
    blocks = printed.split("Unranked Memref")[1:]
    if len(blocks) != len(signature.results):
        raise RuntimeError(f"expected {len(signature.results)} printed results:\n{printed}")
    output = bytearray()
    for block, result in zip(blocks, signature.results):
        words = np.array([int(v) for v in re.findall(r"-?\d+", block.split("data =", 1)[1])],
                         np.int64)
        if result.dtype == "f32":
            output += words.astype(np.uint32).view(np.float32).tobytes()
        else:
            output += words.astype(NUMPY_TYPES[result.dtype]).tobytes()
    return bytes(output)
