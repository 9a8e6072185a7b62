"""Display helpers of the selection's robustness: probabilities, leniencies, ranks."""

from django import template
from django.utils.translation import gettext as _

from portal import formatting

register = template.Library()


@register.filter
def share(probability):
    """A probability (0..1) as a whole percentage, in the reader's typography; a dash when missing."""
    if probability is None or probability == "":
        return "—"
    return _("%(percent)s%%") % {"percent": round(100 * float(probability))}


@register.filter
def signed_one(value):
    """A number of points with its sign and one decimal (−3.2, +1.0)."""
    if value is None or value == "":
        return "—"
    value = float(value)
    text = f"+{value:.1f}" if value > 0.05 else f"−{-value:.1f}" if value < -0.05 else "0.0"
    return formatting.in_reader_numbers(text)


@register.filter
def leniency_of(robustness, evaluator_id):
    """(leniency, sd) of one evaluator from the stored result, or None."""
    return robustness.leniency(evaluator_id) if robustness else None
