"""Hardware-aware training for Pex: the co-design loop of docs/codesign.md.

train (torch) -> export ONNX -> import -> calibrated int8 TOSA -> pex-prune at an SRAM
budget -> the compiler's channel mask applied to the torch model -> fine-tune -> repeat
until pexc's arena meets the budget; accuracy is measured by running the compiled code.

Modules: `data` (Fashion-MNIST), `model` (a small MobileNetV2-style CNN), `train`
(deterministic training), `quantize` (ONNX -> int8 TOSA with calibration), `mask`
(mask names -> torch modules, applying and checking a mask), `compiler` (pexc/pex-opt,
batch runs on the host and in QEMU), `codesign` (the loop and the table, a CLI).
Run with /usr/bin/python3 (Debian's torch) and PYTHONPATH=python.
"""

import os as _os

# OpenMP threads that spin while waiting (libgomp's default) make torch's training
# several times slower as soon as anything else runs on the 2 cores (measured: 50
# training steps took 63 s spinning, 8.6 s sleeping, at a load average of 5). Set
# before torch (and so libgomp) is first imported; an explicit setting wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
