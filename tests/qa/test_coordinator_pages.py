"""What a coordinator and an evaluator see on the evaluation pages, as a person would notice it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Answer, QuestionKind, Status
from intake.receipts import issue_submission_receipt
from notifications.models import Message
from portal.audit import record
from reviews import letters, services
from reviews.models import Decision, Outcome, Review, ReviewSettings, Score
from tests.factories import ApplicationFactory, CallFactory, QuestionFactory, SectionFactory
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    SubmittedApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
)

pytestmark = pytest.mark.django_db

# 10:30 UTC in January: 10:30 in Lisbon (WET), 11:30 in Brussels, the portal's default zone.
WINTER_MORNING = dt.datetime(2026, 1, 15, 10, 30, tzinfo=dt.UTC)


def test_overview_counts_drafts_without_a_link_to_a_filter_that_refuses_them(client):
    call = ClosedCallFactory()
    ApplicationFactory(call=call, status=Status.DRAFT)
    SubmittedApplicationFactory(call=call)
    client.force_login(coordinator_of(call))

    page = client.get(reverse("reviews:call_overview", args=[call.slug])).content.decode()

    applications = reverse("reviews:coordinator_applications", args=[call.slug])
    assert f"{applications}?status=draft" not in page
    assert f"{applications}?status=submitted" in page
    # Every status the overview links to is one the list accepts.
    for status in Status:
        if f"{applications}?status={status.value}" in page:
            listing = client.get(applications, {"status": status.value})
            assert "is not one of the available choices" not in listing.content.decode()


def test_audit_log_and_histories_name_actions_in_words(client):
    application = SubmittedApplicationFactory()
    call = application.call
    coordinator = coordinator_of(call)
    record(coordinator, "eligibility.decided", application, after={"decision": "eligible"})
    client.force_login(coordinator)

    audit = client.get(reverse("reviews:call_audit", args=[call.slug])).content.decode()
    overview = client.get(reverse("reviews:call_overview", args=[call.slug])).content.decode()
    history = client.get(reverse("reviews:application_evaluation", args=[application.pk])).content.decode()

    for page in (audit, overview, history):
        assert "Eligibility decided" in page
        assert "<code>eligibility.decided</code>" not in page
    # The filter still filters by the stored action.
    assert '<option value="eligibility.decided">Eligibility decided</option>' in audit


def test_evaluation_pages_show_times_in_the_calls_time_zone(client):
    call = ClosedCallFactory(timezone="Europe/Lisbon")
    application = SubmittedApplicationFactory(call=call, submitted_at=WINTER_MORNING)
    coordinator = coordinator_of(call)
    event = record(coordinator, "eligibility.decided", application)
    event.at = WINTER_MORNING
    event.save(update_fields=["at"])
    client.force_login(coordinator)

    for url in (
        reverse("reviews:screening_list", args=[call.slug]),
        reverse("reviews:screening", args=[application.pk]),
        reverse("reviews:call_audit", args=[call.slug]),
        reverse("reviews:call_overview", args=[call.slug]),
    ):
        page = client.get(url).content.decode()
        assert "10:30 WET" in page, url
        assert "11:30" not in page, url


def test_ranking_sheet_of_an_unscored_application_has_no_empty_explanation(client):
    application = InReviewApplicationFactory()
    five_criteria(application.call)
    client.force_login(coordinator_of(application.call))

    page = client.get(
        reverse("reviews:ranking_sheet", args=[application.call.slug, application.pk])
    ).content.decode()

    assert "<li></li>" not in page
    assert "No score yet" in page
    assert reverse("reviews:application_evaluation", args=[application.pk]) in page


def test_evaluator_reads_dates_and_numbers_as_the_applicant_wrote_them(client):
    application = InReviewApplicationFactory()
    five_criteria(application.call, threshold=Decimal(3))
    section = SectionFactory(call=application.call)
    signed = QuestionFactory(section=section, kind=QuestionKind.DATE, label_en="Signed on")
    officers = QuestionFactory(section=section, kind=QuestionKind.NUMBER, label_en="Officers")
    Answer.objects.create(application=application, question=signed, value="2026-11-20")
    Answer.objects.create(application=application, question=officers, value=1133)
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator)
    client.force_login(evaluator)

    page = client.get(reverse("reviews:evaluator_application", args=[application.pk])).content.decode()

    assert "20 November 2026" in page
    assert "2026-11-20" not in page
    assert "1,133" in page


def test_a_fully_scored_draft_does_not_warn_that_missing_scores_count_as_zero(client):
    application = InReviewApplicationFactory()
    criteria = five_criteria(application.call)
    evaluator = evaluator_of(application.call)
    assignment = assigned(application, evaluator)
    review = Review.objects.create(assignment=assignment, application=application, evaluator=evaluator)
    Score.objects.bulk_create(Score(review=review, criterion=c, value=Decimal(3)) for c in criteria)
    client.force_login(evaluator)
    url = reverse("reviews:evaluator_application", args=[application.pk])

    assert "count as zero" not in client.get(url).content.decode()

    Score.objects.filter(review=review, criterion=criteria[0]).delete()
    assert "count as zero" in client.get(url).content.decode()


def test_assignment_email_gives_the_review_deadline_in_the_calls_time_zone():
    call = ClosedCallFactory(timezone="Europe/Lisbon")
    ReviewSettings.objects.filter(pk=ReviewSettings.objects.ensure(call).pk).update(
        review_deadline=WINTER_MORNING
    )
    application = InReviewApplicationFactory(call=call)
    evaluator = evaluator_of(call)

    services.assign_evaluator(application, evaluator, by=coordinator_of(call))

    message = Message.objects.get(recipient=evaluator, kind="assignment")
    assert "10:30 WET" in message.body_text
    assert "10:30 WET" in message.body_html


def test_automatic_assignment_preview_button_is_level_with_the_seed_field(client):
    call = ClosedCallFactory()
    client.force_login(coordinator_of(call))

    page = client.get(reverse("reviews:auto_assign", args=[call.slug])).content.decode()

    # Bottom alignment lined the button up with the seed's help text, below the field.
    form = page[page.index('<form method="post" class="row') :]
    assert form.startswith('<form method="post" class="row g-2 align-items-start')


def test_receipts_and_letters_appear_on_the_calls_audit_log_under_their_own_names(client):
    application = SubmittedApplicationFactory()
    call = application.call
    issue_submission_receipt(application)
    decision = Decision.objects.create(application=application, outcome=Outcome.SELECTED, rank=1)
    letters.issue_decision_letter(decision)
    client.force_login(coordinator_of(call))

    audit = client.get(reverse("reviews:call_audit", args=[call.slug])).content.decode()

    assert "Receipt issued" in audit
    assert "Letter issued" in audit


def test_screening_page_says_whether_the_call_has_closed(client):
    open_call = CallFactory(closes_at=timezone.now() + dt.timedelta(days=10))
    early = SubmittedApplicationFactory(call=open_call, submitted_at=timezone.now())
    late = SubmittedApplicationFactory()
    coordinator = coordinator_of(open_call)
    late.call.coordinators.add(coordinator)
    client.force_login(coordinator)

    early_page = client.get(reverse("reviews:screening", args=[early.pk])).content.decode()
    late_page = client.get(reverse("reviews:screening", args=[late.pk])).content.decode()

    assert "Call closes" in early_page and "Call closed" not in early_page
    assert "Call closed" in late_page
