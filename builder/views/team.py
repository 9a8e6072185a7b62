"""Who runs the call: its coordinators (and the project's), its evaluators, the invitations
waiting for an answer, and inviting more by email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.rules import forget_coordination

from .. import queries
from ..forms import InviteForm, apply_refusal
from ..services import (
    BuildRefused,
    cancel_staff_invitation,
    invite_to_call,
    remove_coordinator,
)
from .common import call_or_404, page


@login_required
def team(request, slug):
    call = call_or_404(request, slug)
    form = InviteForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_to_call(call, by=request.user, **form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s; it names this call.")
                % {"email": invitation.email},
            )
            return redirect("builder:team", slug=call.slug)
    context = {
        "form": form,
        "coordinators": queries.coordinators(call),
        "project_coordinators": queries.project_coordinators(call),
        "evaluators": queries.evaluators(call),
        "invitations": queries.pending_invitations(call),
    }
    return page(request, "builder/team.html", call, "team", context)


@login_required
@require_POST
def coordinator_remove(request, slug, pk):
    call = call_or_404(request, slug)
    person = get_object_or_404(call.coordinators, pk=pk)
    try:
        remove_coordinator(call, person, by=request.user)
    except BuildRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s no longer coordinates this call.") % {"name": person})
        forget_coordination(request.user)
        if not request.user.has_perm("intake.coordinate_call", call):
            return redirect("builder:home")
    return redirect("builder:team", slug=call.slug)


@login_required
@require_POST
def invitation_cancel(request, slug, pk):
    call = call_or_404(request, slug)
    invitation = get_object_or_404(call.staff_invitations.unaccepted(), pk=pk)
    try:
        cancel_staff_invitation(invitation, by=request.user)
    except BuildRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email}
        )
    return redirect(reverse("builder:team", args=[call.slug]) + "#invitations")
