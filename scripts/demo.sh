#!/usr/bin/env bash
# The main job in one command: install, build, then import a real model,
# compile it for a Cortex-M4, run it in QEMU on the reference input and check
# that its output bytes equal the host build's.
#   scripts/demo.sh [MODEL]   (default: MLPerf Tiny's visual wake words, int8,
#                              or a generated MobileNetV2 when the shared
#                              models are absent)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PEX_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh" pexc pex-insn-count

out="$build/demo"
mkdir -p "$out"
export PYTHONPATH="$root/python"
models="$("$root/scripts/models-dir.sh")"
model="${1:-$models/mlperf-tiny/vww_96_int8.tflite}"
if [ $# -eq 0 ] && [ ! -f "$model" ]; then
  model="$out/mobilenet_v2_035_96.mlir"
  /usr/bin/python3 -m pex.zoo mobilenet_v2 --width 0.35 --resolution 96 \
    --dtype int8 -o "$model"
fi
name="$(basename "${model%.*}")"

/usr/bin/python3 -m pex.reference.make_input "$model" -o "$out/$name.input.bin"
"$build/bin/pexc" "$model" --target=cortex-m4 -o "$out/$name.o" \
  --memory-report --report-json="$out/$name.report.json" \
  --run="$out/$name.input.bin" --output="$out/$name.cortex-m4.bin"
"$build/bin/pexc" "$model" --target=host -q -o "$out/$name.host.o" \
  --run="$out/$name.input.bin" --output="$out/$name.host.bin"
cmp "$out/$name.cortex-m4.bin" "$out/$name.host.bin"
echo "demo: Cortex-M4 (QEMU) output equals the host build's:" \
  "$(od -An -tx1 -v "$out/$name.cortex-m4.bin" | tr -d ' \n' | head -c 64)"
echo "demo: object, header and report in $out"
