"""A corpus of real-world-shaped models the compiler was not tuned on.

Generators write model files in the styles users meet (PyTorch's ONNX export, the TFLite
converters of TensorFlow, Keras and PyTorch, QDQ int8 ONNX) together with the reference
output of the exporter's own runtime, so that every model can be compiled, run and
compared. Each generator module has

    generate(out_dir: pathlib.Path, seed: int) -> list[CorpusModel]

and writes its files under `out_dir`. `python3 -m pex.corpus` runs them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class CorpusModel:
    # Unique and stable across runs, "<frontend>/<model>", e.g. "onnx/mobilenet_v2_96".
    name: str
    # The .tflite or .onnx file the generator wrote.
    path: Path
    # Raw input bytes as `pexc --run` reads them: the imported function's argument,
    # so NHWC for a 4-D ONNX input.
    input: bytes
    # Raw output bytes of the reference runtime, as `pexc --run --output` writes them.
    expected: bytes
    # Element type of the output: "i8", "i16" or "f32" (a key of pex.graph.NUMPY_TYPES).
    dtype: str
    # 0 for integer outputs, which must be identical; for float outputs the largest
    # allowed |pex - reference| relative to max |reference|.
    tolerance: float
    # What produced `expected`: "pytorch", "tflm-reference", "onnx-numpy", ...
    reference: str
    # Extra pexc arguments the model needs (e.g. "--input-shape=1x3x96x96").
    pexc_args: list[str] = field(default_factory=list)
