"""The deadline is the server's, to the second, in the call's time zone, across daylight-saving changes."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from intake import services
from intake.models import Answer, Status
from tests.factories import ApplicationFactory
from tests.factories.applications import applicant, call_with_questions, fill_in
from tests.utils import page_state

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

# Kept in UTC: Python adds timedeltas to wall-clock time, which is wrong across a change.
DEADLINES = {
    # Summer time ends on 25 October 2026 at 03:00 CEST: 02:30 happens twice.
    "02:30 CEST, before clocks go back": dt.datetime(2026, 10, 25, 2, 30, tzinfo=BRUSSELS),
    "02:30 CET, the repeated half hour": dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BRUSSELS),
    "03:00 CET, right after clocks went back": dt.datetime(2026, 10, 25, 3, 0, tzinfo=BRUSSELS),
    # Summer time starts on 29 March 2026: 02:00 CET becomes 03:00 CEST.
    "03:00 CEST, right after clocks went forward": dt.datetime(2026, 3, 29, 3, 0, tzinfo=BRUSSELS),
}
DEADLINES = {name: moment.astimezone(dt.UTC) for name, moment in DEADLINES.items()}


def draft_closing_at(closes_at):
    call = call_with_questions(opens_at=closes_at - dt.timedelta(days=30), closes_at=closes_at)
    user = applicant()
    with time_machine.travel(closes_at - dt.timedelta(days=1), tick=False):
        application = fill_in(ApplicationFactory(call=call, organisation=user.organisations.get()), user)
    return application, user


def submit_url(application):
    return reverse("intake:application_submit", args=[application.pk])


ACCEPT = {"declaration": "on", "privacy": "on"}


@pytest.mark.parametrize("closes_at", DEADLINES.values(), ids=DEADLINES.keys())
def test_submit_one_second_before_the_deadline_is_accepted(client, closes_at):
    application, user = draft_closing_at(closes_at)
    client.force_login(user)
    with time_machine.travel(closes_at - dt.timedelta(seconds=1), tick=False):
        response = client.post(submit_url(application), ACCEPT)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at == closes_at - dt.timedelta(seconds=1)


@pytest.mark.parametrize("closes_at", DEADLINES.values(), ids=DEADLINES.keys())
def test_submit_at_and_after_the_deadline_is_refused(client, closes_at):
    application, user = draft_closing_at(closes_at)
    client.force_login(user)
    for late in (dt.timedelta(0), dt.timedelta(seconds=1)):
        with time_machine.travel(closes_at + late, tick=False):
            response = client.post(submit_url(application), ACCEPT)
            assert "The call is closed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    with pytest.raises(services.ApplicationRefused), time_machine.travel(closes_at, tick=False):
        services.submit_application(application, user, declaration=True, privacy_accepted=True)


def test_the_repeated_hour_is_told_apart(client):
    """02:30 CEST and 02:30 CET are an hour apart; the deadline is the one the call names."""
    closes_at = DEADLINES["02:30 CET, the repeated half hour"]
    application, user = draft_closing_at(closes_at)
    client.force_login(user)
    first_half_past_two = DEADLINES["02:30 CEST, before clocks go back"]
    with time_machine.travel(first_half_past_two + dt.timedelta(minutes=30), tick=False):
        page = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
        assert "02:30 CET" in page
        assert "The call is closed" not in page
        assert client.post(submit_url(application), ACCEPT).status_code == 302


def test_draft_is_read_only_after_the_deadline_and_says_so(client):
    closes_at = DEADLINES["03:00 CET, right after clocks went back"]
    application, user = draft_closing_at(closes_at)
    client.force_login(user)
    step = reverse("intake:application_step", args=[application.pk, 1])
    with time_machine.travel(closes_at - dt.timedelta(seconds=1), tick=False):
        assert (
            client.post(step, {**page_state(client, step), "q_motivation": "Just in time"}).status_code == 302
        )
    with time_machine.travel(closes_at + dt.timedelta(seconds=1), tick=False):
        page = client.get(step).content.decode()
        assert "The call is closed" in page
        assert "Save and continue" not in page
        assert "disabled" in page
        response = client.post(step, {"q_motivation": "Too late"})
        assert response.status_code == 409
        assert "The call has closed: your changes were not saved." in response.content.decode()
        assert "Too late" in response.content.decode()  # shown to copy, not saved
        autosave = client.post(
            reverse("intake:application_autosave", args=[application.pk, 1]),
            {"q_motivation": "Too late"},
            HTTP_HX_REQUEST="true",
        )
        assert "The call closed on" in autosave.content.decode()
    assert Answer.objects.get(question__key="motivation").value == "Just in time"


def test_nobody_starts_an_application_after_the_deadline(client):
    closes_at = DEADLINES["03:00 CEST, right after clocks went forward"]
    call = call_with_questions(opens_at=closes_at - dt.timedelta(days=30), closes_at=closes_at)
    user = applicant()
    client.force_login(user)
    with time_machine.travel(closes_at, tick=False):
        response = client.post(
            reverse("intake:apply", args=[call.slug]), {"organisation": user.organisations.get().pk}
        )
    assert response.status_code == 302
    assert not call.applications.exists()
