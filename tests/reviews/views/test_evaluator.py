"""An evaluator sees what is assigned to them and nothing else; coordinators only their calls."""

import pytest
from django.urls import reverse

from intake.models import Status
from reviews.models import AssignmentStatus
from tests.factories import ApplicationFactory, MembershipFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
    submitted_review,
)
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def evaluator_urls(application):
    return [
        reverse("reviews:evaluator_application", args=[application.pk]),
        reverse("reviews:evaluator_review_total", args=[application.pk]),
        reverse("reviews:evaluator_confirm_no_conflict", args=[application.pk]),
        reverse("reviews:evaluator_conflict", args=[application.pk]),
        reverse("reviews:evaluator_decline", args=[application.pk]),
    ]


def test_an_application_not_assigned_answers_404_on_every_url(client):
    application = InReviewApplicationFactory()
    colleague = evaluator_of(application.call)
    assigned(application, colleague)
    stranger = evaluator_of(application.call)
    client.force_login(stranger)
    for url in evaluator_urls(application):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"reason": "x", "scope": "application"}).status_code == 404
    assert not stranger.has_perm("intake.view_application", application)


def test_a_declined_assignment_closes_the_application(client):
    application = InReviewApplicationFactory()
    evaluator = evaluator_of(application.call)
    assignment = assigned(application, evaluator)
    assignment.status = AssignmentStatus.DECLINED
    assignment.save()
    client.force_login(evaluator)
    assert client.get(evaluator_urls(application)[0]).status_code == 404
    assert not evaluator.has_perm("intake.view_application", application)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN, Status.INELIGIBLE])
def test_an_application_not_under_review_stays_closed_even_if_assigned(client, status):
    application = InReviewApplicationFactory(status=status)
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator)
    client.force_login(evaluator)
    assert client.get(evaluator_urls(application)[0]).status_code == 404
    assert not evaluator.has_perm("intake.view_application", application)


def test_an_applicant_cannot_reach_evaluator_or_coordinator_pages(client):
    application = InReviewApplicationFactory()
    member = MembershipFactory(organisation=application.organisation).user
    client.force_login(member)
    assert client.get(evaluator_urls(application)[0]).status_code == 404
    for name, args in [
        ("reviews:call_overview", [application.call.slug]),
        ("reviews:coordinator_applications", [application.call.slug]),
        ("reviews:screening_list", [application.call.slug]),
        ("reviews:call_evaluators", [application.call.slug]),
        ("reviews:auto_assign", [application.call.slug]),
        ("reviews:review_settings", [application.call.slug]),
        ("reviews:call_audit", [application.call.slug]),
        ("reviews:application_evaluation", [application.pk]),
        ("reviews:screening", [application.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name


def test_a_coordinator_of_another_call_gets_404(client):
    application = InReviewApplicationFactory()
    review = submitted_review(
        assigned(application, evaluator_of(application.call)), five_criteria(application.call), [3] * 5
    )
    client.force_login(coordinator_of(ClosedCallFactory()))
    assert client.get(reverse("reviews:call_overview", args=[application.call.slug])).status_code == 404
    assert client.get(reverse("reviews:application_evaluation", args=[application.pk])).status_code == 404
    assert client.post(reverse("reviews:review_reopen", args=[review.pk])).status_code == 404
    assert client.post(reverse("reviews:assignment_remove", args=[review.assignment_id])).status_code == 404
    review.refresh_from_db()
    assert review.is_submitted


def test_anonymous_visitors_are_sent_to_log_in(client):
    application = InReviewApplicationFactory()
    response = client.get(evaluator_urls(application)[0])
    assert response.status_code == 302 and "login" in response["Location"]


def test_evaluator_home_lists_only_their_own_assignments(client):
    call = ClosedCallFactory()
    mine = InReviewApplicationFactory(call=call)
    theirs = InReviewApplicationFactory(call=call)
    me = evaluator_of(call)
    assigned(mine, me)
    assigned(theirs, evaluator_of(call))
    client.force_login(me)
    page = client.get(reverse("reviews:evaluator_home")).content.decode()
    assert mine.organisation.name in page
    assert theirs.organisation.name not in page


def test_evaluator_home_query_count_does_not_grow_with_assignments(client, django_assert_num_queries):
    calls = [ClosedCallFactory(), ClosedCallFactory()]
    evaluator = evaluator_of(calls[0])
    client.force_login(evaluator)
    url = reverse("reviews:evaluator_home")
    assigned(InReviewApplicationFactory(call=calls[0]), evaluator)
    small = count_queries(client, url)
    criteria = five_criteria(calls[1])
    for call in calls:
        for index in range(5):
            assignment = assigned(InReviewApplicationFactory(call=call), evaluator, confirmed=index % 2 == 0)
            if call == calls[1] and index < 2:
                submitted_review(assignment, criteria, [4] * 5)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_draft_applications_never_show_in_the_coordinators_pages(client):
    call = ClosedCallFactory()
    draft = ApplicationFactory(call=call)
    client.force_login(coordinator_of(call))
    assert client.get(reverse("reviews:application_evaluation", args=[draft.pk])).status_code == 404
    page = client.get(reverse("reviews:coordinator_applications", args=[call.slug])).content.decode()
    assert draft.organisation.name not in page


def test_evaluator_home_pages_its_assignments_and_keeps_every_calls_progress(client, monkeypatch):
    from reviews.views import evaluator as views

    monkeypatch.setattr(views, "ASSIGNMENTS_PER_PAGE", 3)
    call = ClosedCallFactory()
    evaluator = evaluator_of(call)
    criteria = five_criteria(call)
    for index in range(5):
        assignment = assigned(InReviewApplicationFactory(call=call), evaluator)
        if index < 2:
            submitted_review(assignment, criteria, [4] * 5)
            assignment.status = "done"
            assignment.save()
    client.force_login(evaluator)
    url = reverse("reviews:evaluator_home")

    first = client.get(url)
    page = first.context["page"]
    assert len(page) == 3 and page.total == 5
    assert first.context["calls"][0]["done"] == 2 and first.context["calls"][0]["total"] == 5
    assert 'aria-label="Pages of assignments"' in first.content.decode()
    second = client.get(url, {"after": page.next_cursor})
    assert len(second.context["page"]) == 2
    to_do = client.get(url, {"show": "to_do"}).context["page"]
    assert to_do.total == 3
