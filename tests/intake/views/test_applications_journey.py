"""The applicant's whole journey through the pages: start, fill in, upload, check, submit, withdraw."""

import re

import pytest
from django.urls import reverse

from intake.models import Application, Status
from notifications.models import Message
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.applications import applicant, call_with_questions, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def step_url(application, number):
    return reverse("intake:application_step", args=[application.pk, number])


def test_whole_journey_from_start_to_withdrawal(client):
    call = call_with_questions(slug="pactesur-2", reference_prefix="PS2")
    user = applicant(full_name="Ada Rossi", email="ada@bologna.example")
    client.force_login(user)

    # Start: one organisation, so the application starts at once.
    response = client.get(reverse("intake:apply", args=[call.slug]))
    assert response.status_code == 200
    response = client.post(
        reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(application, 1)
    assert application.transitions.get().to_status == Status.DRAFT

    # Step 1: a draft saves without every answer.
    page = client.get(step_url(application, 1))
    assert "Step 1 of 3: About the city" in page.content.decode()
    response = client.post(step_url(application, 1), {"action": "save", "q_motivation": "Safer squares"})
    assert response.status_code == 302
    assert response["Location"] == step_url(application, 1)
    response = client.post(
        step_url(application, 1),
        {
            "action": "continue",
            "q_motivation": "Safer squares for everyone",
            "base_motivation": _token(client.get(step_url(application, 1)), "motivation"),
            "q_officers": "120",
            "q_efus_member": "yes",
        },
    )
    assert response["Location"] == step_url(application, 2)

    # Step 2 and the documents.
    response = client.post(
        step_url(application, 2),
        {
            "action": "continue",
            "q_english": "b1",
            "q_events": ["sport", "music"],
            "q_signed_on": "2026-11-02",
        },
    )
    assert response["Location"] == step_url(application, 3)
    response = client.post(
        step_url(application, 3), {"action": "continue", "q_letter": upload("letter.pdf", pdf_bytes())}
    )
    assert response["Location"] == reverse("intake:application_summary", args=[application.pk])

    # The summary shows every answer and file.
    summary = client.get(response["Location"]).content.decode()
    for text in ("Safer squares for everyone", "120", "Yes", "B1", "Sport, Music", "letter.pdf"):
        assert text in summary
    assert "Every required answer and file is there." in summary

    # Submitting needs the declaration and the privacy notice.
    submit_url = reverse("intake:application_submit", args=[application.pk])
    response = client.post(submit_url, {})
    assert "Tick this box to confirm the declaration." in response.content.decode()
    response = client.post(submit_url, {"declaration": "on", "privacy": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert re.fullmatch(r"PS2-\d{4}-0001", application.reference)
    assert application.privacy_notice_version and application.privacy_accepted_at
    message = Message.objects.get(idempotency_key=f"application:{application.pk}:submitted")
    assert message.to_email == "ada@bologna.example"
    assert application.reference in message.subject
    assert application.reference in message.body_text

    # Read-only after submission.
    assert client.get(step_url(application, 1))["Location"] == reverse(
        "intake:application_detail", args=[application.pk]
    )
    client.post(step_url(application, 1), {"action": "save", "q_motivation": "Changed afterwards"})
    assert application.answers.get(question__key="motivation").value == "Safer squares for everyone"
    detail = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    assert application.reference in detail
    assert "Ada Rossi" in detail  # the history names who submitted

    # Withdraw while the review has not started.
    withdraw_url = reverse("intake:application_withdraw", args=[application.pk])
    client.post(withdraw_url, {"note": "Elections moved the team", "confirm": "on"})
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    history = [(t.from_status, t.to_status) for t in application.transitions.order_by("at", "id")]
    assert history == [("", "draft"), ("draft", "submitted"), ("submitted", "withdrawn")]


def _token(response, key):
    match = re.search(rf'name="base_{key}"[^>]*value="([^"]*)"', response.content.decode())
    return match.group(1)


def test_submit_lists_every_missing_item_with_a_link_to_its_step(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    client.post(reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk})
    application = Application.objects.get()
    response = client.post(
        reverse("intake:application_submit", args=[application.pk]), {"declaration": "on", "privacy": "on"}
    )
    content = response.content.decode()
    assert response.status_code == 422
    for key, step in (("motivation", 1), ("officers", 1), ("efus_member", 1), ("english", 2), ("letter", 3)):
        assert f'{step_url(application, step)}#question-{key}"' in content
    assert "question-events" not in content  # optional
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submit_needs_a_confirmed_email_address(client):
    call = call_with_questions()
    user = UserFactory(verified=False)
    organisation = OrganisationFactory()
    organisation.memberships.create(user=user)
    client.force_login(user)
    client.post(reverse("intake:apply", args=[call.slug]), {"organisation": organisation.pk})
    application = Application.objects.get()
    response = client.post(
        reverse("intake:application_submit", args=[application.pk]), {"declaration": "on", "privacy": "on"}
    )
    assert "Confirm your email address before submitting." in response.content.decode()


def test_invalid_values_are_explained_and_nothing_typed_is_lost(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    client.post(reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk})
    application = Application.objects.get()
    too_long = "x" * 201
    response = client.post(
        step_url(application, 1),
        {"action": "continue", "q_motivation": too_long, "q_officers": "many", "q_efus_member": "no"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters (it has 201)." in content
    assert "Enter a number." in content
    assert too_long in content and 'value="many"' in content
    # The valid answer of the same post is saved.
    assert application.answers.get(question__key="efus_member").value is False
    assert not application.answers.filter(question__key="motivation").exists()


def test_user_without_organisation_is_sent_to_register_one(client):
    call = call_with_questions()
    client.force_login(UserFactory())
    response = client.get(reverse("intake:apply", args=[call.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("intake:organisation_create"))
    assert "next=" in response["Location"]


def test_apply_resumes_the_existing_application(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    url = reverse("intake:apply", args=[call.slug])
    client.post(url, {"organisation": user.organisations.get().pk})
    client.post(url, {"organisation": user.organisations.get().pk})
    assert Application.objects.count() == 1
    assert client.get(url)["Location"] == step_url(Application.objects.get(), 1)


def test_a_person_with_one_city_finds_it_chosen_on_the_start_page(client):
    call = call_with_questions()
    user = applicant()
    client.force_login(user)
    page = client.get(reverse("intake:apply", args=[call.slug])).content.decode()
    organisation = user.organisations.get()
    assert f'value="{organisation.pk}"' in page
    assert re.search(rf'value="{organisation.pk}"[^>]*checked|checked[^>]*value="{organisation.pk}"', page)
