"""Aggregation, normalisation and tie-breaks, against numbers worked out by hand."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from reviews.aggregation import (
    TIE_BREAK_CRITERION,
    TIE_BREAK_REFERENCE,
    TIE_BREAK_SCORE,
    TIE_BREAK_SUBMISSION,
    ConsensusInput,
    Limits,
    ReviewInput,
    aggregate_application,
    apply_z_scores,
    rank,
)

D = Decimal
NOON = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)

# Relevance weighs 60 (threshold 3, breaks ties first), cooperation 40 (no threshold).
RELEVANCE = SimpleNamespace(
    pk=1, name="Relevance", weight=D(60), threshold=D(3), tie_break_priority=1, order=1
)
COOPERATION = SimpleNamespace(
    pk=2, name="Cooperation", weight=D(40), threshold=None, tie_break_priority=2, order=2
)
CRITERIA = [RELEVANCE, COOPERATION]
LIMITS = Limits(
    scale_max=D(5), total_disagreement=D(20), criterion_disagreement=D(2), overall_threshold=D(60)
)


def application(pk, *, reference=None, submitted_at=NOON, status="in_review"):
    return SimpleNamespace(
        pk=pk, reference=reference or f"PS2-{pk:03d}", submitted_at=submitted_at, status=status
    )


def review(pk, application_id, evaluator_id, relevance, cooperation):
    scores = {RELEVANCE.pk: D(relevance), COOPERATION.pk: D(cooperation)}
    return ReviewInput(id=pk, application_id=application_id, evaluator_id=evaluator_id, scores=scores)


def three_reviews():
    # Totals by hand: (60×4 + 40×3) / 5 = 72; (60×5 + 40×2) / 5 = 76; (60×2 + 40×5) / 5 = 64.
    return [review(1, 1, 101, "4", "3"), review(2, 1, 102, "5", "2"), review(3, 1, 103, "2", "5")]


def test_review_totals_means_spreads_and_final_score_by_hand():
    result = aggregate_application(application(1), CRITERIA, three_reviews(), {}, LIMITS, assignments=3)
    assert [r.total for r in result.reviews] == [D("72.00"), D("76.00"), D("64.00")]
    relevance, cooperation = result.criteria
    assert relevance.mean_display == D("3.67") and relevance.spread == D(3)  # 11/3
    assert cooperation.mean_display == D("3.33") and cooperation.spread == D(3)  # 10/3
    # Contributions: 60 × (11/3) / 5 = 44; 40 × (10/3) / 5 = 26.67.
    assert (relevance.contribution, cooperation.contribution) == (D("44.00"), D("26.67"))
    assert result.final_score == D("70.67")
    assert result.mean_total == D("70.67")
    assert result.totals_spread == D(12)
    assert result.is_complete and result.is_ranked
    assert relevance.threshold_met is True and cooperation.threshold_met is None
    assert result.passes_thresholds


def test_disagreement_on_a_criterion_by_two_points_suggests_a_further_evaluator():
    result = aggregate_application(application(1), CRITERIA, three_reviews(), {}, LIMITS, assignments=3)
    assert [d.criterion for d in result.disagreements] == [RELEVANCE, COOPERATION]
    assert "Relevance" in str(result.disagreements[0])


def test_disagreement_on_totals_above_the_limit():
    # Totals 92 and 62: 30 apart, above 20. Criterion scores differ by 1.5 each only.
    reviews = [review(1, 1, 101, "5", "4"), review(2, 1, 102, "3.5", "2.5")]
    result = aggregate_application(application(1), CRITERIA, reviews, {}, LIMITS, assignments=2)
    assert [r.total for r in result.reviews] == [D("92.00"), D("62.00")]
    assert len(result.disagreements) == 1 and result.disagreements[0].criterion is None
    assert result.disagreements[0].spread == D(30)


def test_totals_exactly_at_the_limit_are_not_a_disagreement():
    # Totals (300 + 100) / 5 = 80 and (240 + 60) / 5 = 60 differ by exactly 20.
    reviews = [review(1, 1, 101, "5", "2.5"), review(2, 1, 102, "4", "1.5")]
    result = aggregate_application(application(1), CRITERIA, reviews, {}, LIMITS, assignments=2)
    assert result.totals_spread == D(20)
    assert result.disagreements == []


def test_consensus_replaces_the_mean_of_its_criterion_only():
    agreed = {
        RELEVANCE.pk: ConsensusInput(criterion_id=RELEVANCE.pk, value=D(4), justification="Panel agreed")
    }
    result = aggregate_application(application(1), CRITERIA, three_reviews(), agreed, LIMITS, assignments=3)
    relevance, cooperation = result.criteria
    assert relevance.mean_display == D("3.67") and relevance.final == D(4)
    assert relevance.consensus.justification == "Panel agreed"
    assert cooperation.final_display == D("3.33")
    # (60×4 + 40×10/3) / 5 = 74.67
    assert result.final_score == D("74.67")
    assert result.mean_total == D("70.67")  # the reviews' own totals do not change


def test_thresholds_on_the_final_mean_and_overall():
    reviews = [review(1, 1, 101, "3", "1"), review(2, 1, 102, "2.5", "1")]  # relevance mean 2.75
    result = aggregate_application(application(1), CRITERIA, reviews, {}, LIMITS, assignments=2)
    assert result.criteria[0].threshold_met is False
    assert result.final_score == D("41.00")  # (60×2.75 + 40×1) / 5
    assert not result.passes_overall and not result.passes_thresholds
    assert result.failed_criteria == [result.criteria[0]]


def test_incomplete_reviews_keep_an_application_out_of_the_ranking():
    reviews = [review(1, 1, 101, "4", "4")]
    incomplete = aggregate_application(application(1), CRITERIA, reviews, {}, LIMITS, assignments=3)
    none = aggregate_application(application(2), CRITERIA, [], {}, LIMITS, assignments=0)
    ineligible = aggregate_application(
        application(3, status="ineligible"), CRITERIA, reviews, {}, LIMITS, assignments=1
    )
    assert not incomplete.is_complete and not none.is_complete
    assert ineligible.is_complete and not ineligible.is_eligible
    assert rank([incomplete, none, ineligible], CRITERIA) == []


def test_z_scores_normalise_each_evaluator_against_their_own_reviews():
    # Evaluator 101 gave 72 and 80: mean 76, deviation 4, so z = -1 and +1.
    first = aggregate_application(
        application(1), CRITERIA, [review(1, 1, 101, "4", "3")], {}, LIMITS, assignments=1
    )
    second = aggregate_application(
        application(2),
        CRITERIA,
        [review(2, 2, 101, "4", "5"), review(3, 2, 102, "1", "1")],
        {},
        LIMITS,
        assignments=2,
    )
    apply_z_scores([first, second])
    assert first.reviews[0].z_score == -1.0
    assert second.reviews[0].z_score == 1.0
    assert second.reviews[1].z_score is None  # one review only: nothing to normalise against
    assert first.normalised_mean == -1.0


def single(pk, relevance, cooperation, **kwargs):
    return aggregate_application(
        application(pk, **kwargs),
        CRITERIA,
        [review(pk, pk, 100 + pk, relevance, cooperation)],
        {},
        LIMITS,
        assignments=1,
    )


def test_ties_are_broken_by_priority_then_submission_then_reference():
    # p: 60×4 + 40×3 = 360 → 72; q: 60×3 + 40×4.5 = 360 → 72. Relevance (priority 1) decides.
    p = single(1, "4", "3", reference="PS2-004")
    q = single(2, "3", "4.5", reference="PS2-001")
    r = single(3, "4", "3", reference="PS2-003", submitted_at=NOON + dt.timedelta(minutes=5))  # like p, later
    s = single(
        4, "4", "3", reference="PS2-005", submitted_at=NOON + dt.timedelta(minutes=5)
    )  # like r, later ref
    top = single(5, "5", "5")
    ordered = rank([s, q, r, top, p], CRITERIA)
    assert [x.pk for x in ordered] == [5, 1, 3, 4, 2]
    assert [x.rank for x in ordered] == [1, 2, 3, 4, 5]
    assert top.tie_below == (TIE_BREAK_SCORE, None)
    assert p.tie_above == (TIE_BREAK_SCORE, None)
    assert p.tie_below == (TIE_BREAK_SUBMISSION, None)
    assert r.tie_below == (TIE_BREAK_REFERENCE, None)
    assert s.tie_below == (TIE_BREAK_CRITERION, RELEVANCE)
    assert q.tie_above == (TIE_BREAK_CRITERION, RELEVANCE) and q.tie_below is None


def test_criteria_without_priority_do_not_break_ties():
    relevance = SimpleNamespace(**{**vars(RELEVANCE), "tie_break_priority": None})
    criteria = [relevance, COOPERATION]
    p = aggregate_application(
        application(1, reference="B"), criteria, [review(1, 1, 1, "4", "3")], {}, LIMITS, assignments=1
    )
    q = aggregate_application(
        application(2, reference="A"), criteria, [review(2, 2, 2, "3", "4.5")], {}, LIMITS, assignments=1
    )
    # Cooperation (now the only tie-breaker) favours q.
    assert [x.pk for x in rank([p, q], criteria)] == [2, 1]


def test_weighted_totals_read_once_equal_the_one_formula_on_random_scores():
    import random

    from reviews.scoring import WeightedTotals, contribution, weighted_total

    rng = random.Random(5)
    for _ in range(200):
        criteria = [
            SimpleNamespace(pk=i, weight=D(rng.randint(1, 4000)) / 100) for i in range(rng.randint(1, 7))
        ]
        scale = D(rng.choice([5, 10, 4]))
        totals = WeightedTotals(criteria, scale)
        scores = {c.pk: D(rng.randint(0, int(scale) * 2)) / 2 for c in criteria}
        assert totals.total(scores) == weighted_total(scores, criteria, scale)
        for c in criteria:
            assert totals.contribution(scores[c.pk], c.pk) == contribution(scores[c.pk], c, criteria, scale)
    assert WeightedTotals([RELEVANCE], D(5)).total({}) is None
