"""The execution order of least peak: a search over downward-closed sets of executed
operators (memory-optimal scheduling as dynamic programming).

Between two steps the live bytes depend only on which operators have run, so the least
peak reaching a set of executed operators is a minimum over the sets one step smaller: an
exact search visits each downward-closed set once. A step is one operator or one whole
channel-split chain. Beyond `beam` sets of the same size the search keeps the `beam` with
the least peak (then live bytes) and says the result is not exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from pex.ideal.chains import Chain
from pex.ideal.problem import Problem


@dataclass(frozen=True)
class Transition:
    """One step of a schedule: one operator, or every operator of a chain."""

    first: int  # the operator that must be ready: the chain's producer
    mask: int  # the operators executed
    writes: tuple[int, ...]
    successors: int  # operators outside the step that read what it writes
    before: int  # the most bytes the step adds to the buffers live before it
    after: int | None  # the most bytes a finalising step adds to those live after it
    # (operators keeping the buffer live, bytes) of the buffers it writes, and of those it
    # reads without writing them; a model output is kept by every set (-1).
    created: tuple[tuple[int, int], ...]
    released: tuple[tuple[int, int], ...]
    chain: Chain | None = None


def _keepers(problem: Problem, buffers) -> tuple[tuple[int, int], ...]:
    return tuple((-1 if problem.buffers[b].is_output else problem.buffers[b].readers,
                  problem.buffers[b].bytes) for b in buffers)


def operator_transition(problem: Problem, index: int, successors: list[int]) -> Transition:
    written = problem.writes[index]
    return Transition(index, 1 << index, written, successors[index],
                      sum(problem.buffers[b].bytes for b in written), None,
                      _keepers(problem, written), _keepers(problem, problem.reads[index]))


def chain_transition(problem: Problem, chain: Chain, successors: list[int]) -> Transition:
    mask = 0
    for o in chain.members:
        mask |= 1 << o
    written = tuple(b for o in chain.members for b in problem.writes[o])
    read = tuple(dict.fromkeys(b for o in chain.members for b in problem.reads[o]
                               if b not in written))
    after = chain.finalise.bytes(chain.channels, chain.most_slices) if chain.finalise else None
    outside = 0
    for o in chain.members:
        outside |= successors[o]
    return Transition(chain.producer, mask, written, outside & ~mask,
                      max(s.bytes(chain.channels, chain.most_slices) for s in chain.loop), after,
                      _keepers(problem, written), _keepers(problem, read), chain)


def successor_masks(problem: Problem) -> list[int]:
    successors = [0] * len(problem.ops)
    for index, needed in enumerate(problem.predecessors):
        for o in range(len(problem.ops)):
            if needed >> o & 1:
                successors[o] |= 1 << index
    return successors


def live_after(live: int, executed: int, step: Transition) -> int:
    """The live bytes once `step` has run after `executed` (whose live bytes are `live`)."""
    pending = ~(executed | step.mask)
    for keepers, size in step.created:
        if keepers & pending:
            live += size
    for keepers, size in step.released:
        if not keepers & pending:
            live -= size
    return live


def step_peak(live: int, live_next: int, step: Transition) -> int:
    peak = live + step.before
    return peak if step.after is None else max(peak, live_next + step.after)


@dataclass
class Search:
    peak: int
    steps: list[Transition]
    exact: bool
    states: int


def _next_ready(problem: Problem, ready: int, done: int, step: Transition) -> int:
    next_ready = ready & ~step.mask
    candidates = step.successors
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        if problem.predecessors[bit.bit_length() - 1] & ~done == 0:
            next_ready |= bit
    return next_ready


def _free_step(problem: Problem, singles: list[Transition], candidates: int, peak: int,
               live: int, executed: int) -> tuple[Transition, int] | None:
    """A ready operator that some least-peak completion runs first: one that produces no
    chain (being ready, it can no longer run inside one), whose step stays within the peak
    so far and frees at least what it writes. Running it earlier lowers or keeps the live
    bytes of every later set (the buffers it frees only grow with the set), so moving it
    to the front of a completion raises no step."""
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        step = singles[bit.bit_length() - 1]
        live_next = live_after(live, executed, step)
        if live + step.before <= peak and live_next <= live:
            return step, live_next
    return None


def best_order(problem: Problem, singles: list[Transition], chains: list[Transition],
               beam: int) -> Search:
    """The schedule of least peak: `singles[i]` runs operator i alone; `chains` are the
    chain steps allowed."""
    count = len(problem.ops)
    by_producer: list[list[Transition]] = [[] for _ in range(count)]
    producers = 0
    for step in chains:
        by_producer[step.first].append(step)
        producers |= 1 << step.first
    start_ready = 0
    for index, needed in enumerate(problem.predecessors):
        if not needed:
            start_ready |= 1 << index
    # Per number of executed operators: set -> (peak, live, ready, previous set, step).
    levels: list[dict[int, tuple]] = [{} for _ in range(count + 1)]
    start_live = problem.live_bytes(0)
    levels[0][0] = (start_live, start_live, start_ready, None, None)
    exact, states = True, 0
    for size in range(count):
        level = levels[size]
        if len(level) > beam:
            exact = False
            kept = sorted(level.items(), key=lambda item: (item[1][0], item[1][1]))[:beam]
            level = levels[size] = dict(kept)
        states += len(level)
        for executed, (peak, live, ready, _, _) in level.items():
            free = _free_step(problem, singles, ready & ~producers, peak, live, executed)
            if free:
                moves = [free]
            else:
                moves = []
                pending = ready
                while pending:
                    low = pending & -pending
                    pending ^= low
                    first = low.bit_length() - 1
                    for step in [singles[first]] + by_producer[first]:
                        moves.append((step, live_after(live, executed, step)))
            for step, live_next in moves:
                done = executed | step.mask
                reached = max(peak, step_peak(live, live_next, step))
                target = levels[done.bit_count()]
                known = target.get(done)
                if known is not None and known[0] <= reached:
                    continue
                target[done] = (reached, live_next, _next_ready(problem, ready, done, step),
                                executed, step)
    full = (1 << count) - 1
    peak = levels[count][full][0]
    order = []
    executed = full
    while executed:
        _, _, _, previous, step = levels[executed.bit_count()][executed]
        order.append(step)
        executed = previous
    order.reverse()
    return Search(peak, order, exact, states)


def schedule_peak(problem: Problem, steps: list[Transition]) -> int:
    executed, live = 0, problem.live_bytes(0)
    peak = live
    for step in steps:
        live_next = live_after(live, executed, step)
        peak = max(peak, step_peak(live, live_next, step))
        executed, live = executed | step.mask, live_next
    return peak


def without_needless_chains(problem: Problem, steps: list[Transition],
                            singles: list[Transition]) -> list[Transition]:
    """The schedule with each chain that does not lower its peak run operator by operator
    instead, in place: among schedules of equal peak, the one with less partial execution."""
    peak = schedule_peak(problem, steps)
    kept: list[Transition] = []
    for position, step in enumerate(steps):
        if step.chain is not None:
            unsplit = [singles[o] for o in step.chain.members]
            if schedule_peak(problem, kept + unsplit + steps[position + 1:]) <= peak:
                kept.extend(unsplit)
                continue
        kept.append(step)
    return kept
