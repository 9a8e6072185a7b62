"""The applicant's whole journey in a real browser, from sign-up to a submitted application."""

import re

import pytest
from playwright.sync_api import expect

from demo.documents import commitment_letter_pdf
from demo.open_call import ensure_call
from intake.models import Application, Status
from portal import roles

from .conftest import links_in, wait_for_email

EMAIL = "maria.rossi@comune.example.it"
PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def call(transactional_db):
    roles.ensure_groups()
    call, _created = ensure_call()  # the demo call: every kind of question, five steps
    return call


def save_and_continue(page):
    page.get_by_role("button", name=re.compile(r"^Save and (continue|check the summary)$")).click()


def test_an_applicant_signs_up_fills_every_step_and_submits(page, call):
    # Sign up.
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Agnieszka Nowak")
    page.get_by_label("Email").first.fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("main")).to_contain_text(EMAIL)

    # Confirm the address with the link of the verification email.
    message = wait_for_email(EMAIL)
    confirm_link = next(link for link in links_in(message) if "/confirm-email/" in link)
    page.goto(confirm_link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).not_to_contain_text("Please confirm that")

    # Open the call and apply: the portal first asks for the city.
    page.goto(f"/calls/{call.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PACTESUR 2")
    page.get_by_role("link", name="Apply", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your city")
    page.locator("[name=name]").fill("Comune di Bologna")
    page.locator("[name=country]").select_option("IT")
    page.locator("[name=kind]").select_option("municipality")
    page.locator("[name=population]").fill("390000")
    page.locator("[name=address]").fill("Piazza Maggiore 6, 40124 Bologna")
    page.locator("[name=website]").fill("https://www.comune.bologna.it")
    page.get_by_role("button", name="Register the city").click()

    # Back on the call: start the city's application.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your application")
    page.get_by_label("Comune di Bologna").check()
    page.get_by_role("button", name="Start or continue the application").click()

    # Step 1: motivation.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 1 of 5")
    page.locator("[name=q_motivation]").fill(
        "Bologna wants to learn with peers how to keep its squares open."
    )
    save_and_continue(page)

    # Step 2: long texts, a number, several choices.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 2 of 5")
    page.locator("[name=q_challenges]").fill("Crowded arcades and the Piazza Maggiore events.")
    page.locator("[name=q_current_practices]").fill("Event safety plans and temporary barriers.")
    page.locator("[name=q_public_private_cooperation]").fill(
        "A working group with the trade fair's security staff."
    )
    page.locator("[name=q_police_officers]").fill("450")
    page.locator("[name=q_major_events][value=sports]").check()
    page.locator("[name=q_major_events][value=fairs]").check()
    save_and_continue(page)

    # Step 3: yes/no, long text, single choice.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 3 of 5")
    page.locator("[name=q_commitment][value=yes]").check()
    page.locator("[name=q_share_with_peers]").fill("Our crowd-management checklist.")
    page.locator("[name=q_english_level][value=B2]").check()
    save_and_continue(page)

    # Step 4: the contact person.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 4 of 5")
    page.locator("[name=q_contact_name]").fill("Maria Rossi")
    page.locator("[name=q_contact_role]").fill("Head of the municipal police")
    page.locator("[name=q_contact_email]").fill(EMAIL)
    page.locator("[name=q_contact_phone]").fill("+39 051 000 0000")
    save_and_continue(page)

    # Step 5: a date and the signed letter of commitment.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 5 of 5")
    page.locator("[name=q_letter_signed_on]").fill("2026-11-20")
    page.locator("[name=q_commitment_letter]").set_input_files(
        {
            "name": "letter-of-commitment.pdf",
            "mimeType": "application/pdf",
            "buffer": commitment_letter_pdf("Bologna", "IT"),
        }
    )
    save_and_continue(page)

    # The summary shows every answer and the file.
    expect(page.locator("main")).to_contain_text("Every required answer and file is there.")
    expect(page.locator("main")).to_contain_text("letter-of-commitment.pdf")
    expect(page.locator("main")).to_contain_text("Maria Rossi")
    page.get_by_role("link", name="Go to submission").click()

    # Submit with the declaration and the privacy notice.
    page.locator("[name=declaration]").check()
    page.locator("[name=privacy]").check()
    page.get_by_role("button", name="Submit the application").click()

    application = Application.objects.get(organisation__name="Comune di Bologna")
    assert application.status == Status.SUBMITTED
    assert re.fullmatch(r"PS2-\d{4}-0001", application.reference)
    expect(page.locator("main")).to_contain_text(application.reference)

    # The dashboard shows the reference and the status.
    page.goto("/applications/")
    row = page.locator("main").get_by_text(application.reference).first
    expect(row).to_be_visible()
    expect(page.locator("main")).to_contain_text("Submitted")
    wait_for_email(EMAIL, subject=application.reference)
