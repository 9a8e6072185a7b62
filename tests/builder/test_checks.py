"""The check before publishing: every problem named, each with a link to where it is fixed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from builder import services
from builder.checks import publish_problems
from intake.models import CallMessageText, MessageKind, QuestionKind
from reviews.models import CallEvaluator

from .conftest import complete, new_call

pytestmark = pytest.mark.django_db


def messages_of(call):
    return [problem.message for problem in publish_problems(call)]


def test_a_new_call_lists_what_it_lacks_with_links_that_open(client, officer, call):
    problems = publish_problems(call)
    areas = {problem.area for problem in problems}
    assert areas == {"texts", "form", "evaluation", "letters", "team"}
    client.force_login(officer)
    for problem in problems:
        path, _sep, anchor = problem.url.partition("#")
        page = client.get(path)
        assert page.status_code == 200, problem
        # The link lands on the field, or the part of the page, to fix.
        assert not anchor or f'id="{anchor}"' in page.text, problem
    texts = [p for p in problems if p.area == "texts"]
    assert any(p.url.endswith("#id_summary_fr") and "French" in p.message for p in texts)


def test_a_complete_call_has_nothing_to_fix(officer, call):
    assert publish_problems(complete(call, officer)) == []


def test_missing_french_is_named_for_each_text(officer, call):
    complete(call, officer)
    services.change_call_texts(call, by=officer, changes={"how_to_apply_fr": ""})
    section = call.sections.get()
    services.add_question(
        section, by=officer, kind=QuestionKind.SHORT_TEXT, label_en="Role", help_en="Your *role*"
    )
    services.add_faq_entry(call, by=officer, question_en="Who?", answer_en="Police.")
    found = messages_of(call)
    assert "How to apply: write it in French." in found
    assert "Question “Role”: write it in French." in found  # its label, then its help
    assert found.count("Question “Role”: write it in French.") == 2
    assert found.count("FAQ “Who?”: write it in French.") == 2


def test_weights_that_do_not_add_up_to_100_are_named(officer, call):
    complete(call, officer)
    services.add_criterion(call, by=officer, name_en="Extra", name_fr="En plus", weight=Decimal("12.5"))
    problem = next(p for p in publish_problems(call) if p.area == "evaluation")
    assert problem.message == "The criteria's weights add up to 112.5; they must add up to 100."
    assert problem.url == reverse("builder:evaluation", args=[call.slug]) + "#weights"


def test_a_required_letter_of_commitment_needs_its_file_question(officer, call):
    complete(call, officer)
    letter = call.sections.get().questions.get(key="commitment_letter")
    services.change_question(letter, by=officer, changes={"required": False})
    assert any("letter of commitment" in m for m in messages_of(call))
    services.change_selection_rules(call, by=officer, changes={"requires_commitment_letter": False})
    assert not any("letter of commitment" in m for m in messages_of(call))


def test_a_closing_date_in_the_past_and_dates_out_of_order(officer, call):
    complete(call, officer)
    call.opens_at = timezone.now() - dt.timedelta(days=30)
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.reply_deadline = call.closes_at - dt.timedelta(days=1)
    call.save()
    found = messages_of(call)
    assert "The closing date is in the past: move it to a date to come." in found
    assert "The reply deadline comes before the call closes." in found


def test_rules_that_cannot_be_met_and_no_evaluator(officer, call):
    complete(call, officer, evaluators=0)
    services.change_selection_rules(
        call, by=officer, changes={"places": 5, "max_per_country": 2, "eligible_countries": ["FR", "BE"]}
    )
    found = messages_of(call)
    assert any("only 4 of the 5 places can be filled" in m for m in found)
    assert "The call has no evaluator: invite them." in found


def test_fewer_evaluators_than_reviews_per_application(officer, call):
    complete(call, officer, evaluators=1)
    services.change_review_settings(call, by=officer, changes={"evaluators_per_application": 3})
    assert any("reviewed by 3 evaluators, but the call has 1" in m for m in messages_of(call))


def test_a_message_text_in_one_language_only(officer, call):
    complete(call, officer)
    CallMessageText.objects.create(call=call, kind=MessageKind.INELIGIBLE, text_en="Sorry, {city}.")
    problem = next(p for p in publish_problems(call) if p.area == "messages")
    assert "write it in French" in problem.message
    assert problem.url == reverse("builder:message_edit", args=[call.slug, "ineligible"]) + "#id_text_fr"


def test_the_check_reads_a_fixed_number_of_queries(officer, project):
    def size(call, sections, questions):
        for number in range(sections):
            section = services.add_section(
                call, by=officer, title_en=f"Step {number}", title_fr=f"Étape {number}"
            )
            for index in range(questions):
                services.add_question(
                    section,
                    by=officer,
                    kind=QuestionKind.SINGLE_CHOICE,
                    label_en=f"Q {number}.{index}",
                    choices=[{"label_en": "Yes"}, {"label_en": "No"}],
                )
        return call

    def queries(call):
        fresh = type(call).objects.select_related("project").get(pk=call.pk)
        with CaptureQueriesContext(connection) as captured:
            publish_problems(fresh)
        return len(captured)

    small = size(new_call(officer, project, slug="small", prefix="S1"), 1, 1)
    large = size(new_call(officer, project, slug="large", prefix="L1"), 6, 8)
    for number in range(8):
        new_call(officer, project, slug=f"other-{number}", prefix=f"O{number}")
    CallEvaluator.objects.create(call=large, user=officer)
    assert queries(small) == queries(large)


def test_every_link_of_a_call_full_of_problems_lands_on_its_field(client, officer, call):
    complete(call, officer, evaluators=1)
    section = call.sections.get()
    services.add_question(
        section,
        by=officer,
        kind=QuestionKind.SINGLE_CHOICE,
        label_en="Level",
        help_en="Your level",
        choices=[{"label_en": "Low"}, {"label_en": "High"}],
    )
    services.add_faq_entry(call, by=officer, question_en="Who?", answer_en="Police.")
    services.add_criterion(call, by=officer, name_en="Extra", weight=Decimal(5), threshold=Decimal(2))
    services.change_review_settings(call, by=officer, changes={"evaluators_per_application": 3})
    services.change_selection_rules(call, by=officer, changes={"eligible_countries": ["FR"], "places": 3})
    CallMessageText.objects.create(call=call, kind=MessageKind.LETTER_RESERVE, text_fr="Liste de réserve")
    services.change_letter_texts(call, by=officer, changes={"signatory_name": "", "funding_statement_fr": ""})
    call.reply_deadline = call.opens_at
    call.save()
    problems = publish_problems(call)
    assert {p.area for p in problems} == {
        "form",
        "faq",
        "evaluation",
        "selection",
        "messages",
        "letters",
        "team",
        "basics",
    }
    client.force_login(officer)
    for problem in problems:
        path, _sep, anchor = problem.url.partition("#")
        page = client.get(path)
        assert page.status_code == 200, problem
        assert not anchor or f'id="{anchor}"' in page.text, problem
