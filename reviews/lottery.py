"""A lottery for the grey zone's remaining places that keeps the call's rules (pure Python).

The certain cities keep their places; the places left are filled from the grey zone by
drawing one set, uniformly, among every set of grey-zone cities that, with the certain
cities, keeps the rules: at most ``max_per_country`` per country and at least
``min_distinct_countries`` countries. The set fills as many of the places left as any
rule-keeping set can.

The draw is reproducible by anyone from the list of cities and the seed, with no
program of ours:

1. The rule-keeping sets are numbered 0 … N − 1 in a fixed order: countries by code,
   and within a country its grey-zone cities' sets by reference, in lexicographic order.
2. The seed gives one whole number below N: the SHA-256 digest of ``"<seed>:<i>"`` (for
   i = 0, 1, …) read as a big-endian number and cut to N's bit length, the first one
   below N (rejection sampling: every set is equally likely).
3. That number, unranked through the order of 1, is the drawn set.

``manage.py replay_lottery`` does exactly this from an exported ranking.
"""

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass


class LotteryError(Exception):
    """The lottery cannot be drawn; the message says why."""


@dataclass(frozen=True)
class Entry:
    key: str  # the application's reference
    country: str


@dataclass(frozen=True)
class LotteryRules:
    places: int
    max_per_country: int = 1
    min_distinct_countries: int = 0


@dataclass
class Draw:
    drawn: list  # keys, in reference order
    size: int  # places filled by the draw
    completions: int  # N: rule-keeping sets of that size
    number: int  # which of them was drawn (0-based)


def uniform_below(seed, count):
    """A whole number in [0, count) from ``seed`` alone: SHA-256 with rejection."""
    if count <= 0:
        raise ValueError("count must be positive")
    bits = max(1, (count - 1).bit_length())
    blocks = math.ceil(bits / 256)
    attempt = 0
    while True:
        digest = b"".join(
            hashlib.sha256(
                f"{seed}:{attempt}:{block}".encode() if block else f"{seed}:{attempt}".encode()
            ).digest()
            for block in range(blocks)
        )
        value = int.from_bytes(digest, "big") >> (blocks * 256 - bits)
        if value < count:
            return value
        attempt += 1


def _unrank_combination(items, size, index):
    """The ``index``-th ``size``-subset of ``items`` in lexicographic order."""
    chosen, start = [], 0
    for remaining in range(size, 0, -1):
        for position in range(start, len(items)):
            block = math.comb(len(items) - position - 1, remaining - 1)
            if index < block:
                chosen.append(items[position])
                start = position + 1
                break
            index -= block
    return chosen


class Completions:
    """The rule-keeping completions of ``certain`` by grey-zone cities, counted exactly."""

    def __init__(self, certain, grey, rules):
        self.rules = rules
        counts = Counter(entry.country for entry in certain)
        if any(n > rules.max_per_country for n in counts.values()):
            raise LotteryError("certain_break_country_limit")
        self.places_left = rules.places - len(certain)
        if self.places_left <= 0:
            raise LotteryError("no_place_left")
        by_country = defaultdict(list)
        for entry in grey:
            by_country[entry.country].append(entry.key)
        self.countries = [
            (country, sorted(keys), max(0, rules.max_per_country - counts[country]), counts[country] == 0)
            for country, keys in sorted(by_country.items())
        ]
        self.needed = max(0, (rules.min_distinct_countries or 0) - len(counts))
        self._suffix = self._count()

    def _count(self):
        """suffix[i][(places, countries)]: sets from country i on that take exactly ``places``
        cities and add ``countries`` new countries (counted up to what is needed)."""
        suffix = [None] * (len(self.countries) + 1)
        suffix[-1] = {(0, 0): 1}
        for index in range(len(self.countries) - 1, -1, -1):
            _country, keys, room, new = self.countries[index]
            following, here = suffix[index + 1], defaultdict(int)
            for (places, countries), ways in following.items():
                for take in range(min(room, len(keys)) + 1):
                    if places + take > self.places_left:
                        break
                    gained = countries + (1 if take and new else 0)
                    here[(places + take, min(gained, self.needed))] += math.comb(len(keys), take) * ways
            suffix[index] = dict(here)
        return suffix

    def count(self, size):
        return self._suffix[0].get((size, self.needed), 0)

    def largest_size(self):
        """The most grey-zone places any rule-keeping set fills (0 when none can be added)."""
        return next((size for size in range(self.places_left, 0, -1) if self.count(size)), 0)

    def unrank(self, size, number):
        """The ``number``-th completion of ``size`` places in the order of the module's step 1."""
        drawn, places, countries = [], size, self.needed
        for index, (_country, keys, room, new) in enumerate(self.countries):
            following = self._suffix[index + 1]
            for take in range(min(room, len(keys), places) + 1):
                still = max(0, countries - (1 if take and new else 0))
                rest = sum(following.get((places - take, c), 0) for c in range(still, self.needed + 1))
                block = math.comb(len(keys), take) * rest
                if number < block:
                    drawn.extend(_unrank_combination(keys, take, number // rest))
                    number %= rest
                    places -= take
                    countries = max(0, countries - (1 if take and new else 0))
                    break
                number -= block
        return sorted(drawn)


def draw(certain, grey, rules, seed):
    """The drawn grey-zone cities (see the module's text); LotteryError when none can be drawn."""
    completions = Completions(certain, grey, rules)
    size = completions.largest_size()
    if size == 0:
        raise LotteryError("no_rule_keeping_set")
    total = completions.count(size)
    number = uniform_below(seed, total)
    return Draw(drawn=completions.unrank(size, number), size=size, completions=total, number=number)
