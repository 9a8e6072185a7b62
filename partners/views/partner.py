"""The city's side: answering the decision, the partner space, onboarding, nominations.

Every object is loaded through ``partners/access.py``; another city's partnership,
participants and files answer 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.models import Application, Status
from intake.uploads import UploadRefused
from portal.access import permitted_or_404
from reviews.models import Response

from .. import documents, queries, services
from ..access import (
    CHANGE_PARTNER,
    partner_activity_or_404,
    partner_or_404,
    partner_participant_or_404,
)
from ..forms import (
    ContactForm,
    ParticipantForm,
    PrivacyForm,
    PublicListingForm,
    ReplyForm,
    SignedAgreementForm,
)
from ..models import ChecklistItem, ContactRole, ItemKind, ItemState, ParticipantStatus, Partner
from ..navigation import remember_partnership
from ..queries import partner_activities, partner_checklist, state_of
from ..services.downloads import CERTIFICATE_DOWNLOADED, LOGO_DOWNLOADED, SIGNED_AGREEMENT_DOWNLOADED
from .common import show_refusal, stream_file

# --- Answering the decision ------------------------------------------------------------------


@login_required
@never_cache
def reply(request, pk):
    """A selected city accepts or declines its place (its members only)."""
    application = get_object_or_404(Application.objects.with_project_and_organisation(), pk=pk)
    permitted_or_404(request.user, "intake.change_application", application)
    decision = queries.decision_of(application)
    if decision is None:
        raise Http404
    partner = queries.partner_of(application)
    call = application.call
    can_answer = (
        application.status == Status.SELECTED
        and decision.response == Response.PENDING
        and services.reply_is_open(call)
    )
    form = ReplyForm(request.POST if request.method == "POST" and can_answer else None)
    if request.method == "POST" and can_answer and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["answer"] == "accept":
                partner = services.accept_place(application, by=request.user, note=note)
                remember_partnership(request)
                messages.success(
                    request,
                    _("Thank you: your city is now an associated partner of %(project)s.")
                    % {"project": call.project.acronym},
                )
                return redirect("partners:partner_home", pk=partner.pk)
            _declined, _promoted = services.decline_place(application, by=request.user, note=note)
            messages.info(request, _("Your answer is recorded: your city declines the place."))
            return redirect("intake:application_detail", pk=application.pk)
        except services.PartnershipError as refused:
            show_refusal(request, refused, form)
    return render(
        request,
        "partners/partner/reply.html",
        {
            "application": application,
            "call": call,
            "decision": decision,
            "partner": partner,
            "form": form,
            "can_answer": can_answer,
            "deadline_passed": not services.reply_is_open(call),
        },
    )


# --- The partner space -------------------------------------------------------------------------


@login_required
def my_partnerships(request):
    partners = list(Partner.objects.for_member_list(request.user))
    if len(partners) == 1:
        return redirect("partners:partner_home", pk=partners[0].pk)
    return render(request, "partners/partner/list.html", {"partners": partners})


@login_required
def partner_home(request, pk):
    partner = partner_or_404(request.user, pk)
    checklist = [(item, progress, state_of(progress)) for item, progress in partner_checklist(partner)]
    done = sum(1 for *_rest, state in checklist if state == ItemState.DONE)
    return render(
        request,
        "partners/partner/home.html",
        {
            "partner": partner,
            "project": partner.project,
            "checklist": checklist,
            "done": done,
            "activities": partner_activities(partner),
            "contacts": {contact.role: contact for contact in partner.contacts.all()},
            "can_change": request.user.has_perm(CHANGE_PARTNER, partner),
            "project_contacts": list(partner.project.contacts.all()),
            "now": timezone.now(),
        },
    )


@login_required
@never_cache
def onboarding_item(request, pk, item_pk):
    """Complete one step of the onboarding; what the page asks depends on the step."""
    partner = partner_or_404(request.user, pk)
    item = get_object_or_404(ChecklistItem, pk=item_pk, project_id=partner.project_id)
    can_change = request.user.has_perm(CHANGE_PARTNER, partner)
    posted = request.method == "POST" and can_change
    data, files = (request.POST, request.FILES) if posted else (None, None)
    context = {"partner": partner, "project": partner.project, "item": item, "can_change": can_change}
    contacts = {contact.role: contact for contact in partner.contacts.all()}
    handler = ITEM_HANDLERS[item.kind]
    response = handler(request, partner, item, data, files, context, contacts)
    if response is not None:
        return response
    progress = dict(partner_checklist(partner, [item])).get(item)
    context["state"] = state_of(progress)
    context["progress"] = progress
    return render(request, "partners/partner/item.html", context)


def _done(request, partner, message):
    messages.success(request, message)
    return redirect("partners:partner_home", pk=partner.pk)


def _contacts_step(roles):
    def handle(request, partner, item, data, files, context, contacts):
        forms = [(role, ContactForm(data, instance=contacts.get(role), prefix=role)) for role in roles]
        if data is not None and all(form.is_valid() for _role, form in forms):
            try:
                for role, form in forms:
                    services.save_contact(partner, role, by=request.user, values=form.cleaned_data)
            except services.PartnershipError as refused:
                show_refusal(request, refused)
            else:
                return _done(request, partner, _("The contacts are saved."))
        context["contact_forms"] = [(ContactRole(role).label, form) for role, form in forms]
        return None

    return handle


def _agreement_step(request, partner, item, data, files, context, contacts):
    form = SignedAgreementForm(data, files)
    if data is not None and form.is_valid():
        try:
            services.upload_signed_agreement(partner, form.cleaned_data["file"], by=request.user)
        except UploadRefused as refused:
            form.add_error("file", refused.message)
        except services.PartnershipError as refused:
            show_refusal(request, refused, form)
        else:
            return _done(
                request, partner, _("The signed agreement is uploaded; the project team will check it.")
            )
    context["agreement_form"] = form
    context["signed"] = list(partner.signed_agreements.all())
    context["agreement"] = documents.current_agreement(partner)
    return None


def _privacy_step(request, partner, item, data, files, context, contacts):
    form = PrivacyForm(data)
    if data is not None and form.is_valid():
        try:
            services.accept_participant_privacy(partner, by=request.user)
        except services.PartnershipError as refused:
            show_refusal(request, refused)
        else:
            return _done(request, partner, _("Thank you: the participants' privacy notice is confirmed."))
    context["privacy_form"] = form
    context["privacy_version"] = settings.PARTICIPANT_PRIVACY_NOTICE_VERSION
    context["accepted_current"] = partner.has_current_privacy_acceptance()
    return None


def _listing_step(request, partner, item, data, files, context, contacts):
    initial = {
        "consent": "yes" if partner.public_consent else ("no" if partner.public_consent_at else None),
        "public_name": partner.public_name or partner.organisation.name,
    }
    form = PublicListingForm(data, files, initial=initial)
    if not partner.logo:
        del form.fields["remove_logo"]  # nothing to remove
    if data is not None and form.is_valid():
        try:
            services.set_public_listing(
                partner,
                by=request.user,
                consent=form.cleaned_data["consent"],
                public_name=form.cleaned_data["public_name"],
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo"),
            )
        except UploadRefused as refused:
            form.add_error("logo", refused.message)
        except services.PartnershipError as refused:
            show_refusal(request, refused, form)
        else:
            return _done(request, partner, _("Your answer about the public pages is saved."))
    context["listing_form"] = form
    return None


def _confirmation_step(request, partner, item, data, files, context, contacts):
    if data is not None:
        try:
            services.confirm_item(partner, item, by=request.user)
        except services.PartnershipError as refused:
            show_refusal(request, refused)
        else:
            return _done(request, partner, _("Thank you: the step is done."))
    return None


ITEM_HANDLERS = {
    ItemKind.AGREEMENT: _agreement_step,
    ItemKind.FOCAL_POINTS: _contacts_step([ContactRole.FOCAL_POINT, ContactRole.DEPUTY]),
    ItemKind.POLICE_CONTACT: _contacts_step([ContactRole.POLICE]),
    ItemKind.DATA_PROTECTION: _privacy_step,
    ItemKind.PUBLIC_LISTING: _listing_step,
    ItemKind.CONFIRMATION: _confirmation_step,
}


@login_required
def agreement_download(request, pk):
    """The agreement to sign, with the city's details: issued the first time it is asked for."""
    partner = partner_or_404(request.user, pk)
    document = documents.current_agreement(partner)
    if document is None or (
        request.GET.get("refresh") == "1" and request.user.has_perm(CHANGE_PARTNER, partner)
    ):
        document = documents.issue_agreement(partner, by=request.user)
    return stream_file(document.file, filename=document.filename, content_type="application/pdf")


