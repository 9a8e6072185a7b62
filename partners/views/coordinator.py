"""The project coordinators' side: partners, onboarding, activities, participants,
attendance, reports; and the replies of a call's selected cities.

Each page loads its project with ``intake.coordinate_project`` (a call's page with
``intake.coordinate_call``), then only objects of that project: anything else is a 404.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from intake.access import coordinated_call_or_404
from intake.models import Application, Status
from portal.audit import record
from portal.formatting import country_name
from reviews.models import Response

from .. import documents, exports, queries, services
from ..access import (
    coordinated_project_or_404,
    project_activity_or_404,
    project_participant_or_404,
    project_partner_or_404,
)
from ..forms import (
    ActivityForm,
    AgreementCheckForm,
    ChecklistItemForm,
    DecisionForm,
    ItemStateForm,
    OnboardingFilterForm,
    ParticipantFilterForm,
    PartnerFilterForm,
    PartnershipSettingsForm,
    RecordedReplyForm,
    ReplyDeadlineForm,
    WithdrawPartnerForm,
    to_zone,
    wall_clock,
)
from ..models import (
    ChecklistItem,
    ContactRole,
    Gender,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    Partner,
    PartnershipSettings,
)
from ..queries import partner_checklist, state_of
from .common import back_to, bytes_response, paginate, show_refusal

PARTNERS_PER_PAGE = 25
PARTICIPANTS_PER_PAGE = 50
ACTIVITIES_PER_WINDOW = 10
TOP_CITIES = 10
CONTACT_ORDER = [ContactRole.FOCAL_POINT, ContactRole.DEPUTY, ContactRole.POLICE]

# --- Replies of a call's selected cities ---------------------------------------------------------


@login_required
@never_cache
def call_replies(request, slug):
    """Who has answered, by the reply deadline; the deadline; answers received by letter."""
    call = coordinated_call_or_404(request.user, slug)
    form = ReplyDeadlineForm(
        request.POST if request.method == "POST" else None,
        initial={"reply_deadline": wall_clock(call.reply_deadline, call.tzinfo)},
    )
    if request.method == "POST" and form.is_valid():
        deadline = to_zone(form.cleaned_data["reply_deadline"], call.tzinfo)
        before = call.reply_deadline
        call.reply_deadline = deadline
        call.save(update_fields=["reply_deadline", "updated_at"])

        record(
            request.user,
            "call.reply_deadline",
            call,
            before={"reply_deadline": before and before.isoformat()},
            after={"reply_deadline": deadline and deadline.isoformat()},
            call_id=call.pk,
        )
        messages.success(request, _("The reply deadline is saved."))
        return redirect("partners:call_replies", slug=call.slug)
    decisions = queries.selected_decisions(call)
    answered = sum(1 for d in decisions if d.response != Response.PENDING)
    pending = any(
        d.response == Response.PENDING and d.application.status == Status.SELECTED for d in decisions
    )
    return render(
        request,
        "partners/coordinator/replies.html",
        {
            "call": call,
            "decisions": decisions,
            "answered": answered,
            "pending": pending,
            "form": form,
            "record_form": RecordedReplyForm(),
            "reply_open": services.reply_is_open(call),
        },
    )


@login_required
@require_POST
def call_reply_record(request, slug, pk):
    """A coordinator records an answer the city gave by letter or email, with a note."""
    call = coordinated_call_or_404(request.user, slug)
    application = get_object_or_404(Application.objects.with_project_and_organisation(), pk=pk, call=call)
    form = RecordedReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the answer and say how it was received."))
        return redirect("partners:call_replies", slug=call.slug)
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["answer"] == "accept":
            services.accept_place(application, by=request.user, note=note, on_behalf=True)
            messages.success(
                request, _("%(city)s accepted; it is a partner now.") % {"city": application.organisation}
            )
        else:
            _declined, promoted = services.decline_place(
                application, by=request.user, note=note, on_behalf=True
            )
            if promoted:
                messages.success(
                    request,
                    _("%(city)s declined; %(replacement)s takes the place.")
                    % {"city": application.organisation, "replacement": promoted.application.organisation},
                )
            else:
                messages.warning(
                    request,
                    _("%(city)s declined; no reserve city fits.") % {"city": application.organisation},
                )
    except services.PartnershipError as refused:
        show_refusal(request, refused)
    return redirect("partners:call_replies", slug=call.slug)


# --- The project ---------------------------------------------------------------------------------


@login_required
def project_home(request, slug):
    """The partners × onboarding steps, a page of cities at a time; the calls' replies."""
    project = coordinated_project_or_404(request.user, slug)
    items = queries.checklist_items(project)
    partners = queries.partners_with_onboarding(project, items)
    filters = OnboardingFilterForm(request.GET, countries=queries.countries_of(partners))
    page = paginate(request, filters.apply_to(partners, steps=len(items)), PARTNERS_PER_PAGE)
    matrix = queries.onboarding_matrix(project, page.object_list, items)
    return render(
        request,
        "partners/coordinator/project.html",
        {
            "project": project,
            "matrix": matrix,
            "rows": [(partner, matrix.row(partner), partner.steps_done) for partner in matrix.partners],
            "page": page,
            "filters": filters,
            "calls": queries.project_calls(project),
            "settings": PartnershipSettings.objects.for_project(project),
        },
    )


