"""The exact selection of reviews/selection.py, for thousands of score vectors at once.

``selection.propose`` solves one selection with a dynamic programme over countries; the
posterior draws of reviews/uncertainty.py need it 2,000 times on thousands of candidates.
Without overrides the same optimum has a closed form, which numpy evaluates for every draw
together (tests/reviews/test_batch_selection.py checks it against ``propose`` on thousands
of random cases):

1. Within a country only its best ``max_per_country`` candidates can be selected (the
   country's *pool*); its best one is its *first*, the others are *seconds*.
2. Let T be the number of places the rules can fill: min(places, size of all pools).
   The best T members of all pools, by merit, are the optimum when they hold at least
   ``min_distinct_countries`` firsts (each first is one more country).
3. Otherwise the optimum is the best ``min_distinct_countries`` firsts together with the
   best T − min_distinct_countries seconds.

Why 3 holds: an optimal set holds, for each country it represents, that country's best
members (swapping in a better one of the same country only helps); its firsts are the
best firsts (a better first left out could replace the worst member of a country already
in, gaining and keeping every rule); and with x firsts its seconds are the best
T − x seconds. Moving from x to x + 1 firsts above the unconstrained count trades one of
those seconds, all better than any first outside the best T, for such a first, so the
value only falls: the optimum takes exactly the minimum number of firsts required.

Merit orders candidates as ``propose`` does (score, then rank): higher merit is better,
and merits of one draw are all different (posterior draws are continuous; tests pass
integer scores with the rank folded in).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BatchRules:
    places: int
    max_per_country: int = 1
    min_distinct_countries: int = 0


@dataclass
class BatchSelection:
    feasible: bool
    selected: np.ndarray  # (draws, T) candidate indices, in no particular order
    places: int  # T: the places the rules can fill

    def counts(self, candidates):
        """How many draws select each candidate (an array of ``candidates`` integers)."""
        if not self.feasible or self.selected.size == 0:
            return np.zeros(candidates, dtype=np.int64)
        return np.bincount(self.selected.ravel(), minlength=candidates)


def _pools(merit, countries, per_country):
    """The pool members of every draw: (values, candidate indices, is-first flags).

    ``countries`` are integer codes; the pool of a country with n candidates has
    min(n, per_country) slots, slot 0 its best candidate in that draw.
    """
    draws = merit.shape[0]
    order = np.argsort(countries, kind="stable")
    _codes, starts, sizes = np.unique(countries[order], return_index=True, return_counts=True)
    values, indices, firsts = [], [], []
    # Countries with one candidate: that candidate is its country's first in every draw.
    alone = order[starts[sizes == 1]]
    if alone.size:
        values.append(merit[:, alone])
        indices.append(np.broadcast_to(alone, (draws, alone.size)))
        firsts.append(np.ones(alone.size, dtype=bool))
    rows = np.arange(draws)[:, None]
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        members = order[start : start + size]
        block = merit[:, members]
        keep = min(per_country, size)
        if keep == 1:
            best = block.argmax(axis=1)[:, None]
        else:
            best = np.argpartition(-block, keep - 1, axis=1)[:, :keep] if keep < size else None
            if best is None:
                best = np.broadcast_to(np.arange(size), (draws, size))
            # Slot 0 must be the country's best: sort the kept few by merit.
            best = np.take_along_axis(best, np.argsort(-block[rows, best], axis=1), axis=1)
        values.append(block[rows, best])
        indices.append(members[best])
        flags = np.zeros(keep, dtype=bool)
        flags[0] = True
        firsts.append(flags)
    return np.hstack(values), np.hstack(indices), np.concatenate(firsts)


def _best(values, count):
    """Column indices of the ``count`` highest values of each row (unordered)."""
    if count <= 0:
        return np.empty((values.shape[0], 0), dtype=np.int64)
    if count >= values.shape[1]:
        return np.broadcast_to(np.arange(values.shape[1]), (values.shape[0], values.shape[1]))
    return np.argpartition(-values, count - 1, axis=1)[:, :count]


def select(merit, countries, rules):
    """The optimal selection of every draw.

    ``merit`` is (draws, candidates), only candidates that pass the thresholds;
    ``countries`` their integer country codes. Feasibility is the same in every draw (it
    depends on the countries, not the merits).
    """
    merit = np.asarray(merit, dtype=float)
    countries = np.asarray(countries)
    draws = merit.shape[0]
    if merit.shape[1] == 0 or rules.places <= 0:
        feasible = (rules.min_distinct_countries or 0) == 0
        return BatchSelection(feasible, np.empty((draws, 0), dtype=np.int64), 0)
    values, indices, is_first = _pools(merit, countries, max(1, rules.max_per_country))
    target = min(rules.places, values.shape[1])
    needed = rules.min_distinct_countries or 0
    if needed > min(int(is_first.sum()), target):
        return BatchSelection(False, np.empty((draws, 0), dtype=np.int64), target)
    rows = np.arange(draws)[:, None]
    chosen = np.array(_best(values, target))
    if needed:
        short = np.flatnonzero(is_first[chosen].sum(axis=1) < needed)
        if short.size:
            first_slots, second_slots = np.flatnonzero(is_first), np.flatnonzero(~is_first)
            sub = values[short]
            best_firsts = first_slots[_best(sub[:, first_slots], needed)]
            best_seconds = second_slots[_best(sub[:, second_slots], target - needed)]
            chosen[short] = np.hstack([best_firsts, best_seconds])
    return BatchSelection(True, indices[rows, chosen], target)
