"""The application form built through the services: steps, questions, answered questions,
and the earlier wordings the answers keep."""

import pytest
from django.urls import reverse

from builder import services
from intake import receipts
from intake import services as intake_services
from intake.models import Answer, Application, Question, QuestionKind, QuestionRevision
from portal.models import AuditEvent
from tests.factories import ApplicationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(officer, call):
    return services.add_section(call, by=officer, title_en="Profile", title_fr="Profil")


def add(section, officer, **fields):
    fields.setdefault("kind", QuestionKind.SHORT_TEXT)
    fields.setdefault("label_en", "Your name")
    return services.add_question(section, by=officer, **fields)


def test_a_question_gets_a_key_unique_within_the_call_from_its_english_label(officer, call, section):
    other = services.add_section(call, by=officer, title_en="Other")
    first = add(section, officer, label_en="Letter of commitment (signed)")
    second = add(other, officer, label_en="Letter of commitment (signed)")
    assert (first.key, second.key) == ("letter_of_commitment_signed", "letter_of_commitment_signed_2")
    with pytest.raises(services.BuildRefused, match="has this key"):
        add(other, officer, key="letter_of_commitment_signed")


def test_choices_keep_stable_values_when_their_labels_change(officer, section):
    question = add(
        section,
        officer,
        kind=QuestionKind.SINGLE_CHOICE,
        label_en="Level",
        choices=[{"label_en": "Beginner", "label_fr": "Débutant"}, {"label_en": "Expert"}, {"label_en": ""}],
    )
    assert [c["value"] for c in question.choices] == ["beginner", "expert"]
    changed = services.change_question(
        question,
        by=officer,
        changes={
            "choices": [
                {"value": "beginner", "label_en": "Novice"},
                {"value": "expert", "label_en": "Expert"},
            ]
        },
    )
    assert changed.choices[0] == {"value": "beginner", "label_en": "Novice", "label_fr": ""}


def test_a_choice_question_needs_two_choices_and_settings_of_other_kinds_are_dropped(officer, section):
    with pytest.raises(services.BuildRefused, match="two choices"):
        add(section, officer, kind=QuestionKind.MULTIPLE_CHOICE, choices=[{"label_en": "Only one"}])
    question = add(section, officer, kind=QuestionKind.NUMBER, max_length=50, min_value=0, max_value=10)
    assert question.max_length is None and question.max_value == 10


def test_steps_and_questions_move_up_and_down(officer, call, section):
    later = services.add_section(call, by=officer, title_en="Documents")
    services.move_section(later, by=officer, direction="up")
    assert list(call.sections.order_by("order").values_list("title_en", flat=True)) == [
        "Documents",
        "Profile",
    ]
    a, b = add(section, officer, label_en="A"), add(section, officer, label_en="B")
    services.move_question(b, by=officer, direction="up")
    assert list(section.questions.order_by("order").values_list("label_en", flat=True)) == ["B", "A"]
    assert AuditEvent.objects.filter(action="question.moved", object_id=str(b.pk)).count() == 1
    services.move_question(b, by=officer, direction="up")  # already first
    assert AuditEvent.objects.filter(action="question.moved").count() == 1
    assert a.pk


@pytest.fixture
def answered(officer, call, section):
    """A single-choice question one applicant answered "expert"."""
    question = add(
        section,
        officer,
        kind=QuestionKind.SINGLE_CHOICE,
        label_en="Your level",
        label_fr="Votre niveau",
        choices=[{"label_en": "Beginner"}, {"label_en": "Expert"}],
    )
    application = ApplicationFactory(call=call)
    Answer.objects.create(application=application, question=question, value="expert")
    return question


def test_an_answered_question_keeps_its_kind_and_key_and_cannot_be_removed(officer, answered):
    with pytest.raises(services.BuildRefused, match="kind and key"):
        services.change_question(answered, by=officer, changes={"kind": QuestionKind.SHORT_TEXT})
    with pytest.raises(services.BuildRefused, match="kind and key"):
        services.change_question(answered, by=officer, changes={"key": "level"})
    with pytest.raises(services.BuildRefused, match="no longer be removed"):
        services.remove_question(answered, by=officer)
    with pytest.raises(services.BuildRefused, match="no longer be removed"):
        services.remove_section(answered.section, by=officer)
    with pytest.raises(services.BuildRefused, match="choice you removed"):
        services.change_question(
            answered,
            by=officer,
            changes={"choices": [{"value": "beginner", "label_en": "B"}, {"label_en": "C"}]},
        )
    assert Question.objects.filter(pk=answered.pk, kind=QuestionKind.SINGLE_CHOICE).exists()


