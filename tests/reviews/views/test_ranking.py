"""The coordinator's ranking, ranking sheets, selection, overrides, finalisation and declines."""

import pytest
from django.urls import reverse

from intake.models import Application, Status
from notifications.models import Message
from portal import roles
from portal.models import AuditEvent
from reviews import services
from reviews.models import ConsensusScore, Decision, Review, ReviewSettings, SelectionOverride
from reviews.plan import propose_selection
from reviews.services.decisions import tell_decision
from tests.factories import MembershipFactory, UserFactory
from tests.factories.reviews import coordinator_of, evaluator_of
from tests.factories.selection import scored_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def pactesur():
    """Two places, one per country. Totals by hand with weights 40/30/30 on a 0–5 scale:
    Nice 94, Lyon 80, Turin 80 (Lyon first: equal on A, 4 > 3.5 on B), Liège 60, Madrid 40
    (under the overall 60), Ghent with a review still missing."""
    setup = scored_call(places=2, reserve_size=2, max_per_country=1)
    setup.nice = setup.city("Nice", "FR", (5, 5, 5), (5, 4, 4))
    setup.lyon = setup.city("Lyon", "FR", (4, 4, 4), (4, 4, 4))
    setup.turin = setup.city("Turin", "IT", (4, 4, 4), (4, 3, 5))
    setup.liege = setup.city("Liège", "BE", (3, 3, 3), (3, 3, 3))
    setup.madrid = setup.city("Madrid", "ES", (2, 2, 2), (2, 2, 2))
    setup.ghent = setup.city("Ghent", "BE", (5, 5, 5), pending=1)
    return setup


def login(client, user):
    client.force_login(user)
    return client


def test_ranking_orders_by_final_score_and_breaks_the_tie_by_criterion_priority(client, pactesur):
    response = login(client, pactesur.coordinator).get(reverse("reviews:ranking", args=[pactesur.call.slug]))
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [line["name"] for line in lines] == ["Nice", "Lyon", "Turin", "Liège", "Madrid"]
    assert [line["final"] for line in lines] == ["94.00", "80.00", "80.00", "60.00", "40.00"]
    assert "Criterion B" in lines[2]["tie_note"]
    assert [line["outcome"] for line in lines] == [
        "selected",
        "reserve",
        "selected",
        "reserve",
        "not_selected",
    ]
    content = response.content.decode()
    assert "Criterion B" in content and "Then the earlier submission" in content
    unranked = response.context["unranked"]
    assert [(e.application.organisation.name, e.reason) for e in unranked] == [
        ("Ghent", "reviews_incomplete")
    ]


def test_ranking_sheet_explains_contributions_thresholds_tie_break_and_cut_off(client, pactesur):
    url = reverse("reviews:ranking_sheet", args=[pactesur.call.slug, pactesur.lyon.pk])
    response = login(client, pactesur.coordinator).get(url)
    assert response.status_code == 200
    result, row = response.context["result"], response.context["row"]
    # 40×4/5 = 32, 30×4/5 = 24, 24.
    assert [str(c.contribution) for c in result.criteria] == ["32.00", "24.00", "24.00"]
    assert row.reason == "country_limit" and [r.application.organisation.name for r in row.taken_by] == [
        "Nice"
    ]
    assert str(row.distance) == "0.00"
    assert row.reserve.position == 1
    content = response.content.decode()
    assert "higher score on “Criterion B”" in content
    assert "Nice" in content


def test_selection_proposes_the_best_set_and_says_why_better_cities_are_left_out(client, pactesur):
    response = login(client, pactesur.coordinator).get(
        reverse("reviews:selection", args=[pactesur.call.slug])
    )
    assert response.status_code == 200
    selection = response.context["selection"]
    assert [c.application.organisation.name for c in selection.selected] == ["Nice", "Turin"]
    reserve = selection.reserve
    assert [(c.application.organisation.name, c.entry.reserve_position) for c in reserve] == [
        ("Lyon", 1),
        ("Liège", 2),
    ]
    assert [application.pk for application in reserve[0].could_replace] == [pactesur.nice.pk]
    left_out = selection.left_out
    assert [(c.application.organisation.name, c.entry.reason) for c in left_out] == [
        ("Lyon", "country_limit")
    ]
    content = response.content.decode()
    assert "Country limit" in content
    assert [(e.application.organisation.name, e.reason) for e in response.context["unranked"].rows] == [
        ("Ghent", "reviews_incomplete")
    ]
    assert "Not considered" in content


