"""An independent runtime: Arm NN's reference backend (CpuRef) running a .tflite file.

Needs Debian's python3-pyarmnn and libarmnn-cpuref-backend22. Arm NN's reference
workloads dequantise to float, compute in float and requantise, so their int8 results
may differ from TFLite Micro's integer kernels by an LSB here and there.

Each run happens in a child process: Arm NN aborts the process on some models it does
not support (e.g. hybrid int8-weight models) instead of raising.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile

import numpy as np


def run_tflite(model: bytes, input_bytes: bytes) -> bytes:
    """Output bytes of the model's subgraph 0 (inputs and outputs concatenated in order).

    Raises RuntimeError when Arm NN cannot run the model."""
    with tempfile.TemporaryDirectory() as folder:
        model_path = os.path.join(folder, "model.tflite")
        input_path = os.path.join(folder, "input.bin")
        with open(model_path, "wb") as file:
            file.write(model)
        with open(input_path, "wb") as file:
            file.write(input_bytes)
        child = subprocess.run([sys.executable, "-m", "pex.reference.armnn", model_path,
                                input_path], capture_output=True)
    if child.returncode != 0:
        reason = child.stderr.decode(errors="replace").strip().splitlines()
        raise RuntimeError("Arm NN failed: " + (reason[-1] if reason else f"status {child.returncode}"))
    return child.stdout


def _run(model_path: str, input_bytes: bytes) -> bytes:
    # pyarmnn warns on import about parsers Debian does not build; nothing is missing here.
    logging.getLogger("pyarmnn").setLevel(logging.ERROR)
    import pyarmnn as ann

    runtime = ann.IRuntime(ann.CreationOptions())
    parser = ann.ITfLiteParser()
    network = parser.CreateNetworkFromBinaryFile(model_path)
    optimized, _ = ann.Optimize(network, [ann.BackendId("CpuRef")], runtime.GetDeviceSpec(),
                                ann.OptimizerOptions())
    network_id, _ = runtime.LoadNetwork(optimized)
    numpy_types = {ann.DataType_Float32: np.float32, ann.DataType_Signed32: np.int32,
                   ann.DataType_QAsymmS8: np.int8, ann.DataType_QSymmS8: np.int8,
                   ann.DataType_QSymmS16: np.int16}
    input_bindings = [parser.GetNetworkInputBindingInfo(0, name)
                      for name in parser.GetSubgraphInputTensorNames(0)]
    arrays, offset = [], 0
    for _, info in input_bindings:
        dtype = numpy_types[info.GetDataType()]
        arrays.append(np.frombuffer(input_bytes, dtype, info.GetNumElements(), offset))
        offset += info.GetNumElements() * np.dtype(dtype).itemsize
    output_bindings = [parser.GetNetworkOutputBindingInfo(0, name)
                       for name in parser.GetSubgraphOutputTensorNames(0)]
    outputs = ann.make_output_tensors(output_bindings)
    runtime.EnqueueWorkload(network_id, ann.make_input_tensors(input_bindings, arrays), outputs)
    return b"".join(a.tobytes() for a in ann.workload_tensors_to_ndarray(outputs))


if __name__ == "__main__":  # the child process: MODEL INPUT_FILE -> output bytes on stdout
    with open(sys.argv[2], "rb") as input_file:
        sys.stdout.buffer.write(_run(sys.argv[1], input_file.read()))
