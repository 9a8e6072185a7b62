"""Small display helpers for the evaluation pages."""

import json

from django import forms, template

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


@register.filter
def bootstrap_control(field):
    """A text box or select drawn as crispy's bootstrap5 pack draws it: the widget's class
    name and form-control (form-select for a select) added to its classes, and is-invalid
    when the field has errors. For reviews/evaluator/_field.html, which writes the rest of
    crispy's markup by hand on the pages where crispy's templates cost too much."""
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    if not css:
        css = name
    elif name not in css:
        css = f"{css} {name}"
    control = "form-select" if isinstance(widget, forms.Select) else "form-control"
    for extra in (control, "is-invalid") if field.errors else (control,):
        if extra not in css.split():
            css = f"{css} {extra}"
    return field.as_widget(attrs={"class": css})
