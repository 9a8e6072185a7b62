"""The public pages of the calls: what anyone may read before signing up."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.formatting import country_names

from .. import queries
from ..models import OrganisationKind


def call_list(request):
    now = timezone.now()
    calls = queries.listed_calls(now)
    open_calls, upcoming, closed = [], [], []
    for call in calls:
        if call.has_closed(now):
            closed.append(call)
        elif call.has_opened(now):
            open_calls.append(call)
        else:
            upcoming.append(call)
    upcoming.sort(key=lambda call: call.opens_at)
    closed.reverse()  # the most recently closed first
    return render(
        request,
        "intake/public/call_list.html",
        {"open_calls": open_calls, "upcoming_calls": upcoming, "closed_calls": closed, "now": now},
    )


def call_detail(request, slug):
    call = get_object_or_404(queries.visible_calls(request.user), slug=slug)
    now = timezone.now()
    application = None
    if request.user.is_authenticated:
        application = queries.own_application(request.user, call)
    context = {
        "call": call,
        "now": now,
        "is_open": call.is_open(now),
        "not_yet_open": not call.has_opened(now),
        "time_left": time_left(call.closes_at - now) if call.is_open(now) else "",
        "time_until_opening": time_left(call.opens_at - now) if not call.has_opened(now) else "",
        "countries": country_names(call.eligible_countries),
        "kinds": [OrganisationKind(kind).label for kind in call.eligible_kinds if kind in OrganisationKind],
        "faq_entries": list(call.faq_entries.all()),
        "application": application,
    }
    return render(request, "intake/public/call_detail.html", context)


def time_left(delta):
    """The two largest units of a positive duration: "3 days, 4 hours"."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours and len(parts) < 2:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes and len(parts) < 2 and not days:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes})
    if not parts:
        return _("less than a minute")
    if len(parts) == 1:
        return parts[0]
    # Translators: joins two durations, e.g. "3 days, 4 hours".
    return _("%(first)s, %(second)s") % {"first": parts[0], "second": parts[1]}
