"""ONNX models -> `pex.graph.Graph` (`reader.py` describes the import)."""

from pex.importers.onnx.reader import looks_like_onnx, read_onnx

__all__ = ["looks_like_onnx", "read_onnx"]
