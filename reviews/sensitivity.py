"""How much the selection depends on the exact criterion weights.

Each weight is varied by ±10%: every corner of that box when there are at most six
criteria (2^k weight vectors), each weight alone up and down, and a fixed number of
random vectors inside the box drawn from a seeded generator, so the same data always
gives the same report. For each vector the final scores, the overall threshold, the
ranking and the optimal selection are computed again; a city "changes" in a vector when
it is selected there and not in the proposal with the call's weights, or the reverse.
Consensus scores and criterion thresholds stay as they are: only the weights move.
"""

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from intake.models import Status

from .aggregation import CENT, tie_break_criteria
from .selection import Candidate, propose

VARIATION = Decimal("0.10")
MAX_CORNER_CRITERIA = 6
DEFAULT_RANDOM_SAMPLES = 64
DEFAULT_SEED = 20261127


def weight_factors(count, *, random_samples=DEFAULT_RANDOM_SAMPLES, seed=DEFAULT_SEED):
    """The multipliers applied to the weights, without duplicates, in a fixed order."""
    low, high = Decimal(1) - VARIATION, Decimal(1) + VARIATION
    vectors = []
    if count <= MAX_CORNER_CRITERIA:
        vectors.extend(itertools.product((low, high), repeat=count))
    for index in range(count):
        for factor in (low, high):
            vector = [Decimal(1)] * count
            vector[index] = factor
            vectors.append(tuple(vector))
    rng = random.Random(seed)
    for _ in range(random_samples):
        vectors.append(tuple(Decimal(str(round(rng.uniform(0.9, 1.1), 3))) for _ in range(count)))
    seen, unique = set(), []
    for vector in vectors:
        if vector not in seen and any(f != 1 for f in vector):
            seen.add(vector)
            unique.append(vector)
    return unique


@dataclass
class CityChange:
    result: object  # ApplicationResult
    in_proposal: bool
    changed: int  # number of weight vectors in which its selection differs
    example: tuple = ()  # one such vector of weights


@dataclass
class SensitivityReport:
    samples: int
    baseline: list  # keys selected with the call's weights
    changes: list = field(default_factory=list)  # CityChange, most often changed first
    criteria: list = field(default_factory=list)
    infeasible: int = 0  # vectors whose rules cannot be met

    @property
    def is_stable(self):
        return not self.changes

    def percent(self, change):
        return round(100 * change.changed / self.samples) if self.samples else 0


def _candidates(entries, weights, weight_sum, scale_max, overall_threshold):
    """Ranked candidates under ``weights`` from pre-read entries."""
    scored = []
    for result, finals, passes_criteria, tail in entries:
        accumulated = sum((w * f for w, f in zip(weights, finals, strict=True)), Decimal(0))
        score = (accumulated * 100 / (weight_sum * scale_max)).quantize(CENT, rounding=ROUND_HALF_UP)
        passes = passes_criteria and (overall_threshold is None or score >= overall_threshold)
        scored.append(((-score, *tail), result, score, passes))
    scored.sort(key=lambda entry: entry[0])
    return [
        Candidate(
            key=result.pk,
            rank=position,
            country=result.application.organisation.country,
            score=int(score * 100),
            passes=passes,
        )
        for position, (_, result, score, passes) in enumerate(scored, start=1)
    ]


def analyse(
    call_results, rules, *, include=(), exclude=(), random_samples=DEFAULT_RANDOM_SAMPLES, seed=DEFAULT_SEED
):
    """The cities whose selection changes when the weights move by up to 10%."""
    criteria = call_results.criteria
    limits = call_results.limits
    tie_breakers = tie_break_criteria(criteria)
    entries = []
    include = frozenset(include)
    for result in call_results.ranked:
        if result.application.status not in Status.proposable():
            continue
        if result.failed_criteria and result.pk not in include:
            continue  # below a criterion's threshold whatever the weights: never selectable
        finals = [row.final for row in result.criteria]
        displayed = {row.criterion.pk: row.final_display for row in result.criteria}
        submitted_at = result.application.submitted_at
        tail = (
            *(-displayed[c.pk] for c in tie_breakers),
            (submitted_at is None, submitted_at.timestamp() if submitted_at else 0),
            result.application.reference or "",
            result.pk,
        )
        entries.append((result, finals, not result.failed_criteria, tail))
    by_key = {result.pk: result for result in call_results.ranked}
    base_weights = [Decimal(c.weight) for c in criteria]

    def selection_under(weights):
        candidates = _candidates(entries, weights, sum(weights), limits.scale_max, limits.overall_threshold)
        return propose(candidates, rules, include=include, exclude=exclude)

    baseline = selection_under(base_weights)
    baseline_keys = set(baseline.selected_keys)
    changed = Counter()
    examples = {}
    vectors = weight_factors(len(criteria), random_samples=random_samples, seed=seed)
    infeasible = 0
    for factors in vectors:
        weights = [
            (w * f).quantize(CENT, rounding=ROUND_HALF_UP) for w, f in zip(base_weights, factors, strict=True)
        ]
        proposal = selection_under(weights)
        if not proposal.feasible:
            infeasible += 1
            continue
        for key in baseline_keys.symmetric_difference(proposal.selected_keys):
            changed[key] += 1
            examples.setdefault(key, tuple(weights))
    report = SensitivityReport(
        samples=len(vectors), baseline=baseline.selected_keys, criteria=criteria, infeasible=infeasible
    )
    report.changes = sorted(
        (
            CityChange(by_key[key], key in baseline_keys, count, examples[key])
            for key, count in changed.items()
        ),
        key=lambda change: (-change.changed, change.result.rank),
    )
    return report
