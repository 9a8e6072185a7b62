"""The coordinator's lists: what they show, their filters, and queries that do not grow with rows."""

import pytest
from django.urls import reverse

from intake.models import Status
from reviews import queries, services
from tests.factories import OrganisationFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    SubmittedApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
    submitted_review,
)
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def grow(call, evaluators, criteria, rows):
    """``rows`` more applications: in review with reviews, screened, and waiting to be screened."""
    from reviews.models import ConflictScope

    for index in range(rows):
        country = ("FR", "IT", "ES")[index % 3]
        application = InReviewApplicationFactory(call=call, organisation=OrganisationFactory(country=country))
        for evaluator in evaluators[:2]:
            assignment = assigned(application, evaluator)
            if index % 2:
                submitted_review(assignment, criteria, [3, 3, 4, 4, 5])
        SubmittedApplicationFactory(call=call)
        services.declare_conflict(
            evaluators[2],
            call,
            scope=ConflictScope.APPLICATION,
            application=application,
            note="Former adviser.",
        )


@pytest.fixture
def call_with_data():
    call = ClosedCallFactory()
    coordinator = coordinator_of(call)
    evaluators = [evaluator_of(call) for _ in range(3)]
    criteria = five_criteria(call)
    grow(call, evaluators, criteria, 1)
    return call, coordinator, evaluators, criteria


@pytest.mark.parametrize(
    "name",
    [
        "reviews:coordinator_applications",
        "reviews:call_overview",
        "reviews:screening_list",
        "reviews:call_evaluators",
        "reviews:call_audit",
    ],
)
def test_coordinator_pages_run_the_same_queries_for_few_and_many_rows(
    client, django_assert_num_queries, call_with_data, name
):
    call, coordinator, evaluators, criteria = call_with_data
    client.force_login(coordinator)
    url = reverse(name, args=[call.slug])
    small = count_queries(client, url)
    grow(call, evaluators, criteria, 8)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_coordinator_home_runs_the_same_queries_for_few_and_many_calls(client, django_assert_num_queries):
    coordinator = coordinator_of(ClosedCallFactory())
    client.force_login(coordinator)
    url = reverse("reviews:coordinator_home")
    small = count_queries(client, url)
    for _ in range(4):
        call = ClosedCallFactory()
        call.coordinators.add(coordinator)
        SubmittedApplicationFactory(call=call)
    with django_assert_num_queries(small):
        page = client.get(url)
    assert len(page.context["calls"]) == 5


def test_application_page_runs_the_same_queries_for_few_and_many_reviews(
    client, django_assert_num_queries, call_with_data
):
    call, coordinator, evaluators, criteria = call_with_data
    application = InReviewApplicationFactory(call=call)
    for evaluator in evaluators:
        submitted_review(assigned(application, evaluator), criteria, [3] * 5)
    client.force_login(coordinator)
    url = reverse("reviews:application_evaluation", args=[application.pk])
    small = count_queries(client, url)
    for evaluator in [evaluator_of(call) for _ in range(4)]:
        submitted_review(assigned(application, evaluator), criteria, [4] * 5)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_application_list_shows_counts_and_filters_by_status_and_country(client, call_with_data):
    call, coordinator, _evaluators, _criteria = call_with_data
    client.force_login(coordinator)
    url = reverse("reviews:coordinator_applications", args=[call.slug])
    rows = list(client.get(url).context["applications"])
    in_review = next(a for a in rows if a.status == Status.IN_REVIEW)
    assert in_review.assignment_count == 2 and in_review.submitted_review_count == 0
    german = InReviewApplicationFactory(call=call, organisation=OrganisationFactory(country="DE"))
    only_german = list(client.get(url, {"country": "DE"}).context["applications"])
    assert only_german == [german]
    submitted = list(client.get(url, {"status": "submitted"}).context["applications"])
    assert submitted and all(a.status == Status.SUBMITTED for a in submitted)


def test_call_overview_shows_progress_per_evaluator(client, call_with_data):
    call, coordinator, evaluators, criteria = call_with_data
    grow(call, evaluators, criteria, 2)  # the second row of two has reviews
    client.force_login(coordinator)
    page = client.get(reverse("reviews:call_overview", args=[call.slug]))
    progress = {row.user_id: (row.assigned, row.done) for row in page.context["evaluators"]}
    assert progress[evaluators[0].pk] == (3, 1)
    assert progress[evaluators[2].pk] == (0, 0)
    counts = dict(page.context["statuses"])
    assert counts[Status.IN_REVIEW] == 3 and counts[Status.SUBMITTED] == 3


