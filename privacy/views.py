"""People's data on request: the people of a call, one person's data, export and erasure.

A coordinator works within a call (``intake.coordinate_call``): the call's people only,
what the call holds only; another call's person, or a person of no call of theirs, is a
404. An administrator (``privacy.manage_everyone``) finds anyone and works on everything.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.access import coordinated_call_or_404
from portal.models import User
from portal.responses import private_content

from . import people, retention
from .erasure import ErasureRefused, erase_person, erases_account
from .export import build_export, export_person, item_counts
from .people import EVERYTHING, Scope

MANAGE_EVERYONE = "privacy.manage_everyone"
PAGE_SIZE = 100

# The export's sections as the person's page counts them.
COUNT_LABELS = [
    ("memberships", gettext_lazy("Memberships of organisations")),
    ("applications", gettext_lazy("Applications")),
    ("answers", gettext_lazy("Answers they wrote")),
    ("documents", gettext_lazy("Files they uploaded")),
    ("messages", gettext_lazy("Emails sent to them")),
    ("audit_events", gettext_lazy("Actions in the audit log")),
    ("downloads", gettext_lazy("Files they downloaded")),
    ("reviews", gettext_lazy("Reviews they wrote")),
    ("conflicts_of_interest", gettext_lazy("Conflicts of interest they declared")),
    ("invitations", gettext_lazy("Invitations sent to them")),
    ("participant_records", gettext_lazy("Participant records with their address")),
]


def _person_of_call_or_404(call, pk):
    person = people.person_in_call(call, pk)
    if person is None:
        raise Http404
    return person


def _administrator_or_404(user):
    if not user.has_perm(MANAGE_EVERYONE):
        raise Http404


# --- A call's people --------------------------------------------------------------------------


@login_required
@never_cache
def call_people(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    query = request.GET.get("q", "").strip()
    found = people.search(people.people_of_call(call), query)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = people.roles_in_call(call, list(page.object_list))
    return render(
        request,
        "privacy/call_people.html",
        {
            "call": call,
            "page": page,
            "rows": [(person, roles[person.pk]) for person in page.object_list],
            "query": query,
            "retention": retention.retention_of(call),
        },
    )


@login_required
@never_cache
def call_person(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    person = _person_of_call_or_404(call, pk)
    scope = Scope(call)
    context = _person_context(request, person, scope)
    context.update(
        {
            "call": call,
            "roles": people.roles_in_call(call, [person])[person.pk],
            "elsewhere": people.elsewhere(person, call),
            "export_url": reverse("privacy:call_person_export", args=[call.slug, person.pk]),
            "erase_url": reverse("privacy:call_person_erase", args=[call.slug, person.pk]),
        }
    )
    return render(request, "privacy/person.html", context)


@login_required
def call_person_export(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    person = _person_of_call_or_404(call, pk)
    content = export_person(person, Scope(call), by=request.user)
    return private_content(
        content, filename=f"personal-data-{person.pk}-{call.slug}.json", content_type="application/json"
    )


@login_required
@require_POST
def call_person_erase(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    person = _person_of_call_or_404(call, pk)
    _erase(request, person, Scope(call))
    return redirect("privacy:call_person", slug=call.slug, pk=person.pk)


# --- Everyone (administrators) ------------------------------------------------------------------


@login_required
@never_cache
def everyone(request):
    _administrator_or_404(request.user)
    query = request.GET.get("q", "").strip()
    found = people.search(people.everyone(), query)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/everyone.html", {"page": page, "query": query})


@login_required
@never_cache
def any_person(request, pk):
    _administrator_or_404(request.user)
    person = get_object_or_404(User, pk=pk)
    context = _person_context(request, person, EVERYTHING)
    context.update(
        {
            "export_url": reverse("privacy:person_export", args=[person.pk]),
            "erase_url": reverse("privacy:person_erase", args=[person.pk]),
        }
    )
    return render(request, "privacy/person.html", context)


@login_required
def any_person_export(request, pk):
    _administrator_or_404(request.user)
    person = get_object_or_404(User, pk=pk)
    content = export_person(person, EVERYTHING, by=request.user)
    return private_content(
        content, filename=f"personal-data-{person.pk}.json", content_type="application/json"
    )


@login_required
@require_POST
def any_person_erase(request, pk):
    _administrator_or_404(request.user)
    person = get_object_or_404(User, pk=pk)
    _erase(request, person, EVERYTHING)
    return redirect("privacy:person", pk=person.pk)


# --- Shared -------------------------------------------------------------------------------------


def _person_context(request, person, scope):
    counts = item_counts(build_export(person, scope))
    requests = people.requests_about(person, scope)
    participants = list(scope.participants(person))
    for participant in participants:
        # The partners' own pages export and erase a participant, for the project's coordinators.
        participant.can_manage = request.user.has_perm(
            "intake.coordinate_project", participant.activity.project
        )
    return {
        "person": person,
        "scope": scope,
        "counts": [(label, counts.get(name, 0)) for name, label in COUNT_LABELS],
        "takes_account": erases_account(person, scope),
        "requests": requests[:20],
        "participants": participants,
        "contacts": list(scope.partner_contacts(person)),
    }


def _erase(request, person, scope):
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the confirmation to erase the person's data."))
        return
    try:
        erased = erase_person(person, scope, by=request.user)
    except ErasureRefused as refused:
        messages.error(request, refused.message)
        return
    if erased.account_erased:
        messages.success(
            request, _("The person's data and account are erased; the call's records still count them.")
        )
    else:
        messages.success(
            request,
            _(
                "The person's data of this call are erased; the call's records still count them. "
                "Their account stays: an administrator erases it."
            ),
        )
