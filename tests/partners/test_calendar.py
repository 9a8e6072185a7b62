"""The .ics invitations read back with a calendar parser; deadlines in the venue's time zone."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from icalendar import Calendar

from partners import calendar, services
from partners.forms import ActivityForm, to_zone
from tests.factories.partners import ActivityFactory, participant_values, partner_with_member

pytestmark = pytest.mark.django_db
ROME = zoneinfo.ZoneInfo("Europe/Rome")


def test_the_invitation_carries_the_venue_time_zone_start_end_and_summary():
    activity = ActivityFactory(
        timezone="Europe/Rome",
        title_en="Police academy in Turin",
        starts_at=dt.datetime(2027, 3, 26, 9, 0, tzinfo=ROME),
        ends_at=dt.datetime(2027, 3, 29, 17, 30, tzinfo=ROME),  # across the change to summer time
        registration_deadline=dt.datetime(2027, 3, 1, 12, 0, tzinfo=ROME),
    )
    parsed = Calendar.from_ical(calendar.invitation(activity))
    event = next(iter(parsed.walk("VEVENT")))
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Rome"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.utcoffset() == dt.timedelta(hours=1) and start.hour == 9
    assert end.utcoffset() == dt.timedelta(hours=2) and end.hour == 17
    assert start == activity.starts_at and end == activity.ends_at
    assert str(event["SUMMARY"]).endswith("Police academy in Turin")
    assert parsed["METHOD"] == "REQUEST"


def test_the_uid_stays_and_the_sequence_grows_when_the_activity_changes():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    before = Calendar.from_ical(calendar.invitation(activity)).walk("VEVENT")[0]
    activity = services.save_activity(
        partner.project, by=member, values={"venue": "Another hall"}, activity=activity
    )
    after = Calendar.from_ical(calendar.invitation(activity)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert "Another hall" in str(after["LOCATION"])


def test_a_cancellation_is_a_cancel_of_the_same_event():
    activity = ActivityFactory()
    parsed = Calendar.from_ical(calendar.invitation(activity, method="CANCEL"))
    assert parsed["METHOD"] == "CANCEL"
    assert str(parsed.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_times_typed_in_the_form_are_the_venues_wall_clock_on_both_sides_of_a_dst_change(settings):
    settings.TIME_ZONE = "UTC"
    form = ActivityForm(
        data={
            "kind": "police_academy",
            "title_en": "Academy",
            "host_city": "Turin",
            "country": "IT",
            "timezone": "Europe/Rome",
            "starts_at": "2027-03-27T09:00",
            "ends_at": "2027-03-29T17:00",
            "registration_deadline": "2027-03-28T12:00",
            "seats_per_partner": 2,
            "seats_total": 22,
            "eligibility": "anyone",
            "working_language": "English",
        }
    )
    assert form.is_valid(), form.errors
    values = form.values()
    assert values["starts_at"] == dt.datetime(2027, 3, 27, 8, 0, tzinfo=dt.UTC)  # UTC+1
    assert values["registration_deadline"] == dt.datetime(2027, 3, 28, 10, 0, tzinfo=dt.UTC)  # UTC+2


def test_the_registration_deadline_holds_to_the_minute_in_the_venue_time_zone_after_the_change():
    deadline = dt.datetime(2027, 3, 28, 12, 0, tzinfo=ROME)  # noon, summer time (10:00 UTC)
    partner, member = partner_with_member()
    activity = ActivityFactory(
        project=partner.project,
        timezone="Europe/Rome",
        registration_deadline=deadline,
        starts_at=dt.datetime(2027, 4, 10, 9, 0, tzinfo=ROME),
        ends_at=dt.datetime(2027, 4, 12, 17, 0, tzinfo=ROME),
    )
    with time_machine.travel(dt.datetime(2027, 3, 28, 9, 59, tzinfo=dt.UTC), tick=False):
        assert services.nominate(partner, activity, by=member, values=participant_values(name="On time"))
    with (
        time_machine.travel(dt.datetime(2027, 3, 28, 10, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(services.PartnershipError, match="closed"),
    ):
        services.nominate(partner, activity, by=member, values=participant_values(name="Late"))


def test_to_zone_reads_a_naive_time_as_the_zones_wall_clock():
    assert to_zone(dt.datetime(2027, 10, 31, 1, 30), ROME).utcoffset() == dt.timedelta(hours=2)
