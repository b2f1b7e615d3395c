"""The files the fuzzer mutates: the test models, the small ONNX corpus graphs and the
shared real models, as (name, bytes)."""

from __future__ import annotations

from pathlib import Path

from pex import testmodels
from pex.corpus import onnx_graphs
from pex.testmodels import onnx_models

SHARED_MODELS = Path(__file__).resolve().parents[3].parent / "shared" / "models"

# Corpus graphs that need no --input-shape (the others fail before any operator).
_CORPUS_GRAPHS = ("keyword_spotting", "detector", "padded_to_multiple", "qlinear_network")


def _test_models() -> list[tuple[str, bytes]]:
    names = sorted(testmodels.GRAPHS) + sorted(testmodels.STYLED) + \
        sorted(testmodels.SHAPE_ARITHMETIC)
    files = [(f"{name}.tflite", testmodels.tflite_model(name)) for name in names]
    files += [(f"{name}.onnx", make()) for name, make in sorted(onnx_models.MODELS.items())]
    return files


def _corpus_graphs() -> list[tuple[str, bytes]]:
    return [(f"corpus_{name}.onnx", getattr(onnx_graphs, name)(index).SerializeToString())
            for index, name in enumerate(_CORPUS_GRAPHS)]


def _files(directory: Path, max_bytes: int) -> list[tuple[str, bytes]]:
    paths = sorted(p for p in directory.rglob("*") if p.suffix in (".tflite", ".onnx"))
    return [(p.name, p.read_bytes()) for p in paths if p.stat().st_size <= max_bytes]


def collect(extra_dirs: list[Path], shared: bool, max_bytes: int,
            shared_dir: Path = SHARED_MODELS) -> list[tuple[str, bytes]]:
    """Every seed, in a fixed order (so that a case number names one file)."""
    seeds = _test_models() + _corpus_graphs()
    if shared and shared_dir.is_dir():
        seeds += _files(shared_dir, max_bytes)
    for directory in extra_dirs:
        seeds += _files(directory, max_bytes)
    return seeds
