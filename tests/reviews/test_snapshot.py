"""The stored ranking: after each kind of change the ranking page shows the new result."""

from decimal import Decimal

import pytest
from django.urls import reverse

from intake.models import Status
from intake.services import withdraw_application
from portal.audit import action_label
from reviews import services, snapshot
from reviews.models import Assignment, RankingSnapshot, SelectionOverride
from tests.factories import MembershipFactory, UserFactory
from tests.factories.reviews import SubmittedApplicationFactory
from tests.factories.selection import scored_call
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    """Two places, one per country: Nice, Lyon, Turin, Liège, Madrid ranked; Ghent waits for a review."""
    setup = scored_call(places=2, reserve_size=2, max_per_country=1)
    setup.nice = setup.city("Nice", "FR", (5, 5, 5), (5, 4, 4))
    setup.lyon = setup.city("Lyon", "FR", (4, 4, 4), (4, 4, 4))
    setup.turin = setup.city("Turin", "IT", (4, 4, 4), (4, 3, 5))
    setup.liege = setup.city("Liège", "BE", (3, 3, 3), (3, 3, 3))
    setup.madrid = setup.city("Madrid", "ES", (2, 2, 2), (2, 2, 2))
    setup.ghent = setup.city("Ghent", "BE", (5, 5, 5), pending=1)
    return setup


def ranking(client, setup, **params):
    client.force_login(setup.coordinator)
    response = client.get(reverse("reviews:ranking", args=[setup.call.slug]), params)
    assert response.status_code == 200
    return response


def outcomes(client, setup):
    return {line["name"]: line["outcome"] for line in ranking(client, setup).context["lines"]}


def unranked(client, setup):
    return {e.application.organisation.name: e.reason for e in ranking(client, setup).context["unranked"]}


def test_the_page_reads_the_stored_ranking_until_a_change_marks_it_out_of_date(client, setup):
    ranking(client, setup)
    stored = RankingSnapshot.objects.get(call=setup.call)
    assert stored.is_current and stored.summary["ranked"] == 5 and stored.summary["selected"] == 2
    built_at = stored.built_at
    ranking(client, setup)
    assert RankingSnapshot.objects.get(call=setup.call).built_at == built_at
    services.override_decision(
        setup.call,
        setup.liege,
        by=setup.coordinator,
        action=SelectionOverride.Action.INCLUDE,
        justification="x",
    )
    assert not RankingSnapshot.objects.get(call=setup.call).is_current


def test_a_submitted_review_brings_the_city_into_the_ranking(client, setup):
    assert unranked(client, setup) == {"Ghent": "reviews_incomplete"}
    submit_the_missing_review(setup)
    assert outcomes(client, setup)["Ghent"] == "selected"
    assert unranked(client, setup) == {}


def test_an_eligibility_decision_moves_the_city_out_of_the_waiting_list(client, setup):
    waiting = SubmittedApplicationFactory(
        call=setup.call, organisation__name="Porto", organisation__country="PT"
    )
    assert unranked(client, setup)["Porto"] == "not_screened"
    services.decide_eligibility(waiting, by=setup.coordinator, decision="ineligible", reason="Too late.")
    assert unranked(client, setup)["Porto"] == "not_eligible"


def test_an_override_changes_the_proposal(client, setup):
    assert outcomes(client, setup)["Nice"] == "selected"
    services.override_decision(
        setup.call,
        setup.nice,
        by=setup.coordinator,
        action=SelectionOverride.Action.EXCLUDE,
        justification="x",
    )
    after = ranking(client, setup).context["lines"]
    nice = next(line for line in after if line["name"] == "Nice")
    assert nice["outcome"] == "not_selected" and nice["overridden"]
    assert {line["name"] for line in after if line["outcome"] == "selected"} == {"Lyon", "Turin"}


def test_changed_settings_change_who_passes(client, setup):
    assert outcomes(client, setup)["Madrid"] == "not_selected"
    assert {line["name"]: line["passes"] for line in ranking(client, setup).context["lines"]}[
        "Madrid"
    ] is False
    services.change_review_settings(
        setup.call, by=setup.coordinator, changes={"overall_threshold": Decimal(30)}
    )
    assert {line["name"]: line["passes"] for line in ranking(client, setup).context["lines"]}[
        "Madrid"
    ] is True


def test_a_consensus_score_changes_the_final_score(client, setup):
    before = {line["name"]: line["final"] for line in ranking(client, setup).context["lines"]}
    services.set_consensus_score(
        setup.madrid, setup.criteria[0], by=setup.coordinator, value=Decimal(5), justification="Agreed."
    )
    after = {line["name"]: line["final"] for line in ranking(client, setup).context["lines"]}
    assert after["Madrid"] != before["Madrid"]


def submit_the_missing_review(setup):
    assignment = Assignment.objects.get(application=setup.ghent, review__isnull=True)
    services.save_review(
        assignment,
        by=assignment.evaluator,
        values={c.pk: Decimal(5) for c in setup.criteria},
        comments={c.pk: "Strong." for c in setup.criteria},
        recommendation="recommend",
        submit=True,
    )


