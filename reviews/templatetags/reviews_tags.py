"""Small display helpers for the evaluation pages."""

import json
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


@register.filter
def audit_values(values):
    """An audit event's before/after as "key: value" lines (values are plain JSON)."""
    if values in (None, "", {}):
        return ""
    if not isinstance(values, dict):
        return json.dumps(values, ensure_ascii=False)
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items())
