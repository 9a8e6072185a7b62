"""Display helpers of the ranking, selection and dashboard pages."""

from django import template
from django.utils.translation import gettext as _

from portal import formatting

from .. import aggregation
from ..plan import reason_label

register = template.Library()


register.filter("points", formatting.points)
register.filter("signed", formatting.signed_points)


@register.filter
def tie_rule(rule):
    """In words, the step of the ranking rule that ordered two neighbours."""
    if not rule:
        return ""
    kind, criterion = rule
    if kind == aggregation.TIE_BREAK_SCORE:
        return _("higher final score")
    if kind == aggregation.TIE_BREAK_CRITERION:
        return _("equal final score; higher score on “%(criterion)s”") % {"criterion": criterion.name}
    if kind == aggregation.TIE_BREAK_SUBMISSION:
        return _("equal final score and tie-break criteria; earlier submission")
    return _("equal in everything else; reference order")


@register.filter
def is_tie(rule):
    return bool(rule) and rule[0] != aggregation.TIE_BREAK_SCORE


@register.filter
def reason(code):
    return reason_label(code)


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
