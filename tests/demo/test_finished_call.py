"""The closed demo call: a newcomer finds every evaluation and selection page filled."""

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demo.accounts import demo_password_hash, ensure_user
from demo.data.finished import FINISHED_SLUG
from demo.data.people import COORDINATOR_EMAIL, DEMO_TOTP_SECRETS, EVALUATOR_EMAILS
from demo.finished_call import seed_finished_call
from intake.models import Application, ApplicationTransition, Status
from notifications.models import IssuedDocument, Message
from portal import roles
from portal.models import AuditEvent, User
from reviews import aggregation, robustness, sensitivity
from reviews.letters import LETTER_KIND
from reviews.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    EligibilityScreening,
    Outcome,
    Response,
    Review,
    ReviewSettings,
    Score,
)
from reviews.plan import propose_selection

pytestmark = pytest.mark.django_db


def staff():
    secrets = DEMO_TOTP_SECRETS
    coordinator = ensure_user(
        COORDINATOR_EMAIL,
        "Claire Demo (coordinator)",
        role=roles.COORDINATOR,
        totp_secret=secrets[COORDINATOR_EMAIL],
    )
    evaluators = [
        ensure_user(email, f"Evaluator {n}", role=roles.EVALUATOR, totp_secret=secrets[email])
        for n, email in enumerate(EVALUATOR_EMAILS, 1)
    ]
    return coordinator, evaluators


