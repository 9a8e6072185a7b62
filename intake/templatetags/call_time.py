"""Times shown in a call's own time zone, with the zone's name (``portal.formatting.when``)."""

from django import template

from portal import formatting

register = template.Library()


@register.filter
def call_time(moment, call_or_zone):
    """``{{ application.submitted_at|call_time:call }}`` -> "25 October 2026, 02:30 CET".

    The argument is a call or the name of a time zone (emails carry only the name).
    """
    return formatting.when(moment, call_or_zone)
