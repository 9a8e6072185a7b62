"""The builder's pages: what a coordinator types reaches the services, errors come back beside
their fields with nothing lost, moves keep the keyboard's focus, previews never save."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from builder import services
from intake.models import Call, CallMessageText, MessageKind, Project, Question, QuestionKind
from portal import roles
from portal.models import AuditEvent
from reviews.models import ReviewSettings
from tests.factories import UserFactory

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, officer):
    client.force_login(officer)
    return client


def url(name, call, *args):
    return reverse(f"builder:{name}", args=[call.slug, *args])


# --- Creating and copying -----------------------------------------------------------------


def test_a_coordinator_creates_a_call_with_a_new_project_in_the_calls_time_zone(browser, officer):
    response = browser.post(
        reverse("builder:call_create"),
        {
            "project_acronym": "ACADEMY 2",
            "project_title_en": "Police academy, second edition",
            "title_en": "Trainers wanted",
            "title_fr": "Formateurs recherchés",
            "slug": "",
            "reference_prefix": "tw27",
            "timezone": "Europe/Lisbon",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-03-01T17:00",
        },
    )
    call = Call.objects.get(slug="trainers-wanted")
    assert response.status_code == 302 and response["Location"] == url("overview", call)
    assert call.reference_prefix == "TW27" and call.project.acronym == "ACADEMY 2"
    # 17:00 on a Lisbon clock in winter is 17:00 UTC.
    assert call.closes_at == dt.datetime(2027, 3, 1, 17, 0, tzinfo=dt.UTC)
    assert Project.objects.get(acronym="ACADEMY 2").coordinators.filter(pk=officer.pk).exists()


def test_a_person_outside_the_coordinator_group_creates_calls_only_in_their_projects(client, project):
    project_officer = UserFactory()
    project.coordinators.add(project_officer)
    client.force_login(project_officer)
    page = client.get(reverse("builder:call_create")).text
    assert "project_acronym" not in page and "ACADEMY" in page
    assert client.get(reverse("builder:call_create")).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("builder:call_create")).status_code == 404


def test_errors_come_back_in_a_summary_linking_to_each_field_with_the_typing_kept(browser, call):
    response = browser.post(
        reverse("builder:call_create"),
        {"title_en": "Kept title", "reference_prefix": call.reference_prefix, "timezone": "Europe/Brussels"},
    )
    page = response.text
    assert response.status_code == 200
    assert "data-focus-on-load" in page and 'href="#id_opens_at"' in page and 'href="#id_project"' in page
    assert 'value="Kept title"' in page


def test_copying_a_call_through_its_page(browser, officer, call):
    complete(call, officer)
    response = browser.post(
        url("call_copy", call),
        {
            "slug": "trainers-2028",
            "reference_prefix": "TA28",
            "opens_at": "2028-01-10T09:00",
            "closes_at": "2028-03-01T17:00",
        },
    )
    copy = Call.objects.get(slug="trainers-2028")
    assert response["Location"] == url("overview", copy)
    assert copy.title_en == call.title_en and not copy.is_published
    assert Question.objects.filter(section__call=copy).count() == 2


# --- Texts and dates ----------------------------------------------------------------------


def test_the_preview_shows_the_public_page_as_typed_in_either_language_and_saves_nothing(browser, call):
    data = {
        "title_en": call.title_en,
        "title_fr": "Titre *provisoire*",
        "description_fr": "Première ligne.\n\n- [Le guide](https://efus.eu)\n- <script>alert(1)</script>",
        "language": "fr",
    }
    response = browser.post(url("texts_preview", call), data, headers={"HX-Request": "true"})
    page = response.text
    assert 'lang="fr"' in page
    assert "Titre *provisoire*" in page  # a title is plain text
    assert '<li><a href="https://efus.eu">Le guide</a></li>' in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "Qui peut candidater" in page  # the page's own headings in French
    call.refresh_from_db()
    assert call.title_fr == "Formateurs pour l'académie de police"


def test_saving_texts_with_a_bad_link_keeps_what_was_typed(browser, call):
    response = browser.post(
        url("texts", call),
        {"title_en": "New title", "description_en": "[Go](javascript:alert(1))", "summary_fr": "Gardé"},
    )
    assert response.status_code == 200
    assert "is not allowed" in response.text and "Gardé" in response.text
    call.refresh_from_db()
    assert call.title_en == "Trainers for the police academy"


def test_dates_are_typed_and_shown_on_the_calls_clock(browser, call):
    response = browser.post(
        url("basics", call),
        {
            "slug": call.slug,
            "reference_prefix": call.reference_prefix,
            "timezone": "Europe/Brussels",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-04-30T17:00",
            "review_deadline": "2027-04-20T17:00",
            "reply_deadline": "",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at == dt.datetime(2027, 4, 30, 15, 0, tzinfo=dt.UTC)  # 17:00 CEST
    page = browser.get(url("basics", call)).text
    assert 'value="2027-04-30T17:00"' in page and "CEST" in page
    assert "The review deadline comes before the call closes." in page


def test_a_time_the_clocks_skip_is_refused(browser, call):
    response = browser.post(
        url("basics", call),
        {
            "slug": call.slug,
            "reference_prefix": call.reference_prefix,
            "timezone": "Europe/Brussels",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-03-28T02:30",
        },
    )
    assert "This time does not exist in Europe/Brussels" in response.text


# --- The form -----------------------------------------------------------------------------


def test_a_question_with_choices_is_added_and_moved_with_the_keyboards_focus_kept(browser, officer, call):
    section = services.add_section(call, by=officer, title_en="Profile")
    services.add_question(section, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Name")
    response = browser.post(
        url("question_add", call, section.pk),
        {
            "kind": "single_choice",
            "section": section.pk,
            "label_en": "Rank",
            "label_fr": "Grade",
            "required": "on",
            "max_files": "1",
            "choices-TOTAL_FORMS": "3",
            "choices-INITIAL_FORMS": "0",
            "choices-0-label_en": "Officer",
            "choices-0-label_fr": "Agent",
            "choices-1-label_en": "Inspector",
            "choices-1-label_fr": "Inspecteur",
        },
    )
    question = Question.objects.get(label_en="Rank")
    assert response.status_code == 302
    assert question.choices == [
        {"value": "officer", "label_en": "Officer", "label_fr": "Agent"},
        {"value": "inspector", "label_en": "Inspector", "label_fr": "Inspecteur"},
    ]
    moved = browser.post(
        url("question_move", call, question.pk), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    outline = moved.text
    assert outline.lstrip().startswith('<div id="form-outline"')
    assert list(section.questions.order_by("order").values_list("label_en", flat=True)) == ["Rank", "Name"]
    # Now first, its "up" is disabled: the focus goes to its "down".
    item = outline[outline.index(f'id="question-{question.pk}"') :]
    item = item[: item.index("</li>")]
    assert 'value="down" class="btn btn-sm btn-outline-secondary" data-focus-after-swap' in item
    # Without htmx the same move sends the person back to the form, at the question.
    back = browser.post(url("question_move", call, question.pk), {"direction": "down"})
    assert back["Location"].endswith(f"#question-{question.pk}")


def test_an_answered_question_shows_its_kind_fixed(browser, officer, call):
    from intake.models import Answer
    from tests.factories import ApplicationFactory

    section = services.add_section(call, by=officer, title_en="Profile")
    question = services.add_question(section, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Name")
    Answer.objects.create(application=ApplicationFactory(call=call), question=question, value="Ana")
    page = browser.get(url("question_edit", call, question.pk)).text
    assert "Fixed: the question has answers." in page
    assert (
        'name="kind"' in page
        and "disabled" in page[page.index('name="kind"') - 200 : page.index('name="kind"') + 200]
    )
    assert (
        "Remove</a>"
        not in browser.get(url("form", call)).text.split(f'id="question-{question.pk}"')[1].split("</li>")[0]
    )


# --- Messages -----------------------------------------------------------------------------


def test_the_email_preview_uses_the_typed_text_with_sample_values_escaped(browser, call):
    data = {"text_en": "Congratulations, **{city}**! <b>{reference}</b>", "text_fr": "", "preview": "en-html"}
    response = browser.post(url("message_preview", call, "decision_selected"), data)
    html = response.text
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "Congratulations, <strong>Example City</strong>! &lt;b&gt;TA27-" in html
    text = browser.post(
        url("message_preview", call, "decision_selected"), {**data, "preview": "en-text"}
    ).text
    assert text.startswith("Subject: Your application TA27-") and "Congratulations, Example City!" in text
    assert not CallMessageText.objects.exists()


def test_the_letter_preview_is_a_specimen_pdf_with_the_typed_opening(browser, officer, call):
    data = {"text_en": "", "text_fr": "Bienvenue parmi les formateurs, {city}.", "preview": "fr-pdf"}
    response = browser.post(url("message_preview", call, "letter_selected"), data)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bienvenue parmi les formateurs, Ville d'Exemple." in " ".join(text.split())
    assert "SPECIMEN" in text


def test_a_message_text_with_an_unknown_value_is_refused_beside_its_field(browser, call):
    response = browser.post(
        url("message_edit", call, "ineligible"), {"text_en": "Dear {mayor}", "text_fr": ""}
    )
    assert "{mayor}: not a value this text can insert" in response.text
    assert not CallMessageText.objects.exists()
    browser.post(
        url("message_edit", call, "ineligible"), {"text_en": "Dear {city}", "text_fr": "Chère {city}"}
    )
    assert CallMessageText.objects.get(kind=MessageKind.INELIGIBLE).text_fr == "Chère {city}"


def test_an_unknown_message_is_a_404(browser, call):
    assert browser.get(url("message_edit", call, "no_such_message")).status_code == 404


# --- Team and publishing ------------------------------------------------------------------


def test_inviting_an_evaluator_from_the_team_page_names_the_call(browser, call):
    browser.post(
        url("team", call), {"email": "Expert@Example.org", "role": roles.EVALUATOR, "language": "fr"}
    )
    invitation = call.staff_invitations.get()
    assert (invitation.email, invitation.role) == ("expert@example.org", roles.EVALUATOR)
    page = browser.get(url("team", call)).text
    assert "expert@example.org" in page


def test_the_last_coordinator_of_a_call_stays(browser, officer, call):
    call.project.coordinators.clear()
    browser.post(url("coordinator_remove", call, officer.pk))
    assert call.coordinators.filter(pk=officer.pk).exists()


def test_publishing_from_the_page(browser, officer, call):
    page = browser.get(url("publish", call)).text
    assert "things to fix before publishing" in page and "disabled" in page
    complete(call, officer)
    browser.post(url("publish", call))
    call.refresh_from_db()
    assert call.is_published


def test_the_builder_pages_speak_french(browser, officer, call):
    browser.post(reverse("set_language"), {"language": "fr"})
    complete(call, officer)
    assert "Textes de la page publique" in browser.get(url("texts", call)).text
    assert "Rien à corriger" in browser.get(url("overview", call)).text


# --- Query counts ---------------------------------------------------------------------------


def grow(officer, call, *, sections, questions, calls):
    for number in range(sections):
        section = services.add_section(
            call, by=officer, title_en=f"Step {number}", title_fr=f"Étape {number}"
        )
        for index in range(questions):
            services.add_question(
                section, by=officer, kind=QuestionKind.SHORT_TEXT, label_en=f"Q{number}.{index}"
            )
    for number in range(calls):
        services.create_call(
            by=officer,
            project=call.project,
            title_en=f"Other {number}",
            slug=f"{call.slug}-other-{number}",
            reference_prefix=f"{call.reference_prefix}O{number}",
            opens_at=call.opens_at,
            closes_at=call.closes_at,
        )


PAGES = [
    "overview",
    "texts",
    "basics",
    "form",
    "faq",
    "evaluation",
    "selection",
    "messages",
    "letters",
    "team",
    "publish",
]


def test_the_builders_pages_read_the_same_number_of_queries_whatever_the_size(client, officer, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import new_call

    small = complete(new_call(officer, project, slug="small", prefix="SM"), officer)
    large = complete(new_call(officer, project, slug="large", prefix="LG"), officer)
    grow(officer, small, sections=1, questions=1, calls=1)
    grow(officer, large, sections=6, questions=10, calls=12)
    client.force_login(officer)

    def count(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for name in PAGES:
        assert count(url(name, small)) == count(url(name, large)), name
    first_question = {
        c: Question.objects.filter(section__call=c).order_by("pk").first() for c in (small, large)
    }
    for name in ("question_edit",):
        assert count(url(name, small, first_question[small].pk)) == count(
            url(name, large, first_question[large].pk)
        )
    assert count(reverse("builder:home")) == count(reverse("builder:home"))
    assert ReviewSettings.objects.count() >= 2
    assert timezone.now()


def test_the_letters_page_previews_the_letter_as_typed(browser, officer, call):
    data = {
        "project_name": "ACADEMY 2027",
        "signatory_name": "Jeanne Typed-Not-Saved",
        "signatory_role_en": "Head of the academy",
        "preview": "en-pdf",
    }
    response = browser.post(url("message_preview", call, "letter_selected"), data)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Jeanne Typed-Not-Saved" in text and "ACADEMY 2027" in text
    call.refresh_from_db()
    assert call.signatory_name == ""


def test_the_evaluation_page_shows_numbers_as_people_write_them(browser, officer, call):
    complete(call, officer)
    page = browser.get(url("evaluation", call)).text
    assert 'name="scale_max" value="5"' in page and 'name="overall_threshold" value="60"' in page


def test_a_question_moves_to_another_step_from_its_page(browser, officer, call):
    first = services.add_section(call, by=officer, title_en="Profile")
    second = services.add_section(call, by=officer, title_en="Documents")
    services.add_question(second, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Already there")
    question = services.add_question(first, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Moving")
    page = browser.get(url("question_edit", call, question.pk)).text
    assert f'<option value="{second.pk}">Documents</option>' in page
    browser.post(
        url("question_edit", call, question.pk),
        {
            "kind": "short_text",
            "section": second.pk,
            "label_en": "Moving",
            "key": question.key,
            "max_files": "1",
            "choices-TOTAL_FORMS": "3",
            "choices-INITIAL_FORMS": "0",
        },
    )
    question.refresh_from_db()
    assert (question.section, question.order) == (second, 2)
    assert not first.questions.exists()


def test_letters_selection_and_scale_are_saved_from_their_pages(browser, officer, call):
    browser.post(
        url("letters", call),
        {"project_name": "ACADEMY", "signatory_name": "Jeanne", "signatory_role_fr": "Directrice"},
    )
    call.refresh_from_db()
    assert (call.project_name, call.signatory_name, call.signatory_role_fr) == (
        "ACADEMY",
        "Jeanne",
        "Directrice",
    )

    shortcut = browser.post(url("selection", call), {"action": "isf_default", "places": "3"})
    boxes = dict(
        re.findall(r'<input type="checkbox" name="eligible_countries" value="(\w\w)"([^>]*)>', shortcut.text)
    )
    assert "checked" in boxes["FR"] and "checked" not in boxes["DK"] and "checked" not in boxes["NO"]
    assert 'name="places" value="3"' in shortcut.text  # what was typed stays
    browser.post(
        url("selection", call),
        {
            "action": "save",
            "places": "3",
            "reserve_size": "1",
            "max_per_country": "2",
            "min_distinct_countries": "2",
            "eligible_countries": ["FR", "BE", "NO"],
            "eligible_kinds": ["municipality", "local_police"],
        },
    )
    call.refresh_from_db()
    assert (call.places, call.eligible_countries, call.requires_commitment_letter) == (
        3,
        ["BE", "FR", "NO"],
        False,
    )
    assert ReviewSettings.objects.get(call=call).min_distinct_countries == 2

    browser.post(url("evaluation", call), {"action": "scale", "scale_max": "10", "scale_step": "1"})
    assert ReviewSettings.objects.get(call=call).scale_max == 10


def test_faq_entries_are_edited_moved_and_removed_from_their_pages(browser, officer, call):
    first = services.add_faq_entry(call, by=officer, question_en="First?", answer_en="Yes.")
    second = services.add_faq_entry(call, by=officer, question_en="Second?", answer_en="No.")
    browser.post(
        url("faq_edit", call, first.pk),
        {"question_en": "First?", "question_fr": "Premier ?", "answer_en": "Yes.", "answer_fr": "Oui."},
    )
    first.refresh_from_db()
    assert first.answer_fr == "Oui."
    moved = browser.post(
        url("faq_move", call, second.pk), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    assert moved.text.lstrip().startswith('<div id="faq-list">') and "data-focus-after-swap" in moved.text
    assert list(call.faq_entries.order_by("order").values_list("question_en", flat=True)) == [
        "Second?",
        "First?",
    ]
    browser.post(url("faq_delete", call, second.pk))
    assert list(call.faq_entries.values_list("question_en", flat=True)) == ["First?"]


def test_a_step_is_renamed_and_removed_from_its_pages(browser, officer, call):
    section = services.add_section(call, by=officer, title_en="Profile")
    services.add_question(section, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Name")
    browser.post(
        url("section_edit", call, section.pk), {"title_en": "Your profile", "title_fr": "Votre profil"}
    )
    section.refresh_from_db()
    assert section.title_fr == "Votre profil"
    confirm = browser.get(url("section_delete", call, section.pk)).text
    assert "Its question goes with it" in confirm and "Name" in confirm
    browser.post(url("section_delete", call, section.pk))
    assert not call.sections.exists()


def test_an_invitation_is_cancelled_from_the_team_page(browser, officer, call):
    invitation = services.invite_to_call(call, by=officer, email="late@example.org", role=roles.EVALUATOR)
    browser.post(url("invitation_cancel", call, invitation.pk))
    assert not call.staff_invitations.exists()
    assert AuditEvent.objects.filter(action="staff.invitation_cancelled", call_id=call.pk).exists()
