"""Autosave and two colleagues editing one draft: nothing typed is lost, nothing is overwritten silently."""

import json
import re

import pytest
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from intake.models import Answer
from tests.factories import ApplicationFactory
from tests.factories.applications import applicant, call_with_questions

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft():
    call = call_with_questions()
    ada = applicant(full_name="Ada Rossi")
    organisation = ada.organisations.get()
    bruno = applicant(organisation, full_name="Bruno Weber")
    application = ApplicationFactory(call=call, organisation=organisation)
    return application, ada, bruno


def step_url(application, number=1):
    return reverse("intake:application_step", args=[application.pk, number])


def autosave_url(application, number=1):
    return reverse("intake:application_autosave", args=[application.pk, number])


def form_state(client, application, number=1):
    """What the browser holds after loading the step: the revision token of each field."""
    content = client.get(step_url(application, number)).content.decode()
    return dict(re.findall(r'name="(base_[\w-]+|form_instance)"[^>]*value="([^"]*)"', content))


def test_autosave_saves_and_tells_the_browser_which_fields_are_safe(client, draft):
    application, ada, _ = draft
    client.force_login(ada)
    state = form_state(client, application)
    response = client.post(autosave_url(application), {**state, "q_motivation": "Half a sentence"}, **HTMX)
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    event = json.loads(response["HX-Trigger"])["autosaved"]
    assert "q_motivation" in event["saved"]
    answer = Answer.objects.get(question__key="motivation")
    assert answer.value == "Half a sentence"
    # The page's revision token is brought up to date so the next save is not a conflict.
    assert f'value="{answer.revision}:' in response.content.decode()
    assert 'data-hx-swap-oob="true"' in response.content.decode()


def test_autosave_keeps_invalid_text_out_of_the_database_and_says_why(client, draft):
    application, ada, _ = draft
    client.force_login(ada)
    response = client.post(autosave_url(application), {"q_motivation": "x" * 250, "q_officers": "12"}, **HTMX)
    event = json.loads(response["HX-Trigger"])["autosaved"]
    assert "q_motivation" not in event["saved"]  # the browser keeps it
    assert "at most 200 characters" in response.content.decode()
    assert Answer.objects.get(question__key="officers").value == 12


def test_autosave_after_the_session_expired_answers_401_so_the_browser_keeps_the_text(client, draft):
    application, _, _ = draft
    response = client.post(autosave_url(application), {"q_motivation": "typed while logged out"}, **HTMX)
    assert response.status_code == 401
    assert not Answer.objects.exists()