@login_required
@never_cache
def partnership_settings(request, slug):
    project = coordinated_project_or_404(request.user, slug)
    current = PartnershipSettings.objects.for_project(project)
    form = PartnershipSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "onboarding_deadline": wall_clock(current.onboarding_deadline, None)
            if current.onboarding_deadline
            else None,
            "retention_months": current.retention_months,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.change_partnership_settings(
            project,
            by=request.user,
            onboarding_deadline=form.cleaned_data["onboarding_deadline"],
            retention_months=form.cleaned_data["retention_months"],
        )
        messages.success(request, _("The settings are saved."))
        return redirect("partners:project_home", slug=project.slug)
    return render(
        request,
        "partners/coordinator/settings.html",
        {"project": project, "form": form, "anonymise_after": current.anonymise_after()},
    )


@login_required
@never_cache
def checklist(request, slug):
    project = coordinated_project_or_404(request.user, slug)
    form = ChecklistItemForm(request.POST if request.method == "POST" else None, prefix="new")
    if request.method == "POST" and form.is_valid():
        services.save_checklist_item(project, by=request.user, values=form.cleaned_data)
        messages.success(request, _("The step is added to the checklist."))
        return redirect("partners:checklist", slug=project.slug)
    return render(
        request,
        "partners/coordinator/checklist.html",
        {"project": project, "items": queries.checklist_with_use(project), "form": form},
    )


