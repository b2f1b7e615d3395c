"""The ideals as text and as JSON."""

from __future__ import annotations

from pex.ideal import Ideals
from pex.ideal.evaluate import Evaluation, StepReport


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
