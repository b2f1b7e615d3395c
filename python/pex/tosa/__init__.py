"""The TOSA emitter: `emit_module(graph)` writes MLIR 22 TOSA 1.0 text."""

from pex.tosa.emitter import emit_module
from pex.tosa.text import symbol_name

__all__ = ["emit_module", "symbol_name"]