def test_coordinator_adds_an_evaluator_to_the_call(client, call_with_data):
    call, coordinator, _evaluators, _criteria = call_with_data
    newcomer = coordinator_of(ClosedCallFactory())
    client.force_login(coordinator)
    url = reverse("reviews:call_evaluators", args=[call.slug])
    response = client.post(url, {"email": newcomer.email.upper(), "country": "PT", "languages": ["fr"]})
    assert response.status_code == 302
    record = call.evaluators.get(user=newcomer)
    assert record.country == "PT" and record.languages == ["fr"]
    assert newcomer.groups.filter(name="evaluator").exists()
    again = client.post(url, {"email": newcomer.email})
    assert "Already an evaluator" in again.content.decode()


def test_every_eligible_application_then_gets_evaluators_in_one_run(client, call_with_data):
    call, coordinator, evaluators, _criteria = call_with_data
    screened = list(call.applications.filter(status=Status.SUBMITTED))
    for application in screened:
        services.decide_eligibility(application, by=coordinator, decision="eligible")
    services.apply_assignments(call, seed=1, by=coordinator)
    assert all(a.assignments.count() == 3 for a in screened)
    assert {e.pk for e in evaluators} == set(
        call.applications.values_list("assignments__evaluator", flat=True)
    )


def test_coordinator_changes_the_settings_and_the_change_is_audited(client, call_with_data):
    from portal.models import AuditEvent
    from reviews.models import ReviewSettings

    call, coordinator, _evaluators, _criteria = call_with_data
    client.force_login(coordinator)
    url = reverse("reviews:review_settings", args=[call.slug])
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(
        review_visibility="never",
        conflict_with_own_country="on",
        consortium_members="Efus\n  Ville de Nice \n",
        evaluators_per_application=2,
    )
    assert client.post(url, data).status_code == 302
    settings = ReviewSettings.objects.get(call=call)
    assert settings.review_visibility == "never" and settings.conflict_with_own_country
    assert settings.consortium_members == ["Efus", "Ville de Nice"]
    event = AuditEvent.objects.get(action="review_settings.changed")
    assert event.before["review_visibility"] == "after_own" and event.after["evaluators_per_application"] == 2

    from django.utils import timezone

    ReviewSettings.objects.filter(call=call).update(finalised_at=timezone.now())
    response = client.post(url, {**data, "evaluators_per_application": 4})
    assert response.status_code == 200 and "final" in response.content.decode()


def test_a_deactivated_evaluator_gets_no_new_assignment(client, call_with_data):
    from portal.models import AuditEvent
    from reviews.models import Assignment

    call, coordinator, evaluators, _criteria = call_with_data
    record = call.evaluators.get(user=evaluators[2])
    client.force_login(coordinator)
    client.post(reverse("reviews:evaluator_active", args=[record.pk]), {"active": "0"})
    record.refresh_from_db()
    assert not record.is_active
    assert AuditEvent.objects.filter(action="evaluator.deactivated", actor=coordinator).exists()
    application = InReviewApplicationFactory(call=call)
    services.apply_assignments(call, seed=4, by=coordinator)
    assert not Assignment.objects.filter(evaluator=evaluators[2]).exists()
    assert queries.suggest_replacement(application) is None
    outsider = coordinator_of(ClosedCallFactory())
    client.force_login(outsider)
    assert (
        client.post(reverse("reviews:evaluator_active", args=[record.pk]), {"active": "1"}).status_code == 404
    )


def test_coordinator_reads_every_submitted_reviews_comments_but_no_draft(client, call_with_data):
    call, coordinator, evaluators, criteria = call_with_data
    application = InReviewApplicationFactory(call=call)
    review = submitted_review(assigned(application, evaluators[0]), criteria, [2, 3, 3, 3, 3])
    review.overall_comment = "Strong police academy, weak dissemination plan."
    review.save()
    review.scores.filter(criterion=criteria[0]).update(comment="Challenges only loosely related.")
    services.save_review(
        assigned(application, evaluators[1]),
        by=evaluators[1],
        values={criteria[0].pk: 1},
        comments={criteria[0].pk: "Unfinished draft thought."},
    )
    client.force_login(coordinator)
    page = client.get(reverse("reviews:application_evaluation", args=[application.pk])).content.decode()
    assert "Strong police academy, weak dissemination plan." in page
    assert "Challenges only loosely related." in page
    assert "Unfinished draft thought." not in page
    drafted = client.get(reverse("reviews:application_evaluation", args=[application.pk])).context["rows"][1]
    assert drafted["review"].status == "draft" and all(s is None for _c, s in drafted["scores"])


