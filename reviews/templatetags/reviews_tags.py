"""Small display helpers for the evaluation pages."""

from decimal import Decimal

from django import template
from django_countries import countries

register = template.Library()


@register.filter
def country_name(code):
    """The country's name in the active language, from its ISO code."""
    return countries.name(code) or code if code else ""


@register.filter
def score(value):
    """A score or total without trailing zeros (3.5, 4, 72.25); a dash when missing."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
