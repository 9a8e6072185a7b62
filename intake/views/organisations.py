"""Candidate organisations, their members and the invitations that bring colleagues in."""

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.formatting import country_name, country_names

from .. import queries, services
from ..forms_organisations import EU_COUNTRIES, InvitationForm, OrganisationForm


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def organisation_create(request):
    call = queries.published_call(request.GET.get("call"))
    countries = country_names(call.eligible_countries if call else EU_COUNTRIES)
    form = OrganisationForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(by=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is registered; you are its first member.") % {"name": organisation}
        )
        return redirect(_safe_next(request) or organisation_url(organisation))
    context = {"form": form, "call": call, "next": _safe_next(request)}
    return render(request, "intake/organisations/organisation_form.html", context)


@login_required
def organisation_edit(request, pk):
    organisation = get_object_or_404(queries.member_organisations(request.user), pk=pk)
    if services.organisation_is_locked(organisation):
        messages.error(
            request, _("The details are locked: an application of this organisation has been submitted.")
        )
        return redirect(organisation_url(organisation))
    codes = set(EU_COUNTRIES) | {organisation.country}
    form = OrganisationForm(
        request.POST or None, instance=organisation, countries=country_names(sorted(codes))
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.update_organisation(organisation, by=request.user, **fields)
        except services.OrganisationLocked as locked:
            messages.error(request, str(locked))
        else:
            messages.success(request, _("The details of %(name)s are saved.") % {"name": organisation})
        return redirect(organisation_url(organisation))
    context = {"form": form, "organisation": organisation}
    return render(request, "intake/organisations/organisation_form.html", context)


def organisation_url(organisation):
    return reverse("intake:organisation_detail", args=[organisation.pk])


@login_required
def my_organisation(request):
    """The organisation the person acts for, or the form to register one."""
    organisation = queries.first_organisation(request.user)
    if organisation is None:
        return redirect("intake:organisation_create")
    return redirect(organisation_url(organisation))


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(queries.member_organisations(request.user), pk=pk)
    return render(request, "intake/organisations/organisation_detail.html", _detail_context(organisation))


def _detail_context(organisation, invitation_form=None):
    return {
        "organisation": organisation,
        "is_locked": services.organisation_is_locked(organisation),
        "country_name": country_name(organisation.country),
        "memberships": queries.memberships_of(organisation),
        "invitations": queries.pending_invitations(organisation),
        "applications": queries.organisation_applications(organisation),
        "invitation_form": invitation_form or InvitationForm(),
    }


@login_required
def organisation_invite(request, pk):
    organisation = get_object_or_404(queries.member_organisations(request.user), pk=pk)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_to_organisation(
                organisation, form.cleaned_data["email"], by=request.user
            )
        except services.InvitationRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. It is valid for 14 days.")
                % {"email": invitation.email},
            )
            return redirect(organisation_url(organisation))
    context = _detail_context(organisation, invitation_form=form)
    return render(request, "intake/organisations/organisation_detail.html", context, status=200)


@login_required
@require_POST
def invitation_cancel(request, pk, invitation_pk):
    organisation = get_object_or_404(queries.member_organisations(request.user), pk=pk)
    invitation = get_object_or_404(queries.unanswered_invitations(organisation), pk=invitation_pk)
    services.cancel_invitation(invitation, by=request.user)
    messages.success(request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email})
    return redirect(organisation_url(organisation))


def invitation_accept(request, token):
    invitation = get_object_or_404(queries.invitation_by_token(token))
    context = {
        "invitation": invitation,
        "refusal": "",
        "wrong_account": request.user.is_authenticated
        and request.user.email.lower() != invitation.email.lower(),
    }
    if not request.user.is_authenticated:
        # Log in or sign up first, then come back here.
        try:
            services.check_invitation(invitation)
        except services.InvitationRefused as refusal:
            context["refusal"] = str(refusal)
        else:
            # The link reached the invited address: sign-up fills it in and counts it as confirmed.
            get_account_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "intake/organisations/invitation_accept.html", context)
    try:
        services.check_invitation(invitation, request.user)
    except services.InvitationRefused as refusal:
        context["refusal"] = str(refusal)
        return render(request, "intake/organisations/invitation_accept.html", context)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, request.user)
        except services.InvitationRefused as refusal:
            context["refusal"] = str(refusal)
            return render(request, "intake/organisations/invitation_accept.html", context)
        if invitation.organisation_id:
            messages.success(
                request, _("You are now a member of %(name)s.") % {"name": invitation.organisation}
            )
            return redirect(organisation_url(invitation.organisation))
        messages.success(request, _("Welcome: your account now has the role you were invited to."))
        return redirect("portal:dashboard")
    return render(request, "intake/organisations/invitation_accept.html", context)
