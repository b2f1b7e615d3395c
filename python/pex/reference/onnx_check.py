"""python3 -m pex.reference.onnx_check MODEL.onnx IN.bin OUT.bin [--rtol R]
[--input-shape [NAME:]DIMS ...] [--state INPUT=OUTPUT ...]: runs an ONNX model on the input bytes with an independent
evaluator (`onnx_evaluator`: PyTorch's operators in ONNX's own NCHW layout, float64; int8
as ONNX Runtime computes it, `onnx_int8`) and compares the result with the output bytes a
Pex build wrote. Prints `within tolerance`, `identical`, or `DIFFERENT (...)` and exits 1
unless they agree.

The bytes are those of the imported function: 4-D inputs and outputs are NHWC (the ONNX
NCHW tensor with channels last; those the model transposes from or to NHWC itself in
ONNX's order, `pex.importers.onnx.layout.channels_last_interface`), rank-3 inputs a window
reads NLC
(`pex.importers.onnx.lines.signal_inputs`), others in ONNX's order; int8 and uint8 tensors are
bytes; several outputs are concatenated. Dynamic input dimensions are resolved as the
importer does (`--input-shape`, else a leading batch of 1). With `--state` (pexc's
option), the input bytes are frames of the other inputs, run one after the other, each
continuing from the state the previous run left (zero at first), and the outputs of every
run, the state outputs left out, are concatenated.

Float outputs may differ by R (default 1e-5) relative to the largest magnitude of the
reference (float32 against double, summation order). Integer outputs must equal ONNX
Runtime's, or, where ONNX Runtime's float32 requantisation rounds differently from the
TOSA rescale (docs/importers.md: by 1, at some requantised values), equal the same graph
evaluated with TOSA's rounding; the message says how far that moved the outputs. The same
holds for the float outputs of an int8 graph ending in a DequantizeLinear.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from pex.reference.compare_outputs import compare_values
from pex.reference.onnx_evaluator import Evaluator, Unsupported

TO_NHWC = (0, 2, 3, 1)
TO_NCHW = (0, 3, 1, 2)

# An index input (int64 or int32 in ONNX) is int32 on the device.
_INPUT_TYPES = {"FLOAT": np.float32, "INT8": np.int8, "UINT8": np.uint8, "INT64": np.int32,
                "INT32": np.int32}


def _interface_inputs(model, input_shapes: dict, state_inputs: frozenset) -> list[tuple]:
    """(value, element type name, numpy type, shape) of each input the function's input
    bytes hold: not the initializers, not state."""
    from onnx import TensorProto
    from pex.importers.onnx.inputs import input_shapes as resolve
    initializers = {init.name for init in model.graph.initializer}
    values = [v for v in model.graph.input if v.name not in initializers]
    shapes = resolve(values, input_shapes, [])
    inputs = []
    for value in values:
        if value.name in state_inputs:
            continue
        element = TensorProto.DataType.Name(value.type.tensor_type.elem_type)
        if element not in _INPUT_TYPES:
            raise ValueError(f"input '{value.name}' is {element.lower()}")
        inputs.append((value, element, _INPUT_TYPES[element], shapes[value.name]))
    return inputs


def _input_arrays(model, input_bytes: bytes, input_shapes: dict,
                  state_inputs: frozenset = frozenset()) -> dict:
    """{input name: NCHW torch tensor} from the function's input bytes (the inputs that
    are not state)."""
    import torch
    from pex.importers.onnx.layout import channels_last_interface
    from pex.importers.onnx.lines import CHANNELS_LAST_1D, signal_inputs
    signals = signal_inputs(model.graph)
    channels_last = channels_last_interface(model.graph)[0]
    inputs, offset = {}, 0
    for value, element, numpy_type, shape in _interface_inputs(model, input_shapes,
                                                               state_inputs):
        size = int(np.prod(shape)) * np.dtype(numpy_type).itemsize
        if offset + size > len(input_bytes):
            raise ValueError(f"the input file holds {len(input_bytes)} bytes, the model reads "
                             f"more")
        array = np.frombuffer(input_bytes[offset:offset + size], numpy_type)
        offset += size
        if len(shape) == 4 and value.name not in channels_last:  # the bytes are NHWC
            array = array.reshape([shape[i] for i in TO_NHWC]).transpose(TO_NCHW)
        elif value.name in signals:  # the bytes are NLC
            array = array.reshape([shape[i] for i in CHANNELS_LAST_1D]).transpose(
                CHANNELS_LAST_1D)
        array = np.ascontiguousarray(array).reshape(shape)
        inputs[value.name] = torch.from_numpy(array.astype(np.float64) if element == "FLOAT"
                                              else array.astype(np.int64))
    if offset != len(input_bytes):
        raise ValueError(f"the input file holds {len(input_bytes)} bytes, the model reads "
                         f"{offset}")
    return inputs


def _runs(model, evaluator, input_bytes: bytes, input_shapes: dict,
          states: list[tuple[str, str]]) -> list[tuple]:
    """The evaluator's outputs (value, tensor) of each run: one, or with `states` one per
    frame of the input bytes, each starting from the state the previous left (zero at
    first), the state outputs left out."""
    import torch
    state_inputs = frozenset(name for name, _ in states)
    state_outputs = {name for _, name in states}
    frame = len(input_bytes)
    if states:
        frame = sum(int(np.prod(shape)) * np.dtype(numpy_type).itemsize for _, _, numpy_type,
                    shape in _interface_inputs(model, input_shapes, state_inputs))
        if frame == 0 or len(input_bytes) % frame:
            raise ValueError(f"the input file holds {len(input_bytes)} bytes, not a whole "
                             f"number of {frame}-byte frames")
    carried = {}
    for name, _ in states:
        value = next((v for v in model.graph.input if v.name == name), None)
        if value is None:
            raise ValueError(f"--state: no input '{name}'")
        shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
        carried[name] = torch.zeros(shape, dtype=torch.float64)
    runs = []
    for start in range(0, len(input_bytes), frame) if input_bytes else [0]:
        inputs = _input_arrays(model, input_bytes[start:start + frame], input_shapes,
                               state_inputs)
        inputs.update(carried)
        with torch.no_grad():
            results = evaluator.run(inputs)
        by_name = dict(zip((v.name for v in model.graph.output), results))
        carried = {name_in: by_name[name_out] for name_in, name_out in states}
        runs.append([(v, t) for v, t in zip(model.graph.output, results)
                     if v.name not in state_outputs])
    return runs


def evaluate(model, input_bytes: bytes, input_shapes: dict | None = None,
             int8_rounding: str = "onnxruntime",
             states: list[tuple[str, str]] | None = None) -> tuple[np.ndarray, str, dict]:
    """The model's outputs as the function writes them (flattened, concatenated, run after
    run), their element type ("f32", "i8", "u8" or "i32": indices), and the int8
    requantisation statistics."""
    import onnx
    from pex.importers.onnx.layout import channels_last_interface
    evaluator = Evaluator(model, int8_rounding)
    runs = _runs(model, evaluator, input_bytes, input_shapes or {}, states or [])
    channels_last = channels_last_interface(model.graph)[1]
    outputs, dtypes = [], set()
    for value, tensor in (pair for run in runs for pair in run):
        array = tensor.numpy()
        if array.ndim == 4 and value.name not in channels_last:
            array = array.transpose(TO_NHWC)
        if tensor.is_floating_point():
            dtypes.add("f32")
        elif value.type.tensor_type.elem_type in (onnx.TensorProto.INT32,
                                                  onnx.TensorProto.INT64):
            dtypes.add("i32")  # indices (ArgMax): int32 in pex
        else:
            dtypes.add("u8" if evaluator.int8.unsigned.get(value.name) else "i8")
        outputs.append(array.reshape(-1).astype(np.float64))
    if len(dtypes) != 1:
        raise ValueError("outputs of different element types")
    return np.concatenate(outputs), dtypes.pop(), evaluator.int8.statistics


def compare_int8(actual: np.ndarray, onnxruntime: np.ndarray, tosa: np.ndarray,
                 statistics: dict) -> tuple[bool, str]:
    """Identical to ONNX Runtime's arithmetic; or equal to the graph evaluated with TOSA's
    rounding where the two roundings differ only by 1 at some requantised values (the
    documented cases). In a deep network such a difference spreads: the outputs can then
    differ from ONNX Runtime's by more than 1, which the message says."""
    if np.array_equal(actual, onnxruntime):
        return True, "identical"
    moved = int(np.count_nonzero(actual != onnxruntime))
    distance = int(np.max(np.abs(actual - onnxruntime)))
    rounded = (f"{statistics['differ']} of {statistics['requantised']} requantised values "
               f"round differently, by at most {statistics['largest']}")
    if np.array_equal(actual, tosa) and 0 < statistics["largest"] <= 1:
        return True, (f"equal to TOSA's rounding ({rounded}; {moved} of {actual.size} "
                      f"outputs differ from ONNX Runtime's, by at most {distance} LSB)")
    return False, (f"DIFFERENT ({moved} of {actual.size} outputs, max {distance} LSB from "
                   f"ONNX Runtime's rounding, {int(np.count_nonzero(actual != tosa))} from "
                   f"TOSA's; {rounded})")


