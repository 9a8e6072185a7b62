"""Answers are checked by their kind — email, phone, date — the same way by the Save button
and by autosave, and the reason is shown beside the field with the typed text kept."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake.forms import normalise_phone
from intake.models import Answer, QuestionKind
from tests.factories import ApplicationFactory, QuestionFactory
from tests.factories.applications import applicant, call_with_questions

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(client):
    """A draft whose first step also asks for the contact's email, phone and two dates."""
    call = call_with_questions()
    about = call.sections.get(order=1)
    QuestionFactory(section=about, key="contact_email", kind=QuestionKind.EMAIL, required=False, order=4)
    QuestionFactory(section=about, key="contact_phone", kind=QuestionKind.PHONE, required=False, order=5)
    QuestionFactory(section=about, key="founded_on", kind=QuestionKind.DATE, required=False, order=6)
    QuestionFactory(
        section=about,
        key="event_on",
        kind=QuestionKind.DATE,
        required=False,
        order=7,
        min_date=dt.date(2026, 1, 1),
        max_date=dt.date(2027, 12, 31),
    )
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    client.force_login(user)
    return client, application


def save(client, application, values, path):
    """Post the first step as the Save button does, or as autosave does."""
    if path == "save":
        url = reverse("intake:application_step", args=[application.pk, 1])
        return client.post(url, {"action": "save", **values})
    url = reverse("intake:application_autosave", args=[application.pk, 1])
    return client.post(url, values, **HTMX)


def stored(application, key):
    answer = Answer.objects.filter(application=application, question__key=key).first()
    return answer.value if answer else None


BOTH_PATHS = pytest.mark.parametrize("path", ["save", "autosave"])


@BOTH_PATHS
@pytest.mark.parametrize(
    "typed", ["not an address", "ada@", "ada@bologna", "<script>@x.example", "a" * 250 + "@x.example"]
)
def test_an_email_that_is_no_address_is_refused(draft, path, typed):
    client, application = draft
    response = save(client, application, {"q_contact_email": typed, "q_motivation": "Kept"}, path)
    content = response.content.decode()
    assert "Enter a valid email address." in content or "at most 254 characters" in content
    assert stored(application, "contact_email") is None
    assert stored(application, "motivation") == "Kept"  # the neighbouring answer is saved


@BOTH_PATHS
def test_a_valid_email_is_saved(draft, path):
    client, application = draft
    save(client, application, {"q_contact_email": "  ada.rossi@comune.bologna.it "}, path)
    assert stored(application, "contact_email") == "ada.rossi@comune.bologna.it"


@BOTH_PATHS
@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+32 2 000 00 00", "+3220000000"),
        ("+32 (0)2 279 22 11", "+3222792211"),
        ("+39 051.219.1111", "+390512191111"),
        ("+48-58-323-60-00", "+48583236000"),
        ("0033 4 93 13 20 00", "+33493132000"),
    ],
)
def test_a_phone_in_international_form_is_saved_as_plus_and_digits(draft, path, typed, kept):
    client, application = draft
    save(client, application, {"q_contact_phone": typed}, path)
    assert stored(application, "contact_phone") == kept


@BOTH_PATHS
@pytest.mark.parametrize(
    "typed",
    [
        "📞 +32 2 000 00 00",
        "02 000 00 00",
        "+0 123 456 789",
        "+32 12",
        "+1234567890123456",
        "+32 2 ABC 00 00",
    ],
    ids=["emoji", "no-country-code", "country-code-0", "too-short", "too-long", "letters"],
)
def test_a_phone_that_is_no_international_number_is_refused_with_an_example(draft, path, typed):
    client, application = draft
    response = save(client, application, {"q_contact_phone": typed}, path)
    assert "Enter the number in international form: + and the country code" in response.content.decode()
    assert stored(application, "contact_phone") is None


def test_the_browser_keeps_a_refused_phone_and_the_form_keeps_what_was_typed(draft):
    client, application = draft
    response = save(client, application, {"q_contact_phone": "☎ 051 21"}, "autosave")
    event = json.loads(response["HX-Trigger"])["autosaved"]
    assert "q_contact_phone" not in event["saved"]
    response = save(client, application, {"q_contact_phone": "☎ 051 21"}, "save")
    assert 'value="☎ 051 21"' in response.content.decode()


@BOTH_PATHS
@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_outside_the_default_window_are_refused(draft, path, typed):
    client, application = draft
    response = save(client, application, {"q_founded_on": typed}, path)
    assert "Enter a date between 1 January 1900 and 31 December 2100." in response.content.decode()
    assert stored(application, "founded_on") is None


@BOTH_PATHS
def test_a_question_sets_its_own_date_window(draft, path):
    client, application = draft
    response = save(client, application, {"q_event_on": "2025-12-31", "q_founded_on": "1900-01-01"}, path)
    assert "Enter a date between 1 January 2026 and 31 December 2027." in response.content.decode()
    assert stored(application, "event_on") is None
    assert stored(application, "founded_on") == "1900-01-01"
    save(client, application, {"q_event_on": "2027-12-31"}, path)
    assert stored(application, "event_on") == "2027-12-31"


def test_the_date_picker_offers_the_same_window(draft):
    client, application = draft
    content = client.get(reverse("intake:application_step", args=[application.pk, 1])).content.decode()
    assert 'min="2026-01-01"' in content and 'max="2027-12-31"' in content
    assert 'min="1900-01-01"' in content and 'max="2100-12-31"' in content
    assert 'type="email"' in content and 'type="tel"' in content


def test_email_and_phone_are_shown_on_the_summary(draft):
    client, application = draft
    values = {"q_contact_email": "ada@bologna.example", "q_contact_phone": "+39 051 219 1111"}
    save(client, application, values, "save")
    content = client.get(reverse("intake:application_summary", args=[application.pk])).content.decode()
    assert "ada@bologna.example" in content
    assert "+390512191111" in content


def test_a_question_whose_window_ends_before_it_starts_is_refused(draft):
    _client, application = draft
    question = application.call.sections.get(order=1).questions.get(key="event_on")
    question.min_date, question.max_date = dt.date(2027, 1, 1), dt.date(2026, 1, 1)
    with pytest.raises(ValidationError, match="latest date must come after the earliest"):
        question.full_clean()


def test_phone_normalisation_is_one_rule():
    assert normalise_phone("+32 2 000 00 00") == normalise_phone("0032 (0)2 000.00.00") == "+3220000000"
    with pytest.raises(ValidationError):
        normalise_phone("+٣٢ ٢ ٠٠٠ ٠٠ ٠٠")  # digits of another script are not dialled
