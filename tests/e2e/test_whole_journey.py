"""The whole life of a call in a real browser, with a live server and a real Celery worker.

A new person signs up (the confirmation link read from the email the worker delivered),
registers the city, fills every step of the demo call (every kind of question) with its
letter of commitment, and submits. The call closes; the coordinator screens the
application and runs the automatic assignment; three evaluators log in with their
authenticator and score (the third in French); the coordinator ranks, proposes the
selection and finalises it; the worker renders the decision letter and emails it. The city
downloads its letter, accepts its place and completes one step of its onboarding.

Every page the walk lands on is photographed (``var/test-artifacts/whole-journey/``) and run
through axe; the walk goes to its end and then fails with every page's violations listed.

The worker is a ``celery -A portal worker`` process reading the test's PostgreSQL database:
on SQLite (an in-memory database no other process can open) the test is skipped, and the
PostgreSQL run of the suite covers it.
"""

import io
import re
from decimal import Decimal

import pytest
import redis
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.data.people import COORDINATOR_EMAIL, DEMO_TOTP_SECRETS, EVALUATOR_EMAILS
from demo.documents import commitment_letter_pdf
from demo.open_call import ensure_call
from intake.models import Application, Call, Status
from partners.models import ItemKind, ItemState, Partner
from portal import roles
from portal.models import User
from reviews.models import Decision, Outcome, Review, ReviewStatus
from tests.conftest import require_server
from tests.factories import DEFAULT_PASSWORD
from tests.factories.partners import standard_checklist
from tests.integration.conftest import Worker, live_broker, own_queue_name
from tests.notifications.smtp_server import FakeSMTPServer
from tests.notifications.storage import follow_private_storage

from .conftest import authenticator_code
from .journey import Walk, delivered_email, link_path, text_of

# A Redis database of this test's own: the integration tests use database 5.
REDIS_URL = "redis://127.0.0.1:6379/9"
EMAIL = "agnieszka.nowak@gdansk.example.pl"
PASSWORD = "a-long-and-unusual-passphrase-42"
CITY = "Miasto Gdańsk"  # Poland: none of the demo evaluators is conflicted by country
# Each evaluator's language and scores on the five criteria: above every threshold, close
# enough together that no disagreement waits for a consensus. The third works in French.
EVALUATORS = [
    (EVALUATOR_EMAILS[0], "en", ["4", "4", "4.5", "4", "3.5"]),
    (EVALUATOR_EMAILS[1], "en", ["4.5", "4", "4", "4", "4"]),
    (EVALUATOR_EMAILS[2], "fr", ["4", "3.5", "4", "4.5", "4"]),
]
# What the evaluator's pages say, in each language.
WORDS = {
    "en": {
        "check": "Check for conflicts",
        "open": "Confirm and open the application",
        "saved": "Draft saved",
        "submit": "Submit the review",
        "submitted": "Your review is submitted.",
        "log out": "Log out",
    },
    "fr": {
        "check": "Vérifier les conflits",
        "open": "Confirmer et ouvrir la candidature",
        "saved": "Brouillon enregistré",
        "submit": "Soumettre l'évaluation",
        "submitted": "Votre évaluation est soumise.",
        "log out": "Se déconnecter",
    },
}


# Decided when the module is collected, before the browser and the live server start.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The whole journey needs a real worker, which cannot share SQLite's in-memory test "
    "database; run with DATABASE_URL=postgres://...",
)


@pytest.fixture
def smtp_server():
    with FakeSMTPServer() as server:
        yield server


@pytest.fixture
def worker(transactional_db, smtp_server, settings, tmp_path, monkeypatch):
    """A real worker on Redis, sharing the database and the media folder with the live server;
    the emails it sends go to the local SMTP server."""
    require_server("Redis", "127.0.0.1", 6379, "redis-server")
    media = tmp_path / "shared-media"
    media.mkdir()
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media), "base_url": None},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage, "private": storage}
    settings.MEDIA_ROOT = str(media)
    follow_private_storage(monkeypatch)
    queue = own_queue_name()
    with live_broker(REDIS_URL, queue):
        running = Worker(
            REDIS_URL,
            queue,
            media_root=media,
            var_dir=tmp_path / "var",
            smtp_port=smtp_server.port,
            concurrency=1,
        )
        try:
            yield running
        finally:
            running.stop()
            redis.Redis.from_url(REDIS_URL).delete(queue)