def counts():
    models = (
        Application,
        ApplicationTransition,
        Assignment,
        Review,
        Score,
        ConsensusScore,
        ConflictDeclaration,
        EligibilityScreening,
        Decision,
        AuditEvent,
        Message,
        User,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The closed call, seeded once for this module in a transaction rolled back after it."""
    location = str(tmp_path_factory.mktemp("finished-demo-media"))
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    storages = {**settings.STORAGES, "default": storage, "private": storage}
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_password_hash.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        roles.ensure_groups()
        coordinator, evaluators = staff()
        call = seed_finished_call(coordinator, evaluators, letters=False)
        before_second_run = counts()
        again = seed_finished_call(coordinator, evaluators, letters=False)
        yield SimpleNamespace(
            call=call,
            again=again,
            coordinator=coordinator,
            before_second_run=before_second_run,
            after_second_run=counts(),
            results=aggregation.load_call_results(call),
        )
        transaction.set_rollback(True)


def test_running_it_twice_changes_nothing(seeded):
    assert seeded.again == seeded.call
    assert seeded.after_second_run == seeded.before_second_run


def test_the_call_is_closed_and_its_selection_final(seeded):
    call = seeded.call
    now = timezone.now()
    review_settings = ReviewSettings.objects.get(call=call)
    assert call.slug == FINISHED_SLUG
    assert "Fictitious demo data" in call.summary_en
    assert call.closes_at < now - dt.timedelta(weeks=4)
    assert review_settings.review_deadline < now
    assert call.closes_at < review_settings.finalised_at < now
    assert review_settings.finalised_by == seeded.coordinator


def test_eleven_cities_are_selected_at_most_one_per_country(seeded):
    selected = Application.objects.filter(call=seeded.call, status=Status.SELECTED).select_related(
        "organisation"
    )
    countries = Counter(application.organisation.country for application in selected)
    assert len(selected) == 11
    assert max(countries.values()) == 1


def test_the_country_rule_leaves_out_a_city_that_scored_higher(seeded):
    """Italy, Spain and Poland send several good cities: only one of each may be selected."""
    selected = {
        r.application.organisation.country: r
        for r in seeded.results.ranked
        if r.application.status == Status.SELECTED
    }
    lowest_selected = min(r.final_score for r in selected.values())
    left_out = [
        r
        for r in seeded.results.ranked
        if r.passes_thresholds
        and r.application.status != Status.SELECTED
        and r.application.organisation.country in selected
        and r.final_score > lowest_selected
    ]
    assert {r.application.organisation.country for r in left_out} & {"IT", "ES", "PL"}


def test_a_reserve_list_is_kept_in_order(seeded):
    reserve = list(
        Decision.objects.filter(application__call=seeded.call, outcome=Outcome.RESERVE).order_by(
            "reserve_position"
        )
    )
    assert len(reserve) >= 3
    assert [d.reserve_position for d in reserve] == sorted(d.reserve_position for d in reserve)


def test_a_selected_city_declined_and_a_reserve_city_took_its_place(seeded):
    declined = Decision.objects.get(application__call=seeded.call, response=Response.DECLINED)
    assert declined.application.status == Status.DECLINED
    promoted = declined.replaced_by
    assert promoted.outcome == Outcome.SELECTED
    assert promoted.application.status == Status.SELECTED
    assert promoted.reserve_position is not None
    assert AuditEvent.objects.filter(call_id=seeded.call.pk, action="decision.promoted").exists()


def test_every_eligible_application_has_its_three_reviews(seeded):
    in_evaluation = [r for r in seeded.results.results if r.is_eligible]
    assert len(in_evaluation) >= 30
    for result in in_evaluation:
        assert result.is_complete, result.application
        assert len(result.reviews) == 3
    assert not Assignment.objects.for_call(seeded.call).filter(status=AssignmentStatus.ACTIVE).exists()


def test_screening_left_out_a_danish_city_and_a_consortium_partner(seeded):
    ineligible = Application.objects.filter(call=seeded.call, status=Status.INELIGIBLE).select_related(
        "organisation", "screening"
    )
    by_country = {a.organisation.country: a for a in ineligible}
    assert by_country["DK"].screening.eligible_country is False
    assert by_country["BE"].screening.not_consortium_member is False
    assert all(a.screening.reason for a in ineligible)
    assert Application.objects.filter(call=seeded.call, status=Status.WITHDRAWN).count() == 1


def test_applications_were_submitted_before_the_deadline(seeded):
    late = Application.objects.filter(
        call=seeded.call, submitted_at__gt=seeded.call.closes_at
    ) | Application.objects.filter(call=seeded.call, submitted_at__isnull=True)
    assert not late.exists()
    assert (
        EligibilityScreening.objects.filter(application__call=seeded.call, submitted_on_time=True).count()
        == Application.objects.filter(call=seeded.call).exclude(status=Status.WITHDRAWN).count()
    )


def test_some_reviews_disagree_and_two_cities_have_consensus_scores(seeded):
    disagreeing = [r for r in seeded.results.ranked if r.totals_spread is not None and r.totals_spread > 20]
    assert 3 <= len(disagreeing) <= 6
    consensus = ConsensusScore.objects.filter(application__call=seeded.call)
    assert consensus.values("application").distinct().count() == 2
    assert all(c.justification for c in consensus)
    assert all(
        r.has_consensus
        for r in seeded.results.results
        if r.application.pk in {c.application_id for c in consensus}
    )


def test_scores_under_the_threshold_are_explained(seeded):
    low = Score.objects.filter(review__application__call=seeded.call, value__lt=3)
    assert low.exists()
    assert not low.filter(comment="").exists()


def test_the_audit_log_tells_the_whole_story(seeded):
    actions = set(AuditEvent.objects.filter(call_id=seeded.call.pk).values_list("action", flat=True))
    assert {
        "eligibility.decided",
        "conflict.declared",
        "assignment.automatic_run",
        "assignment.declined",
        "review.submitted",
        "review.reopened",
        "review.scores_changed",
        "consensus.set",
        "selection.finalised",
        "decision.made",
        "decision.declined",
    } <= actions


def test_the_cities_were_told_their_decision(seeded):
    decided = Message.objects.filter(scope=f"call:{seeded.call.pk}", kind="decision")
    assert decided.count() >= Decision.objects.filter(application__call=seeded.call).count()


def test_the_sensitivity_report_has_a_city_to_list(seeded):
    plan = propose_selection(seeded.call)
    report = sensitivity.analyse(
        plan.results, plan.rules, include=plan.proposal.forced, exclude=plan.proposal.excluded
    )
    assert report.changes


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("coordinator_applications", "Aarhus"),
        ("call_dashboard", "Cork"),
        ("ranking", "Bologna"),
        ("selection", "Kordelió-Évosmos"),
        ("sensitivity", "Riga"),
        ("exports", "xlsx"),
        ("call_audit", "PS2C-"),
    ],
)
def test_the_coordinator_pages_of_the_closed_call_are_filled(seeded, client, name, shown):
    client.force_login(seeded.coordinator)
    response = client.get(reverse(f"reviews:{name}", args=[seeded.call.slug]))
    assert response.status_code == 200
    assert shown in response.text


def test_every_decision_gets_its_letter_once(seeded):
    seed_finished_call(seeded.coordinator, [], letters=True)
    decisions = Decision.objects.filter(application__call=seeded.call)
    letters = IssuedDocument.objects.filter(kind=LETTER_KIND, subject_key__startswith="application:")
    assert letters.count() == decisions.count()
    seed_finished_call(seeded.coordinator, [], letters=True)
    assert letters.count() == decisions.count()


def test_the_closed_call_shows_a_grey_zone_of_a_few_cities(seeded, client):
    current = robustness.for_call(seeded.call, aggregation.load_call_results(seeded.call))
    assert current.is_current
    assert 3 <= len(current.grey_zone) <= 8
    assert len(current.certain) >= 4
    client.force_login(seeded.coordinator)
    response = client.get(reverse("reviews:ranking", args=[seeded.call.slug]))
    assert "grey zone" in response.text
    leniencies = [leniency for _name, leniency, _sd, _n in current.evaluators()]
    assert max(leniencies) > 1 and min(leniencies) < -1  # the demo's evaluators have habits
