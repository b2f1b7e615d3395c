# -*- Python -*-
import os
import subprocess

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "PEX"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pex_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%pex_src_root", config.pex_src_root))
config.substitutions.append(("%pex_lib_dir", config.pex_lib_dir))
config.substitutions.append(("%models", config.pex_models_dir))
config.substitutions.append(("%runtime", os.path.join(config.pex_src_root, "runtime")))
config.substitutions.append(
    ("%mlir_runner_libs",
     ",".join(os.path.join(config.llvm_lib_dir, lib)
              for lib in ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so"))))
# python/ runs with the interpreter that sees Debian's python3-* packages.
config.substitutions.append(("%python", config.pex_python))
config.environment["PYTHONPATH"] = os.path.join(config.pex_src_root, "python")
config.environment["PEX_BIN_DIR"] = config.pex_tools_dir

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Real models are read from the shared folder; their tests need it.
if os.path.isdir(config.pex_models_dir):
    config.available_features.add("models")
if lit.util.which("qemu-system-arm"):
    config.available_features.add("qemu")
# The ONNX corpus exports torchvision models (found without importing it: that is slow).
if subprocess.run([config.pex_python, "-c", "import importlib.util, sys; "
                   "sys.exit(importlib.util.find_spec('torchvision') is None)"]).returncode == 0:
    config.available_features.add("torchvision")

# A PEX_SANITIZE build: the first ASan or UBSan report aborts the tool (a test
# expecting `not pexc` fails on a crash too), and each report is also written to
# <build>/sanitizer-reports/, which scripts/test.sh requires empty, so no harness
# that tolerates a failing pexc can hide one.
if lit.util.pythonize_bool(config.pex_sanitize):
    config.available_features.add("sanitize")
    reports = os.path.join(config.pex_obj_root, "sanitizer-reports", "report")
    # Made here: the runtimes of two tools starting at once race to create it,
    # and the loser fails ("Can't create directory").
    os.makedirs(os.path.dirname(reports), exist_ok=True)
    config.environment["ASAN_OPTIONS"] = f"abort_on_error=1:log_path={reports}"
    config.environment["UBSAN_OPTIONS"] = \
        f"halt_on_error=1:print_stacktrace=1:abort_on_error=1:log_path={reports}"
    config.environment["ASAN_SYMBOLIZER_PATH"] = \
        os.path.join(config.llvm_tools_dir, "llvm-symbolizer")
    config.substitutions.append(
        ("%pex_fuzz_mlir", os.path.join(config.pex_tools_dir, "pex-fuzz-mlir")))

tool_dirs = [config.pex_tools_dir, config.llvm_tools_dir]
tools = ["pex-opt", "pexc", "mlir-opt", "mlir-runner", "mlir-translate", "llc", "clang"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.pex_tools_dir, append_path=True)
