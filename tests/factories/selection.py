"""Builders for the ranking, selection, dashboard and export tests: scored calls and cities."""

from dataclasses import dataclass
from decimal import Decimal

from intake.models import Status
from reviews.models import RankingSnapshot, ReviewSettings
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    CriterionFactory,
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    submitted_review,
)


@dataclass
class ScoredCall:
    call: object
    criteria: list
    evaluators: list
    coordinator: object

    def city(self, name, country, *score_rows, pending=0, status=Status.IN_REVIEW):
        """An application of ``name`` with one submitted review per score row (one value per criterion).

        ``pending`` adds assignments whose review is not submitted yet.
        """
        organisation = OrganisationFactory(name=name, country=country)
        MembershipFactory(organisation=organisation)
        application = InReviewApplicationFactory(call=self.call, organisation=organisation, status=status)
        for evaluator, values in zip(self.evaluators, score_rows, strict=False):
            submitted_review(assigned(application, evaluator), self.criteria, values)
        for evaluator in self.evaluators[len(score_rows) : len(score_rows) + pending]:
            assigned(application, evaluator)
        # Built without the services (which record the change): the stored ranking is told here.
        RankingSnapshot.objects.invalidate(self.call)
        return application


def scored_call(
    *,
    places=2,
    reserve_size=2,
    max_per_country=1,
    min_countries=None,
    overall=60,
    threshold=None,
    weights=(40, 30, 30),
    evaluators=3,
):
    """A closed call with weighted criteria (tie-break priority in order), evaluators and a coordinator."""
    call = ClosedCallFactory(places=places, reserve_size=reserve_size, max_per_country=max_per_country)
    criteria = [
        CriterionFactory(
            call=call,
            order=i,
            name_en=f"Criterion {'ABCDEFG'[i - 1]}",
            weight=Decimal(w),
            threshold=Decimal(threshold) if threshold is not None else None,
            tie_break_priority=i,
        )
        for i, w in enumerate(weights, start=1)
    ]
    ReviewSettings.objects.create(
        call=call, overall_threshold=Decimal(overall), min_distinct_countries=min_countries
    )
    people = [evaluator_of(call, full_name=f"Evaluator {i}") for i in range(1, evaluators + 1)]
    return ScoredCall(call=call, criteria=criteria, evaluators=people, coordinator=coordinator_of(call))
