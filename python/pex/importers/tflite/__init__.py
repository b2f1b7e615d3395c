"""TFLite flatbuffer reading (and writing, for test models)."""

from pex.importers.tflite.reader import ModelReader, is_tflite


def read_tflite(data: bytes, path: str):
    """The graph of a .tflite file's contents; `path` names it in locations and errors."""
    return ModelReader(data, path).read()


__all__ = ["is_tflite", "read_tflite"]
