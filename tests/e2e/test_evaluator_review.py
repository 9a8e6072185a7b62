"""An evaluator's review in a real browser: conflict check, live weighted total, submission."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from demo.evaluation import seed_review_demo
from intake.models import Answer
from portal import roles
from reviews.models import Review, ReviewStatus
from tests.e2e.conftest import log_in
from tests.factories import QuestionFactory, SectionFactory
from tests.factories.reviews import InReviewApplicationFactory, assigned, evaluator_of

SCREENSHOTS = None  # set to a folder path to keep screenshots while working on the pages


@pytest.fixture
def assignment(transactional_db):
    roles.ensure_groups()
    application = InReviewApplicationFactory(organisation__name="Città di Torino", organisation__country="IT")
    question = QuestionFactory(
        section=SectionFactory(call=application.call), key="plan", label_en="Your plan"
    )
    Answer.objects.create(application=application, question=question, value="Protect the Piazza Castello.")
    seed_review_demo(application.call)
    evaluator = evaluator_of(application.call, email="expert@efus.example", verified=True)
    return assigned(application, evaluator, confirmed=False)


def snap(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_an_evaluator_confirms_no_conflict_scores_with_a_live_total_and_submits(page, assignment):
    log_in(page, "expert@efus.example")
    page.goto("/evaluation/")
    expect(page.locator("main")).to_contain_text("Città di Torino")
    snap(page, "evaluator-home")
    page.get_by_role("link", name="Check for conflicts").click()
    expect(page.locator("main")).not_to_contain_text("Piazza Castello")
    snap(page, "gate")
    page.get_by_role("button", name="Confirm and open the application").click()
    expect(page.locator("main")).to_contain_text("Protect the Piazza Castello.")

    criteria = list(assignment.application.call.criteria.order_by("order"))
    # 25*4/5 + 20*3.5/5 + 20*3/5 + 20*5/5 + 15*2/5 = 72
    for criterion, value in zip(criteria, ["4", "3.5", "3", "5", "2"], strict=True):
        page.locator(f"select[name=score_{criterion.pk}]").select_option(value)
    expect(page.locator("#review-total")).to_contain_text("72")
    expect(page.locator("#autosave-state")).to_contain_text("Draft saved")
    expect(page.locator(".review-comment-hint:visible")).to_have_count(1)  # 2 is under the threshold
    page.locator(f"textarea[name=comment_{criteria[4].pk}]").fill("Little said about dissemination.")
    page.locator("select[name=recommendation]").select_option("recommend")
    snap(page, "review-form")
    page.get_by_role("button", name="Submit the review").click()
    expect(page.locator("main")).to_contain_text("Your review is submitted.")
    snap(page, "review-submitted")
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.scores.get(criterion=criteria[1]).value == Decimal("3.5")


@pytest.fixture
def call_to_screen(transactional_db):
    from tests.factories.reviews import ClosedCallFactory, SubmittedApplicationFactory, coordinator_of

    roles.ensure_groups()
    call = ClosedCallFactory(title_en="PACTESUR 2")
    seed_review_demo(call)
    for name, country in [("Liège", "BE"), ("Nice", "FR"), ("Madrid", "ES"), ("Torino", "IT")]:
        SubmittedApplicationFactory(call=call, organisation__name=name, organisation__country=country)
    for index in range(4):
        evaluator_of(call, email=f"evaluator{index}@efus.example")
    coordinator_of(call, email="officer@efus.example", verified=True)
    return call


def test_a_coordinator_screens_previews_and_applies_the_assignment(page, call_to_screen):
    call = call_to_screen
    log_in(page, "officer@efus.example")
    page.goto("/coordination/")
    page.get_by_role("link", name="PACTESUR 2").click()
    snap(page, "call-overview")
    page.get_by_role("link", name="Eligibility").first.click()
    for _ in range(4):
        page.get_by_role("link", name="Screen").first.click()
        page.get_by_label("Eligible", exact=True).check()
        snap(page, "screening")
        page.get_by_role("button", name="Record the decision").click()
        expect(page.locator("main")).to_contain_text("The eligibility decision is recorded.")
    page.get_by_role("link", name="Automatic assignment").click()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("Preview: 12 new assignments")
    snap(page, "assignment-preview")
    assert not call.applications.filter(assignments__isnull=False).exists()
    page.get_by_role("button", name="Apply these assignments").click()
    expect(page.locator("main")).to_contain_text("12 assignments made")
    page.get_by_role("link", name="Applications").first.click()
    expect(page.locator("tbody tr")).to_have_count(4)
    expect(page.locator("main")).to_contain_text("3 / 3")
    snap(page, "applications")