def test_consensus_score_replaces_the_mean_with_its_justification(client, pactesur):
    client = login(client, pactesur.coordinator)
    url = reverse("reviews:consensus", args=[pactesur.call.slug, pactesur.turin.pk])
    criterion_b = pactesur.criteria[1]
    client.post(
        url, {"criterion": criterion_b.pk, "value": "5", "justification": "Panel discussion on 3 May"}
    )
    consensus = ConsensusScore.objects.get(application=pactesur.turin, criterion=criterion_b)
    assert consensus.justification == "Panel discussion on 3 May"
    assert AuditEvent.objects.filter(action="consensus.set", object_id=str(consensus.pk)).exists()
    response = client.get(reverse("reviews:ranking_sheet", args=[pactesur.call.slug, pactesur.turin.pk]))
    # (160 + 30×5 + 135) / 5 = 89
    assert str(response.context["result"].final_score) == "89.00"
    assert "Panel discussion on 3 May" in response.content.decode()


def test_consensus_without_justification_is_refused(client, pactesur):
    client = login(client, pactesur.coordinator)
    url = reverse("reviews:consensus", args=[pactesur.call.slug, pactesur.turin.pk])
    client.post(url, {"criterion": pactesur.criteria[0].pk, "value": "5", "justification": "  "})
    assert not ConsensusScore.objects.exists()


def test_override_needs_a_justification_and_changes_the_proposal(client, pactesur):
    client = login(client, pactesur.coordinator)
    url = reverse("reviews:selection_override", args=[pactesur.call.slug, pactesur.liege.pk])
    client.post(url, {"action": "include", "justification": ""})
    assert not SelectionOverride.objects.exists()
    client.post(url, {"action": "include", "justification": "Hosts the final event"})
    override = SelectionOverride.objects.get()
    assert override.created_by == pactesur.coordinator
    assert AuditEvent.objects.filter(action="selection.override", object_id=str(override.pk)).exists()
    plan = propose_selection(pactesur.call)
    assert [c.key for c in plan.proposal.selected] == [pactesur.nice.pk, pactesur.liege.pk]
    assert plan.proposal.reason_for(pactesur.turin.pk).reason == "override_places"
    client.post(url, {"action": "clear", "justification": ""})
    assert not SelectionOverride.objects.exists()


def finalise(client, setup, note="We received many strong applications."):
    url = reverse("reviews:selection_finalise", args=[setup.call.slug])
    return login(client, setup.coordinator).post(url, {"note": note, "confirm": "on"})


def test_finalising_is_refused_while_reviews_are_outstanding(client, pactesur):
    finalise(client, pactesur)
    assert not Decision.objects.exists()
    assert not ReviewSettings.objects.get(call=pactesur.call).is_finalised


@pytest.fixture
def reviewed(pactesur):
    """The same call with Ghent's missing review in as (1, 1, 1): nothing is pending any more."""
    from tests.factories.reviews import submitted_review

    assignment = pactesur.ghent.assignments.filter(review__isnull=True).get()
    submitted_review(assignment, pactesur.criteria, (1, 1, 1))
    return pactesur


