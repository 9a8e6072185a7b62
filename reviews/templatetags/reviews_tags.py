"""Small display helpers for the evaluation pages."""

import json

from django import template

from portal import formatting

register = template.Library()


register.filter("country_name", formatting.country_name)
register.filter("score", formatting.score)


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