@pytest.fixture
def call(worker):
    """The open demo call, built through the call builder: five steps, every kind of
    question, the PACTESUR 2 criteria, three evaluators and a coordinator (in the languages
    of ``EVALUATORS``, the coordinator in English, with the factories' password and the
    demo's authenticators), and the project's onboarding checklist."""
    roles.ensure_groups()
    call, _created = ensure_call()
    languages = {COORDINATOR_EMAIL: "en"} | {email: language for email, language, _scores in EVALUATORS}
    for user in User.objects.filter(email__in=languages):
        user.set_password(DEFAULT_PASSWORD)
        user.language = languages[user.email]
        user.save()
    if not call.project.checklist_items.exists():
        standard_checklist(call.project)
    return call


def log_in(walk, email, password=DEFAULT_PASSWORD, *, who):
    """Log in through the login page and, for staff, the authenticator's code; each page seen."""
    page = walk.page
    page.goto("/accounts/login/")
    walk.see(f"{who}-login")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        walk.see(f"{who}-two-factor")
        page.locator("input[name=code]").fill(authenticator_code(email, DEMO_TOTP_SECRETS[email]))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
    walk.see(f"{who}-logged-in")


def log_out(walk, who, *, language="en"):
    walk.page.get_by_role("button", name=WORDS[language]["log out"]).click()
    walk.page.wait_for_url(lambda url: "/accounts/logout/" not in url)
    walk.see(f"{who}-logged-out")


def save_and_continue(page):
    page.get_by_role("button", name=re.compile(r"^Save and (continue|check the summary)$")).click()


