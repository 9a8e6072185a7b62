"""The order a call's dates must follow, checked where they are typed and before publishing."""

from django.utils.translation import gettext as _


def date_warnings(call, review_deadline=None):
    """Dates that come before a date they must follow, as ``(field, message)``: the builder
    shows them beside the dates and the publish check lists them."""
    found = []
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        found.append(("closes_at", _("The call closes before it opens.")))
    if review_deadline and call.closes_at and review_deadline <= call.closes_at:
        found.append(("review_deadline", _("The review deadline comes before the call closes.")))
    follows = review_deadline or call.closes_at
    if call.reply_deadline and follows and call.reply_deadline <= follows:
        if review_deadline:
            found.append(("reply_deadline", _("The reply deadline comes before the review deadline.")))
        else:
            found.append(("reply_deadline", _("The reply deadline comes before the call closes.")))
    return found
