"""Assignment: by hand, and automatic (balanced, conflict-free, languages, seeded, previewed)."""

from collections import Counter

import pytest
from django.urls import reverse

from notifications.models import Message
from portal.models import AuditEvent
from reviews import queries, services
from reviews.conflicts import is_conflicted
from reviews.models import Assignment, AssignmentStatus, ConflictScope, ReviewSettings
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
    submitted_review,
)

pytestmark = pytest.mark.django_db


def build(n_applications=12, n_evaluators=5, countries=("FR", "IT", "ES", "BE")):
    call = ClosedCallFactory()
    applications = [
        InReviewApplicationFactory(
            call=call, organisation=OrganisationFactory(country=countries[i % len(countries)])
        )
        for i in range(n_applications)
    ]
    evaluators = [evaluator_of(call) for _ in range(n_evaluators)]
    return call, applications, evaluators


def test_automatic_run_gives_each_application_n_evaluators_with_balanced_loads():
    call, applications, _evaluators = build()
    proposal = services.apply_assignments(call, seed=7, by=coordinator_of(call))
    per_application = Counter(Assignment.objects.values_list("application_id", flat=True))
    assert all(per_application[a.pk] == 3 for a in applications)
    loads = Counter(Assignment.objects.values_list("evaluator_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 36 == len(proposal.pairs)


def test_automatic_run_never_assigns_a_conflicted_evaluator():
    call, applications, evaluators = build()
    ReviewSettings.objects.create(call=call, conflict_with_own_country=True)
    french = evaluators[0]
    french.evaluations.update(country="FR")
    services.declare_conflict(
        evaluators[1], call, scope=ConflictScope.APPLICATION, application=applications[1]
    )
    services.declare_conflict(
        evaluators[2], call, scope=ConflictScope.ORGANISATION, organisation=applications[2].organisation
    )
    services.apply_assignments(call, seed=3, by=coordinator_of(call))
    assert not Assignment.objects.filter(evaluator=french, application__organisation__country="FR").exists()
    assert not Assignment.objects.filter(evaluator=evaluators[1], application=applications[1]).exists()
    assert not Assignment.objects.filter(evaluator=evaluators[2], application=applications[2]).exists()
    for assignment in Assignment.objects.select_related("application__organisation", "evaluator"):
        assert not is_conflicted(assignment.evaluator, assignment.application)


def test_automatic_run_respects_evaluator_languages_where_set():
    call = ClosedCallFactory()
    french_applications = [
        InReviewApplicationFactory(call=call, created_by=UserFactory(language="fr")) for _ in range(4)
    ]
    english_applications = [
        InReviewApplicationFactory(call=call, created_by=UserFactory(language="en")) for _ in range(4)
    ]
    only_french = evaluator_of(call, languages=["fr"])
    for _ in range(3):
        evaluator_of(call)
    services.apply_assignments(call, seed=1, by=coordinator_of(call))
    mine = set(Assignment.objects.filter(evaluator=only_french).values_list("application_id", flat=True))
    assert mine and mine <= {a.pk for a in french_applications}
    assert not mine & {a.pk for a in english_applications}


def test_the_same_seed_gives_the_same_assignments():
    call, _applications, _evaluators = build(n_applications=20, n_evaluators=7)
    first = services.propose_assignments(call, seed=42)
    again = services.propose_assignments(call, seed=42)
    other = services.propose_assignments(call, seed=43)
    assert first.pairs == again.pairs and first.fingerprint == again.fingerprint
    assert first.pairs != other.pairs


def test_existing_assignments_are_kept_and_counted():
    call, applications, evaluators = build(n_applications=4, n_evaluators=4)
    assigned(applications[0], evaluators[0])
    assigned(applications[0], evaluators[1])
    proposal = services.propose_assignments(call, seed=5)
    new_for_first = [uid for app_id, uid in proposal.pairs if app_id == applications[0].pk]
    assert len(new_for_first) == 1 and new_for_first[0] not in (evaluators[0].pk, evaluators[1].pk)


def test_a_short_run_says_which_applications_lack_evaluators():
    call, applications, _evaluators = build(n_applications=2, n_evaluators=2)
    proposal = services.propose_assignments(call, seed=1)
    assert proposal.short == {applications[0].pk: 1, applications[1].pk: 1}


def test_preview_writes_nothing_and_the_second_post_applies_it(client):
    call, applications, evaluators = build(n_applications=6, n_evaluators=4)
    client.force_login(coordinator_of(call))
    url = reverse("reviews:auto_assign", args=[call.slug])
    assert client.get(url).status_code == 200
    preview = client.post(url, {"seed": 11, "action": "preview"})
    assert preview.status_code == 200
    assert not Assignment.objects.exists()
    proposal = preview.context["proposal"]
    assert len(proposal.pairs) == 18
    page = preview.content.decode()
    assert applications[0].organisation.name in page and str(evaluators[0]) in page
    applied = client.post(url, {"seed": 11, "fingerprint": proposal.fingerprint, "action": "apply"})
    assert applied.status_code == 302
    assert sorted(Assignment.objects.values_list("application_id", "evaluator_id")) == proposal.pairs
    assert set(Assignment.objects.values_list("seed", flat=True)) == {11}


def test_apply_refuses_when_the_data_changed_since_the_preview(client):
    call, applications, evaluators = build(n_applications=3, n_evaluators=4)
    client.force_login(coordinator_of(call))
    url = reverse("reviews:auto_assign", args=[call.slug])
    proposal = client.post(url, {"seed": 2, "action": "preview"}).context["proposal"]
    assigned(applications[0], evaluators[3])
    response = client.post(url, {"seed": 2, "fingerprint": proposal.fingerprint, "action": "apply"})
    assert response.status_code == 200
    assert Assignment.objects.count() == 1
    assert "changed since the preview" in response.content.decode()


def test_each_evaluator_gets_one_email_per_batch_and_each_assignment_is_audited():
    call, _applications, evaluators = build(n_applications=10, n_evaluators=3)
    coordinator = coordinator_of(call)
    services.apply_assignments(call, seed=9, by=coordinator)
    messages = Message.objects.filter(kind="assignment")
    assert sorted(m.to_email for m in messages) == sorted(e.email for e in evaluators)
    assert all("10 applications" in m.subject for m in messages)
    assert AuditEvent.objects.filter(action="assignment.created", actor=coordinator).count() == 30


def test_decline_proposes_the_least_loaded_evaluator_without_conflict(client):
    call, applications, evaluators = build(n_applications=1, n_evaluators=5)
    application = applications[0]
    busy, quiet, conflicted, declining, other = evaluators
    for _ in range(3):
        assigned(InReviewApplicationFactory(call=call), busy)
    assigned(InReviewApplicationFactory(call=call), quiet)
    services.declare_conflict(conflicted, call, scope=ConflictScope.APPLICATION, application=application)
    assigned(application, other)
    assignment = assigned(application, declining)
    client.force_login(declining)
    response = client.post(
        reverse("reviews:evaluator_decline", args=[application.pk]), {"reason": "I am on leave in May."}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    assert assignment.declined_reason == "I am on leave in May."
    assert queries.suggest_replacement(application) == quiet

    client.force_login(coordinator_of(call))
    page = client.get(reverse("reviews:application_evaluation", args=[application.pk]))
    assert page.context["replacement"] == quiet
    client.post(reverse("reviews:assignment_add", args=[application.pk]), {"evaluator": quiet.pk})
    assert Assignment.objects.current().filter(application=application).count() == 2
    assert Assignment.objects.filter(application=application, evaluator=quiet, status="active").exists()


def test_hand_assignment_and_removal_are_audited(client):
    call, applications, evaluators = build(n_applications=1, n_evaluators=1)
    coordinator = coordinator_of(call)
    client.force_login(coordinator)
    client.post(reverse("reviews:assignment_add", args=[applications[0].pk]), {"evaluator": evaluators[0].pk})
    assignment = Assignment.objects.get()
    assert Message.objects.filter(kind="assignment", to_email=evaluators[0].email).exists()
    client.post(reverse("reviews:assignment_remove", args=[assignment.pk]))
    assert not Assignment.objects.exists()
    actions = list(AuditEvent.objects.filter(actor=coordinator).values_list("action", flat=True))
    assert "assignment.created" in actions and "assignment.removed" in actions


def test_an_assignment_with_a_submitted_review_cannot_be_removed(client):
    call, applications, evaluators = build(n_applications=1, n_evaluators=1)
    assignment = assigned(applications[0], evaluators[0])
    submitted_review(assignment, five_criteria(call), [3] * 5)
    client.force_login(coordinator_of(call))
    client.post(reverse("reviews:assignment_remove", args=[assignment.pk]))
    assert Assignment.objects.filter(pk=assignment.pk).exists()
