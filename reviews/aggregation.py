"""From reviews to a ranking: per-application means, spreads, disagreement, z-scores, order.

The arithmetic is plain Python over plain values so it can be checked by hand; the
loader at the bottom reads a whole call in a fixed handful of queries.

The ranking rule (also written in docs/selection-method.md and shown on the page):

1. higher final score first (the weighted total of each criterion's final value — the
   coordinator's consensus score where there is one, else the mean of the submitted
   reviews — out of 100, two decimals);
2. then, criterion by criterion in tie-break priority (1 first), the higher final value
   on that criterion, compared to two decimals;
3. then the earlier submission of the application;
4. then the application reference, in alphabetical order.
"""

import gc
import itertools
import math
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, IntegerField
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext

from intake.models import Application, Status

from .models import Assignment, ConsensusScore, Criterion, Review, ReviewSettings, ReviewStatus, Score
from .scoring import WeightedTotals

CENT = Decimal("0.01")

# Statuses whose applications take part in the ranking: in review, or already decided.

TIE_BREAK_SCORE = "score"
TIE_BREAK_CRITERION = "criterion"
TIE_BREAK_SUBMISSION = "submitted_at"
TIE_BREAK_REFERENCE = "reference"


def cents(value):
    """A Decimal rounded half up to two decimals, or None."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values):
    values = list(values)
    return sum(values, Decimal(0)) / len(values) if values else None


@dataclass
class ReviewInput:
    """A submitted review, as the aggregation needs it."""

    id: int
    application_id: int
    evaluator_id: int
    scores: dict  # criterion id -> Decimal or None
    submitted_at: object = None
    evaluator_name: str = ""
    recommendation: str = ""
    overall_comment: str = ""


@dataclass
class ConsensusInput:
    criterion_id: int
    value: Decimal
    justification: str
    set_by_name: str = ""
    set_at: object = None


@dataclass
class Limits:
    scale_max: Decimal = Decimal(5)
    total_disagreement: Decimal = Decimal(20)
    criterion_disagreement: Decimal = Decimal(2)
    overall_threshold: Decimal | None = Decimal(60)


@dataclass(frozen=True)
class Disagreement:
    """Reviews that differ too much: on the totals (criterion None) or on one criterion."""

    criterion: object
    spread: Decimal
    limit: Decimal

    def __str__(self):
        return self.describe(DisagreementWords())

    def describe(self, words):
        """In words; ``words`` holds the translated sentences, read once for many rows."""
        if self.criterion is None:
            return words.totals % {"spread": self.spread, "limit": self.limit}
        return words.criterion % {
            "criterion": words.name(self.criterion),
            "spread": self.spread,
            "limit": self.limit,
        }


class DisagreementWords:
    """The translated sentences of Disagreement and the criteria's names, in the active language."""

    def __init__(self):
        self.totals = gettext("Totals differ by %(spread)s points (limit %(limit)s).")
        self.criterion = gettext("Scores on %(criterion)s differ by %(spread)s (limit %(limit)s).")
        self._names = {}

    def name(self, criterion):
        if criterion.pk not in self._names:
            self._names[criterion.pk] = criterion.name
        return self._names[criterion.pk]


@dataclass
class ReviewResult:
    review: ReviewInput
    total: Decimal | None
    z_score: float | None = None  # the total, normalised against the evaluator's other reviews


@dataclass
class CriterionResult:
    criterion: object
    scores: list
    mean: Decimal | None
    spread: Decimal | None
    consensus: ConsensusInput | None
    final: Decimal | None
    threshold_met: bool | None = None  # None: the criterion has no threshold (or no score)
    disagrees: bool = False
    totals: object = field(default=None, repr=False, compare=False)  # scoring.WeightedTotals

    @property
    def contribution(self):
        """The points out of 100 the final value brings to the total.

        Worked out when read: only the ranking sheet shows it, and for thousands of
        applications it would be most of the aggregation's time.
        """
        if self.final is None or self.totals is None:
            return None
        return self.totals.contribution(self.final, self.criterion.pk)

    @property
    def mean_display(self):
        return cents(self.mean)

    @property
    def final_display(self):
        return cents(self.final)


