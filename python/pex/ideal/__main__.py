"""python3 -m pex.ideal MODEL [--json] [--steps] [--beam N]: the ideal peaks of a .tflite or
.onnx model, without and with channel-split partial execution, and their peak steps."""

from __future__ import annotations

import argparse
import json
import sys

from pex.errors import ModelError
from pex.ideal import DEFAULT_BEAM, Ideals, compute_ideals
from pex.ideal.evaluate import Evaluation, StepReport
from pex.importers import load_graph


def _step_json(step: StepReport) -> dict:
    return {"step": step.label, "bytes": step.bytes,
            "live": [{"what": t.what, "bytes": t.bytes} for t in step.live]}


def _evaluation_json(result: Evaluation, with_chains: bool, steps: bool) -> dict:
    data = {"bytes": result.peak, "exact": result.exact, "states": result.states,
            "peak_step": _step_json(result.peak_step)}
    if with_chains:
        data["chains"] = [{"chain": use.chain.label, "channels": use.chain.channels,
                           "slices": use.slices} for use in result.chains]
    if steps:
        data["steps"] = [_step_json(s) for s in result.steps]
    return data


def to_json(ideals: Ideals, steps: bool = False) -> dict:
    return {"model": ideals.model, "operators": ideals.operators,
            "model_order_bytes": ideals.model_order.peak,
            "ideal": _evaluation_json(ideals.ideal, False, steps),
            "channel_split_ideal": _evaluation_json(ideals.channel_split, True, steps)}


def _describe_peak(result: Evaluation) -> str:
    step = result.peak_step
    live = ", ".join(f"{t.what} {t.bytes}" for t in step.live)
    return f"at {step.label}: {live}"


def _search_note(result: Evaluation) -> str:
    return (f"exact, {result.states} sets of operators" if result.exact
            else f"NOT EXACT: beam search, {result.states} sets of operators")


def format_text(ideals: Ideals, steps: bool = False) -> str:
    lines = [f"{ideals.model}: {ideals.operators} operators",
             f"model order, no splitting: {ideals.model_order.peak} B"]
    for title, result in (("ideal (best order, no splitting)", ideals.ideal),
                          ("channel-split ideal", ideals.channel_split)):
        lines.append(f"{title}: {result.peak} B ({_search_note(result)})")
        lines.append(f"  peak {_describe_peak(result)}")
    for use in ideals.channel_split.chains:
        lines.append(f"  chain: {use.chain.label}, {use.slices} slices")
    if steps:
        lines.append("channel-split schedule:")
        lines.extend(f"  {s.bytes:>9} B  {s.label}" for s in ideals.channel_split.steps)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pex-ideal", description=__doc__.splitlines()[0])
    parser.add_argument("model", help=".tflite or .onnx file")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--steps", action="store_true",
                        help="also print every step of the channel-split schedule")
    parser.add_argument("--beam", type=int, default=DEFAULT_BEAM,
                        help="sets of executed operators kept per size before the search "
                             f"is no longer exact (default {DEFAULT_BEAM})")
    args = parser.parse_args(argv)
    try:
        ideals = compute_ideals(load_graph(args.model), args.beam)
    except ModelError as error:
        print(f"pex-ideal: error: {args.model}: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_json(ideals, args.steps), indent=2))
    else:
        print(format_text(ideals, args.steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
