"""Times shown in a call's own time zone, with the zone's name.

Django's ``date:"T"`` prints nothing for a time in the hour repeated when clocks go back;
Python's ``tzname`` on the converted time tells CEST and CET apart, so this filter uses it.
"""

import zoneinfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def call_time(moment, call_or_zone):
    """``{{ application.submitted_at|call_time:call }}`` -> "Oct. 25, 2026, 2:30 a.m. CET".

    The argument is a call or the name of a time zone (emails carry only the name).
    """
    if not moment:
        return ""
    zone = call_or_zone.tzinfo if hasattr(call_or_zone, "tzinfo") else zoneinfo.ZoneInfo(call_or_zone)
    local = timezone.localtime(moment, zone)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


@register.filter
def machine_time(moment):
    """``<time datetime="{{ moment|machine_time }}">``: ISO 8601 to the second in the active
    time zone. Django's ``date:'c'`` adds microseconds, which HTML's datetime does not allow."""
    if not moment:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")
