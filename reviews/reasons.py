"""The reasons a city is told with its decision, in the reader's language.

A decision keeps its reasons as facts (``plan.reason_facts``: codes and values); the words
are chosen here when an email or a letter is written, in its reader's language, whoever
finalised the selection and in whatever language they worked. Imports no model.
"""

from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

# The facts' values that are scores, written as the reader writes numbers (73,67 in French).
SCORES = ("score", "threshold", "cut_off")


def reasons_in(facts, language, criteria=None):
    """The reasons a city is told, in ``language``. ``criteria`` maps criterion ids to
    criteria (their names are given in that language)."""
    criteria = criteria or {}
    with translation.override(language):
        lines = [_reason_line(_localized(fact), criteria) for fact in facts]
    return "\n\n".join(line for line in lines if line)


def _localized(fact):
    values = dict(fact)
    for key in SCORES:
        if key in values:
            values[key] = formats.number_format(Decimal(str(values[key])), use_l10n=True)
    return values


def _reason_line(fact, criteria):
    kind = fact["fact"]
    if kind == "reserve":
        return _("Your application is on the reserve list at position %(position)s.") % fact
    if kind == "override":
        return _("The coordinators' final choice, recorded with its justification, did not include it.")
    if kind == "criterion_threshold":
        criterion = criteria.get(fact["criterion"])
        name = criterion.localized("name") if criterion else ""
        return _("On “%(criterion)s” it scored %(score)s, below the threshold of %(threshold)s.") % {
            **fact,
            "criterion": name,
        }
    if kind == "overall_threshold":
        return _("Its final score of %(score)s is below the overall threshold of %(threshold)s.") % fact
    if kind == "country_limit":
        return (
            _(
                "At most %(count)s cities per country can be selected, "
                "and a city of your country ranked higher."
            )
            % fact
        )
    if kind == "distinct_countries":
        return (
            _(
                "The call requires cities from at least %(count)s countries; "
                "the places went to cities that meet it."
            )
            % fact
        )
    if kind == "below_cut_off":
        return (
            _("Its final score of %(score)s is below %(cut_off)s, the score of the last selected city.")
            % fact
        )
    if kind == "tied_at_cut_off":
        return (
            _(
                "Its final score of %(score)s equals that of the last selected city; "
                "the call's tie-break rules placed that city first."
            )
            % fact
        )
    if kind == "note":
        return fact["text"]
    return ""