@login_required
@never_cache
def checklist_item(request, slug, item_pk):
    project = coordinated_project_or_404(request.user, slug)
    item = get_object_or_404(ChecklistItem, pk=item_pk, project=project)
    form = ChecklistItemForm(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_checklist_item(project, by=request.user, values=form.cleaned_data, item=item)
        messages.success(request, _("The step is saved."))
        return redirect("partners:checklist", slug=project.slug)
    started = queries.started_count(item)
    return render(
        request,
        "partners/coordinator/checklist_item.html",
        {"project": project, "item": item, "form": form, "started": started},
    )


@login_required
@require_POST
def checklist_move(request, slug, item_pk):
    """Up or down the checklist; an htmx request gets the list back, with the focus kept on
    the button that was pressed (or its twin, when the item reached an end)."""
    project = coordinated_project_or_404(request.user, slug)
    item = get_object_or_404(ChecklistItem, pk=item_pk, project=project)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    moved = services.move_checklist_item(item, by=request.user, offset=-1 if direction == "up" else 1)
    if not request.htmx:
        return redirect("partners:checklist", slug=project.slug)
    items = queries.checklist_with_use(project)
    position = next(index for index, other in enumerate(items) if other.pk == moved.pk)
    at_end = (direction == "up" and position == 0) or (direction == "down" and position == len(items) - 1)
    focus = ("down" if direction == "up" else "up") if at_end else direction
    return render(
        request,
        "partners/coordinator/_checklist_items.html",
        {
            "project": project,
            "items": items,
            "focus_pk": moved.pk,
            "focus": focus,
            "announcement": _("“%(title)s” is now step %(position)s of %(count)s.")
            % {"title": moved.title, "position": position + 1, "count": len(items)},
        },
    )


@login_required
@require_POST
def checklist_item_delete(request, slug, item_pk):
    project = coordinated_project_or_404(request.user, slug)
    item = get_object_or_404(ChecklistItem, pk=item_pk, project=project)
    try:
        services.delete_checklist_item(item, by=request.user)
    except services.PartnershipError as refused:
        show_refusal(request, refused)
        return redirect("partners:checklist_item", slug=project.slug, item_pk=item.pk)
    messages.success(request, _("The step “%(title)s” is deleted.") % {"title": item.title})
    return redirect("partners:checklist", slug=project.slug)


@login_required
@never_cache
def project_partner(request, slug, pk):
    """One partner as the coordinators see it: onboarding, contacts, agreement, nominations."""
    project = coordinated_project_or_404(request.user, slug)
    partner = project_partner_or_404(project, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check_agreement":
                form = AgreementCheckForm(request.POST)
                if form.is_valid():
                    services.check_agreement(partner, by=request.user, **form.cleaned_data)
                    messages.success(request, _("The check of the agreement is recorded."))
            elif action == "item_state":
                item = get_object_or_404(ChecklistItem, pk=request.POST.get("item"), project=project)
                form = ItemStateForm(request.POST)
                if form.is_valid():
                    services.set_item_state(partner, item, by=request.user, **form.cleaned_data)
                    messages.success(request, _("The step is updated."))
            elif action == "withdraw":
                form = WithdrawPartnerForm(request.POST)
                services.withdraw_partner(partner, by=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("The partner is withdrawn; its history is kept."))
        except services.PartnershipError as refused:
            show_refusal(request, refused)
        return redirect("partners:project_partner", slug=project.slug, pk=partner.pk)
    checklist = [
        (item, progress, state_of(progress))
        for item, progress in partner_checklist(partner, with_retired=True)
    ]
    participants = queries.participants_of(partner)
    return render(
        request,
        "partners/coordinator/partner.html",
        {
            "project": project,
            "partner": partner,
            "checklist": checklist,
            "contacts": sorted(partner.contacts.all(), key=lambda c: CONTACT_ORDER.index(c.role)),
            "signed": queries.signed_agreements(partner),
            "agreement": documents.current_agreement(partner),
            "participants": participants,
            "check_form": AgreementCheckForm(),
            "state_form": ItemStateForm(),
            "withdraw_form": WithdrawPartnerForm(),
        },
    )


# --- Activities --------------------------------------------------------------------------------


@login_required
def activities(request, slug):
    project = coordinated_project_or_404(request.user, slug)
    return render(
        request,
        "partners/coordinator/activities.html",
        {"project": project, "activities": queries.activities_with_seats(project)},
    )


@login_required
@never_cache
def activity_edit(request, slug, pk=None):
    project = coordinated_project_or_404(request.user, slug)
    activity = project_activity_or_404(project, pk) if pk else None
    form = ActivityForm(request.POST if request.method == "POST" else None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(project, by=request.user, values=form.values(), activity=activity)
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("partners:activity_participants", slug=project.slug, pk=saved.pk)
    return render(
        request,
        "partners/coordinator/activity_form.html",
        {"project": project, "activity": activity, "form": form},
    )


@login_required
@never_cache
def activity_participants(request, slug, pk):
    """An activity's nominations, a page at a time (filters kept in the URL): decide each,
    see seats per city, record attendance of the confirmed participants shown."""
    project = coordinated_project_or_404(request.user, slug)
    activity = project_activity_or_404(project, pk)
    seats = queries.activity_seats_by_partner(activity)
    counts = queries.status_counts(activity)
    filters = ParticipantFilterForm(
        request.GET,
        cities=[(row["partner_id"], row["partner__organisation__name"]) for row in seats],
        counts=counts,
    )
    page = paginate(
        request, filters.apply_to(Participant.objects.for_activity_list(activity)), PARTICIPANTS_PER_PAGE
    )
    participants = list(page.object_list)
    days = activity.days()
    for participant in participants:
        present = {attendance.day for attendance in participant.attendances.all()}
        participant.day_marks = [(day, day in present) for day in days]
    return render(
        request,
        "partners/coordinator/activity.html",
        {
            "project": project,
            "activity": activity,
            "participants": participants,
            "confirmed_shown": [p for p in participants if p.status == ParticipantStatus.CONFIRMED],
            "page": page,
            "filters": filters,
            "by_city": seats,
            "counts": counts,
            "held": sum(row["held"] for row in seats),
            "days": days,
            "decision_form": DecisionForm(),
            "statuses": ParticipantStatus,
            "back": request.get_full_path(),
        },
    )


def _activity_list_url(project, activity_id):
    return reverse("partners:activity_participants", args=[project.slug, activity_id])


@login_required
@require_POST
def participant_decide(request, slug, pk):
    project = coordinated_project_or_404(request.user, slug)
    participant = project_participant_or_404(project, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_nomination(participant, by=request.user, **form.cleaned_data)
        except services.PartnershipError as refused:
            show_refusal(request, refused)
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": participant.name, "status": ParticipantStatus(form.cleaned_data["status"]).label},
            )
    else:
        messages.error(request, _("Choose a decision."))
    return redirect(back_to(request, _activity_list_url(project, participant.activity_id)))


@login_required
@require_POST
def attendance(request, slug, pk):
    project = coordinated_project_or_404(request.user, slug)
    activity = project_activity_or_404(project, pk)
    days = {day.isoformat(): day for day in activity.days()}
    # The participants the form showed (one page of the list): the others keep their attendance.
    shown = {value for value in request.POST.getlist("shown") if value.isdigit()}
    present = {}
    for participant_id in queries.confirmed_among(activity, shown):
        marked = request.POST.getlist(f"present-{participant_id}")
        present[participant_id] = {days[value] for value in marked if value in days}
    try:
        count = services.record_attendance(activity, by=request.user, present=present)
    except services.PartnershipError as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("Attendance is saved (%(count)s participant-days).") % {"count": count})
    return redirect(back_to(request, _activity_list_url(project, activity.pk)))


@login_required
def sign_in_sheet(request, slug, pk, day):
    project = coordinated_project_or_404(request.user, slug)
    activity = project_activity_or_404(project, pk)
    try:
        chosen = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if chosen not in activity.days():
        raise Http404
    content = documents.sign_in_sheet(activity, chosen, language=request.LANGUAGE_CODE)
    return bytes_response(
        content, filename=f"sign-in-{activity.pk}-{chosen}.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def certificates_send(request, slug, pk):
    project = coordinated_project_or_404(request.user, slug)
    activity = project_activity_or_404(project, pk)
    count = services.issue_certificates(activity, by=request.user)
    messages.success(request, _("Certificates are on their way to %(count)s attendees.") % {"count": count})
    return redirect("partners:activity_participants", slug=project.slug, pk=activity.pk)


# --- Participants' data ------------------------------------------------------------------------


@login_required
def participant_export(request, slug, pk):
    project = coordinated_project_or_404(request.user, slug)
    participant = project_participant_or_404(project, pk)
    response = JsonResponse(
        services.export_participant(participant), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="participant-{participant.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def participant_erase(request, slug, pk):
    project = coordinated_project_or_404(request.user, slug)
    participant = project_participant_or_404(project, pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the confirmation to erase the participant's data."))
    else:
        try:
            services.erase_participant(participant, by=request.user)
        except services.PartnershipError as refused:
            show_refusal(request, refused)
        else:
            messages.success(
                request, _("The participant's personal data are erased; the reports still count them.")
            )
    return redirect(back_to(request, _activity_list_url(project, participant.activity_id)))


# --- Reporting ---------------------------------------------------------------------------------


@login_required
def participation(request, slug):
    """The cities × activities matrix, a window of it at a time: a page of cities (filters
    kept in the URL) by a run of activities; the counts by country, role and gender."""
    project = coordinated_project_or_404(request.user, slug)
    partners = Partner.objects.for_matrix(project)
    filters = PartnerFilterForm(request.GET, countries=queries.countries_of(partners))
    partners = filters.apply_to(partners)
    page = paginate(request, partners, PARTNERS_PER_PAGE)
    columns = paginate(
        request,
        queries.activities_of(project),
        ACTIVITIES_PER_WINDOW,
        param="columns",
    )
    matrix = queries.participation_matrix(
        project, page.object_list, columns.object_list, counted=partners if filters.active else None
    )
    total, breakdown = queries.participation_breakdown(project)
    return render(
        request,
        "partners/coordinator/participation.html",
        {
            "project": project,
            "matrix": matrix,
            "rows": [
                (partner, matrix.row(partner), matrix.partner_totals.get(partner.pk, 0))
                for partner in matrix.partners
            ],
            "totals": [matrix.activity_totals.get(activity.pk, 0) for activity in matrix.activities],
            "page": page,
            "columns": columns,
            "filters": filters,
            "total": total,
            "breakdown": _labelled(breakdown),
            "top_cities": TOP_CITIES,
            "formats": exports.FORMATS,
        },
    )


def _labelled(breakdown):
    """The counts with the names people read: countries, roles and genders in the page's language."""
    categories, genders = dict(ParticipantCategory.choices), dict(Gender.choices)
    return {
        "city": breakdown["city"],
        "country": [(country_name(code), n) for code, n in breakdown["country"]],
        "category": [(categories.get(code, code), n) for code, n in breakdown["category"]],
        "gender": [(genders.get(code, "") if code else "", n) for code, n in breakdown["gender"]],
    }


@login_required
def participation_export(request, slug, fmt):
    project = coordinated_project_or_404(request.user, slug)
    if fmt not in exports.FORMATS:
        raise Http404
    content, content_type, filename = exports.export(project, fmt)
    return bytes_response(content, filename=filename, content_type=content_type)