@login_required
def signed_agreement_download(request, pk, file_pk):
    partner = partner_or_404(request.user, pk)
    signed = get_object_or_404(partner.signed_agreements, pk=file_pk)
    response = stream_file(signed.file, filename=signed.original_name, content_type=signed.content_type)
    services.record_download(
        partner, signed, by=request.user, action=SIGNED_AGREEMENT_DOWNLOADED, name=signed.original_name
    )
    return response


@login_required
def logo_download(request, pk):
    partner = partner_or_404(request.user, pk)
    if not partner.logo:
        raise Http404
    extension = ".png" if partner.logo_content_type == "image/png" else ".jpg"
    response = stream_file(partner.logo, filename=f"logo{extension}", content_type=partner.logo_content_type)
    services.record_download(
        partner, partner, by=request.user, action=LOGO_DOWNLOADED, name=f"logo{extension}"
    )
    return response


# --- Nominations -------------------------------------------------------------------------------


@login_required
@never_cache
def activity(request, pk, activity_pk):
    """An activity seen by the partner: its own nominations, and a form for one more."""
    partner = partner_or_404(request.user, pk)
    activity = partner_activity_or_404(partner, activity_pk)
    can_change = request.user.has_perm(CHANGE_PARTNER, partner)
    nominations = queries.nominations(partner, activity)
    held = sum(1 for p in nominations if p.holds_seat)
    open_ = activity.registration_open()
    may_nominate = can_change and open_ and partner.has_current_privacy_acceptance()
    form = ParticipantForm(
        request.POST if request.method == "POST" and may_nominate else None, activity=activity
    )
    if request.method == "POST" and may_nominate and form.is_valid():
        try:
            participant = services.nominate(partner, activity, by=request.user, values=form.values())
        except services.PartnershipError as refused:
            show_refusal(request, refused, form)
        else:
            messages.success(request, _("%(name)s is nominated.") % {"name": participant.name})
            return redirect("partners:activity", pk=partner.pk, activity_pk=activity.pk)
    return render(
        request,
        "partners/partner/activity.html",
        {
            "partner": partner,
            "project": partner.project,
            "activity": activity,
            "nominations": nominations,
            "held": held,
            "free": max(0, activity.seats_per_partner - held),
            "form": form,
            "can_change": can_change,
            "registration_open": open_,
            "may_nominate": may_nominate,
            "needs_privacy": can_change and not partner.has_current_privacy_acceptance(),
            "privacy_item": queries.privacy_item(partner.project),
        },
    )


