"""A call's own openings of its emails and letters: inserted values escaped, defaults kept."""

import pytest
from django.core import mail

from intake.models import CallMessageText, MessageKind
from intake.services import submit_application, withdraw_application
from notifications.models import Message
from reviews import letters
from reviews.models import Outcome
from reviews.services.decisions import tell_decision
from tests.factories import ApplicationFactory, MembershipFactory
from tests.factories.applications import call_with_questions, fill_in
from tests.reviews.test_letters import decision_for, read, stored

pytestmark = pytest.mark.django_db

HOSTILE_CITY = "<img src=x onerror=alert(1)> [win](https://evil.example) *bold*"


def write(call, kind, en="", fr=""):
    return CallMessageText.objects.create(call=call, kind=kind, text_en=en, text_fr=fr)


def test_the_submission_confirmation_opens_with_the_calls_text_and_its_values(
    django_capture_on_commit_callbacks,
):
    call = call_with_questions(title_en="Trainers' academy")
    member = MembershipFactory(organisation__name=HOSTILE_CITY)
    application = ApplicationFactory(call=call, organisation=member.organisation)
    fill_in(application, member.user)
    write(
        call,
        MessageKind.SUBMISSION_CONFIRMATION,
        en="Thank you, **{city}**: we have your application {reference} to *{call}*.\n\n"
        "- Read [the guide](https://efus.eu/guide).",
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application, member.user, declaration=True, privacy_accepted=True)
    message = Message.objects.get(kind="submission_confirmation")
    application.refresh_from_db()
    html, text = message.body_html, message.body_text
    assert "<strong>&lt;img src=x onerror=alert(1)&gt; [win](https://evil.example) *bold*</strong>" in html
    assert f"application {application.reference} to <em>Trainers&#x27; academy</em>" in html
    assert '<li>Read <a href="https://efus.eu/guide">the guide</a>.</li>' in html
    assert "<img" not in html and 'https://evil.example"' not in html
    assert f"Thank you, {HOSTILE_CITY}: we have your application {application.reference}" in text
    assert "- Read the guide (https://efus.eu/guide)." in text
    # The standard opening is replaced, the rest of the message stays.
    assert "We have received the application" not in text
    assert application.reference in text and "Please quote the reference" in text
    assert len(mail.outbox) == 1


def test_an_empty_french_text_keeps_the_standard_french_opening(django_capture_on_commit_callbacks):
    application = ApplicationFactory(organisation__name="Lyon")
    user = MembershipFactory(organisation=application.organisation, user__language="fr").user
    write(application.call, MessageKind.WITHDRAWAL_CONFIRMATION, en="We note that {city} withdrew.")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_application(application, user)
    message = Message.objects.get(kind="withdrawal_confirmation")
    assert message.language == "fr"
    assert "We note that" not in message.body_text
    assert "La candidature de Lyon" in message.body_text


def test_a_decision_email_and_its_letter_carry_the_calls_texts():
    decision = decision_for(Outcome.RESERVE, city="Lyon", reserve_position=2)
    call = decision.application.call
    write(call, MessageKind.DECISION_RESERVE, en="{city} is number {position} on our reserve list.")
    write(
        call,
        MessageKind.LETTER_RESERVE,
        en="Dear colleagues of {city} ({country}), you hold place {position} for {project}.",
    )
    call.project_name = "ACADEMY 1"
    call.save()
    tell_decision(decision)
    message = Message.objects.get(kind="decision")
    assert "Lyon is number 2 on our reserve list." in message.body_text
    _, text = read(stored(letters.issue_decision_letter(decision)))
    assert "Dear colleagues of Lyon (France), you hold place 2 for ACADEMY 1." in text
    assert "has been placed on the reserve list" not in text


def test_a_placeholder_the_message_does_not_offer_stays_as_written():
    decision = decision_for(Outcome.NOT_SELECTED, city="Lyon")
    write(decision.application.call, MessageKind.DECISION_NOT_SELECTED, en="{city}: not {position}.")
    tell_decision(decision)
    assert "Lyon: not {position}." in Message.objects.get(kind="decision").body_text
