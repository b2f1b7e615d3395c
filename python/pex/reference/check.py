"""The reference check: a model imported by pex and run by an executor, compared with
Arm NN (CpuRef) on the same .tflite and with TFLite Micro's published output bytes."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from pex.graph import NUMPY_TYPES
from pex.importers import load_graph
from pex.importers.tflite.writer import write_tflite
from pex.reference import armnn, mlir_runner
from pex.reference.inputs import reference_input
from pex.tosa import emit_module

Executor = Callable[[str, bytes], bytes]

# The real models (relative to the models folder) and TFLite Micro's outputs for the
# reference input, from the models folder's README.md. vww_96_float's figure is printed
# to 4 decimals; the hybrid kws_ref_model_float32 is refused by TFLite Micro.
MODELS = {
    "kws_ref_model": "mlperf-tiny/kws_ref_model.tflite",
    "kws_ref_model_float32": "mlperf-tiny/kws_ref_model_float32.tflite",
    "vww_96_int8": "mlperf-tiny/vww_96_int8.tflite",
    "vww_96_float": "mlperf-tiny/vww_96_float.tflite",
    "resnet8_int8": "mlperf-tiny/resnet8_int8.tflite",
    "person_detect": "tflite-micro/person_detect.tflite",
    "anomaly_detection": "mltk/anomaly_detection.tflite",
}
TFLM_OUTPUTS = {
    "kws_ref_model": bytes.fromhex("8080808080808080807f8081"),
    "vww_96_int8": bytes.fromhex("7a86"),
    "resnet8_int8": bytes.fromhex("8080807f808080808080"),
    "person_detect": bytes.fromhex("54ac"),
    "vww_96_float": np.array([0.9953, 0.0047]),
    "anomaly_detection": np.array([75.85575, 91.55004, 86.31861, 68.88051]),
}
# The README prints these float outputs to this many decimals (anomaly_detection only
# its first four values).
TFLM_DECIMALS = {"vww_96_float": 4, "anomaly_detection": 5}
# Models whose README input is the centred float rule (see inputs.reference_input).
CENTRED_INPUTS = {"anomaly_detection"}


@dataclass
class Report:
    model: str
    dtype: str
    output: np.ndarray  # what the executor computed
    armnn_output: np.ndarray
    armnn_input: str  # which .tflite Arm NN ran: the model itself or pex's rewrite of it
    tflm_equal: bool | None  # None: no TFLite Micro figure for this model
    seconds: float

    @property
    def max_abs_diff(self) -> float:
        return float(np.max(np.abs(self.output.astype(np.float64)
                                   - self.armnn_output.astype(np.float64))))

    @property
    def top1_agrees(self) -> bool:
        return bool(np.argmax(self.output) == np.argmax(self.armnn_output))

    @property
    def passed(self) -> bool:
        return self.top1_agrees and self.tflm_equal is not False


def _decode(data: bytes, dtype: str) -> np.ndarray:
    return np.frombuffer(data, NUMPY_TYPES[dtype]).copy()


def _matches_tflm(name: str, output: np.ndarray, raw: bytes) -> bool | None:
    expected = TFLM_OUTPUTS.get(name)
    if expected is None:
        return None
    if isinstance(expected, bytes):
        return raw == expected
    printed = output[:expected.size]  # equal to the printed decimals
    return bool(np.all(np.abs(printed - expected) <= 0.5 * 10.0 ** -TFLM_DECIMALS[name]))


def check_model(path: str, executor: Executor = mlir_runner.run) -> Report:
    """Imports and runs one .tflite file; `Report.tflm_equal` is known for the real models."""
    name = os.path.splitext(os.path.basename(path))[0]
    start = time.monotonic()
    graph = load_graph(path)
    input_bytes = b"".join(reference_input(x.shape, x.dtype, name in CENTRED_INPUTS).tobytes()
                           for x in graph.inputs)
    raw = executor(emit_module(graph), input_bytes)
    seconds = time.monotonic() - start
    with open(path, "rb") as file:
        model = file.read()
    try:
        armnn_raw, armnn_input = armnn.run_tflite(model, input_bytes), "model"
    except RuntimeError:  # e.g. hybrid weights, or quantisation metadata Arm NN rejects
        armnn_raw, armnn_input = armnn.run_tflite(write_tflite(graph), input_bytes), "pex rewrite"
    dtype = graph.outputs[0].dtype
    output = _decode(raw, dtype)
    return Report(name, dtype, output, _decode(armnn_raw, dtype), armnn_input,
                  _matches_tflm(name, output, raw), seconds)


def _shown_floats(values: np.ndarray, limit: int = 12) -> str:
    """To 4 decimals; a long output by its first four values."""
    shown = [f"{v:.4f}" for v in values[:4 if values.size > limit else limit]]
    return "[" + ", ".join(shown + (["..."] if values.size > limit else [])) + "]"


def format_table(reports: list[Report]) -> str:
    lines = ["| model | output | max abs diff vs Arm NN | top-1 agrees | bytes == TFLM | "
             "Arm NN ran | seconds |",
             "|---|---|---|---|---|---|---|"]
    for r in reports:
        shown = r.output.tobytes().hex() if r.dtype == "i8" else _shown_floats(r.output)
        tflm = {True: "yes", False: "NO", None: "n/a"}[r.tflm_equal]
        diff = f"{r.max_abs_diff:.0f} LSB" if r.dtype == "i8" else f"{r.max_abs_diff:.2e}"
        lines.append(f"| {r.model} | {shown} | {diff} | {'yes' if r.top1_agrees else 'NO'} | "
                     f"{tflm} | {r.armnn_input} | {r.seconds:.1f} |")
    return "\n".join(lines)
