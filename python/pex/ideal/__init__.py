"""The channel-split ideal of a model: an independent model of its execution.

Computed from the importers' graph (`pex.graph.Graph`), sharing nothing with the
compiler's memory model, as the least peak of live bytes over execution orders and over
channel-split chains. Counted: every activation tensor while live (from the step that
writes it to the last step that reads it; the model input from the start, the output to
the end), slices and accumulators; not counted: weights (flash), views (a reshape shares
its input's bytes), alignment (perfect packing). No in-place reuse: a step holds its
inputs and outputs at once. The rules of the chains are in `pex.ideal.chains` and
docs/corpus.md.

Three figures:
  model_order    no partial execution, the model's operator order;
  ideal          no partial execution, the best order;
  channel_split  chains allowed, the best order and chains.
"""

from __future__ import annotations

from dataclasses import dataclass

from pex.graph import Graph
from pex.ideal.chains import find_chains
from pex.ideal.evaluate import Evaluation, evaluate
from pex.ideal.problem import build_problem
from pex.ideal.search import (best_order, chain_transition, operator_transition,
                              successor_masks, without_needless_chains)

# Sets of executed operators kept per size before the search turns into a beam search.
DEFAULT_BEAM = 5000


@dataclass
class Ideals:
    model: str
    operators: int
    model_order: Evaluation
    ideal: Evaluation
    channel_split: Evaluation


def compute_ideals(graph: Graph, beam: int = DEFAULT_BEAM) -> Ideals:
    problem = build_problem(graph)
    successors = successor_masks(problem)
    singles = [operator_transition(problem, i, successors) for i in range(len(problem.ops))]

    model_order = evaluate(problem, singles)

    plain = best_order(problem, singles, [], beam)
    ideal = evaluate(problem, plain.steps)
    ideal.exact, ideal.states = plain.exact, plain.states

    chains = [chain_transition(problem, chain, successors) for chain in find_chains(problem)]
    split = best_order(problem, singles, chains, beam)
    channel_split = evaluate(problem, without_needless_chains(problem, split.steps, singles))
    channel_split.exact, channel_split.states = split.exact, split.states
    for name, search, result in (("ideal", plain, ideal), ("channel_split", split, channel_split)):
        if search.peak != result.peak:
            raise AssertionError(f"{name}: the search found {search.peak} B but its schedule "
                                 f"replays at {result.peak} B")
    return Ideals(graph.name, len(problem.ops), model_order, ideal, channel_split)
