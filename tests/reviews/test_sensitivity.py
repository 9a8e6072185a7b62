"""The sensitivity report: weights moved by ±10%, deterministic samples."""

from decimal import Decimal
from types import SimpleNamespace

from reviews.aggregation import CallResults, Limits, ReviewInput, aggregate_application, rank
from reviews.selection import Rules
from reviews.sensitivity import analyse, weight_factors

D = Decimal
RELEVANCE = SimpleNamespace(
    pk=1, name="Relevance", weight=D(50), threshold=None, tie_break_priority=1, order=1
)
COOPERATION = SimpleNamespace(
    pk=2, name="Cooperation", weight=D(50), threshold=None, tie_break_priority=None, order=2
)
CRITERIA = [RELEVANCE, COOPERATION]
LIMITS = Limits(scale_max=D(5), overall_threshold=D(50))


def call_results(*cities):
    results = []
    for pk, (country, relevance, cooperation) in enumerate(cities, start=1):
        application = SimpleNamespace(
            pk=pk,
            reference=f"PS2-{pk:03d}",
            submitted_at=None,
            status="in_review",
            organisation=SimpleNamespace(country=country, name=f"City {pk}"),
        )
        review = ReviewInput(pk, pk, 1, {1: D(relevance), 2: D(cooperation)})
        results.append(aggregate_application(application, CRITERIA, [review], {}, LIMITS, assignments=1))
    return CallResults(
        call=None,
        settings=None,
        criteria=CRITERIA,
        limits=LIMITS,
        results=results,
        ranked=rank(results, CRITERIA),
    )


def test_weight_vectors_are_every_corner_each_weight_alone_and_seeded_random_ones():
    vectors = weight_factors(2, random_samples=5, seed=1)
    corners = {(D("0.90"), D("0.90")), (D("0.90"), D("1.10")), (D("1.10"), D("0.90")), (D("1.10"), D("1.10"))}
    assert corners <= set(vectors)
    assert (D("0.90"), D(1)) in vectors and (D(1), D("1.10")) in vectors
    assert len(vectors) == len(set(vectors)) == 4 + 4 + 5
    assert weight_factors(2, random_samples=5, seed=1) == vectors
    assert all(D("0.9") <= f <= D("1.1") for vector in vectors for f in vector)
    assert len(weight_factors(8, random_samples=10)) == 16 + 10  # no corners above six criteria


def test_close_cities_swap_places_when_weights_move_and_the_report_says_how_often():
    # City 1: 50×5 + 50×2 → 70; city 2: 50×2 + 50×4.5 → 65. Relevance at 55 and cooperation
    # at 45 keep city 1 ahead; at 45/55 city 2 gets (90 + 247.5) / 5 = 67.5 > city 1's 67.
    # City 3 has country X like city 1 and never matters.
    results = call_results(("X", "5", "2"), ("Y", "2", "4.5"), ("X", "1", "1"))
    report = analyse(results, Rules(places=1, max_per_country=1), random_samples=20)
    assert report.baseline == [1]
    assert [(c.result.pk, c.in_proposal) for c in report.changes] == [(1, True), (2, False)]
    first, second = report.changes
    assert first.changed == second.changed > 0
    assert first.changed < report.samples
    assert 0 < report.percent(first) < 100
    assert (
        analyse(results, Rules(places=1, max_per_country=1), random_samples=20).changes[0].changed
        == first.changed
    )


def test_a_clear_winner_makes_a_stable_report():
    results = call_results(("X", "5", "5"), ("Y", "2", "4.5"), ("Z", "3", "3"))
    report = analyse(results, Rules(places=1, max_per_country=1))
    assert report.baseline == [1]
    assert report.is_stable
    assert report.samples == 4 + 4 + 64