@dataclass
class ApplicationResult:
    application: object
    reviews: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    assignments: int = 0  # current (not declined) assignments
    mean_total: Decimal | None = None
    totals_spread: Decimal | None = None
    final_score: Decimal | None = None
    disagreements: list = field(default_factory=list)  # Disagreement
    normalised_mean: float | None = None
    rank: int | None = None
    tie_above: tuple | None = None  # (rule, criterion or None) that put the one above first
    tie_below: tuple | None = None  # (rule, criterion or None) that put this one above the next

    @property
    def pk(self):
        return self.application.pk

    @property
    def is_complete(self):
        """Every current assignment has its review submitted, and there is at least one."""
        return bool(self.reviews) and len(self.reviews) >= self.assignments

    @property
    def is_eligible(self):
        return self.application.status in Status.reviewable()

    @property
    def is_ranked(self):
        return self.is_eligible and self.is_complete and self.final_score is not None

    @property
    def failed_criteria(self):
        return [row for row in self.criteria if row.threshold_met is False]

    @property
    def passes_overall(self):
        return self.final_score is not None and (
            self._overall_threshold is None or self.final_score >= self._overall_threshold
        )

    @property
    def passes_thresholds(self):
        return self.passes_overall and not self.failed_criteria

    @property
    def has_disagreement(self):
        return bool(self.disagreements)

    @property
    def has_consensus(self):
        return any(row.consensus for row in self.criteria)

    _overall_threshold: Decimal | None = None


def aggregate_application(application, criteria, reviews, consensus, limits, *, assignments=0, totals=None):
    """Every number the ranking sheet shows for one application.

    ``reviews`` are its submitted reviews, ``consensus`` maps a criterion id to the
    coordinator's ConsensusInput, ``assignments`` counts its current assignments.
    """
    totals = totals or WeightedTotals(criteria, limits.scale_max)
    result = ApplicationResult(application=application, assignments=assignments)
    result._overall_threshold = limits.overall_threshold
    result.reviews = [ReviewResult(review, totals.total(review.scores)) for review in reviews]
    finals = {}
    for criterion in criteria:
        pk = criterion.pk
        scores = [value for r in reviews if (value := r.scores.get(pk)) is not None]
        agreed = consensus.get(pk)
        average = mean(scores)
        row = CriterionResult(
            criterion=criterion,
            scores=scores,
            mean=average,
            spread=(max(scores) - min(scores)) if scores else None,
            consensus=agreed,
            final=agreed.value if agreed else average,
            totals=totals,
        )
        row.disagrees = len(scores) > 1 and row.spread >= limits.criterion_disagreement
        if row.final is not None and criterion.threshold is not None:
            row.threshold_met = cents(row.final) >= Decimal(criterion.threshold)
        finals[criterion.pk] = row.final
        result.criteria.append(row)

    review_totals = [r.total for r in result.reviews if r.total is not None]
    result.mean_total = cents(mean(review_totals))
    result.totals_spread = (max(review_totals) - min(review_totals)) if review_totals else None
    result.final_score = totals.total(finals) if result.criteria else None

    if len(review_totals) > 1 and result.totals_spread > limits.total_disagreement:
        result.disagreements.append(
            Disagreement(None, result.totals_spread, cents(limits.total_disagreement))
        )
    for row in result.criteria:
        if row.disagrees:
            result.disagreements.append(
                Disagreement(row.criterion, row.spread, cents(limits.criterion_disagreement))
            )
    return result


def evaluator_moments(results):
    """{evaluator id: (mean total, standard deviation)} over the evaluators' reviews in ``results``.

    Left out: an evaluator with fewer than two reviews or identical totals.
    """
    by_evaluator = defaultdict(list)
    for result in results:
        for review in result.reviews:
            if review.total is not None:
                by_evaluator[review.review.evaluator_id].append(float(review.total))
    moments = {}
    for evaluator, totals in by_evaluator.items():
        if len(totals) < 2:
            continue
        centre = sum(totals) / len(totals)
        deviation = math.sqrt(sum((t - centre) ** 2 for t in totals) / len(totals))
        if deviation > 0:
            moments[evaluator] = (centre, deviation)
    return moments


