"""Replays a schedule step by step: the bytes live at every step, what they are, the peak
step, and for each chain the fewest slices that keep the peak."""

from __future__ import annotations

from dataclasses import dataclass

from pex.ideal.chains import Chain, Term
from pex.ideal.problem import Buffer, Problem
from pex.ideal.search import Transition


@dataclass
class StepReport:
    label: str
    live: list[Term]  # everything live during the step

    @property
    def bytes(self) -> int:
        return sum(t.bytes for t in self.live)


@dataclass
class ChainUse:
    chain: Chain
    slices: int


@dataclass
class Evaluation:
    peak: int
    peak_step: StepReport  # the first step at the peak, every chain in slices of one channel
    steps: list[StepReport]  # every chain in its fewest slices
    chains: list[ChainUse]
    exact: bool = True
    states: int = 0


def _buffer_terms(buffers: list[Buffer]) -> list[Term]:
    terms = []
    for b in buffers:
        terms.append(Term(b.name + (" (model output)" if b.is_output else ""), b.bytes))
    return terms


def _walk(problem: Problem, steps: list[Transition], slices: dict[int, int]) -> list[StepReport]:
    reports = []
    executed = 0
    for step in steps:
        around = _buffer_terms(problem.live_buffers(executed))
        done = executed | step.mask
        chain = step.chain
        if chain is None:
            written = _buffer_terms([problem.buffers[b] for b in step.writes])
            reports.append(StepReport(problem.op_labels[step.first],
                                      around + written))
        else:
            n = slices[step.first]
            for sub in chain.loop:
                reports.append(StepReport(f"slice step of {sub.label} ({n} slices)",
                                          around + sub.terms(chain.channels, n)))
            if chain.finalise is not None:
                after = _buffer_terms(problem.live_buffers(done))
                reports.append(StepReport(chain.finalise.label,
                                          after + chain.finalise.terms(chain.channels, n)))
        executed = done
    return reports


def evaluate(problem: Problem, steps: list[Transition]) -> Evaluation:
    """The schedule's peak; each chain gets the fewest slices that do not raise it (a
    step's bytes fall as its slices narrow, so the peak is reached with one channel per
    slice, and the widest slices under it are found by trying slice counts upwards)."""
    chains = [s for s in steps if s.chain is not None]
    most = {s.first: s.chain.most_slices for s in chains}
    finest = _walk(problem, steps, most)
    peak_step = max(finest, key=lambda r: r.bytes)  # the first of the largest
    peak = peak_step.bytes
    fewest = {}
    executed = 0
    for step in steps:
        if step.chain is not None:
            around = problem.live_bytes(executed)
            chain = step.chain
            fewest[step.first] = next(
                n for n in range(1, chain.most_slices + 1)
                if around + max(s.bytes(chain.channels, n) for s in chain.loop) <= peak)
        executed |= step.mask
    reports = _walk(problem, steps, fewest)
    return Evaluation(peak, peak_step, reports,
                      [ChainUse(s.chain, fewest[s.first]) for s in chains])
