"""Pex Python side: model importers, the model zoo and the reference checks.

Everything here produces or consumes the in-memory graph of `pex.graph`; the single
TOSA emitter in `pex.tosa` turns that graph into MLIR text for the C++ compiler.
"""
