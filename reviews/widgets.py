"""Select and Textarea that write their HTML in Python rather than through templates.

Django draws every widget, and every <option> of a select, through a template of its
form renderer. The review page has a score select of a dozen options and a comment box
per criterion, and drawing them that way was half the time of the page. These write the
markup of Django's own templates (django/forms/widgets/select.html, select_option.html,
textarea.html and attrs.html), character for character; tests/reviews/test_widgets.py
compares the two. The class names stay Select and Textarea: crispy names its CSS classes
after them.
"""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _text(value):
    """A value printed as ``{{ value }}`` prints it."""
    return conditional_escape(localize(value))


class Select(forms.Select):
    def _render(self, template_name, context, renderer=None):
        if (template_name, self.option_template_name) != (
            forms.Select.template_name,
            forms.Select.option_template_name,
        ):
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{_text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class Textarea(forms.Textarea):
    def _render(self, template_name, context, renderer=None):
        if template_name != forms.Textarea.template_name:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        value = _text(widget["value"]) if widget["value"] else ""
        return mark_safe(  # noqa: S308 - the name, attributes and value are escaped
            f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f"{value}</textarea>"
        )
