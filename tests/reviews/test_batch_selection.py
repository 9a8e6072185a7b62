"""The vectorised selection of the posterior draws equals the exact selection of selection.py."""

import random

import numpy as np
import pytest

from reviews import batch_selection, selection


def random_case(seed):
    rng = random.Random(seed)
    size = rng.randint(0, 30)
    countries = [rng.randrange(rng.randint(1, 9)) for _ in range(size)]
    scores = [rng.randint(0, 8) for _ in range(size)]  # few values: many ties
    passes = [rng.random() < 0.85 for _ in range(size)]
    rules = selection.Rules(
        places=rng.randint(0, 9),
        max_per_country=rng.randint(1, 3),
        min_distinct_countries=rng.choice([0, 0, 1, 2, 3, 4, 6]),
    )
    return countries, scores, passes, rules


def exact(countries, scores, passes, rules):
    """selection.propose on one vector of scores; the rank breaks ties by position."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    rank = {index: position for position, index in enumerate(order, start=1)}
    candidates = [
        selection.Candidate(key=i, rank=rank[i], country=str(countries[i]), score=scores[i], passes=passes[i])
        for i in range(len(scores))
    ]
    proposal = selection.propose(candidates, rules)
    return sorted(proposal.selected_keys) if proposal.feasible else None, rank


def merits(scores, rank, keys):
    """Distinct merits in the order propose uses: score, then rank."""
    size = len(scores)
    return [scores[i] * (size + 1) + (size - rank[i]) for i in keys]


@pytest.mark.parametrize("block", range(5))
def test_it_selects_what_propose_selects_on_random_cases(block):
    for case in range(block * 800, (block + 1) * 800):
        countries, scores, passes, rules = random_case(case)
        expected, rank = exact(countries, scores, passes, rules)
        keys = [i for i in range(len(scores)) if passes[i]]
        chosen = batch_selection.select(
            np.array([merits(scores, rank, keys)], dtype=float),
            np.array([countries[i] for i in keys], dtype=int),
            batch_selection.BatchRules(rules.places, rules.max_per_country, rules.min_distinct_countries),
        )
        got = sorted(keys[j] for j in chosen.selected[0]) if chosen.feasible else None
        assert got == expected, (case, rules)


def test_every_draw_of_a_batch_is_solved_on_its_own():
    """Many draws at once: each row equals propose on that row's scores."""
    rng = random.Random(7)
    countries = [rng.randrange(6) for _ in range(40)]
    rules = selection.Rules(places=7, max_per_country=2, min_distinct_countries=5)
    rows, expected = [], []
    for _draw in range(300):
        scores = [rng.randint(0, 30) for _ in range(40)]
        selected, rank = exact(countries, scores, [True] * 40, rules)
        rows.append(merits(scores, rank, range(40)))
        expected.append(selected)
    chosen = batch_selection.select(
        np.array(rows, dtype=float),
        np.array(countries),
        batch_selection.BatchRules(rules.places, rules.max_per_country, rules.min_distinct_countries),
    )
    assert [sorted(row.tolist()) for row in chosen.selected] == expected
    counts = chosen.counts(40)
    assert counts.sum() == 300 * 7


def test_rules_that_cannot_be_met_are_infeasible_in_every_draw():
    chosen = batch_selection.select(
        np.random.default_rng(1).normal(size=(10, 4)),
        np.array([0, 0, 1, 1]),
        batch_selection.BatchRules(places=3, max_per_country=2, min_distinct_countries=3),
    )
    assert not chosen.feasible
    assert chosen.counts(4).tolist() == [0, 0, 0, 0]