def apply_z_scores(results, moments=None):
    """Normalise each review's total against the same evaluator's other reviews of the call.

    z = (total − the evaluator's mean total) / the evaluator's standard deviation; None for
    an evaluator with fewer than two reviews or identical totals. An application's
    normalised mean is the mean of its reviews' z-scores. ``moments`` are those of the
    whole call when ``results`` are only some of its applications.
    """
    if moments is None:
        moments = evaluator_moments(results)
    for result in results:
        zs = []
        for review in result.reviews:
            moment = moments.get(review.review.evaluator_id)
            if moment and review.total is not None:
                review.z_score = round((float(review.total) - moment[0]) / moment[1], 2)
                zs.append(review.z_score)
        result.normalised_mean = round(sum(zs) / len(zs), 2) if zs else None


def tie_break_criteria(criteria):
    """The criteria that break ties, in priority order (1 first)."""
    return sorted(
        (c for c in criteria if c.tie_break_priority is not None),
        key=lambda c: (c.tie_break_priority, c.order, c.pk),
    )


def _rank_key(result, tie_breakers):
    cached = result.__dict__.get("_rank_key_cache")
    if cached is not None and cached[0] is tie_breakers:
        return cached[1]
    key = _compute_rank_key(result, tie_breakers)
    result.__dict__["_rank_key_cache"] = (tie_breakers, key)
    return key


def _compute_rank_key(result, tie_breakers):
    finals = {row.criterion.pk: row.final_display for row in result.criteria}
    submitted_at = result.application.submitted_at
    return (
        -result.final_score,
        *(-(finals.get(c.pk) if finals.get(c.pk) is not None else Decimal(-1)) for c in tie_breakers),
        (submitted_at is None, submitted_at.timestamp() if submitted_at else 0),
        result.application.reference or "",
        result.application.pk,
    )


def _deciding_rule(above, below, tie_breakers):
    """Which step of the ranking rule put ``above`` before ``below``."""
    key_above, key_below = _rank_key(above, tie_breakers), _rank_key(below, tie_breakers)
    if key_above[0] != key_below[0]:
        return (TIE_BREAK_SCORE, None)
    for index, criterion in enumerate(tie_breakers, start=1):
        if key_above[index] != key_below[index]:
            return (TIE_BREAK_CRITERION, criterion)
    offset = len(tie_breakers) + 1
    if key_above[offset] != key_below[offset]:
        return (TIE_BREAK_SUBMISSION, None)
    return (TIE_BREAK_REFERENCE, None)


def rank(results, criteria):
    """The ranked applications (eligible, reviews complete) in order, with rank and tie notes."""
    tie_breakers = tie_break_criteria(criteria)
    ranked = sorted((r for r in results if r.is_ranked), key=lambda r: _rank_key(r, tie_breakers))
    for position, result in enumerate(ranked, start=1):
        result.rank = position
        result.tie_above = result.tie_below = None
    for above, below in itertools.pairwise(ranked):
        rule = _deciding_rule(above, below, tie_breakers)
        above.tie_below = below.tie_above = rule
    return ranked


def score_in_hundredths(result):
    return int(result.final_score * 100)


# --------------------------------------------------------------------------------------
# Loading a call
# --------------------------------------------------------------------------------------


@dataclass
class CallResults:
    """Everything the ranking, the selection, the dashboard and the exports read of a call."""

    call: object
    settings: object
    criteria: list
    limits: Limits
    results: list  # every non-draft application, in application number order
    ranked: list  # ranked applications, in rank order

    def by_application(self):
        return {r.pk: r for r in self.results}

    @property
    def disagreements(self):
        return [r for r in self.results if r.has_disagreement]


def limits_for(settings):
    return Limits(
        scale_max=settings.scale_max,
        total_disagreement=settings.disagreement_limit,
        criterion_disagreement=settings.criterion_disagreement,
        overall_threshold=settings.overall_threshold,
    )


# What the ranking, the selection and the exports read of an application (fewer columns
# to convert makes loading thousands of them noticeably faster).
APPLICATION_FIELDS = (
    "id",
    "call_id",
    "status",
    "reference",
    "number",
    "submitted_at",
    "organisation__id",
    "organisation__name",
    "organisation__country",
)


