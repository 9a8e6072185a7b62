"""The coordinator's pages: calls, screening, evaluators, assignment and review progress.

A call that the person does not coordinate answers 404.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.access import coordinated_application_or_404, coordinated_call_or_404, coordinated_object_or_404
from intake.models import Status
from portal.audit import action_label, labelled
from portal.paging import keyset_page

from .. import queries, services
from ..forms import (
    AddAssignmentForm,
    ApplicationFilterForm,
    AutoAssignForm,
    CallEvaluatorForm,
    ReopenForm,
    ReviewSettingsForm,
    ScreeningForm,
)
from ..models import (
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    EligibilityScreening,
    Review,
    ReviewSettings,
    ReviewStatus,
)
from ..scoring import weighted_total

PREVIEW_ROWS = 300
APPLICATIONS_PER_PAGE = 50
SCREENING_PER_PAGE = 50


@login_required
def coordinator_home(request):
    return render(
        request, "reviews/coordinator/home.html", {"calls": queries.coordinator_calls(request.user)}
    )


@login_required
def call_overview(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    context = {
        "call": call,
        "statuses": queries.applications_by_status(call),
        "evaluators": queries.evaluator_workloads(call),
        "declined": queries.declined_assignments(call),
        "review_settings": ReviewSettings.objects.for_call(call),
        "criteria_count": queries.criteria_count(call),
        "recent_events": labelled(queries.call_events(call)[:15]),
        "conflicts": queries.call_conflicts(call),
    }
    return render(request, "reviews/coordinator/call_overview.html", context)


AUDIT_PAGE_SIZE = 100


@login_required
def call_audit(request, slug):
    """Everything recorded about the call, newest first: who, when, what, before and after."""
    call = coordinated_call_or_404(request.user, slug)
    actions = queries.call_event_actions(call)
    action = request.GET.get("action", "")
    action = action if action in actions else ""
    page = Paginator(queries.call_events(call, action), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = labelled(page.object_list)
    choices = sorted(((name, action_label(name)) for name in actions), key=lambda pair: str(pair[1]))
    return render(
        request,
        "reviews/coordinator/audit.html",
        {"call": call, "page": page, "actions": actions, "action_choices": choices, "action": action},
    )


@login_required
def application_list(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    form = ApplicationFilterForm(request.GET or None)
    country_names = queries.application_countries(call)
    # Only the countries the call's applications come from: what there is to filter on
    # (all the world's countries make a long list to scroll, and a slow one to render).
    form.fields["country"].choices = [
        ("", _("All")),
        *sorted(country_names.items(), key=lambda pair: pair[1]),
    ]
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(
        request.GET,
        queries.coordinator_applications(
            call, status=filters.get("status") or None, country=filters.get("country") or None
        ),
        ApplicationFilterForm.ORDERS[filters.get("sort") or ""],
        per_page=APPLICATIONS_PER_PAGE,
    )
    wanted = ReviewSettings.objects.for_call(call).evaluators_per_application
    return render(
        request,
        "reviews/coordinator/application_list.html",
        {
            "call": call,
            "form": form,
            "page": page,
            "applications": page.rows,
            "rows": _application_rows(page.rows, wanted, country_names),
            "wanted": wanted,
        },
    )


def _application_rows(applications, wanted, country_names):
    """What each row of the list shows, worked out once per page rather than by template tags per cell."""
    evaluation_url = reverse("reviews:application_evaluation", args=[0]).removesuffix("0/")
    statuses = {value: str(label) for value, label in Status.choices}
    decisions = {value: str(label) for value, label in EligibilityScreening.Decision.choices}
    rows = []
    for application in applications:
        country = application.organisation.country
        screening = getattr(application, "screening", None)
        rows.append(
            {
                "url": f"{evaluation_url}{application.pk}/",
                "reference": application.reference or application.pk,
                "city": application.organisation.name,
                "country": country_names.get(country, country),
                "status": statuses.get(application.status, application.status),
                "eligibility": decisions.get(screening.decision, screening.decision) if screening else "—",
                "short": application.status == Status.IN_REVIEW and application.assignment_count < wanted,
                "assigned": application.assignment_count,
                "reviewed": application.submitted_review_count,
            }
        )
    return rows


@login_required
def application_evaluation(request, pk):
    """One application as the coordinator follows it: screening, evaluators, reviews."""
    application = coordinated_application_or_404(request.user, pk)
    call = application.call
    review_settings = ReviewSettings.objects.for_call(call)
    criteria = queries.criteria_of(call)
    assignments = queries.application_assignments(application)
    reviews = queries.application_reviews(application)
    rows = []
    for assignment in assignments:
        review = reviews.get(assignment.pk)
        # A draft is the evaluator's own until they submit it.
        shown = review is not None and review.status != ReviewStatus.DRAFT
        scores = {s.criterion_id: s for s in review.scores.all()} if shown else {}
        rows.append(
            {
                "assignment": assignment,
                "review": review,
                "scores": [(c, scores.get(c.pk)) for c in criteria],
                "total": weighted_total(
                    {pk: s.value for pk, s in scores.items()}, criteria, review_settings.scale_max
                ),
            }
        )
    active = sum(1 for a in assignments if a.status != AssignmentStatus.DECLINED)
    replacement = None
    if application.status == Status.IN_REVIEW and active < review_settings.evaluators_per_application:
        replacement = queries.suggest_replacement(application)
    context = {
        "call": call,
        "application": application,
        "screening": queries.screening_of(application),
        "rows": rows,
        "criteria": criteria,
        "replacement": replacement,
        "add_form": AddAssignmentForm(call=call),
        "reopen_form": ReopenForm(),
        "conflicts": queries.conflicts_covering(application),
        "history": labelled(queries.application_history(application, assignments, reviews.values())),
        "members": queries.application_members(application),
    }
    return render(request, "reviews/coordinator/application_evaluation.html", context)


@login_required
def screening_list(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    to_screen = request.GET.get("show") == "to_screen"
    page = keyset_page(
        request.GET,
        queries.applications_to_screen(call, only_to_screen=to_screen),
        ["number"],
        per_page=SCREENING_PER_PAGE,
    )
    return render(
        request,
        "reviews/coordinator/screening_list.html",
        {"call": call, "applications": page.rows, "page": page, "to_screen": to_screen},
    )


@login_required
def screening(request, pk):
    application = coordinated_application_or_404(request.user, pk)
    screening = services.screening_for(application)
    form = ScreeningForm(request.POST or None, screening=screening)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_eligibility(
                application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                checks=form.checks(),
            )
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The eligibility decision is recorded."))
            return redirect("reviews:screening_list", slug=application.call.slug)
    return render(
        request,
        "reviews/coordinator/screening.html",
        {"call": application.call, "application": application, "form": form, "screening": screening},
    )


@login_required
def review_settings(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    current = ReviewSettings.objects.for_call(call)
    form = ReviewSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.change_review_settings(call, by=request.user, changes=changes)
        except services.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("reviews:call_overview", slug=call.slug)
    return render(request, "reviews/coordinator/settings.html", {"call": call, "form": form})


@login_required
def evaluators(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    form = CallEvaluatorForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        services.add_call_evaluator(
            call,
            form.user,
            by=request.user,
            country=form.cleaned_data["country"],
            languages=form.cleaned_data["languages"],
            max_load=form.cleaned_data["max_load"],
        )
        messages.success(request, _("%(name)s evaluates this call.") % {"name": form.user})
        return redirect("reviews:call_evaluators", slug=call.slug)
    context = {"call": call, "rows": queries.call_evaluators(call), "form": form}
    return render(request, "reviews/coordinator/evaluators.html", context)


@login_required
@require_POST
def evaluator_active(request, pk):
    call_evaluator = coordinated_object_or_404(
        request.user, CallEvaluator.objects.with_call_and_user(), call_of=lambda ce: ce.call, pk=pk
    )
    active = request.POST.get("active") == "1"
    services.set_evaluator_active(call_evaluator, active=active, by=request.user)
    if active:
        messages.success(request, _("%(name)s evaluates this call again.") % {"name": call_evaluator.user})
    else:
        messages.success(
            request,
            _("%(name)s gets no new assignment; their current ones stay.") % {"name": call_evaluator.user},
        )
    return redirect("reviews:call_evaluators", slug=call_evaluator.call.slug)


@login_required
def auto_assign(request, slug):
    """Automatic assignment: a preview first, applied by a second POST with the same seed."""
    call = coordinated_call_or_404(request.user, slug)
    review_settings = ReviewSettings.objects.for_call(call)
    proposal = None
    if request.method == "POST":
        form = AutoAssignForm(request.POST)
        if form.is_valid():
            seed = form.cleaned_data["seed"]
            if request.POST.get("action") == "apply":
                try:
                    applied = services.apply_assignments(
                        call, seed=seed, by=request.user, fingerprint=form.cleaned_data["fingerprint"]
                    )
                except services.EvaluationError as error:
                    messages.warning(request, str(error))
                else:
                    messages.success(
                        request,
                        _("%(count)s assignments made; each evaluator receives one email.")
                        % {"count": len(applied.pairs)},
                    )
                    return redirect("reviews:call_overview", slug=call.slug)
            proposal = services.propose_assignments(call, seed=seed)
            form = AutoAssignForm(initial={"seed": seed, "fingerprint": proposal.fingerprint})
    else:
        form = AutoAssignForm(initial={"seed": secrets.randbelow(2**31)})
    context = {"call": call, "form": form, "review_settings": review_settings, "proposal": proposal}
    if proposal is not None:
        context.update(_preview_tables(call, proposal))
    return render(request, "reviews/coordinator/auto_assign.html", context)


def _preview_tables(call, proposal):
    shown = proposal.pairs[:PREVIEW_ROWS]
    names, apps = queries.assignment_preview_names(
        call, {app_id for app_id, _uid in shown} | set(proposal.short)
    )
    loads = sorted(
        (
            {"evaluator": names.get(uid, uid), "added": proposal.added.get(uid, 0), "load": load}
            for uid, load in proposal.loads.items()
        ),
        key=lambda row: (-row["load"], str(row["evaluator"])),
    )
    return {
        "preview_rows": [(apps.get(a), names.get(u, u)) for a, u in shown],
        "hidden_rows": max(0, len(proposal.pairs) - PREVIEW_ROWS),
        "load_rows": loads,
        "short_rows": [(apps.get(a), n) for a, n in proposal.short.items()],
    }


@login_required
@require_POST
def assignment_add(request, pk):
    application = coordinated_application_or_404(request.user, pk)
    form = AddAssignmentForm(request.POST, call=application.call)
    if form.is_valid():
        try:
            services.assign_evaluator(application, form.cleaned_data["evaluator"], by=request.user)
        except services.EvaluationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Evaluator assigned."))
    else:
        messages.error(request, _("Choose an evaluator of this call."))
    return redirect("reviews:application_evaluation", pk=application.pk)


@login_required
@require_POST
def assignment_remove(request, pk):
    assignment = coordinated_object_or_404(
        request.user,
        Assignment.objects.with_call(),
        call_of=lambda assignment: assignment.application.call,
        pk=pk,
    )
    try:
        services.remove_assignment(assignment, by=request.user)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evaluator removed from the application."))
    return redirect("reviews:application_evaluation", pk=assignment.application_id)


@login_required
@require_POST
def review_reopen(request, pk):
    review = coordinated_object_or_404(
        request.user,
        Review.objects.with_call(),
        call_of=lambda review: review.application.call,
        pk=pk,
    )
    form = ReopenForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.reopen_review(review, by=request.user, note=note)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The review is reopened; its evaluator can change it."))
    return redirect("reviews:application_evaluation", pk=review.application_id)