def test_colleagues_later_save_is_refused_with_their_name_and_text_and_mine_is_kept(client, draft):
    application, ada, bruno = draft
    client.force_login(ada)
    ada_state = form_state(client, application)
    client.force_login(bruno)
    bruno_state = form_state(client, application)
    client.post(step_url(application), {**bruno_state, "action": "save", "q_motivation": "Bruno's version"})

    client.force_login(ada)
    response = client.post(
        step_url(application),
        {**ada_state, "action": "save", "q_motivation": "Ada's version", "q_officers": "40"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: a colleague changed this answer" in content
    assert "Bruno Weber saved it on" in content
    assert "Bruno&#x27;s version" in content  # their text, shown
    assert "Ada&#x27;s version</textarea>" in content  # mine, still in the field
    assert Answer.objects.get(question__key="motivation").value == "Bruno's version"
    assert Answer.objects.get(question__key="officers").value == 40  # no conflict there: saved

    # Having seen their text, Ada saves her merged version on purpose.
    override = dict(re.findall(r'name="(override_[\w-]+)" value="(\d+)"', content))
    response = client.post(
        step_url(application),
        {
            **ada_state,
            **override,
            "action": "save",
            "q_motivation": "Ada's and Bruno's version",
            "q_officers": "40",
        },
    )
    assert response.status_code == 302
    answer = Answer.objects.get(question__key="motivation")
    assert answer.value == "Ada's and Bruno's version"
    assert answer.updated_by == ada


def test_autosave_refuses_a_conflicting_field_until_the_person_saves_on_purpose(client, draft):
    application, ada, bruno = draft
    client.force_login(ada)
    ada_state = form_state(client, application)
    client.force_login(bruno)
    client.post(step_url(application), {**form_state(client, application), "q_motivation": "Bruno's"})
    client.force_login(ada)
    response = client.post(autosave_url(application), {**ada_state, "q_motivation": "Ada's"}, **HTMX)
    assert "q_motivation" not in json.loads(response["HX-Trigger"])["autosaved"]["saved"]
    assert "Bruno Weber saved it on" in response.content.decode()
    assert Answer.objects.get(question__key="motivation").value == "Bruno's"


def test_a_field_i_did_not_touch_keeps_my_colleagues_newer_answer(client, draft):
    application, ada, bruno = draft
    client.force_login(ada)
    client.post(step_url(application), {**form_state(client, application), "q_officers": "10"})
    ada_state = form_state(client, application)
    client.force_login(bruno)
    client.post(step_url(application), {**form_state(client, application), "q_officers": "25"})
    client.force_login(ada)
    # Ada's page still shows 10 for officers; she only types her motivation.
    response = client.post(
        step_url(application), {**ada_state, "action": "save", "q_officers": "10", "q_motivation": "Mine"}
    )
    assert response.status_code == 302
    assert Answer.objects.get(question__key="officers").value == 25
    assert Answer.objects.get(question__key="motivation").value == "Mine"


def test_my_own_autosave_never_conflicts_with_my_page_save(client, draft):
    application, ada, _ = draft
    client.force_login(ada)
    state = form_state(client, application)
    client.post(autosave_url(application), {**state, "q_motivation": "Draft one"}, **HTMX)
    response = client.post(step_url(application), {**state, "action": "save", "q_motivation": "Draft two"})
    assert response.status_code == 302
    assert Answer.objects.get(question__key="motivation").value == "Draft two"


def test_two_sessions_of_the_same_person_never_lose_a_save(draft):
    application, ada, _ = draft
    laptop, phone = Client(), Client()
    laptop.force_login(ada)
    phone.force_login(ada)
    on_laptop, on_phone = form_state(laptop, application), form_state(phone, application)

    first = laptop.post(
        step_url(application), {**on_laptop, "action": "save", "q_motivation": "From the laptop"}
    )
    second = phone.post(
        step_url(application), {**on_phone, "action": "save", "q_motivation": "From the phone"}
    )

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert "you changed this answer in another window or session" in page
    assert re.search(r'name="q_motivation"[^>]*>\s*From the phone</textarea>', page)  # typed here, kept
    assert "From the laptop" in page  # and the saved version is shown beside it
    assert Answer.objects.get(question__key="motivation").value == "From the laptop"


def test_the_same_person_saving_at_the_same_time_from_two_autosaves_keeps_both_texts(draft):
    application, ada, _ = draft
    laptop, phone = Client(), Client()
    laptop.force_login(ada)
    phone.force_login(ada)
    on_laptop, on_phone = form_state(laptop, application), form_state(phone, application)

    laptop.post(autosave_url(application), {**on_laptop, "q_motivation": "Laptop draft"}, **HTMX)
    refused = phone.post(autosave_url(application), {**on_phone, "q_motivation": "Phone draft"}, **HTMX)

    assert "Saved at" not in refused.content.decode()
    assert "Not saved" in refused.content.decode()
    assert Answer.objects.get(question__key="motivation").value == "Laptop draft"


def test_step_page_loads_autosave_script_and_no_inline_script(client, draft):
    application, ada, _ = draft
    client.force_login(ada)
    content = client.get(step_url(application)).content.decode()
    assert static("js/autosave.js") in content
    assert "<script>" not in content and " onclick=" not in content
    assert 'data-max-length="200"' in content
    assert "maxlength" not in content  # the browser must never cut pasted text