def test_country_filter_names_countries_in_the_readers_language():
    from django.utils import translation

    from reviews.forms import ApplicationFilterForm

    with translation.override("fr"):
        assert "Allemagne" in str(ApplicationFilterForm()["country"])
    with translation.override("en"):
        assert "Germany" in str(ApplicationFilterForm()["country"])


def test_audit_log_shows_who_changed_what_before_and_after(client, call_with_data):
    call, coordinator, evaluators, criteria = call_with_data
    application = InReviewApplicationFactory(call=call)
    assignment = assigned(application, evaluators[0])
    services.save_review(assignment, by=evaluators[0], values={criteria[0].pk: 4}, comments={})
    services.save_review(
        assignment, by=evaluators[0], values={criteria[0].pk: 2}, comments={criteria[0].pk: "Thin."}
    )
    client.force_login(coordinator)
    url = reverse("reviews:call_audit", args=[call.slug])
    page = client.get(url, {"action": "review.scores_changed"})
    events = list(page.context["page"])
    assert [e.action for e in events] == ["review.scores_changed", "review.scores_changed"]
    html = page.content.decode()
    assert "Score: 4" in html and "Thin." in html
    assert "review.scores_changed" in page.context["actions"]
    other = ClosedCallFactory()
    client.force_login(coordinator_of(other))
    assert client.get(url).status_code == 404


def test_application_list_pages_keep_the_filters_and_the_sort(client, call_with_data, monkeypatch):
    from reviews.views import coordinator as views

    monkeypatch.setattr(views, "APPLICATIONS_PER_PAGE", 2)
    call, coordinator, _evaluators, _criteria = call_with_data
    for name in ["Zagreb", "Aarhus", "Mons", "Bruges"]:
        InReviewApplicationFactory(call=call, organisation=OrganisationFactory(name=name, country="BE"))
    client.force_login(coordinator)
    url = reverse("reviews:coordinator_applications", args=[call.slug])

    first = client.get(url, {"country": "BE", "sort": "city"})
    assert [row["city"] for row in first.context["rows"]] == ["Aarhus", "Bruges"]
    page = first.context["page"]
    assert page.total == 4 and page.has_next and not page.has_previous
    content = first.content.decode()
    assert "country=BE" in content and "sort=city" in content and 'aria-current="page"' in content
    second = client.get(url, {"country": "BE", "sort": "city", "after": page.next_cursor})
    assert [row["city"] for row in second.context["rows"]] == ["Mons", "Zagreb"]
    assert second.context["page"].start == 3 and not second.context["page"].has_next


def test_eligibility_list_pages_and_shows_only_what_is_left_to_screen(client, call_with_data, monkeypatch):
    from reviews.views import coordinator as views

    monkeypatch.setattr(views, "SCREENING_PER_PAGE", 1)
    call, coordinator, evaluators, criteria = call_with_data
    grow(call, evaluators, criteria, 1)
    client.force_login(coordinator)
    url = reverse("reviews:screening_list", args=[call.slug])

    everything = client.get(url).context["page"]
    waiting = client.get(url, {"show": "to_screen"}).context["page"]
    assert everything.total == 4 and waiting.total == 2
    assert all(a.status == Status.SUBMITTED for a in waiting)
    following = client.get(url, {"show": "to_screen", "after": waiting.next_cursor})
    assert [a.pk for a in following.context["page"]] != [a.pk for a in waiting]
    assert "show=to_screen" in following.content.decode()


@pytest.mark.parametrize("name", ["reviews:coordinator_applications", "reviews:screening_list"])
def test_later_pages_run_the_same_queries_for_few_and_many_rows(
    client, django_assert_num_queries, call_with_data, monkeypatch, name
):
    from reviews.views import coordinator as views

    monkeypatch.setattr(views, "APPLICATIONS_PER_PAGE", 2)
    monkeypatch.setattr(views, "SCREENING_PER_PAGE", 2)
    call, coordinator, evaluators, criteria = call_with_data
    grow(call, evaluators, criteria, 2)
    client.force_login(coordinator)
    url = reverse(name, args=[call.slug])
    cursor = client.get(url).context["page"].next_cursor
    small = count_queries(client, f"{url}?after={cursor}")
    grow(call, evaluators, criteria, 8)
    with django_assert_num_queries(small):
        assert client.get(url, {"after": cursor}).status_code == 200
