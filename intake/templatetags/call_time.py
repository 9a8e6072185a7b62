"""Times shown in a call's own time zone, with the zone's name (``portal.formatting.when``)."""

from django import template
from django.utils import timezone

from portal import formatting

register = template.Library()


@register.filter
def call_time(moment, call_or_zone):
    """``{{ application.submitted_at|call_time:call }}`` -> "25 October 2026, 02:30 CET".

    The argument is a call or the name of a time zone (emails carry only the name).
    """
    return formatting.when(moment, call_or_zone)


@register.filter
def machine_time(moment):
    """``<time datetime="{{ moment|machine_time }}">``: ISO 8601 to the second in the active
    time zone. Django's ``date:'c'`` adds microseconds, which HTML's datetime does not allow."""
    if not moment:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")