@login_required
@never_cache
def participant_edit(request, pk, participant_pk):
    """Change a nomination, or replace the person, until the registration deadline."""
    partner = partner_or_404(request.user, pk)
    participant = partner_participant_or_404(partner, participant_pk)
    activity = participant.activity
    editable = (
        request.user.has_perm(CHANGE_PARTNER, partner)
        and activity.registration_open()
        and participant.status != ParticipantStatus.WITHDRAWN
        and not participant.anonymised_at
    )
    replacing = request.GET.get("replace") == "1" or request.POST.get("replace") == "1"
    instance = None if replacing else participant
    form = ParticipantForm(
        request.POST if request.method == "POST" and editable else None, instance=instance, activity=activity
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            if replacing:
                new = services.nominate(
                    partner, activity, by=request.user, values=form.values(), replaces=participant
                )
                messages.success(
                    request, _("%(new)s replaces %(old)s.") % {"new": new.name, "old": participant.name}
                )
            else:
                services.update_participant(participant, by=request.user, values=form.values())
                messages.success(request, _("The nomination is saved."))
        except services.PartnershipError as refused:
            show_refusal(request, refused, form)
        else:
            return redirect("partners:activity", pk=partner.pk, activity_pk=activity.pk)
    return render(
        request,
        "partners/partner/participant.html",
        {
            "partner": partner,
            "project": partner.project,
            "activity": activity,
            "participant": participant,
            "form": form,
            "editable": editable,
            "replacing": replacing,
            "certificate": documents.current_certificate(participant),
        },
    )


@login_required
@require_POST
def participant_withdraw(request, pk, participant_pk):
    partner = partner_or_404(request.user, pk, CHANGE_PARTNER)
    participant = partner_participant_or_404(partner, participant_pk)
    try:
        services.withdraw_participant(participant, by=request.user)
    except services.PartnershipError as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("The nomination of %(name)s is withdrawn.") % {"name": participant.name})
    return redirect("partners:activity", pk=partner.pk, activity_pk=participant.activity_id)


@login_required
def certificate_download(request, pk, participant_pk):
    partner = partner_or_404(request.user, pk)
    participant = partner_participant_or_404(partner, participant_pk)
    document = documents.current_certificate(participant)
    if document is None:
        raise Http404
    response = stream_file(document.file, filename=document.filename, content_type="application/pdf")
    services.record_download(
        partner, document, by=request.user, action=CERTIFICATE_DOWNLOADED, name=document.filename
    )
    return response
