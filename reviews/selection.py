"""The optimal selection of a call's places and its reserve list (pure Python, no database).

The rules: only candidates that pass the thresholds may be proposed, at most
``max_per_country`` per country, and optionally at least ``min_distinct_countries``
different countries among the selected. Among the sets that fill as many places as the
rules allow, the proposal is the one with the highest total score; between sets with the
same total, the one holding the better-ranked candidate where they first differ.

Taking the best candidates in rank order is optimal without a minimum of countries, but
not with one: the exact method is a dynamic programme over countries. Within a country
only its best ``j`` candidates can belong to an optimal set (a better-ranked candidate of
the same country never scores less), so each country offers ``j = 0..max_per_country``
and the programme keeps, for every (places used, distinct countries) pair, the best value.
Scores are integers (hundredths of a point) and the rank preference is folded into the
value as bits below the score, so the optimum is unique and exact.

A coordinator's overrides enter as forced members (``include``) and removed candidates
(``exclude``); the rules then apply to the remaining places.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    """One ranked application as the selection sees it."""

    key: object  # the application's id
    rank: int  # 1 is the best; unique
    country: str
    score: int  # final score in hundredths of a point
    passes: bool = True  # thresholds met


@dataclass(frozen=True)
class Rules:
    places: int
    max_per_country: int = 1
    min_distinct_countries: int = 0
    reserve_size: int = 0


# Why a candidate ranked above the last selected one was left out.
THRESHOLDS = "thresholds"
COUNTRY_LIMIT = "country_limit"
DISTINCT_COUNTRIES = "distinct_countries"
OVERRIDE_EXCLUDED = "override_excluded"
OVERRIDE_PLACES = "override_places"


@dataclass(frozen=True)
class LeftOut:
    candidate: Candidate
    reason: str
    taken_by: tuple = ()  # for COUNTRY_LIMIT and OVERRIDE_PLACES: the selected candidates concerned


@dataclass(frozen=True)
class ReserveEntry:
    candidate: Candidate
    position: int
    # The selected candidates whose freed place this one could take under the rules.
    could_replace: tuple = ()

    @property
    def can_take_any_place(self):
        return bool(self.could_replace)


@dataclass
class Proposal:
    rules: Rules
    feasible: bool
    problem: str = ""
    selected: list = field(default_factory=list)  # in rank order
    reserve: list = field(default_factory=list)  # ReserveEntry, in order
    left_out: list = field(default_factory=list)  # LeftOut, in rank order
    forced: frozenset = frozenset()
    excluded: frozenset = frozenset()

    @property
    def selected_keys(self):
        return [c.key for c in self.selected]

    @property
    def total_score(self):
        return sum(c.score for c in self.selected)

    @property
    def cut_off(self):
        """The score of the last selected candidate, in hundredths, or None."""
        return min((c.score for c in self.selected), default=None)

    @property
    def places_unfilled(self):
        return max(0, self.rules.places - len(self.selected))

    def reason_for(self, key):
        for entry in self.left_out:
            if entry.candidate.key == key:
                return entry
        return None


def respects_rules(members, rules):
    """Whether a set of candidates keeps the country limit and the minimum of countries."""
    counts = Counter(c.country for c in members)
    if any(n > rules.max_per_country for n in counts.values()):
        return False
    return len(counts) >= (rules.min_distinct_countries or 0)


def propose(candidates, rules, *, include=(), exclude=()):
    """The optimal selection, the reserve list and why better-ranked candidates are left out."""
    candidates = sorted(candidates, key=lambda c: c.rank)
    include, exclude = frozenset(include), frozenset(exclude) - frozenset(include)
    forced = [c for c in candidates if c.key in include]
    pool = [c for c in candidates if c.passes and c.key not in include and c.key not in exclude]
    proposal = Proposal(rules=rules, feasible=True, forced=frozenset(include), excluded=exclude)

    chosen, problem = _optimal_fill(forced, pool, rules)
    if chosen is None:
        proposal.feasible = False
        proposal.problem = problem
        return proposal
    selected_keys = {c.key for c in forced} | {c.key for c in chosen}
    proposal.selected = [c for c in candidates if c.key in selected_keys]
    proposal.left_out = _explain_left_out(candidates, proposal.selected, forced, rules, exclude)
    remaining = [c for c in pool if c.key not in selected_keys]
    proposal.reserve = [
        ReserveEntry(c, position, could_replace(proposal.selected, c, rules))
        for position, c in enumerate(remaining[: rules.reserve_size], start=1)
    ]
    return proposal


def could_replace(selected, newcomer, rules):
    """The selected candidates whose place ``newcomer`` could take without breaking the rules."""
    return tuple(
        member.key
        for member in selected
        if respects_rules([c for c in selected if c.key != member.key] + [newcomer], rules)
    )


def best_replacement(selected, leaving_key, reserve, rules):
    """The first reserve candidate (in reserve order) that keeps the rules once ``leaving_key`` leaves."""
    staying = [c for c in selected if c.key != leaving_key]
    for candidate in reserve:
        if respects_rules([*staying, candidate], rules):
            return candidate
    return None


def _optimal_fill(forced, pool, rules):
    """The best members of ``pool`` to add to ``forced``; (None, problem) when the rules cannot hold."""
    places_left = rules.places - len(forced)
    if places_left < 0:
        return None, "overrides_exceed_places"
    forced_by_country = Counter(c.country for c in forced)
    by_country = defaultdict(list)
    for candidate in pool:  # pool is in rank order
        by_country[candidate.country].append(candidate)
    countries = sorted(set(by_country) | set(forced_by_country))

    # Options per country: how many of its best pool candidates to take, and what they add.
    bits = len(pool)
    order = {c.key: index for index, c in enumerate(pool)}
    options = []
    for country in countries:
        room = max(0, rules.max_per_country - forced_by_country[country])
        members = by_country[country][:room]
        value, values = 0, [0]
        for candidate in members:
            value += (candidate.score << bits) + (1 << (bits - 1 - order[candidate.key]))
            values.append(value)
        options.append((country, members, values))

    capacity = sum(len(members) for _, members, _ in options)
    target = min(places_left, capacity)
    needed = rules.min_distinct_countries or 0
    already = sum(1 for n in forced_by_country.values() if n > 0)
    reachable = already + sum(
        1 for country, members, _ in options if members and not forced_by_country[country]
    )
    if needed > min(reachable, len(forced) + target):
        return None, "distinct_countries_unreachable"

    # best[(used, distinct)] = (value, choices); distinct is capped at ``needed``.
    start = (0, min(already, needed))
    best = {start: (0, ())}
    for country, members, values in options:
        new_country = not forced_by_country[country]
        following = {}
        for (used, distinct), (value, choices) in best.items():
            for take in range(len(members) + 1):
                if used + take > target:
                    break
                gained = distinct + (1 if take and new_country else 0)
                state = (used + take, min(gained, needed))
                candidate_value = value + values[take]
                if state not in following or candidate_value > following[state][0]:
                    following[state] = (candidate_value, (*choices, take))
        best = following
    final = best.get((target, needed))
    if final is None:
        return None, "distinct_countries_unreachable"
    takes = final[1]
    chosen = []
    for (_, members, _), take in zip(options, takes, strict=True):
        chosen.extend(members[:take])
    return chosen, ""


def _explain_left_out(candidates, selected, forced, rules, exclude):
    """For each candidate ranked above the last selected one and left out, the rule that did it."""
    if not selected:
        return []
    selected_keys = {c.key for c in selected}
    forced_keys = {c.key for c in forced}
    last_rank = max(c.rank for c in selected)
    per_country = defaultdict(list)
    for member in selected:
        per_country[member.country].append(member)
    explained = []
    for candidate in candidates:
        if candidate.rank > last_rank or candidate.key in selected_keys:
            continue
        if candidate.key in exclude:
            explained.append(LeftOut(candidate, OVERRIDE_EXCLUDED))
        elif not candidate.passes:
            explained.append(LeftOut(candidate, THRESHOLDS))
        elif len(per_country[candidate.country]) >= rules.max_per_country:
            taken_by = tuple(per_country[candidate.country])
            explained.append(LeftOut(candidate, COUNTRY_LIMIT, taken_by))
        elif any(m.rank > candidate.rank and m.key not in forced_keys for m in selected):
            explained.append(LeftOut(candidate, DISTINCT_COUNTRIES))
        else:
            taken_by = tuple(m for m in selected if m.key in forced_keys and m.rank > candidate.rank)
            explained.append(LeftOut(candidate, OVERRIDE_PLACES, taken_by))
    return explained
