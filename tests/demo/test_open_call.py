"""The demo data: ``manage.py seed_demo`` builds a believable call and is safe to repeat."""

import io
import re
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from demo.accounts import applicant_email, demo_password_hash, demo_totp_secrets
from demo.data.call import CALL_SLUG
from demo.data.people import COORDINATOR_EMAIL, DEMO_PASSWORD, EVALUATOR_EMAILS
from demo.documents import commitment_letter_pdf
from intake.models import (
    Answer,
    Application,
    ApplicationTransition,
    Call,
    Document,
    Organisation,
    Question,
    QuestionKind,
    Status,
)
from portal import roles
from portal.models import AuditEvent, User

pytestmark = pytest.mark.django_db

NAMED_CITIES = [
    "Bologna",
    "Bratislava",
    "Budapest",
    "Gdańsk",
    "Kordelió-Évosmos",
    "Lisbon",
    "Riga",
    "Brussels",
    "Tallinn",
    "Vilnius",
    "Xàbia",
]


def seed():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, seeded once for this module in a transaction that is rolled back after it."""
    location = str(tmp_path_factory.mktemp("demo-media"))
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    storages = {**settings.STORAGES, "default": storage, "private": storage}
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as every test of the suite
    demo_password_hash.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        output = seed()
        yield SimpleNamespace(output=output, storages=storages)
        transaction.set_rollback(True)


def open_call_applications():
    """The applications of the open demo call (the reviews demo adds a closed call of its own)."""
    return Application.objects.filter(call__slug=CALL_SLUG)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Call,
            Organisation,
            User,
            Application,
            ApplicationTransition,
            Answer,
            Document,
            Question,
            EmailAddress,
            Authenticator,
            AuditEvent,
        )
    }


def test_running_twice_duplicates_nothing(seeded, settings):
    settings.STORAGES = seeded.storages
    first = counts()
    seed()
    assert counts() == first
    assert Call.objects.filter(slug="pactesur-2").count() == 1
    assert first["Organisation"] >= 40


def test_the_named_cities_exist_each_with_a_verified_applicant(seeded):
    for city in NAMED_CITIES:
        organisation = Organisation.objects.get(name=city)
        applicant = organisation.members.get()
        assert applicant.email == applicant_email(city)
        assert applicant.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=applicant, email=applicant.email, verified=True).exists()
        assert roles.APPLICANT in roles.role_names(applicant)
    assert applicant_email("Gdańsk") == "applicant.gdansk@demo.example"
    assert applicant_email("Kordelió-Évosmos") == "applicant.kordelio-evosmos@demo.example"


def test_staff_can_log_in_with_their_roles(seeded, client):
    assert "coordinator@demo.example" in seeded.output and DEMO_PASSWORD in seeded.output
    coordinator = User.objects.get(email="coordinator@demo.example")
    assert roles.COORDINATOR in roles.role_names(coordinator)
    assert Call.objects.get(slug="pactesur-2").coordinators.filter(pk=coordinator.pk).exists()
    for n in (1, 2, 3):
        evaluator = User.objects.get(email=f"evaluator{n}@demo.example")
        assert roles.EVALUATOR in roles.role_names(evaluator)
    assert client.login(email="evaluator2@demo.example", password=DEMO_PASSWORD)


def test_the_demo_coordinator_logs_in_with_the_password_and_the_code_of_demo_code(seeded, client):
    assert "manage.py demo_code coordinator@demo.example" in seeded.output
    response = client.post(reverse("account_login"), {"login": COORDINATOR_EMAIL, "password": DEMO_PASSWORD})
    assert response.url == reverse("mfa_authenticate")  # the password alone is not enough
    output = io.StringIO()
    call_command("demo_code", COORDINATOR_EMAIL, stdout=output, stderr=io.StringIO())
    code = output.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("reviews:coordinator_home")).status_code == 200


def test_every_demo_staff_account_has_the_demo_authenticator(seeded):
    for email in demo_totp_secrets():
        user = User.objects.get(email=email)
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(), email
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists(), email
    applicant = User.objects.get(email=applicant_email("Bologna"))
    assert not Authenticator.objects.filter(user=applicant).exists()


def test_the_call_is_open_published_and_labelled_as_fictitious(seeded):
    call = Call.objects.get(slug="pactesur-2")
    assert call.is_open()
    assert (call.reference_prefix, call.timezone, call.places, call.reserve_size) == (
        "PS2",
        "Europe/Brussels",
        11,
        5,
    )
    assert call.max_per_country == 1
    assert "DK" not in call.eligible_countries and "IT" in call.eligible_countries
    assert "Fictitious demo data" in call.summary_en
    assert "fictives" in call.summary_fr
    assert "illustrative" in call.description_en
    assert 6 <= call.faq_entries.count() <= 8
    assert all(o.address.startswith("Fictitious demo data") for o in Organisation.objects.all())


def test_every_question_kind_is_used_with_french_labels(seeded):
    questions = Question.objects.filter(section__call__slug="pactesur-2")
    assert {q.kind for q in questions} == set(QuestionKind.values)
    assert all(q.label_fr for q in questions)
    letter = questions.get(key="commitment_letter")
    annexes = questions.get(key="annexes")
    assert (letter.required, letter.max_files) == (True, 1)
    assert (annexes.required, annexes.max_files) == (False, 5)
    assert questions.get(key="motivation").max_length


def test_the_demo_contact_answers_pass_the_rules_of_their_kinds(seeded):
    from django.core.validators import validate_email

    from intake.forms import normalise_phone

    answers = Answer.objects.filter(question__section__call__slug="pactesur-2")
    phones = answers.filter(question__key="contact_phone", question__kind=QuestionKind.PHONE)
    emails = answers.filter(question__key="contact_email", question__kind=QuestionKind.EMAIL)
    assert phones.exists() and emails.exists()
    for answer in phones:
        assert normalise_phone(answer.value) == answer.value  # stored as the form stores it
    for answer in emails:
        validate_email(answer.value)


def test_applications_cover_every_state_before_the_decision(seeded):
    states = set(open_call_applications().values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN, Status.IN_REVIEW, Status.INELIGIBLE} <= states


def test_submitted_applications_carry_a_reference_a_pdf_letter_and_their_history(seeded, settings):
    settings.STORAGES = seeded.storages
    submitted = open_call_applications().exclude(status=Status.DRAFT)
    assert submitted.exists()
    for application in submitted:
        assert application.reference.startswith("PS2-")
        assert application.submitted_at is not None
        document = application.documents.get(question__key="commitment_letter")
        with document.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"
        assert application.transitions.filter(to_status=Status.SUBMITTED).exists()
    assert AuditEvent.objects.filter(action__contains="submit").count() >= submitted.count()


def test_drafts_are_partly_filled_and_have_no_reference(seeded):
    draft = open_call_applications().filter(status=Status.DRAFT).first()
    assert draft.reference is None
    answered = draft.answers.count()
    assert 0 < answered < Question.objects.filter(section__call=draft.call).count()


def test_the_demo_letter_is_a_readable_pdf():
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(commitment_letter_pdf("Gdańsk", "PL"))).pages[0].extract_text()
    assert "Gdansk" in text or "Gdańsk" in text
    assert "FICTITIOUS DEMO DATA" in text


def test_the_demo_evaluators_have_applications_in_review_to_score(seeded):
    from reviews.models import Assignment

    in_review = open_call_applications().filter(status=Status.IN_REVIEW)
    assert in_review.exists()
    for application in in_review:
        assert Assignment.objects.filter(application=application).count() == 2
    evaluators = User.objects.filter(email__in=EVALUATOR_EMAILS)
    assert all(Assignment.objects.filter(evaluator=evaluator).exists() for evaluator in evaluators)
