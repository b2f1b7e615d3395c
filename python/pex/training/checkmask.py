"""python3 -m pex.training.checkmask: pex-prune's mask applied to an untrained tiny model.

Builds the tiny network (random weights and BatchNorm statistics, seeded), exports
it, quantises it (calibration on the first Fashion-MNIST training images), runs
pex-prune at --budget, applies the mask to the torch model, re-exports and re-imports
it, and compares its TOSA shapes with pex-prune's output; then checks that the pruned
model computes what the unpruned one computes with the removed channels zeroed.
--corrupt makes one thing wrong on purpose, to show the checks catch it:
  shift      apply the mask's kept channels shifted by one (right shapes, wrong
             channels: only the masked-equivalence check can see it)
  skip-bn    leave the BatchNorms unpruned (the export fails / shapes differ)
  rename     a producer name that is not in the ONNX export
  count      the class's channel count off by one
  one-class  apply only the first pruned class (a consistent model, other shapes)
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys

import torch

from pex.training import compiler, data, mask, quantize
from pex.training import model as models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m pex.training.checkmask",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, required=True, help="arena bytes")
    parser.add_argument("--resolution", type=int, default=12)
    parser.add_argument("--work", required=True, help="work directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corrupt", choices=("shift", "skip-bn", "rename", "count",
                                                  "one-class"))
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # in order with the error line on stderr
    os.makedirs(args.work, exist_ok=True)
    torch.manual_seed(args.seed)
    net = models.Net(models.tiny_spec(args.resolution)).eval()
    models.randomize_batchnorm(net, args.seed)
    images, _ = data.load("train", args.resolution)
    try:
        mlir = quantize.int8_tosa(net, images[:64], args.work, "tiny")
        pruned_mlir = os.path.join(args.work, "pex-prune.mlir")
        the_mask = compiler.prune(mlir, args.budget, pruned_mlir,
                                  os.path.join(args.work, "mask.json"))
        print(f"pex-prune: peak {the_mask['peak_before_bytes']} -> "
              f"{the_mask['peak_after_bytes']} bytes, {len(the_mask['pruned'])} classes")
        applied = copy.deepcopy(the_mask)
        if args.corrupt == "shift":
            for cls in applied["pruned"]:
                cls["kept"] = [(c + 1) % cls["channels"] for c in cls["kept"]]
                cls["removed"] = [(c + 1) % cls["channels"] for c in cls["removed"]]
        elif args.corrupt == "rename":
            applied["pruned"][0]["producers"][0] += "_missing"
        elif args.corrupt == "one-class":
            del applied["pruned"][1:]
        elif args.corrupt == "count":
            applied["pruned"][0]["channels"] += 1
            applied["pruned"][0]["removed"].append(applied["pruned"][0]["channels"] - 1)
        onnx_path = os.path.join(args.work, "tiny.onnx")
        pruned = copy.deepcopy(net)
        if args.corrupt == "skip-bn":
            original = mask.prune_bn
            mask.prune_bn = lambda bn, kept: None
        try:
            actions = mask.apply_mask(pruned, applied, onnx_path)
        finally:
            if args.corrupt == "skip-bn":
                mask.prune_bn = original
        for action in actions:
            print(f"  {action.describe()}")
        check = os.path.join(args.work, "check")
        os.makedirs(check, exist_ok=True)
        try:
            reimported = quantize.int8_tosa(pruned, images[:64], check, "tiny")
        except Exception as error:  # e.g. torch refuses a conv/BN channel mismatch
            raise mask.MaskError(f"the pruned torch model does not export: "
                                 f"{type(error).__name__}: {str(error).splitlines()[0]}")
        canonical = compiler.canonical(reimported, os.path.join(check, "canonical.mlir"))
        with open(pruned_mlir) as f, open(canonical) as g:
            print(f"shapes: {mask.compare_shapes(f.read(), g.read())} operations equal")
        diff = mask.masked_equivalence(net, pruned, the_mask, onnx_path,
                                       data.to_float(images[:16]))
        print(f"max |pruned - masked| = {diff:.1e}")
        if diff > 1e-3:
            raise mask.MaskError(f"the pruned model differs from the masked one by {diff:.3g}")
    except (compiler.CompilerError, mask.MaskError) as error:
        print(f"checkmask: error: {error}", file=sys.stderr)
        return 1
    print("mask applied consistently")
    return 0


if __name__ == "__main__":
    sys.exit(main())
