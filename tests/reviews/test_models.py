"""The evaluation's data: the weighted total, the scale, settings, criteria and the demo."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from demo.evaluation import add_demo_evaluators, seed_review_demo
from reviews.models import Criterion, ReviewSettings, Visibility
from reviews.scoring import contribution, weighted_total
from tests.factories import OrganisationFactory
from tests.factories.reviews import ClosedCallFactory, CriterionFactory

pytestmark = pytest.mark.django_db


def criteria(*weights):
    return [SimpleNamespace(pk=i, weight=Decimal(w)) for i, w in enumerate(weights, start=1)]


def test_weighted_total_matches_a_case_computed_by_hand():
    # 25*4/5 + 20*3.5/5 + 20*3/5 + 20*5/5 + 15*2/5 = 20 + 14 + 12 + 20 + 6 = 72
    scores = {1: Decimal(4), 2: Decimal("3.5"), 3: Decimal(3), 4: Decimal(5), 5: Decimal(2)}
    assert weighted_total(scores, criteria(25, 20, 20, 20, 15), Decimal(5)) == Decimal("72.00")


def test_weighted_total_is_out_of_100_whatever_the_weights_add_up_to():
    # (2*5 + 1*0 + 1*2.5) / (4 * 5) * 100 = 62.5
    scores = {1: Decimal(5), 2: Decimal(0), 3: Decimal("2.5")}
    assert weighted_total(scores, criteria(2, 1, 1), Decimal(5)) == Decimal("62.50")
    full = {1: Decimal(5), 2: Decimal(5), 3: Decimal(5)}
    assert weighted_total(full, criteria(2, 1, 1), Decimal(5)) == Decimal("100.00")


def test_weighted_total_waits_for_every_criterion_unless_partial():
    scores = {1: Decimal(5), 2: None}
    assert weighted_total(scores, criteria(50, 50), Decimal(5)) is None
    assert weighted_total(scores, criteria(50, 50), Decimal(5), partial=True) == Decimal("50.00")


def test_contribution_is_the_criterions_share_of_the_total():
    cs = criteria(25, 20, 20, 20, 15)
    assert contribution(Decimal(4), cs[0], cs, Decimal(5)) == Decimal("20.00")


def test_scale_runs_from_zero_to_five_in_half_points_by_default():
    settings = ReviewSettings.objects.for_call(ClosedCallFactory())
    assert settings.pk is None  # read without writing
    choices = settings.score_choices()
    assert choices[0] == 0 and choices[-1] == 5 and len(choices) == 11
    assert Decimal("2.5") in choices


def test_review_settings_defaults_follow_the_issue():
    settings = ReviewSettings.objects.ensure(ClosedCallFactory())
    assert settings.pk
    assert settings.evaluators_per_application == 3
    assert settings.disagreement_limit == 20
    assert settings.criterion_disagreement == Decimal("2.0")
    assert settings.overall_threshold == 60
    assert settings.review_visibility == Visibility.AFTER_OWN


def test_consortium_members_are_recognised_by_name_or_id():
    partner = OrganisationFactory(name="Ville de Nice")
    other = OrganisationFactory(name="Lyon")
    settings = ReviewSettings(consortium_members=["  ville de NICE", str(other.pk + 1000)])
    assert settings.is_consortium_member(partner)
    assert not settings.is_consortium_member(other)


def test_a_criterion_weight_must_be_above_zero():
    criterion = CriterionFactory.build(call=ClosedCallFactory(), weight=Decimal(0))
    with pytest.raises(ValidationError):
        criterion.full_clean()


def test_demo_criteria_are_the_illustrative_pactesur_ones_and_repeatable():
    call = ClosedCallFactory()
    seed_review_demo(call)
    seed_review_demo(call)
    rows = list(Criterion.objects.filter(call=call).order_by("order"))
    assert [int(c.weight) for c in rows] == [25, 20, 20, 20, 15]
    assert all(c.threshold == 3 for c in rows)
    assert all("Illustrative" in c.guidance_en for c in rows)
    assert rows[0].name_en == "Relevance of the city's challenges to the project"
    assert ReviewSettings.objects.get(call=call).overall_threshold == 60


def test_admin_shows_criteria_and_settings_on_the_call_and_lists_evaluation_records(client):
    from tests.factories import UserFactory

    call = ClosedCallFactory()
    seed_review_demo(call)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/intake/call/{call.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Relevance of the city" in content
    # Criteria are read here and changed in the call builder, through their service.
    assert "criteria-0-weight" not in content
    for model in (
        "callevaluator",
        "eligibilityscreening",
        "conflictdeclaration",
        "assignment",
        "review",
        "consensusscore",
        "decision",
        "selectionoverride",
    ):
        assert client.get(f"/admin/reviews/{model}/").status_code == 200, model
    # Decision letters are issued documents, listed with the receipts.
    assert client.get("/admin/notifications/issueddocument/").status_code == 200


def test_demo_evaluators_are_registered_once_with_their_countries():
    from tests.factories import UserFactory

    call = ClosedCallFactory()
    users = [UserFactory(), UserFactory()]
    add_demo_evaluators(call, users, countries=["FR"])
    add_demo_evaluators(call, users, countries=["FR"])
    records = {r.user_id: r for r in call.evaluators.all()}
    assert len(records) == 2 and records[users[0].pk].country == "FR" and records[users[1].pk].country == ""
    assert users[1].groups.filter(name="evaluator").exists()
