"""The grey-zone lottery: it keeps the rules, repeats itself from the seed, and is uniform."""

import itertools
import random
from collections import Counter

import pytest

from reviews.lottery import Completions, Entry, LotteryError, LotteryRules, draw, uniform_below


def random_case(seed):
    rng = random.Random(seed)
    countries = rng.randint(1, 5)
    per_country = rng.randint(1, 2)
    certain, held = [], Counter()
    for index in range(rng.randint(0, 4)):
        country = f"C{rng.randrange(countries)}"
        if held[country] < per_country:
            certain.append(Entry(f"S{index}", country))
            held[country] += 1
    grey = [Entry(f"G{index:02d}", f"C{rng.randrange(countries + 2)}") for index in range(rng.randint(1, 8))]
    rules = LotteryRules(
        places=len(certain) + rng.randint(1, 4),
        max_per_country=per_country,
        min_distinct_countries=rng.choice([0, 0, 2, 3, 4]),
    )
    return certain, grey, rules


def keeps_rules(members, rules):
    counts = Counter(entry.country for entry in members)
    return (
        max(counts.values(), default=0) <= rules.max_per_country
        and len(counts) >= rules.min_distinct_countries
    )


def test_no_draw_ever_breaks_a_rule():
    drawn_cases = 0
    for case in range(600):
        certain, grey, rules = random_case(case)
        by_key = {entry.key: entry for entry in grey}
        try:
            outcome = draw(certain, grey, rules, seed=case * 31)
        except LotteryError:
            continue
        drawn_cases += 1
        members = certain + [by_key[key] for key in outcome.drawn]
        assert keeps_rules(members, rules), case
        assert len(members) <= rules.places
    assert drawn_cases > 400


def test_the_sets_it_draws_from_are_exactly_the_rule_keeping_ones():
    """Against brute force: the largest fill, and every rule-keeping set of it, once each."""
    for case in range(600):
        certain, grey, rules = random_case(case)
        completions = Completions(certain, grey, rules)
        by_size = {
            size: sorted(
                sorted(e.key for e in subset)
                for subset in itertools.combinations(grey, size)
                if keeps_rules(certain + list(subset), rules)
            )
            for size in range(1, rules.places - len(certain) + 1)
        }
        largest = max((size for size, sets in by_size.items() if sets), default=0)
        assert completions.largest_size() == largest, case
        if largest:
            numbered = [completions.unrank(largest, n) for n in range(completions.count(largest))]
            assert sorted(numbered) == by_size[largest], case


def test_the_same_seed_draws_the_same_set_and_seeds_spread_evenly():
    grey = [Entry(key, country) for key, country in [("A", "FR"), ("B", "FR"), ("C", "DE"), ("D", "IT")]]
    rules = LotteryRules(places=3, max_per_country=1)
    # Sets of 2 among A, B, C, D with at most one French city: AC AD BC BD CD.
    assert draw([Entry("S", "PT")], grey, rules, seed=4812) == draw(
        [Entry("S", "PT")], grey, rules, seed=4812
    )
    seen = Counter(tuple(draw([Entry("S", "PT")], grey, rules, seed=seed).drawn) for seed in range(5000))
    assert set(seen) == {("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "D")}
    assert all(900 < count < 1100 for count in seen.values()), seen


def test_the_random_number_is_below_its_bound_and_fixed_by_the_seed():
    assert uniform_below(12345, 7) == uniform_below(12345, 7)
    values = [uniform_below(seed, 10**40 + 3) for seed in range(50)]
    assert all(0 <= v < 10**40 + 3 for v in values) and len(set(values)) == 50


def test_certain_cities_that_fill_every_place_leave_nothing_to_draw():
    with pytest.raises(LotteryError):
        draw([Entry("A", "FR"), Entry("B", "DE")], [Entry("C", "IT")], LotteryRules(places=2), seed=1)
