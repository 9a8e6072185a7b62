"""Template helpers of the partnership's pages."""

from django import template
from django.utils.formats import date_format

from portal import formatting

register = template.Library()


@register.filter
def activity_dates(activity, fmt=formatting.DAY_FORMAT):
    """The days an activity runs, in its venue's time zone: one date, or the first and the last."""
    first, last = activity.local(activity.starts_at).date(), activity.local(activity.ends_at).date()
    if fmt == formatting.DAY_FORMAT:
        return formatting.day_range(first, last)
    if first == last:
        return date_format(first, fmt)
    return f"{date_format(first, fmt)} – {date_format(last, fmt)}"


register.filter("country_name", formatting.country_name)


register.filter("colon", formatting.colon)
