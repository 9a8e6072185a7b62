"""Dates (and a label's colon) in templates, written by ``portal.formatting`` like everywhere else.

``{{ call.closes_at|when:call }}`` -> "29 December 2026, 17:00 CET" (in the call's zone; without
an argument, in the active zone, e.g. inside ``{% timezone %}``); ``{{ value|day }}`` -> "29
December 2026". ``|date`` stays only for machine-read values (``<time datetime>``, file names).
"""

from django import template

from portal import formatting

register = template.Library()


@register.filter
def when(moment, zone=None):
    return formatting.when(moment, zone)


@register.filter
def day(value, zone=None):
    return formatting.day(value, zone)


register.filter("clock", formatting.clock)
register.filter("day_short", formatting.day_short)
register.filter("month", formatting.month)
register.filter("colon", formatting.colon)
