"""Model importers: a .tflite or .onnx file -> `pex.graph.Graph` -> TOSA text."""

from __future__ import annotations

from pathlib import Path

from pex.errors import ModelError
from pex.graph import Graph
from pex.importers.graph_checks import check_graph
from pex.importers.quantized_interface import quantize_interface
from pex.importers.state_interface import keep_state
from pex.importers.tflite import is_tflite, read_tflite
from pex.tosa import emit_module


def load_graph(path: str, input_shapes: dict | None = None,
               notes: list[str] | None = None, quantized_io: bool = False,
               states: list[tuple[str, str]] | None = None) -> Graph:
    """Reads a model, telling the format from its contents (TFLite's 'TFL3' at byte 4) or
    its name (a .tflite or .onnx file that does not parse is reported as corrupt).
    `input_shapes` ({input name or None: dims}, see `input_shapes.py`) fixes dynamic input
    dimensions; what the importer decided on its own is appended to `notes`.
    `quantized_io`: the quantised tensors next to a float interface are the interface
    (`quantized_interface.py`). `states`: (input, output) pairs kept between runs
    (`state_interface.py`)."""
    graph = _read_graph(path, input_shapes, notes)
    if quantized_io:
        quantize_interface(graph)
    if states:
        keep_state(graph, states)
    return graph


def _read_graph(path: str, input_shapes: dict | None, notes: list[str] | None) -> Graph:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ModelError(f"cannot read the file: {error.strerror}") from None
    if is_tflite(data) or path.endswith(".tflite"):
        if input_shapes:
            raise ModelError("--input-shape applies to ONNX models; TFLite inputs are static")
        return read_tflite(data, path)
    from pex.importers.onnx import looks_like_onnx, read_onnx
    if path.endswith(".onnx") or looks_like_onnx(data):
        return read_onnx(data, path, input_shapes, notes)
    raise ModelError("unrecognised model format: neither a TFLite flatbuffer ('TFL3' at "
                     "byte 4) nor an ONNX model")


def import_model(path: str, input_shapes: dict | None = None,
                 notes: list[str] | None = None, quantized_io: bool = False,
                 states: list[tuple[str, str]] | None = None) -> str:
    """The TOSA MLIR text of a model file."""
    graph = load_graph(path, input_shapes, notes, quantized_io, states)
    check_graph(graph)
    return emit_module(graph)
