"""Bidirectional control characters never reach a page, a letter, a receipt or an export:
they are removed where names, answers, notes and references are stored."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from intake import receipts, services, uploads
from intake.models import Answer, Organisation
from portal.models import User
from portal.text import strip_bidi_controls
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    OrganisationFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
)
from tests.factories.applications import applicant, call_with_questions, fill_in, question
from tests.intake.views.test_organisations import CITY

pytestmark = pytest.mark.django_db

RLO, PDF_MARK, RLI, PDI, LRM, RLM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200e", "\u200f"
# Shown with the override, "Liège" followed by "etats" reversed reads as another city.
HOSTILE_CITY = f"Liège{RLO}stateS{PDF_MARK} {RLI}x{PDI}{LRM}{RLM}"
PLAIN_CITY = "LiègestateS x"


def test_every_bidirectional_control_is_removed_and_nothing_else():
    controls = "".join(
        chr(c) for c in [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    )
    assert (
        strip_bidi_controls(f"Gdańsk{controls} – Škofja Loka, Ελληνικά, 日本")
        == "Gdańsk – Škofja Loka, Ελληνικά, 日本"
    )
    assert strip_bidi_controls({"a": [f"x{RLO}", 3, None]}) == {"a": ["x", 3, None]}


def test_a_city_name_with_an_override_is_stored_and_shown_without_it(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("intake:organisation_create"), {**CITY, "name": HOSTILE_CITY})
    organisation = Organisation.objects.get()
    assert organisation.name == PLAIN_CITY
    page = client.get(reverse("intake:organisation_detail", args=[organisation.pk])).content.decode()
    assert PLAIN_CITY in page
    assert RLO not in page and RLI not in page


def test_editing_an_organisation_removes_them_too():
    organisation = OrganisationFactory()
    user = UserFactory()
    services.update_organisation(organisation, by=user, name=HOSTILE_CITY, address=f"Rue {RLO}1")
    organisation.refresh_from_db()
    assert (organisation.name, organisation.address) == (PLAIN_CITY, "Rue 1")


@pytest.fixture
def draft(client):
    call = call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    client.force_login(user)
    return client, application, user


@pytest.mark.parametrize("path", ["save", "autosave"])
def test_answers_are_stored_and_shown_without_controls(draft, path):
    client, application, _user = draft
    typed = {"q_motivation": f"Our squares in {HOSTILE_CITY}", "q_officers": "12"}
    if path == "save":
        client.post(reverse("intake:application_step", args=[application.pk, 1]), {"action": "save", **typed})
    else:
        url = reverse("intake:application_autosave", args=[application.pk, 1])
        client.post(url, typed, HTTP_HX_REQUEST="true")
    answer = Answer.objects.get(question__key="motivation")
    assert answer.value == f"Our squares in {PLAIN_CITY}"
    summary = client.get(reverse("intake:application_summary", args=[application.pk])).content.decode()
    assert f"Our squares in {PLAIN_CITY}" in summary
    assert RLO not in summary


def test_an_unchanged_answer_with_controls_typed_again_is_not_a_new_revision(draft):
    _client, application, user = draft
    motivation = question(application.call, "motivation")
    services.save_answers(application, [services.AnswerChange(motivation, f"Safe{RLO}")], by=user)
    result = services.save_answers(application, [services.AnswerChange(motivation, f"Safe{RLO}")], by=user)
    assert result.unchanged == [motivation]
    assert Answer.objects.get(question=motivation).revision == 1


def test_the_receipt_reference_and_withdrawal_note_carry_no_controls(draft):
    _client, application, user = draft
    application.call.reference_prefix = f"PS2{RLO}"
    application.call.save()
    motivation = question(application.call, "motivation")
    fill_in(application, user)
    services.save_answers(
        application, [services.AnswerChange(motivation, f"Markets in {HOSTILE_CITY}")], by=user
    )
    application = services.submit_application(application, user, declaration=True, privacy_accepted=True)
    assert application.reference.startswith("PS2-")
    context = receipts.receipt_context(application, "en")
    values = [item["value"] for section in context["sections"] for item in section["items"]]
    assert f"Markets in {PLAIN_CITY}" in values
    services.withdraw_application(application, user, note=f"Elections {RLO}moved")
    assert application.transitions.order_by("-at", "-id").first().note == "Elections moved"


def test_a_persons_name_loses_them_when_edited():
    user = UserFactory(full_name=f"Ada {RLO}issoR")
    user.full_clean()
    assert user.full_name == "Ada issoR"


def test_a_file_name_loses_them_so_an_exe_cannot_pose_as_a_pdf():
    # "letter<RLO>fdp.exe" is shown by a browser as "letterexe.pdf".
    assert uploads.safe_display_name(f"letter{RLO}fdp.exe", uploads.PDF) == "letterfdp.pdf"


def test_text_stored_before_is_cleaned_by_the_migration():
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(name=HOSTILE_CITY)  # as an older version kept it
    application = ApplicationFactory(call=call_with_questions(), organisation=organisation)
    choice = question(application.call, "events")
    Answer.objects.create(application=application, question=choice, value=[f"sport{RLO}", "music"])
    person = UserFactory()
    User.objects.filter(pk=person.pk).update(full_name=f"Ada {RLM}Rossi")
    migration = importlib.import_module("intake.migrations.0006_demo_contact_kinds_and_plain_text")
    migration.strip_bidi_controls(apps, None)
    organisation.refresh_from_db()
    person.refresh_from_db()
    assert organisation.name == PLAIN_CITY
    assert Answer.objects.get(question=choice).value == ["sport", "music"]
    assert person.full_name == "Ada Rossi"


def test_the_migration_gives_the_demo_contact_questions_their_kinds():
    call = CallFactory(slug="pactesur-2")
    other = CallFactory()
    demo_email = QuestionFactory(section=SectionFactory(call=call), key="contact_email")
    other_email = QuestionFactory(section=SectionFactory(call=other), key="contact_email")
    migration = importlib.import_module("intake.migrations.0006_demo_contact_kinds_and_plain_text")
    migration.demo_contact_kinds(apps, None)
    demo_email.refresh_from_db()
    other_email.refresh_from_db()
    assert (demo_email.kind, other_email.kind) == ("email", "short_text")
