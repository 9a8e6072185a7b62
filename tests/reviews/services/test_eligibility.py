"""Eligibility screening: the checklist filled in from the data, the decision, the email."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from intake.models import Document, QuestionKind, Status
from notifications.models import Message
from portal.models import AuditEvent
from reviews import queries, services
from reviews.models import EligibilityScreening, ReviewSettings
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
)
from tests.factories.reviews import ClosedCallFactory, SubmittedApplicationFactory, coordinator_of
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def letter_question(call):
    section = SectionFactory(call=call, title_en="Documents")
    return QuestionFactory(section=section, key="commitment_letter", kind=QuestionKind.FILE)


def attach(application, question):
    document = Document(
        application=application,
        question=question,
        original_name="letter.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    document.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return document


def test_prefill_answers_every_check_the_data_can_answer():
    call = ClosedCallFactory(eligible_countries=["FR", "IT"], eligible_kinds=["municipality"])
    question = letter_question(call)
    application = SubmittedApplicationFactory(
        call=call, organisation=OrganisationFactory(country="IT", kind="municipality")
    )
    attach(application, question)
    assert queries.screening_prefill(application) == {
        "eligible_country": True,
        "eligible_organisation_type": True,
        "letter_of_commitment": True,
        "submitted_on_time": True,
        "not_consortium_member": True,
    }


def test_prefill_flags_what_is_wrong():
    call = ClosedCallFactory(eligible_countries=["FR"], eligible_kinds=["municipality"])
    letter_question(call)
    ReviewSettings.objects.create(call=call, consortium_members=["Efus partner city"])
    application = SubmittedApplicationFactory(
        call=call,
        organisation=OrganisationFactory(name="Efus partner city", country="DK", kind="local_police"),
        submitted_at=call.closes_at + dt.timedelta(minutes=1),
    )
    assert queries.screening_prefill(application) == {
        "eligible_country": False,
        "eligible_organisation_type": False,
        "letter_of_commitment": False,
        "submitted_on_time": False,
        "not_consortium_member": False,
    }


def test_prefill_cannot_tell_about_a_letter_the_call_does_not_ask_for():
    application = SubmittedApplicationFactory()
    assert queries.screening_prefill(application)["letter_of_commitment"] is None


def test_eligible_application_goes_into_review_and_is_audited():
    application = SubmittedApplicationFactory()
    coordinator = coordinator_of(application.call)
    services.decide_eligibility(application, by=coordinator, decision="eligible")
    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    screening = EligibilityScreening.objects.get(application=application)
    assert screening.decided_by == coordinator and screening.decided_at
    event = AuditEvent.objects.get(action="eligibility.decided")
    assert event.actor == coordinator and event.after["decision"] == "eligible"
    assert not Message.objects.exists()


def test_ineligible_applicant_members_are_told_why_by_email():
    application = SubmittedApplicationFactory()
    first = MembershipFactory(organisation=application.organisation).user
    second = MembershipFactory(organisation=application.organisation).user
    coordinator = coordinator_of(application.call)
    services.decide_eligibility(
        application, by=coordinator, decision="ineligible", reason="The city is in a non-eligible country."
    )
    application.refresh_from_db()
    assert application.status == Status.INELIGIBLE
    messages = Message.objects.filter(kind="eligibility")
    assert {m.to_email for m in messages} == {first.email, second.email}
    assert all("The city is in a non-eligible country." in m.body_text for m in messages)
    assert all(application.reference in m.subject for m in messages)


def test_ineligible_needs_a_reason():
    application = SubmittedApplicationFactory()
    with pytest.raises(services.EvaluationError):
        services.decide_eligibility(application, by=UserFactory(), decision="ineligible", reason=" ")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_screening_page_shows_the_prefill_and_records_the_decision(client):
    call = ClosedCallFactory(eligible_countries=["FR"])
    application = SubmittedApplicationFactory(call=call, organisation=OrganisationFactory(country="DK"))
    client.force_login(coordinator_of(call))
    url = reverse("reviews:screening", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["eligible_country"] == "no"
    assert form.initial["eligible_organisation_type"] == "yes"
    response = client.post(url, {"eligible_country": "no", "decision": "ineligible", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"eligible_country": "no", "decision": "ineligible", "reason": "Denmark."})
    assert response.status_code == 302
    screening = EligibilityScreening.objects.get(application=application)
    assert screening.eligible_country is False and screening.prefilled["eligible_country"] is False
    assert screening.reason == "Denmark."


def test_screening_is_for_the_calls_coordinators_only(client):
    application = SubmittedApplicationFactory()
    client.force_login(coordinator_of(ClosedCallFactory()))
    assert client.get(reverse("reviews:screening", args=[application.pk])).status_code == 404
    assert client.get(reverse("reviews:screening_list", args=[application.call.slug])).status_code == 404


def test_screening_list_query_count_does_not_grow(client, django_assert_num_queries):
    call = ClosedCallFactory()
    coordinator = coordinator_of(call)
    client.force_login(coordinator)
    url = reverse("reviews:screening_list", args=[call.slug])
    SubmittedApplicationFactory(call=call)
    small = count_queries(client, url)
    for _ in range(6):
        application = SubmittedApplicationFactory(call=call)
        services.decide_eligibility(application, by=coordinator, decision="eligible")
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_a_french_speaking_applicant_is_told_in_french():
    application = SubmittedApplicationFactory()
    member = MembershipFactory(organisation=application.organisation, user__language="fr").user
    services.decide_eligibility(
        application, by=coordinator_of(application.call), decision="ineligible", reason="Pays non éligible."
    )
    message = Message.objects.get(to_email=member.email)
    assert message.language == "fr"
    assert "n'est pas éligible" in message.subject
    assert "Le motif" in message.body_text and "Pays non éligible." in message.body_text