def judge(model, input_bytes: bytes, output_bytes: bytes, input_shapes: dict | None = None,
          rtol: float = 1e-5, states: list[tuple[str, str]] | None = None) -> tuple[bool, str]:
    """Whether the output bytes a Pex build wrote agree with the evaluator, and how."""
    reference, dtype, statistics = evaluate(model, input_bytes, input_shapes, states=states)
    if dtype == "i32":
        actual = np.frombuffer(output_bytes, np.int32)
        if actual.size == reference.size and np.array_equal(actual, reference):
            return True, "equal"
        moved = int(np.sum(actual != reference)) if actual.size == reference.size else "all"
        return False, f"DIFFERENT ({moved} indices)"
    if dtype == "f32":
        actual = np.frombuffer(output_bytes, np.float32)
        ok, message = compare_values(actual, reference, rtol)
        if ok or not 0 < statistics["largest"] <= 1:
            return ok, message
        # An int8 graph whose output is dequantized (PyTorch's quantized exports end in a
        # DequantizeLinear): requantisations rounding by 1 differently move the values.
        tosa, _, _ = evaluate(model, input_bytes, input_shapes, "tosa", states)
        if compare_values(actual, tosa, rtol)[0]:
            distance = float(np.max(np.abs(actual - reference)))
            return True, (f"equal to TOSA's rounding ({statistics['differ']} of "
                          f"{statistics['requantised']} requantised values round "
                          f"differently, by 1; the outputs move by up to {distance:.3g} "
                          f"from ONNX Runtime's)")
        return False, message
    actual = np.frombuffer(output_bytes, np.uint8 if dtype == "u8" else np.int8)
    if actual.size != reference.size:
        return False, f"DIFFERENT sizes ({actual.size} and {reference.size} elements)"
    tosa, _, _ = evaluate(model, input_bytes, input_shapes, "tosa", states)
    return compare_int8(actual.astype(np.float64), reference, tosa, statistics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-onnx-check", description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--input-shape", action="append", default=[], metavar="[NAME:]DIMS")
    parser.add_argument("--state", action="append", default=[], metavar="INPUT=OUTPUT",
                        help="as pexc's --state: the input file holds frames, each run "
                             "continuing from the state the previous left")
    args = parser.parse_args(argv)
    import onnx
    from pex.errors import ModelError
    from pex.importers.input_shapes import parse_input_shapes
    from pex.importers.state_interface import parse_states
    try:
        model = onnx.load(args.model)
        shapes = parse_input_shapes(args.input_shape)
        with open(args.input, "rb") as file:
            input_bytes = file.read()
        with open(args.output, "rb") as file:
            output_bytes = file.read()
        ok, message = judge(model, input_bytes, output_bytes, shapes, args.rtol,
                            parse_states(args.state))
    except (OSError, ValueError, Unsupported, ModelError) as error:
        print(f"pex-onnx-check: error: {args.model}: {error}", file=sys.stderr)
        return 1
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
