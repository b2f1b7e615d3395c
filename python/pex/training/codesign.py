"""python3 -m pex.training.codesign: SRAM budget vs int8 accuracy (Fashion-MNIST).

The co-design loop: train a small MobileNetV2-style CNN in torch; export ONNX; import
and quantise to int8 with calibration on training images; compile with pexc. Then, per
SRAM budget (arena bytes, below what partial execution alone reaches): pex-prune the
int8 TOSA at a budget, apply the compiler's channel mask to the torch model (checked:
the pruned torch model imports with exactly pex-prune's shapes, and computes what the
unpruned model computes with those channels zeroed), fine-tune, re-quantise, compile,
and repeat until pexc's arena meets the budget. Steps shrink the arena by at most
--max-step per prune, so big cuts are made gradually with fine-tuning in between;
each budget starts from the previous (larger) budget's model.

Every accuracy is measured by running the compiled int8 code: pexc --target=host
over the whole test set (runtime/harness.c's batch mode), and a sample of the test
set in QEMU (pexc --target=cortex-m4 --run), whose output bytes must equal the
host's. Rows: the unpruned model without partial execution (--no-partial), with
partial execution, pruned to each budget; then the same for a model trained at a
larger (upsampled) input resolution, pruned to the same budgets.

A budget pex-prune cannot meet is reported with pex-prune's diagnostic, the run goes
on with the next budget, and exits with status 1. pexc failing on any model the loop
makes (pex-prune's output included) is a compiler defect: the run stops there with
pexc's diagnostic and the file it failed on (exit status 1).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shlex
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from pex.training import compiler, data, mask, quantize, train
from pex.training import model as models

PROGRAM = "codesign"


@dataclass
class Row:
    label: str
    resolution: int
    budget: int | None
    arena: int
    io: int
    macs: int
    flash: int
    float_acc: float
    int8_acc: float
    qemu: str
    channels: str
    notes: str = ""
    steps: list = field(default_factory=list)


def _channels(net: models.Net) -> str:
    spec = models.current_spec(net)
    blocks = " ".join(f"{b.expand}/{b.out}" for b in spec.blocks)
    return f"{spec.stem}; {blocks}; {spec.head}"


class Loop:
    def __init__(self, args) -> None:
        self.args = args
        self.start = time.time()
        self.timings: list[tuple[str, float]] = []
        self.rows: list[Row] = []
        self.failures: list[str] = []

    def log(self, message: str) -> None:
        print(f"[{time.time() - self.start:7.1f} s] {message}", file=sys.stderr, flush=True)

    def timed(self, what: str, seconds: float) -> None:
        self.timings.append((what, seconds))

    # -- one resolution ------------------------------------------------------------

    def load(self, resolution: int) -> None:
        t = time.time()
        self.resolution = resolution
        self.train_x, self.train_y = data.load("train", resolution)
        self.test_x, self.test_y = data.load("t10k", resolution)
        if self.args.train_limit:
            self.train_x, self.train_y = (self.train_x[:self.args.train_limit],
                                          self.train_y[:self.args.train_limit])
        if self.args.test_limit:
            self.test_x, self.test_y = (self.test_x[:self.args.test_limit],
                                        self.test_y[:self.args.test_limit])
        self.calibration = self.train_x[:self.args.calibration]
        self.root = os.path.join(self.args.work, f"r{resolution}")
        os.makedirs(self.root, exist_ok=True)
        self.counter = 0
        self.timed(f"{resolution}x{resolution}: load data", time.time() - t)

    def directory(self, tag: str) -> str:
        self.counter += 1
        path = os.path.join(self.root, f"{self.counter:02d}-{tag}")
        os.makedirs(path, exist_ok=True)
        return path

    def int8(self, net: models.Net, directory: str, images=None) -> str:
        """DIR/fmnistR.onnx and DIR/fmnistR.mlir (the int8 TOSA pexc compiles)."""
        return quantize.int8_tosa(net, self.calibration if images is None else images,
                                  directory, f"fmnist{self.resolution}")

    def evaluate(self, mlir: str, partial: bool = True) -> tuple[float, bytes, dict]:
        outputs, report = compiler.run_batch(mlir, data.to_int8_bytes(self.test_x), 10,
                                             "host", partial, work=self.args.work)
        logits = np.frombuffer(outputs, np.int8).reshape(-1, 10)
        if len(logits) != len(self.test_x):
            raise compiler.PexcError(f"{len(logits)} outputs for {len(self.test_x)} inputs")
        return float((logits.argmax(1) == self.test_y).mean()), outputs, report

    def qemu(self, mlir: str, host_outputs: bytes, partial: bool = True) -> str:
        n = min(self.args.qemu_samples, len(self.test_x))
        if n == 0:
            return "not run"
        t = time.time()
        outputs, report = compiler.run_batch(mlir, data.to_int8_bytes(self.test_x[:n]), 10,
                                             "cortex-m4", partial, work=self.args.work)
        same = sum(outputs[10 * i:10 * i + 10] == host_outputs[10 * i:10 * i + 10]
                   for i in range(n))
        self.log(f"  QEMU Cortex-M4: {same}/{n} outputs identical to the host's, "
                 f"{report.get('instructions', 0) // n} instructions and "
                 f"{report.get('stack_bytes')} stack bytes per inference "
                 f"({time.time() - t:.1f} s)")
        self.timed(f"{self.resolution}x{self.resolution}: QEMU, {n} images", time.time() - t)
        return f"{same}/{n}"

    def row(self, label: str, net: models.Net, mlir: str, budget, partial: bool = True,
            notes: str = "", steps=None, reference: bytes | None = None) -> Row:
        t = time.time()
        acc, outputs, report = self.evaluate(mlir, partial)
        if reference is not None and outputs != reference:
            notes += " (outputs DIFFER from the row above)"
        elif reference is not None:
            notes += f" (all {len(self.test_x)} outputs identical to the row above)"
        self.timed(f"{self.resolution}x{self.resolution}: {label}: host run, "
                   f"{len(self.test_x)} images", time.time() - t)
        float_acc = train.accuracy(net, self.test_x, self.test_y)
        qemu = self.qemu(mlir, outputs, partial)
        row = Row(label, self.resolution, budget, report["arena_bytes"], report["io_bytes"],
                  report["macs"], report["flash_bytes"], float_acc, acc, qemu, _channels(net),
                  notes.strip(), steps or [])
        self.log(f"  {label}: arena {row.arena} B, float {float_acc:.4f}, int8 {acc:.4f} "
                 f"{row.notes}")
        self.rows.append(row)
        self.last_outputs = outputs
        return row

    def base(self) -> tuple[models.Net, str, int]:
        spec = (models.tiny_spec if self.args.spec == "tiny" else models.default_spec)(
            self.resolution)
        torch.manual_seed(self.args.seed)
        net = models.Net(spec)
        signature = {"spec": asdict(spec), "epochs": self.args.epochs, "lr": self.args.lr,
                     "seed": self.args.seed, "train_limit": self.args.train_limit}
        cache = os.path.join(self.root, "base.pt")
        cached = torch.load(cache) if os.path.exists(cache) and self.args.reuse else None
        if cached is not None and cached["signature"] == signature:
            net.load_state_dict(cached["state"])
            net.eval()
            self.log(f"{self.resolution}x{self.resolution}: trained model reused from {cache} "
                     f"(trained in {cached['seconds']:.0f} s)")
            self.timed(f"{self.resolution}x{self.resolution}: train {self.args.epochs} epochs "
                       f"(reused from {cache})", cached["seconds"])
        else:
            self.log(f"{self.resolution}x{self.resolution}: training {self.args.epochs} "
                     f"epochs on {len(self.train_x)} images ({models.macs(net)} MACs)")
            seconds = train.train(net, self.train_x, self.train_y, self.args.epochs,
                                  lr=self.args.lr, seed=self.args.seed, log=self.log)
            self.timed(f"{self.resolution}x{self.resolution}: train {self.args.epochs} epochs",
                       seconds)
            torch.save({"signature": signature, "state": net.state_dict(), "seconds": seconds},
                       cache)
        t = time.time()
        mlir = self.int8(net, self.directory("base"))
        self.timed(f"{self.resolution}x{self.resolution}: export + calibrate + quantise",
                   time.time() - t)
        self.row("unpruned, no partial execution", net, mlir, None, partial=False)
        reference = self.last_outputs
        row = self.row("unpruned, partial execution", net, mlir, None, reference=reference)
        return net, mlir, row.arena

    def prune_step(self, net: models.Net, mlir: str, budget: int) -> tuple[models.Net, dict]:
        """pex-prune at `budget`, the mask applied to a copy of `net`, both checks."""
        directory = self.directory(f"prune{budget}")
        pruned_mlir = os.path.join(directory, "pex-prune.mlir")
        try:
            the_mask = compiler.prune(mlir, budget, pruned_mlir,
                                      os.path.join(directory, "mask.json"))
        except compiler.CompilerError as error:
            raise compiler.CompilerError(f"pex-prune at a budget of {budget} bytes: {error}")
        # pexc compiles the pruned function (its arena decides the fine-tuning) before
        # any training on it; a failure here is a compiler defect and stops the run.
        try:
            built = compiler.compile_model(pruned_mlir, os.path.join(directory, "pex-prune.o"))
        except compiler.PexcError as error:
            raise compiler.PexcError(f"pexc cannot compile pex-prune's output at a budget of "
                                     f"{budget} bytes ({pruned_mlir}): {error}") from None
        onnx_path = os.path.splitext(mlir)[0] + ".onnx"
        pruned = copy.deepcopy(net)
        actions = mask.apply_mask(pruned, the_mask, onnx_path)
        # The pruned torch model, exported and imported again, has pex-prune's shapes.
        check_dir = os.path.join(directory, "check")
        os.makedirs(check_dir, exist_ok=True)
        reimported = compiler.canonical(self.int8(pruned, check_dir, self.calibration[:64]),
                                        os.path.join(check_dir, "canonical.mlir"))
        with open(pruned_mlir) as f, open(reimported) as g:
            compared = mask.compare_shapes(f.read(), g.read())
        # ... and computes what the unpruned model computes with those channels zeroed.
        inputs = data.to_float(self.test_x[:64])
        diff = mask.masked_equivalence(net, pruned, the_mask, onnx_path, inputs)
        if diff > 1e-3:
            raise mask.MaskError(f"pruned model differs from the masked one by {diff}")
        self.log(f"  pex-prune at {budget} B: peak {the_mask['peak_before_bytes']} -> "
                 f"{the_mask['peak_after_bytes']} B; " +
                 "; ".join(a.describe() for a in actions if a.what != "inputs"))
        self.log(f"    checked: {compared} operations with pex-prune's shapes, "
                 f"|pruned - masked| = {diff:.1e}")
        return pruned, {"budget": budget, "peak_before": the_mask["peak_before_bytes"],
                        "peak_after": the_mask["peak_after_bytes"],
                        "pruned_arena": built["arena_bytes"],
                        "classes": [(c["channels"], len(c["kept"])) for c in the_mask["pruned"]],
                        "operations_compared": compared, "max_abs_diff": diff}

    def prune_to(self, net: models.Net, mlir: str, arena: int, budget: int):
        """The loop: prune, fine-tune, re-quantise, compile, until arena <= budget."""
        steps, target = [], budget
        # Can the compiler meet the budget at all? Ask before spending training time.
        probe = self.directory(f"probe{budget}")
        try:
            compiler.prune(mlir, budget, os.path.join(probe, "pex-prune.mlir"),
                           os.path.join(probe, "mask.json"))
        except compiler.CompilerError as error:
            raise compiler.CompilerError(f"pex-prune at a budget of {budget} bytes: {error}")
        for iteration in range(self.args.max_iterations):
            if arena <= budget:
                return net, mlir, arena, steps
            step_budget = max(target, int(arena * self.args.max_step))
            t = time.time()
            net, step = self.prune_step(net, mlir, step_budget)
            prune_seconds = time.time() - t
            # The arena depends on the shapes alone: pex-prune's output has it already.
            final = step["pruned_arena"] <= budget
            epochs = self.args.finetune_epochs if final else self.args.step_epochs
            seconds = train.train(net, self.train_x, self.train_y, epochs,
                                  lr=self.args.finetune_lr,
                                  seed=self.args.seed + 1000 * budget + iteration)
            t = time.time()
            mlir = self.int8(net, self.directory(f"tuned{step_budget}"))
            report = compiler.compile_model(mlir, os.path.splitext(mlir)[0] + ".o")
            arena = report["arena_bytes"]
            self.log(f"    fine-tuned {epochs} epochs ({seconds:.0f} s): arena {arena} B, "
                     f"float accuracy {train.accuracy(net, self.test_x, self.test_y):.4f}")
            step.update(arena=arena, finetune_epochs=epochs, finetune_seconds=round(seconds, 1),
                        prune_and_check_seconds=round(prune_seconds, 1))
            steps.append(step)
            self.timed(f"{self.resolution}x{self.resolution}: prune to {step_budget} B "
                       f"(pex-prune, mask, checks)", prune_seconds)
            self.timed(f"{self.resolution}x{self.resolution}: fine-tune {epochs} epochs "
                       f"after pruning to {step_budget} B", seconds)
            if step_budget <= target and arena > budget:
                # pex-prune's peak met the budget, the arena (aligned buffers) did not:
                # aim below by the excess.
                target -= arena - budget
        raise compiler.CompilerError(f"no arena within {budget} bytes after "
                                     f"{self.args.max_iterations} prune steps")

    def resolution_run(self, resolution: int, budgets: list[int]) -> None:
        self.load(resolution)
        net, mlir, arena = self.base()
        for budget in sorted(budgets, reverse=True):
            if budget >= arena:
                self.log(f"  budget {budget} B is not below the partial-execution arena "
                         f"{arena} B: skipped")
                continue
            self.log(f"{resolution}x{resolution}: budget {budget} B")
            try:
                net, mlir, arena, steps = self.prune_to(net, mlir, arena, budget)
            except compiler.PexcError as error:
                raise compiler.PexcError(f"{resolution}x{resolution}: {error}") from None
            except (compiler.CompilerError, mask.MaskError) as error:
                # Reported now, and the run goes on with the next budget from the last
                # model that met one; the exit status says a budget was not met.
                print(f"{PROGRAM}: error: {resolution}x{resolution}: {error}", file=sys.stderr,
                      flush=True)
                self.failures.append(f"{resolution}x{resolution}, budget {budget} B: "
                                     f"{str(error).splitlines()[0]}")
                continue
            self.row(f"partial execution + pruning", net, mlir, budget, steps=steps)
            torch.save({"spec": asdict(models.current_spec(net)), "state": net.state_dict()},
                       os.path.join(os.path.dirname(mlir), "model.pt"))


# -- output -----------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    lines = ["| model | input | budget (B) | arena (B) | input+output (B) | MACs | flash (B) "
             "| float acc. | int8 acc. (compiled, host) | QEMU M4 = host | channels "
             "(stem; expand/out per block; head) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r.label} | {r.resolution}x{r.resolution} | "
                     f"{r.budget if r.budget else '-'} | {r.arena} | {r.io} | {r.macs} | "
                     f"{r.flash} | {100 * r.float_acc:.2f} % | {100 * r.int8_acc:.2f} % | "
                     f"{r.qemu} | {r.channels} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m pex.training.codesign", description=__doc__.splitlines()[0],
        epilog=" ".join(line.strip() for line in __doc__.splitlines()[2:]),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ints = lambda text: [int(x) for x in text.split(",") if x]  # noqa: E731
    parser.add_argument("--budgets", type=ints, default=[12000, 8000, 6000, 4000],
                        help="SRAM budgets (arena bytes), comma-separated")
    parser.add_argument("--resolution", type=int, default=28, help="input height and width")
    parser.add_argument("--variant-resolution", type=int, default=36,
                        help="the larger (upsampled) input resolution; 0: skip the variant")
    parser.add_argument("--variant-budgets", type=ints, default=None,
                        help="budgets for the variant (default: --budgets)")
    parser.add_argument("--epochs", type=float, default=10, help="training epochs")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--finetune-epochs", type=float, default=3,
                        help="fine-tuning epochs once a budget is reached")
    parser.add_argument("--step-epochs", type=float, default=1,
                        help="fine-tuning epochs after an intermediate prune step")
    parser.add_argument("--finetune-lr", type=float, default=1e-3)
    parser.add_argument("--max-step", type=float, default=0.7,
                        help="each prune step's budget is at least this fraction of the "
                             "current arena")
    parser.add_argument("--max-iterations", type=int, default=12,
                        help="prune steps per budget at most")
    parser.add_argument("--calibration", type=int, default=1000,
                        help="training images used to calibrate the int8 ranges")
    parser.add_argument("--qemu-samples", type=int, default=500,
                        help="test images also run in QEMU (Cortex-M4); 0: none")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spec", choices=("default", "tiny"), default="default",
                        help="network size (tiny: for tests)")
    parser.add_argument("--train-limit", type=int, default=0,
                        help="use only the first N training images (0: all 60000)")
    parser.add_argument("--test-limit", type=int, default=0,
                        help="use only the first N test images (0: all 10000)")
    parser.add_argument("--reuse", action=argparse.BooleanOptionalAction, default=True,
                        help="reuse WORK/rR/base.pt when it was trained with the same "
                             "spec, epochs, lr, seed and data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default="build/codesign", help="work directory")
    parser.add_argument("--json", help="write the rows and timings as JSON here")
    parser.add_argument("--doc", help="write the table, command and timings as Markdown")
    args = parser.parse_args(argv)

    train.setup(args.threads)
    os.makedirs(args.work, exist_ok=True)
    loop = Loop(args)
    command = "PYTHONPATH=python /usr/bin/python3 -m pex.training.codesign " + \
        " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    try:
        loop.resolution_run(args.resolution, args.budgets)
        if args.variant_resolution:
            loop.resolution_run(args.variant_resolution,
                                args.variant_budgets if args.variant_budgets is not None
                                else args.budgets)
    except (compiler.CompilerError, mask.MaskError) as error:
        if loop.rows:
            print(table(loop.rows), flush=True)
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 1
    wall = time.time() - loop.start
    text = table(loop.rows)
    if loop.failures:
        text += "\n\nNot reached:\n\n" + "\n".join(f"- {f}" for f in loop.failures)
    print(text)
    print(f"\nwall time: {wall:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"command": command, "wall_seconds": round(wall, 1),
                       "rows": [asdict(r) for r in loop.rows], "failures": loop.failures,
                       "timings": [(w, round(s, 1)) for w, s in loop.timings]}, f, indent=1)
    if args.doc:
        with open(args.doc, "w") as f:
            f.write(f"Command:\n\n    {command}\n\nWall time: {wall:.0f} s\n\n{text}\n\n"
                    "| phase | seconds |\n|---|---:|\n" +
                    "\n".join(f"| {w} | {s:.1f} |" for w, s in loop.timings) + "\n")
    return 1 if loop.failures else 0


if __name__ == "__main__":
    sys.exit(main())