def test_finalising_sets_decisions_statuses_audit_and_queues_the_emails(client, reviewed):
    response = finalise(client, reviewed)
    assert response.status_code == 302
    outcomes = {
        d.application.organisation.name: (d.outcome, d.rank, d.reserve_position)
        for d in Decision.objects.all()
    }
    # Ghent: (5,5,5) and (1,1,1) → 60 like Liège; equal in everything else, the reference orders them.
    assert outcomes["Nice"] == ("selected", 1, None)
    assert outcomes["Turin"] == ("selected", 3, None)
    assert outcomes["Lyon"] == ("reserve", 2, 1)
    assert outcomes["Madrid"][0] == "not_selected"
    statuses = dict(Application.objects.values_list("organisation__name", "status"))
    assert statuses["Nice"] == Status.SELECTED and statuses["Lyon"] == Status.RESERVE
    assert statuses["Madrid"] == Status.NOT_SELECTED
    madrid = Decision.objects.get(application=reviewed.madrid)
    assert "below the overall threshold" in madrid.reasons
    assert "We received many strong applications." in madrid.reasons
    assert AuditEvent.objects.filter(action="selection.finalised", call_id=reviewed.call.pk).exists()
    assert AuditEvent.objects.filter(action="decision.made").count() == 6
    member = reviewed.madrid.organisation.members.get()
    message = Message.objects.get(idempotency_key=f"application:{reviewed.madrid.pk}:decision:{member.pk}")
    assert "not selected" in message.subject
    assert "We received many strong applications." in message.body_text
    assert Message.objects.filter(kind="decision").count() == 6


def test_after_finalisation_scores_and_the_proposal_are_locked(client, reviewed):
    finalise(client, reviewed)
    review = Review.objects.filter(application=reviewed.nice).first()
    with pytest.raises(services.EvaluationError):
        services.reopen_review(review, by=reviewed.coordinator)
    with pytest.raises(services.EvaluationError):
        services.set_consensus_score(
            reviewed.nice, reviewed.criteria[0], by=reviewed.coordinator, value="1", justification="late"
        )
    with pytest.raises(services.EvaluationError):
        services.override_decision(
            reviewed.call, reviewed.madrid, by=reviewed.coordinator, action="include", justification="late"
        )
    with pytest.raises(services.EvaluationError):
        services.finalise_selection(reviewed.call, by=reviewed.coordinator)
    assert Decision.objects.count() == 6


def test_a_declined_place_goes_to_the_best_reserve_city_that_keeps_one_per_country(client, reviewed):
    finalise(client, reviewed)
    client = login(client, reviewed.coordinator)
    # Turin (IT) declines: Lyon (reserve 1) would make two French cities, so Liège (reserve 2) takes it.
    client.post(
        reverse("reviews:decision_decline", args=[reviewed.call.slug, reviewed.turin.pk]), {"note": "Budget"}
    )
    reviewed.turin.refresh_from_db()
    reviewed.liege.refresh_from_db()
    reviewed.lyon.refresh_from_db()
    assert reviewed.turin.status == Status.DECLINED
    assert reviewed.liege.status == Status.SELECTED
    assert reviewed.lyon.status == Status.RESERVE
    turin = Decision.objects.get(application=reviewed.turin)
    assert turin.response == "declined" and turin.replaced_by.application == reviewed.liege
    assert AuditEvent.objects.filter(action="decision.promoted").count() == 1
    member = reviewed.liege.organisation.members.get()
    promoted = Message.objects.get(idempotency_key=f"application:{reviewed.liege.pk}:promoted:{member.pk}")
    assert "selected" in promoted.subject
    # Nice (FR) declines: Lyon (FR) may now take it.
    client.post(reverse("reviews:decision_decline", args=[reviewed.call.slug, reviewed.nice.pk]), {})
    reviewed.lyon.refresh_from_db()
    assert reviewed.lyon.status == Status.SELECTED


def test_a_city_that_is_not_selected_cannot_decline(reviewed, client):
    finalise(client, reviewed)
    with pytest.raises(services.EvaluationError):
        services.record_decline(reviewed.lyon, by=reviewed.coordinator)


