"""Staff two-factor authentication in a real browser: a new coordinator sets up the app,
then logs in with password and code; the demo coordinator logs in with demo_code's code."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import ensure_user
from demo.data.people import COORDINATOR_EMAIL, DEMO_PASSWORD, DEMO_TOTP_SECRETS
from portal import roles
from tests.e2e.conftest import log_in, set_up_authenticator
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def new_coordinator(transactional_db):
    roles.ensure_groups()
    return UserFactory(email="officer@efus.example", role=roles.COORDINATOR, verified=True, totp=False)


def test_a_new_coordinator_sets_up_the_app_and_logs_in_with_a_code(page, new_coordinator):
    email = new_coordinator.email
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    # Every page leads to the set-up first.
    expect(page.locator(".messages")).to_contain_text(
        "Staff accounts are protected by two-factor authentication"
    )
    page.goto("/coordination/")
    expect(page).not_to_have_url(re.compile(r"/coordination/$"))

    secret = set_up_authenticator(page, email)
    expect(page.locator("main")).to_contain_text("Recovery Codes")
    expect(page.locator("#recovery_codes")).to_have_value(re.compile(r"^(\d{8}\n){9}\d{8}$"))
    page.goto("/coordination/")
    expect(page).to_have_url(re.compile(r"/coordination/$"))

    page.locator("nav form[action='/accounts/logout/'] button").click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("main")).to_contain_text("Incorrect code.")
    page.get_by_role("button", name="Cancel").click()  # leave the half-done login
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    log_in(page, email, totp_secret=secret)
    page.goto("/coordination/")
    expect(page).to_have_url(re.compile(r"/coordination/$"))


@pytest.fixture
def demo_coordinator(transactional_db):
    roles.ensure_groups()
    return ensure_user(
        COORDINATOR_EMAIL,
        "Claire Demo (coordinator)",
        role=roles.COORDINATOR,
        language="en",
        totp_secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL],
    )


def test_the_demo_coordinator_logs_in_with_the_code_demo_code_prints(page, demo_coordinator):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(COORDINATOR_EMAIL)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    output = io.StringIO()
    call_command("demo_code", COORDINATOR_EMAIL, stdout=output, stderr=io.StringIO())
    page.locator("input[name=code]").fill(output.getvalue().strip())
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/coordination/$"))