@contextmanager
def collection_paused():
    """Hold Python's cyclic garbage collector while tens of thousands of objects are made.

    Loading a call creates an object or more per review, score and application, none of
    them in a cycle; the collector would scan them all again and again as they pile up
    (a third of the load time at 5,000 applications). Reference counting still frees
    everything; the collector resumes, as it was, at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_call_results(call, *, settings=None, criteria=None):
    """Aggregate and rank every application of ``call`` in a fixed number of queries."""
    with collection_paused():
        settings = settings or ReviewSettings.objects.for_call(call)
        criteria = list(criteria) if criteria is not None else list(Criterion.objects.filter(call=call))
        results = _aggregate(call, settings, criteria)
        apply_z_scores(results)
        ranked = rank(results, criteria)
    return CallResults(
        call=call,
        settings=settings,
        criteria=criteria,
        limits=limits_for(settings),
        results=results,
        ranked=ranked,
    )


def load_results_of(call, application_ids, *, settings, criteria, moments):
    """The results of some applications of ``call``, without their ranks, in the same few queries.

    Their z-scores come from ``moments``, the evaluators' moments over the whole call (the
    stored ranking keeps them), so they read as they do in the call's load.
    """
    results = _aggregate(call, settings, list(criteria), only=list(application_ids))
    apply_z_scores(results, moments)
    return results


def _aggregate(call, settings, criteria, *, only=None):
    """Every non-draft application of ``call`` (or the ``only`` ones) with its numbers."""
    limits = limits_for(settings)
    applications = Application.objects.submitted_to(call)
    assignments = Assignment.objects.current().for_call(call)
    review_rows = Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
    score_rows = Score.objects.filter(review__application__call=call, review__status=ReviewStatus.SUBMITTED)
    agreed_scores = ConsensusScore.objects.filter(application__call=call)
    if only is not None:
        applications = applications.filter(pk__in=only)
        assignments = assignments.filter(application_id__in=only)
        review_rows = review_rows.filter(application_id__in=only)
        score_rows = score_rows.filter(review__application_id__in=only)
        agreed_scores = agreed_scores.filter(application_id__in=only)
    applications = list(
        applications.select_related("organisation").only(*APPLICATION_FIELDS).order_by("number", "id")
    )
    assignment_counts = defaultdict(int)
    for (application_id,) in assignments.values_list("application_id"):
        assignment_counts[application_id] += 1

    reviews = {}
    review_rows = review_rows.values_list(
        "id",
        "application_id",
        "evaluator_id",
        "submitted_at",
        "evaluator__full_name",
        "evaluator__email",
        "recommendation",
    ).order_by("submitted_at", "id")
    for review_id, application_id, evaluator_id, submitted_at, name, email, recommendation in review_rows:
        reviews[review_id] = ReviewInput(
            id=review_id,
            application_id=application_id,
            evaluator_id=evaluator_id,
            scores={},
            submitted_at=submitted_at,
            evaluator_name=name or email,
            recommendation=recommendation,
        )
    # Scores come as whole tenths: reading integers is much faster than decimals on SQLite.
    decimals = {}
    score_rows = score_rows.annotate(tenths=Cast(Round(F("value") * 10), IntegerField())).values_list(
        "review_id", "criterion_id", "tenths"
    )
    for review_id, criterion_id, tenths in score_rows:
        review = reviews.get(review_id)
        if review is None:
            continue
        if tenths is None:
            review.scores[criterion_id] = None
            continue
        value = decimals.get(tenths)
        if value is None:
            value = decimals[tenths] = Decimal(tenths) / 10
        review.scores[criterion_id] = value
    reviews_by_application = defaultdict(list)
    for review in reviews.values():
        reviews_by_application[review.application_id].append(review)

    consensus = defaultdict(dict)
    for agreed in agreed_scores.select_related("set_by"):
        consensus[agreed.application_id][agreed.criterion_id] = ConsensusInput(
            criterion_id=agreed.criterion_id,
            value=agreed.value,
            justification=agreed.justification,
            set_by_name=str(agreed.set_by) if agreed.set_by else "",
            set_at=agreed.set_at,
        )

    totals = WeightedTotals(criteria, limits.scale_max)
    return [
        aggregate_application(
            application,
            criteria,
            reviews_by_application.get(application.pk, []),
            consensus.get(application.pk, {}),
            limits,
            assignments=assignment_counts.get(application.pk, 0),
            totals=totals,
        )
        for application in applications
    ]
