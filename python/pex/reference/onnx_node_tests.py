"""python3 -m pex.reference.onnx_node_tests [--data DIR] [-v]: checks the ONNX evaluator
of `onnx_check` against ONNX's own node tests (Debian's libonnx-testdata: each test a
one-node model with inputs and expected outputs) for the operators Pex imports.

Float results must agree within 1e-5 relative to the largest expected magnitude
(the evaluator computes in float64, the expected outputs are float32); integers exactly.
A test the evaluator refuses (an attribute or mode Pex does not import) is listed as
skipped; any other failure makes the exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

DATA = Path("/usr/share/libonnx-testdata/data/node")

# Node tests of the operators the importer supports (test directory name prefixes).
OPERATORS = (
    "abs", "add", "and", "argmax", "argmin", "averagepool", "batchnorm", "ceil", "celu", "clip", "concat",
    "constantofshape", "conv", "convtranspose", "cos_", "depthtospace", "dequantizelinear",
    "div", "dropout", "edge_pad", "elu", "equal", "erf", "exp_", "expand", "flatten",
    "floor", "gather_0", "gather_1", "gather_2d", "gather_negative", "gemm",
    "globalaveragepool", "globalmaxpool", "greater", "gru", "hardsigmoid", "hardswish",
    "identity", "instancenorm", "layer_normalization", "leakyrelu", "less", "log_",
    "logsoftmax", "lstm", "matmul_", "max_", "maxpool", "min_", "mul", "neg", "not", "or",
    "pad", "pow", "prelu", "qlinearconv", "qlinearmatmul", "quantizelinear", "range",
    "reciprocal", "reduce_l1", "reduce_l2", "reduce_max", "reduce_mean", "reduce_min",
    "reduce_prod", "reduce_sum", "reflect_pad", "relu", "reshape", "resize", "rnn_", "round",
    "selu", "shape", "sigmoid", "simple_rnn", "sin_", "size", "slice", "softmax", "softplus",
    "spacetodepth", "split", "sqrt", "squeeze", "sub", "sum_", "tanh", "transpose",
    "tile", "unsqueeze", "upsample", "where",
    "cumsum", "top_k",
    "softsign", "thresholdedrelu", "shrink",
    "einsum",
    "sign", "xor", "isnan", "reduce_log_sum_exp", "onehot", "trilu", "scatternd",
    "tan_", "atan", "asin", "acos", "sinh", "cosh", "hardmax", "lpnormalization", "lrn",
    "mod_",
)
# Node tests named exactly so (as prefixes they would select other operators' tests).
WHOLE_NAMES = ("exp", "log", "sin", "cos", "tan")


def _load(path: Path):
    from onnx import TensorProto, numpy_helper
    tensor = TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(tensor)


def run_test(directory: Path) -> tuple[str, str]:
    """("pass" | "skip" | "FAIL", detail) for one node test."""
    import onnx
    import torch
    from pex.reference.onnx_evaluator import Evaluator, Unsupported
    model = onnx.load(str(directory / "model.onnx"))
    data = directory / "test_data_set_0"
    try:
        inputs = [_load(p) for p in sorted(data.glob("input_*.pb"),
                                           key=lambda p: int(p.stem[6:]))]
        expected = [_load(p) for p in sorted(data.glob("output_*.pb"),
                                             key=lambda p: int(p.stem[7:]))]
    except ValueError:
        return "skip", "an input or output is not a tensor (a sequence or an optional)"
    evaluator = Evaluator(model)
    try:
        feeds = {v.name: evaluator._from_numpy(a) for v, a in zip(model.graph.input, inputs)}
    except TypeError as error:
        return "skip", f"element type: {error}"
    try:
        with torch.no_grad():
            results = evaluator.run(feeds)
    except Unsupported as error:
        return "skip", str(error)
    except Exception as error:  # the evaluator broke on a valid model
        return "FAIL", f"{type(error).__name__}: {error}"
    for value, result, want in zip(model.graph.output, results, expected):
        got = result.numpy()
        if got.shape != want.shape:
            return "FAIL", f"{value.name}: shape {list(got.shape)}, expected {list(want.shape)}"
        if np.issubdtype(want.dtype, np.floating):
            scale = float(np.max(np.abs(want), initial=0.0)) or 1.0
            diff = float(np.max(np.abs(got - want.astype(np.float64)), initial=0.0))
            if not diff <= 1e-5 * scale:
                return "FAIL", f"{value.name}: max abs diff {diff:.3g}"
        elif not np.array_equal(got.astype(np.int64), want.astype(np.int64)):
            count = int(np.count_nonzero(got.astype(np.int64) != want.astype(np.int64)))
            return "FAIL", f"{value.name}: {count} of {want.size} values differ"
    return "pass", ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-onnx-node-tests",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every test")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"pex-onnx-node-tests: error: {args.data}: no ONNX node tests (install "
              f"libonnx-testdata)", file=sys.stderr)
        return 1
    tests = sorted(d for d in args.data.iterdir()
                   if d.name.startswith("test_") and (d.name[5:].startswith(OPERATORS)
                                                      or d.name[5:] in WHOLE_NAMES)
                   and not d.name.endswith("_expanded"))
    counts = {"pass": 0, "skip": 0, "FAIL": 0}
    for directory in tests:
        status, detail = run_test(directory)
        counts[status] += 1
        if status != "pass" or args.verbose:
            print(f"{status}: {directory.name}{': ' + detail if detail else ''}")
    print(f"{counts['pass']} passed, {counts['skip']} skipped, {counts['FAIL']} failed")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
