"""Criteria and the scale, changed by their service: checked, audited, refused once they would lie."""

from decimal import Decimal

import pytest

from portal.models import AuditEvent
from reviews import services
from reviews.models import Criterion, ReviewSettings
from tests.factories import UserFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    assigned,
    evaluator_of,
    five_criteria,
    submitted_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory()


def test_criteria_are_added_at_the_end_and_their_weights_add_up(officer):
    call = ClosedCallFactory()
    first = services.add_criterion(call, by=officer, name_en="Relevance", weight=Decimal(60))
    second = services.add_criterion(
        call, by=officer, name_en="Capacity", name_fr="Capacité", weight=Decimal(40), threshold=Decimal(2)
    )
    assert (first.order, second.order) == (1, 2)
    assert services.weights_total(call) == Decimal(100)
    event = AuditEvent.objects.get(action="criterion.added", object_id=str(second.pk))
    assert event.after["name_fr"] == "Capacité" and event.after["weight"] == "40"
    assert event.call_id == call.pk


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name_en": " ", "weight": Decimal(10)}, "name_en", "name in English"),
        ({"name_en": "A", "weight": Decimal(0)}, "weight", "above zero"),
        ({"name_en": "A", "weight": Decimal(10), "threshold": Decimal(6)}, "threshold", "from 0 to 5"),
    ],
)
def test_a_criterion_that_cannot_be_is_refused_naming_its_field(officer, fields, field, message):
    call = ClosedCallFactory()
    with pytest.raises(services.EvaluationError, match=message) as refused:
        services.add_criterion(call, by=officer, **fields)
    assert field in refused.value.errors
    assert not Criterion.objects.exists()


def test_two_criteria_cannot_break_ties_at_the_same_priority(officer):
    call = ClosedCallFactory()
    services.add_criterion(call, by=officer, name_en="A", weight=Decimal(50), tie_break_priority=1)
    second = services.add_criterion(call, by=officer, name_en="B", weight=Decimal(50))
    with pytest.raises(services.EvaluationError, match="already breaks ties"):
        services.change_criterion(second, by=officer, changes={"tie_break_priority": 1})


def test_a_change_is_audited_with_only_what_changed(officer):
    call = ClosedCallFactory()
    criterion = services.add_criterion(call, by=officer, name_en="Relevance", weight=Decimal(60))
    services.change_criterion(
        criterion,
        by=officer,
        changes={"name_en": "Relevance", "weight": Decimal(55), "name_fr": "Pertinence"},
    )
    event = AuditEvent.objects.get(action="criterion.changed")
    assert event.before == {"weight": "60", "name_fr": ""}
    assert event.after == {"weight": "55", "name_fr": "Pertinence"}
    services.change_criterion(criterion, by=officer, changes={"weight": Decimal(55)})
    assert AuditEvent.objects.filter(action="criterion.changed").count() == 1


def test_moving_a_criterion_swaps_it_with_its_neighbour(officer):
    call = ClosedCallFactory()
    a, _b, c = (services.add_criterion(call, by=officer, name_en=n, weight=Decimal(10)) for n in "ABC")
    services.move_criterion(c, by=officer, direction="up")
    assert list(Criterion.objects.filter(call=call).order_by("order").values_list("name_en", flat=True)) == [
        "A",
        "C",
        "B",
    ]
    services.move_criterion(a, by=officer, direction="up")  # already first: nothing changes
    assert AuditEvent.objects.filter(action="criterion.moved").count() == 1


def test_once_reviews_have_scores_criteria_cannot_be_added_or_removed_nor_the_scale_changed(officer):
    application = InReviewApplicationFactory()
    call = application.call
    criteria = five_criteria(call)
    submitted_review(assigned(application, evaluator_of(call)), criteria, [3, 3, 3, 3, 3])
    with pytest.raises(services.EvaluationError, match="already have scores"):
        services.add_criterion(call, by=officer, name_en="Late", weight=Decimal(5))
    with pytest.raises(services.EvaluationError, match="can no longer be removed"):
        services.remove_criterion(criteria[0], by=officer)
    with pytest.raises(services.EvaluationError, match="can no longer change"):
        services.change_scale(call, by=officer, scale_max=Decimal(10), scale_step=Decimal(1))
    assert Criterion.objects.filter(call=call).count() == 5


def test_an_unscored_criterion_is_removed_and_the_others_renumbered(officer):
    call = ClosedCallFactory()
    _a, b, _c = (services.add_criterion(call, by=officer, name_en=n, weight=Decimal(10)) for n in "ABC")
    services.remove_criterion(b, by=officer)
    assert list(Criterion.objects.filter(call=call).order_by("order").values_list("name_en", "order")) == [
        ("A", 1),
        ("C", 2),
    ]
    assert AuditEvent.objects.get(action="criterion.removed").before["name_en"] == "B"


def test_the_scale_changes_before_the_reviews_and_must_stay_above_the_thresholds(officer):
    call = ClosedCallFactory()
    services.add_criterion(call, by=officer, name_en="A", weight=Decimal(100), threshold=Decimal(4))
    services.change_scale(call, by=officer, scale_max=Decimal(10), scale_step=Decimal(1))
    assert ReviewSettings.objects.get(call=call).scale_max == Decimal(10)
    with pytest.raises(services.EvaluationError, match="threshold above"):
        services.change_scale(call, by=officer, scale_max=Decimal(3), scale_step=Decimal(1))
    with pytest.raises(services.EvaluationError, match="multiple of the step"):
        services.change_scale(call, by=officer, scale_max=Decimal(10), scale_step=Decimal(3))


def test_a_final_selection_freezes_the_criteria(officer):
    call = ClosedCallFactory()
    criterion = services.add_criterion(call, by=officer, name_en="A", weight=Decimal(100))
    ReviewSettings.objects.update_or_create(call=call, defaults={"finalised_at": "2026-01-01T00:00:00Z"})
    call.__dict__.pop("_review_settings", None)
    with pytest.raises(services.EvaluationError, match="final"):
        services.change_criterion(criterion, by=officer, changes={"weight": Decimal(50)})