def test_finalisation_shows_the_decisions(client, setup):
    submit_the_missing_review(setup)
    assert ranking(client, setup).context["decided"] is False
    services.finalise_selection(setup.call, by=setup.coordinator)
    response = ranking(client, setup)
    assert response.context["decided"] is True
    nice = next(line for line in response.context["lines"] if line["name"] == "Nice")
    assert nice["decision"].outcome == "selected"


def test_a_withdrawal_in_intake_reaches_the_stored_ranking(client, setup):
    applicant = UserFactory()
    waiting = SubmittedApplicationFactory(
        call=setup.call, organisation__name="Porto", created_by=applicant, submitted_by=applicant
    )
    MembershipFactory(organisation=waiting.organisation, user=applicant)
    assert "Porto" in unranked(client, setup)
    withdraw_application(waiting, applicant, note="")
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN
    assert unranked(client, setup)["Porto"] == "withdrawn"


def test_a_change_during_a_rebuild_leaves_the_ranking_out_of_date(setup):
    stored = snapshot.build(setup.call)
    RankingSnapshot.objects.invalidate(setup.call)
    stored.refresh_from_db()
    assert not stored.is_current
    assert snapshot.current(setup.call).is_current


def test_pages_of_the_ranking_follow_the_rank_and_keep_the_filters(client, monkeypatch):
    from reviews.views import ranking as ranking_views

    monkeypatch.setattr(ranking_views, "RANKING_PER_PAGE", 2)
    setup = scored_call(places=2, reserve_size=2, max_per_country=1)
    for i, country in enumerate(["FR", "FR", "IT", "IT", "FR"]):
        setup.city(f"City {i}", country, (5 - i * 0.5, 4, 4), (4, 4, 4))
    first = ranking(client, setup)
    assert [line["rank"] for line in first.context["lines"]] == [1, 2]
    content = first.content.decode()
    assert 'aria-current="page"' in content and "1–2 of 5" in content
    page = first.context["page"]
    second = ranking(client, setup, after=page.next_cursor)
    assert [line["rank"] for line in second.context["lines"]] == [3, 4]
    french = ranking(client, setup, country="FR")
    assert [line["name"] for line in french.context["lines"]] == ["City 0", "City 1"]
    assert french.context["page"].total == 3
    assert "country=FR" in french.content.decode()
    last = ranking(client, setup, country="FR", after=french.context["page"].next_cursor)
    assert [line["name"] for line in last.context["lines"]] == ["City 4"]
    assert last.context["summary"]["ranked"] == 5


def test_ranking_and_rebuild_queries_do_not_grow_with_the_applications(client):
    setup = scored_call(places=3, reserve_size=3)
    countries = ["AT", "DE", "PL", "PT", "SE", "NL"]
    for i in range(4):
        setup.city(f"City {i}", countries[i % 6], (3, 4, i % 5), (4, 3, 2))
    client.force_login(setup.coordinator)
    url = reverse("reviews:ranking", args=[setup.call.slug])
    count_queries(client, url)  # the first view also creates the stored ranking's row
    setup.city("City 4", "AT", (3, 4, 4), (4, 3, 2))
    rebuild_few = count_queries(client, url)
    read_few = count_queries(client, url)
    for i in range(5, 60):
        setup.city(f"City {i}", countries[i % 6], (3, 4, i % 5), (4, 3, 2))
    assert count_queries(client, url) == rebuild_few
    assert count_queries(client, url) == read_few < rebuild_few


def test_a_large_call_is_ranked_again_by_a_worker_while_the_page_shows_the_rows_as_they_were(
    client, setup, monkeypatch, django_capture_on_commit_callbacks
):
    assert outcomes(client, setup)["Nice"] == "selected"  # ranked while the call was small
    monkeypatch.setattr(snapshot, "SYNC_LIMIT", 2)
    services.override_decision(
        setup.call,
        setup.nice,
        by=setup.coordinator,
        action=SelectionOverride.Action.EXCLUDE,
        justification="x",
    )
    with django_capture_on_commit_callbacks() as queued:
        response = ranking(client, setup)
    assert "being computed again" in response.content.decode()
    assert {line["name"]: line["outcome"] for line in response.context["lines"]}["Nice"] == "selected"
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as again:
        ranking(client, setup)
    assert again == []  # handed to a worker once
    queued[0]()  # the worker's run (tasks run in place in the tests)
    response = ranking(client, setup)
    assert "being computed again" not in response.content.decode()
    assert {line["name"]: line["outcome"] for line in response.context["lines"]}["Nice"] == "not_selected"


def test_every_change_that_moves_a_ranking_is_an_action_the_portal_records():
    # A renamed action would otherwise stop marking stored rankings out of date, silently.
    unknown = sorted(action for action in snapshot.MOVES_THE_RANKING if action_label(action) == action)
    assert unknown == []
