"""Calendar invitations (iCalendar, RFC 5545) for an activity's participants.

Times are written in the venue's time zone with its VTIMEZONE, so a calendar shows the
right hour on both sides of a daylight-saving change. The UID is the activity's and
never changes; SEQUENCE is the activity's version, so an update replaces the event a
participant already has instead of adding a second one.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Call portal//Activities//EN"


def uid(activity):
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "portal"
    return f"activity-{activity.uid}@{host}"


def invitation(activity, participant=None, *, method="REQUEST", language=None):
    """The .ics bytes of the activity's event (``CANCEL`` withdraws it from a calendar)."""
    language = language or getattr(participant, "language", None) or "en"
    tz = activity.tzinfo
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid(activity))
    event.add("sequence", activity.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", timezone.localtime(activity.starts_at, tz))
    event.add("dtend", timezone.localtime(activity.ends_at, tz))
    with translation.override(language):
        summary = f"{activity.project.acronym}: {activity.localized('title', language)}"
        event.add("summary", summary)
        description = activity.localized("description", language)
        practical = activity.localized("practical_info", language)
        event.add("description", "\n\n".join(part for part in (description, practical) if part))
    event.add("location", ", ".join(part for part in (activity.venue, activity.host_city) if part))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    contact = activity.project.contact_email
    if contact:
        organizer = vCalAddress(f"mailto:{contact}")
        organizer.params["cn"] = vText(activity.project.acronym)
        event.add("organizer", organizer)
    if participant is not None and participant.email:
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = vText(participant.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def filename(activity):
    return f"activity-{activity.pk}.ics"