def test_the_whole_life_of_a_call(call, worker, smtp_server, page, tmp_path):
    walk = Walk(page, "whole-journey")

    # --- The applicant signs up and confirms the address from the delivered email.
    page.goto("/")
    walk.see("home")
    page.goto(f"/calls/{call.slug}/")
    walk.see("call")
    page.goto("/accounts/signup/")
    walk.see("sign-up")
    page.get_by_label("Your name").fill("Agnieszka Nowak")
    page.get_by_label("Email").first.fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("main")).to_contain_text(EMAIL)
    walk.see("confirm-your-address")

    confirmation = delivered_email(smtp_server, EMAIL, worker=worker)
    walk.keep("email-confirmation.eml", confirmation.as_bytes())
    page.goto(link_path(confirmation, "/confirm-email/"))
    walk.see("confirm-email")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).not_to_contain_text("Please confirm that")
    walk.see("address-confirmed")

    # --- The city, then every step of the application.
    page.goto(f"/calls/{call.slug}/")
    walk.see("call-signed-in")
    page.get_by_role("link", name="Apply", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your city")
    walk.see("register-city")
    page.locator("[name=name]").fill(CITY)
    page.locator("[name=country]").select_option("PL")
    page.locator("[name=kind]").select_option("municipality")
    page.locator("[name=population]").fill("486000")
    page.locator("[name=address]").fill("ul. Nowe Ogrody 8/12, 80-803 Gdańsk")
    page.locator("[name=website]").fill("https://www.gdansk.pl")
    page.get_by_role("button", name="Register the city").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your application")
    walk.see("start-application")
    page.get_by_label(CITY).check()
    page.get_by_role("button", name="Start or continue the application").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 1 of 5")
    walk.see("step-1")
    page.locator("[name=q_motivation]").fill("Gdańsk wants to keep the Long Market open and safe.")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 2 of 5")
    walk.see("step-2")
    page.locator("[name=q_challenges]").fill("Summer crowds on the Long Market and the St Dominic's Fair.")
    page.locator("[name=q_current_practices]").fill("Event safety plans and temporary barriers.")
    page.locator("[name=q_public_private_cooperation]").fill("A working group with the shipyard's guards.")
    page.locator("[name=q_police_officers]").fill("320")
    page.locator("[name=q_major_events][value=markets]").check()
    page.locator("[name=q_major_events][value=concerts]").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 3 of 5")
    walk.see("step-3")
    page.locator("[name=q_commitment][value=yes]").check()
    page.locator("[name=q_share_with_peers]").fill("Our fair's crowd-management plan.")
    page.locator("[name=q_english_level][value=C1]").check()
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 4 of 5")
    walk.see("step-4")
    page.locator("[name=q_contact_name]").fill("Agnieszka Nowak")
    page.locator("[name=q_contact_role]").fill("Head of the city guard")
    page.locator("[name=q_contact_email]").fill(EMAIL)
    page.locator("[name=q_contact_phone]").fill("+48 58 000 00 00")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Step 5 of 5")
    walk.see("step-5")
    page.locator("[name=q_letter_signed_on]").fill("2026-11-20")
    page.locator("[name=q_commitment_letter]").set_input_files(
        {
            "name": "letter-of-commitment.pdf",
            "mimeType": "application/pdf",
            "buffer": commitment_letter_pdf("Gdańsk", "PL"),
        }
    )
    save_and_continue(page)

    expect(page.locator("main")).to_contain_text("Every required answer and file is there.")
    expect(page.locator("main")).to_contain_text("letter-of-commitment.pdf")
    walk.see("summary")
    page.get_by_role("link", name="Go to submission").click()
    walk.see("submit")
    page.locator("[name=declaration]").check()
    page.locator("[name=privacy]").check()
    page.get_by_role("button", name="Submit the application").click()
    application = Application.objects.get(organisation__name=CITY)
    expect(page.locator("main")).to_contain_text(application.reference)
    walk.see("submitted")
    assert application.status == Status.SUBMITTED
    receipt_email = delivered_email(smtp_server, EMAIL, subject=application.reference, worker=worker)
    assert application.reference in text_of(receipt_email)
    walk.keep("email-receipt.eml", receipt_email.as_bytes())
    page.goto("/applications/")
    expect(page.locator("main")).to_contain_text("Submitted")
    walk.see("dashboard-submitted")
    log_out(walk, "applicant")

    # The deadline passes, after the submission.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now())

    # --- The coordinator screens the application and assigns the evaluators.
    log_in(walk, COORDINATOR_EMAIL, who="coordinator")
    page.goto("/coordination/")
    walk.see("coordination-home")
    page.get_by_role("link", name=call.title_en).first.click()
    walk.see("call-overview")
    page.get_by_role("link", name="Eligibility").first.click()
    walk.see("eligibility-list")
    page.get_by_role("link", name="Screen").first.click()
    # What the data says of each check: every one holds.
    expect(page.locator("main tbody tr td:nth-child(2)")).to_have_text(["Yes"] * 5)
    walk.see("screening")
    page.get_by_label("Eligible", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("The eligibility decision is recorded.")
    walk.see("screened")
    page.get_by_role("link", name="Automatic assignment").click()
    walk.see("assignment")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("Preview: 3 new assignments")
    walk.see("assignment-preview")
    page.get_by_role("button", name="Apply these assignments").click()
    expect(page.locator("main")).to_contain_text("3 assignments made")
    walk.see("assigned")
    log_out(walk, "coordinator")

    # --- Three evaluators log in with their authenticator and score.
    criteria = list(call.criteria.order_by("order", "pk"))
    for number, (email, language, values) in enumerate(EVALUATORS, start=1):
        words = WORDS[language]
        log_in(walk, email, who=f"evaluator-{number}")
        page.goto("/evaluation/")
        expect(page.locator("main")).to_contain_text(CITY)
        walk.see(f"evaluator-{number}-home")
        page.get_by_role("link", name=words["check"]).click()
        walk.see(f"evaluator-{number}-conflicts")
        page.get_by_role("button", name=words["open"]).click()
        expect(page.locator("main")).to_contain_text("Long Market")
        walk.see(f"evaluator-{number}-review")
        for criterion, value in zip(criteria, values, strict=True):
            page.locator(f"select[name=score_{criterion.pk}]").select_option(value)
        expect(page.locator("#autosave-state")).to_contain_text(words["saved"])
        page.locator("select[name=recommendation]").select_option("recommend")
        walk.see(f"evaluator-{number}-scored")
        page.get_by_role("button", name=words["submit"]).click()
        expect(page.locator("main")).to_contain_text(words["submitted"])
        walk.see(f"evaluator-{number}-submitted")
        log_out(walk, f"evaluator-{number}", language=language)
    assert Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED).count() == 3

    # --- The coordinator ranks, proposes the selection and finalises it.
    log_in(walk, COORDINATOR_EMAIL, who="coordinator")
    page.goto(f"/coordination/calls/{call.slug}/")
    walk.see("call-overview-reviewed")
    page.get_by_role("link", name="Ranking", exact=True).click()
    expect(page.locator("main")).to_contain_text(CITY)
    walk.see("ranking")
    page.get_by_role("link", name="Selection and decisions", exact=True).click()
    expect(page.locator("main")).to_contain_text("Proposed selection (1 of")
    walk.see("selection-proposed")
    page.get_by_label(re.compile("I confirm: the decisions are final")).check()
    page.get_by_role("button", name="Finalise and send the decisions").click()
    expect(page.locator("main")).to_contain_text("The selection is final: 1 decision is recorded and sent.")
    walk.see("selection-final")
    decision = Decision.objects.get(application=application)
    assert decision.outcome == Outcome.SELECTED
    assert decision.final_score > Decimal(60)
    log_out(walk, "coordinator")

    # --- The worker renders the letter and emails the decision with it.
    decision_email = delivered_email(smtp_server, EMAIL, subject="select", timeout=120, worker=worker)
    (letter_attachment,) = [
        part for part in decision_email.iter_attachments() if part.get_filename().endswith("-letter.pdf")
    ]
    assert letter_attachment.get_content().startswith(b"%PDF")
    walk.keep("email-decision.eml", decision_email.as_bytes())

    # --- The city downloads its letter, accepts its place and completes one onboarding step.
    log_in(walk, EMAIL, PASSWORD, who="applicant")
    page.goto(f"/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("Your city is selected.")
    walk.see("application-selected")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*-letter\.pdf$")).click()
    letter = tmp_path / download.value.suggested_filename
    download.value.save_as(letter)
    content = letter.read_bytes()
    assert content.startswith(b"%PDF")
    walk.keep(letter.name, content)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert CITY in text and application.reference in text

    page.get_by_role("link", name="Answer the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answer to the decision")
    walk.see("reply")
    page.get_by_label("We accept the place").check()
    page.get_by_label("I am authorised to answer for my city.").check()
    page.get_by_role("button", name="Send our answer").click()
    expect(page.locator("main")).to_contain_text("your city is now an associated partner")
    walk.see("partner-home")
    partner = Partner.objects.get(organisation__name=CITY)
    page.get_by_role("link", name="Focal point and deputy").click()
    walk.see("onboarding-focal-points")
    page.locator("[name=focal_point-name]").fill("Agnieszka Nowak")
    page.locator("[name=focal_point-email]").fill(EMAIL)
    page.locator("[name=deputy-name]").fill("Piotr Wiśniewski")
    page.locator("[name=deputy-email]").fill("piotr.wisniewski@gdansk.example.pl")
    page.get_by_role("button", name="Save the contacts").click()
    expect(page.locator("main")).to_contain_text("The contacts are saved.")
    walk.see("onboarding-step-done")
    assert partner.progress.get(item__kind=ItemKind.FOCAL_POINTS).state == ItemState.DONE

    walk.finish()
