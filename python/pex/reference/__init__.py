"""Reference checks: run imported models on the host and compare with independent runtimes.

An *executor* is a function `(mlir_text, input_bytes) -> output_bytes` running the one
public function of a module; inputs and outputs are the raw little-endian bytes of the
function's arguments and results, concatenated in order. `mlir_runner.run` is one
(upstream lowering + mlir-runner); the compiler's own `pexc --run` can be another.
"""