def test_sensitivity_page_reports_a_selection_that_does_not_depend_on_the_weights(client, pactesur):
    response = login(client, pactesur.coordinator).get(
        reverse("reviews:sensitivity", args=[pactesur.call.slug])
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.samples == 8 + 6 + 64
    # Lyon and Turin swap ranks as the weights move, but Lyon is French like Nice: the
    # selection (Nice, Turin) stays the same.
    assert report.is_stable
    assert "does not depend on the exact weights" in response.content.decode()


def test_sensitivity_page_lists_the_cities_whose_selection_changes(client):
    setup = scored_call(places=1, weights=(50, 50, 1))
    setup.city("Ypres", "BE", (5, 2, 0))
    setup.city("Lille", "FR", (2, 4.5, 0))
    response = login(client, setup.coordinator).get(reverse("reviews:sensitivity", args=[setup.call.slug]))
    changes = response.context["report"].changes
    assert [(c.application.organisation.name, c.in_proposal) for c in changes] == [
        ("Ypres", True),
        ("Lille", False),
    ]
    assert "Lille" in response.content.decode()


# --------------------------------------------------------------------------------------
# Who may see these pages
# --------------------------------------------------------------------------------------


def page_urls(setup):
    slug, pk = setup.call.slug, setup.lyon.pk
    return [
        reverse("reviews:ranking", args=[slug]),
        reverse("reviews:ranking_sheet", args=[slug, pk]),
        reverse("reviews:selection", args=[slug]),
        reverse("reviews:sensitivity", args=[slug]),
        reverse("reviews:call_dashboard", args=[slug]),
        reverse("reviews:exports", args=[slug]),
        reverse("reviews:export_download", args=[slug, "ranking.csv"]),
        reverse("reviews:export_download", args=[slug, "report.pdf"]),
    ]


def post_urls(setup):
    slug, pk = setup.call.slug, setup.lyon.pk
    return [
        (
            reverse("reviews:consensus", args=[slug, pk]),
            {"criterion": setup.criteria[0].pk, "value": "5", "justification": "x"},
        ),
        (reverse("reviews:selection_override", args=[slug, pk]), {"action": "include", "justification": "x"}),
        (reverse("reviews:selection_finalise", args=[slug]), {"confirm": "on"}),
        (reverse("reviews:decision_decline", args=[slug, pk]), {}),
    ]


def test_only_the_calls_coordinators_reach_the_pages(client, pactesur):
    other_call_coordinator = coordinator_of(scored_call().call)
    evaluator = pactesur.evaluators[0]
    applicant = MembershipFactory(organisation=pactesur.lyon.organisation).user
    staff_without_call = UserFactory(role=roles.COORDINATOR)
    for user in (other_call_coordinator, evaluator, applicant, staff_without_call):
        client.force_login(user)
        for url in page_urls(pactesur):
            assert client.get(url).status_code == 404, (user, url)
        for url, data in post_urls(pactesur):
            assert client.post(url, data).status_code == 404, (user, url)
    assert not ConsensusScore.objects.exists() and not SelectionOverride.objects.exists()
    client.logout()
    assert client.get(page_urls(pactesur)[0]).status_code == 302  # to the login page


def test_an_application_of_another_call_is_404_on_this_calls_sheet(client, pactesur):
    other = scored_call()
    foreign = other.city("Porto", "PT", (3, 3, 3))
    url = reverse("reviews:ranking_sheet", args=[pactesur.call.slug, foreign.pk])
    assert login(client, pactesur.coordinator).get(url).status_code == 404


# --------------------------------------------------------------------------------------
# Query counts do not grow with the applications
# --------------------------------------------------------------------------------------


def grow(setup, count, start=0):
    countries = ["AT", "DE", "PL", "PT", "SE", "NL"]
    for i in range(start, start + count):
        setup.city(f"City {i}", countries[i % len(countries)], (3, 4, i % 5), (4, 3, 2))


def count_queries(client, url, django_assert_max_num_queries=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first view after a change stores the ranking (its own test below)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["ranking", "selection", "call_dashboard", "sensitivity"])
def test_page_queries_do_not_grow_with_the_applications(client, name):
    setup = scored_call(places=3, reserve_size=3)
    grow(setup, 3)
    client = login(client, setup.coordinator)
    url = reverse(f"reviews:{name}", args=[setup.call.slug])
    few = count_queries(client, url)
    grow(setup, 12, start=3)
    many = count_queries(client, url)
    assert few == many


def test_ranking_sheet_queries_do_not_grow_with_the_applications(client):
    setup = scored_call()
    first = setup.city("First", "FR", (4, 4, 4), (3, 3, 3))
    grow(setup, 2)
    client = login(client, setup.coordinator)
    url = reverse("reviews:ranking_sheet", args=[setup.call.slug, first.pk])
    few = count_queries(client, url)
    grow(setup, 10, start=2)
    assert count_queries(client, url) == few


def test_evaluators_record_is_not_needed_to_be_listed(client, pactesur):
    # An evaluator added late, with no assignment, changes nothing in the ranking.
    evaluator_of(pactesur.call)
    response = login(client, pactesur.coordinator).get(reverse("reviews:ranking", args=[pactesur.call.slug]))
    assert len(response.context["lines"]) == 5


def test_selection_page_after_finalisation_queries_do_not_grow(client):
    setup = scored_call(places=2, reserve_size=2)
    grow(setup, 4)
    services.finalise_selection(setup.call, by=setup.coordinator)
    client = login(client, setup.coordinator)
    url = reverse("reviews:selection", args=[setup.call.slug])
    few = count_queries(client, url)
    other = scored_call(places=2, reserve_size=8)
    grow(other, 14)
    services.finalise_selection(other.call, by=other.coordinator)
    client = login(client, other.coordinator)
    assert count_queries(client, reverse("reviews:selection", args=[other.call.slug])) == few
    assert (
        "Record decline" in client.get(reverse("reviews:selection", args=[other.call.slug])).content.decode()
    )


def test_no_reserve_city_that_keeps_the_rules_leaves_the_place_open_and_says_so(client):
    # Two places, one per country, at least two countries: Nice (FR) and Turin (IT) are
    # selected, Lyon (FR) is the only reserve. If Turin declines, Lyon would leave one country.
    setup = scored_call(places=2, reserve_size=1, min_countries=2)
    nice = setup.city("Nice", "FR", (5, 5, 5), (5, 5, 5))
    turin = setup.city("Turin", "IT", (4, 4, 4), (4, 4, 4))
    lyon = setup.city("Lyon", "FR", (4, 4, 4), (4, 4, 3))
    services.finalise_selection(setup.call, by=setup.coordinator)
    assert Decision.objects.get(application=lyon).reserve_position == 1
    declined, promoted = services.record_decline(turin, by=setup.coordinator, note="No budget")
    assert promoted is None
    lyon.refresh_from_db()
    nice.refresh_from_db()
    assert lyon.status == Status.RESERVE and nice.status == Status.SELECTED
    assert declined.response == "declined"
    assert AuditEvent.objects.filter(action="selection.no_replacement", call_id=setup.call.pk).exists()
    assert AuditEvent.objects.get(action="decision.declined").note == "No budget"


def test_decision_emails_are_queued_once_whatever_happens_twice(reviewed, client):
    finalise(client, reviewed)
    decision = Decision.objects.get(application=reviewed.nice)
    before = Message.objects.count()
    tell_decision(decision)
    assert Message.objects.count() == before


def test_finalising_records_the_override_justification_on_the_decision(client, reviewed):
    services.override_decision(
        reviewed.call,
        reviewed.liege,
        by=reviewed.coordinator,
        action="include",
        justification="Hosts the final event",
    )
    finalise(client, reviewed)
    liege = Decision.objects.get(application=reviewed.liege)
    assert liege.outcome == "selected" and liege.is_override
    assert liege.override_justification == "Hosts the final event"
    turin = Decision.objects.get(application=reviewed.turin)
    assert turin.outcome == "reserve"


def test_sheets_of_applications_outside_the_ranking_say_why(client, pactesur):
    ineligible = pactesur.city("Bruges", "BE", status=Status.INELIGIBLE)
    client = login(client, pactesur.coordinator)
    for application, words in ((pactesur.ghent, "Reviews incomplete"), (ineligible, "Not eligible")):
        response = client.get(reverse("reviews:ranking_sheet", args=[pactesur.call.slug, application.pk]))
        assert response.status_code == 200
        assert words in response.content.decode()


def test_pages_of_a_call_without_criteria_or_applications_render(client):
    from tests.factories.reviews import ClosedCallFactory

    call = ClosedCallFactory()
    client = login(client, coordinator_of(call))
    for name in ("ranking", "selection", "sensitivity", "call_dashboard", "exports"):
        assert client.get(reverse(f"reviews:{name}", args=[call.slug])).status_code == 200, name
    for export in ("ranking.csv", "reviews.csv", "decisions.csv", "selection.xlsx", "report.pdf"):
        assert client.get(reverse("reviews:export_download", args=[call.slug, export])).status_code == 200, (
            export
        )
