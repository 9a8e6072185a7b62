"""What a city is told about its decision: the rule or the person that decided, in its words."""

import pytest

from reviews import services
from reviews.plan import propose_selection, reasons_for_applicant
from reviews.reasons import reasons_in
from tests.factories.selection import scored_call

pytestmark = pytest.mark.django_db


def told(plan, application):
    row = next(row for row in plan.rows() if row.result.pk == application.pk)
    return reasons_for_applicant(plan, row, language="en")


def test_a_city_left_out_by_the_coordinators_is_told_so_never_that_its_score_was_too_low():
    setup = scored_call(places=1, reserve_size=0, max_per_country=2)
    setup.city("Nice", "FR", (5, 5, 5), (5, 5, 5), (5, 5, 5))
    lyon = setup.city("Lyon", "FR", (5, 5, 5), (5, 5, 5), (5, 5, 5))  # the same score as Nice
    services.override_decision(setup.call, lyon, by=setup.coordinator, action="exclude", justification="x")

    reasons = told(propose_selection(setup.call), lyon)

    assert "coordinators' final choice" in reasons
    assert "below" not in reasons


def test_a_city_tied_with_the_last_selected_one_is_told_of_the_tie_break_not_of_a_lower_score():
    setup = scored_call(places=1, reserve_size=0, max_per_country=2)
    first = setup.city("Nice", "FR", (5, 5, 5), (5, 5, 5), (5, 5, 5))
    second = setup.city("Lyon", "FR", (5, 5, 5), (5, 5, 5), (5, 5, 5))
    plan = propose_selection(setup.call)
    left_out = second if plan.outcome_for(first.pk) == "selected" else first

    reasons = told(plan, left_out)

    assert "equals that of the last selected city" in reasons
    assert "is below" not in reasons


def test_scores_in_the_reasons_are_written_as_the_reader_writes_numbers():
    facts = [{"fact": "below_cut_off", "score": "73.67", "cut_off": "76.33"}]

    assert "73.67" in reasons_in(facts, "en") and "76.33" in reasons_in(facts, "en")
    assert "73,67" in reasons_in(facts, "fr") and "76,33" in reasons_in(facts, "fr")
