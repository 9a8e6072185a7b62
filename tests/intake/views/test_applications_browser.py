"""Autosave in a real browser: saved while typing, kept in the browser when the session is gone."""

import re

import pytest
from playwright.sync_api import expect

from intake.models import Answer
from tests.e2e.conftest import browser, browser_problems, live_server  # noqa: F401 - fixtures
from tests.e2e.conftest import page as browser_page  # noqa: F401
from tests.factories import DEFAULT_PASSWORD, ApplicationFactory
from tests.factories.applications import applicant, call_with_questions

pytestmark = pytest.mark.browser


@pytest.fixture
def logged_in_step(browser_page, transactional_db):  # noqa: F811 - the fixture imported above
    page = browser_page
    call = call_with_questions()
    user = applicant(email="ada@city.example")
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    page.goto(f"/applications/{application.pk}/steps/1/")
    return page, application


def test_typing_is_saved_without_pressing_save(logged_in_step):
    page, application = logged_in_step
    field = page.locator("[name=q_motivation]")
    field.fill("Our squares host markets")
    expect(page.locator(".char-counter").first).to_contain_text("24 / 200 characters")
    expect(page.locator("#save-state")).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    assert Answer.objects.get(application=application).value == "Our squares host markets"
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('portal-autosave:'))") == []
    )


def test_text_typed_after_the_session_expired_is_kept_and_restored(logged_in_step, browser_problems):  # noqa: F811
    page, application = logged_in_step
    autosave = re.compile(r".*/autosave/$")
    page.route(autosave, lambda route: route.fulfill(status=401, body="expired"))
    page.locator("[name=q_motivation]").fill("Typed while the session was gone")
    expect(page.locator("#session-warning")).to_be_visible()
    expect(page.locator("#session-warning")).to_contain_text("kept in this browser")
    assert not Answer.objects.exists()
    browser_problems.clear()  # the refused requests were logged on the console, as they should be

    # The person logs in again (here: the session never really left) and comes back.
    page.unroute(autosave)
    page.reload()
    expect(page.locator("[name=q_motivation]")).to_have_value("Typed while the session was gone")
    expect(page.locator("#restore-notice")).to_be_visible()
    expect(page.locator("#save-state")).to_contain_text("Saved at")
    assert Answer.objects.get(application=application).value == "Typed while the session was gone"
