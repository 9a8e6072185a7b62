"""The one way a text typed by a coordinator reaches a page, an email or a PDF.

``{{ call.description|markup }}`` renders the portal's small markup (see
``portal.markup``) as escaped HTML; ``{{ text|markup:values }}`` also fills its
``{name}`` placeholders, escaped. ``markup_inline`` is for a text beside a field (no
paragraph around a single line); ``markup_text`` is for the text part of emails.
"""

from django import template

from portal import markup as portal_markup

register = template.Library()


@register.filter(name="markup")
def markup(value, values=None):
    return portal_markup.render_html(value, values)


@register.filter
def markup_inline(value, values=None):
    return portal_markup.render_html(value, values, inline=True)


@register.filter
def markup_text(value, values=None):
    return portal_markup.render_text(value, values)