def test_an_unanswered_question_and_its_step_are_removed(officer, section):
    question = add(section, officer)
    services.remove_question(question, by=officer)
    assert not Question.objects.filter(pk=question.pk).exists()
    services.remove_section(section, by=officer)
    assert AuditEvent.objects.get(action="section.removed").before["title_en"] == "Profile"


def test_before_publication_a_new_wording_keeps_no_revision(officer, section):
    question = add(section, officer)
    services.change_question(question, by=officer, changes={"label_en": "Your full name"})
    assert not QuestionRevision.objects.exists()
    assert Question.objects.get(pk=question.pk).revision == 1


def test_a_new_wording_of_an_answered_question_is_a_recorded_revision(officer, answered):
    services.change_question(
        answered,
        by=officer,
        changes={
            "label_en": "Your level of English",
            "choices": [{"value": "beginner", "label_en": "A1-A2"}, {"value": "expert", "label_en": "C1-C2"}],
        },
    )
    answered.refresh_from_db()
    assert answered.revision == 2
    earlier = QuestionRevision.objects.get(question=answered)
    assert (earlier.number, earlier.label_en, earlier.label_fr) == (1, "Your level", "Votre niveau")
    assert [c["label_en"] for c in earlier.choices] == ["Beginner", "Expert"]
    event = AuditEvent.objects.get(action="question.reworded")
    assert event.before["label_en"] == "Your level" and event.before["revision"] == 1
    assert event.after["label_en"] == "Your level of English" and event.after["revision"] == 2


def test_the_summary_and_the_receipt_show_the_wording_an_answer_was_given_under(
    client, officer, call, section
):
    member = MembershipFactory()
    application = ApplicationFactory(call=call, organisation=member.organisation)
    question = add(
        section,
        officer,
        kind=QuestionKind.SINGLE_CHOICE,
        label_en="Your level",
        choices=[{"label_en": "Beginner"}, {"label_en": "Expert"}],
    )
    call.is_published = True
    call.save()
    call.opens_at = call.opens_at.replace(year=call.opens_at.year - 1)
    call.save()
    intake_services.save_answers(
        application, [intake_services.AnswerChange(question, "expert")], by=member.user
    )
    assert Answer.objects.get(question=question).question_revision == 1
    services.change_question(
        question,
        by=officer,
        changes={
            "label_en": "Your level of English",
            "choices": [{"value": "beginner", "label_en": "A1-A2"}, {"value": "expert", "label_en": "C1-C2"}],
        },
    )
    client.force_login(member.user)
    summary = client.get(reverse("intake:application_summary", args=[application.pk])).text
    assert "Your level of English" in summary
    assert "Answered when the question read: “Your level”" in summary
    assert "Expert" in summary and "C1-C2" not in summary

    Application.objects.filter(pk=application.pk).update(
        submitted_at=call.opens_at, reference="TA27-2026-0001"
    )
    context = receipts.receipt_context(application, "en")
    item = context["sections"][0]["items"][0]
    assert (item["label"], item["value"]) == ("Your level", "Expert")

    # Answering again records the current wording.
    question.refresh_from_db()
    intake_services.save_answers(
        application, [intake_services.AnswerChange(question, "beginner")], by=member.user
    )
    assert Answer.objects.get(question=question).question_revision == 2
    assert (
        "Answered when the question read"
        not in client.get(reverse("intake:application_summary", args=[application.pk])).text
    )


def test_help_and_introductions_reach_the_applicant_escaped_through_the_markup(client, officer, call):
    section = services.add_section(
        call, by=officer, title_en="Profile", intro_en="Read *this* first.\n\n- [the guide](https://efus.eu)"
    )
    question = add(section, officer, label_en="<b>Name</b>", help_en="Your **full** name")
    with pytest.raises(services.BuildRefused, match="HTML is not interpreted"):
        services.change_question(
            question, by=officer, changes={"help_en": "Your **full** name, e.g. <i>Ana</i>"}
        )
    # Even a text that reached the database another way (the admin) shows as typed.
    Question.objects.filter(pk=question.pk).update(help_en="Your **full** name, e.g. <i>Ana</i>")
    call.is_published = True
    call.opens_at = call.opens_at.replace(year=call.opens_at.year - 1)
    call.save()
    member = MembershipFactory()
    application = ApplicationFactory(call=call, organisation=member.organisation)
    client.force_login(member.user)
    page = client.get(reverse("intake:application_step", args=[application.pk, 1])).text
    assert "Read <em>this</em> first." in page and '<a href="https://efus.eu">the guide</a>' in page
    assert "&lt;b&gt;Name&lt;/b&gt;" in page and "<b>Name</b>" not in page
    assert "Your <strong>full</strong> name, e.g. &lt;i&gt;Ana&lt;/i&gt;" in page
