"""The coordinator's ranking, ranking sheets, selection and decisions, dashboard and exports.

Only the call's coordinators reach these pages; anyone else gets 404. Each page reads
the call with the same fixed handful of queries (reviews/aggregation.py), whatever the
number of applications.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from intake.access import coordinated_call_or_404
from intake.models import Application
from portal.paging import keyset_page
from portal.responses import private_content

from .. import aggregation, exports, queries, robustness, services
from .. import stored as ranking_store
from ..forms import ConsensusForm, FinaliseForm, OverrideForm, PlaceDeclineForm, RankingFilterForm
from ..models import Criterion
from . import robustness as robustness_views


def _application_of(call, pk):
    """An application of the coordinated ``call`` (of another call: 404)."""
    return get_object_or_404(Application.objects.submitted_to(call).with_call_and_organisation(), pk=pk)


def _context(call, active, **extra):
    return {"call": call, "active": active, **extra}


RANKING_PER_PAGE = 50
UNRANKED_PER_PAGE = 50


@login_required
def ranking(request, slug):
    """The stored ranking (reviews/stored.py), a page of rows at a time, filtered in the URL."""
    call = coordinated_call_or_404(request.user, slug)
    stored = ranking_store.read(call)
    summary = stored.summary
    form = RankingFilterForm(request.GET or None, countries=stored.countries)
    filters = form.cleaned_data if form.is_valid() else {}
    outcome, country = filters.get("outcome") or "", filters.get("country") or ""
    page = keyset_page(
        request.GET,
        ranking_store.ranked_entries(stored, outcome=outcome, country=country),
        ["position"],  # the rank: unique, and the stored ranking's index
        per_page=RANKING_PER_PAGE,
        total=stored.count(outcome=outcome, country=country),
    )
    unranked = keyset_page(
        {"after": request.GET.get("unranked_after", "")},
        ranking_store.unranked_entries(stored),
        ["application_id"],
        per_page=UNRANKED_PER_PAGE,
        total=summary.get("unranked", 0),
    )
    current = robustness.for_call(call, settings=stored.settings, fingerprint=summary.get("fingerprint"))
    lines, _decided = ranking_store.lines(call, page.rows, stored.criteria)
    lines = robustness_views.annotate(lines, current, call.places, ranked=summary.get("ranked", 0))
    return render(
        request,
        "reviews/ranking/ranking.html",
        _context(
            call,
            "ranking",
            **robustness_views.panel_context(call, current, finalised=stored.settings.is_finalised),
            plan=stored,
            summary=summary,
            form=form,
            page=page,
            lines=lines,
            unranked=unranked,
            criteria=stored.criteria,
            tie_breakers=aggregation.tie_break_criteria(stored.criteria),
            limits=stored.limits,
            decided=stored.settings.is_finalised,
        ),
    )


@login_required
def ranking_sheet(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    application = _application_of(call, pk)
    stored = ranking_store.read(call)
    sheet = ranking_store.sheet(stored, application)
    current = robustness.for_call(
        call, settings=stored.settings, fingerprint=stored.summary.get("fingerprint")
    )
    return render(
        request,
        "reviews/ranking/sheet.html",
        _context(
            call,
            "ranking",
            robustness=current,
            estimate=current.estimate(application.pk),
            application=application,
            plan=stored,
            criteria=stored.criteria,
            result=sheet.result,
            row=sheet.row,
            neighbours=sheet.neighbours,
            unranked_reason=sheet.unranked_reason,
            decision=queries.decision_of(application),
            finalised=stored.settings.is_finalised,
            consensus_form=ConsensusForm(),
            score_choices=stored.settings.score_choices(),
            limits=stored.limits,
            override_form=OverrideForm(),
            by_key=sheet.by_key,
        ),
    )


@login_required
@require_POST
def consensus(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    application = _application_of(call, pk)
    form = ConsensusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a score and a justification."))
        return redirect("reviews:ranking_sheet", call.slug, application.pk)
    criterion = get_object_or_404(Criterion, pk=form.cleaned_data["criterion"], call=call)
    try:
        if request.POST.get("clear"):
            existing = queries.consensus_score(application, criterion)
            if existing:
                services.clear_consensus_score(existing, by=request.user)
        else:
            services.set_consensus_score(
                application,
                criterion,
                by=request.user,
                value=form.cleaned_data["value"],
                justification=form.cleaned_data["justification"],
            )
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The consensus score is recorded."))
    return redirect("reviews:ranking_sheet", call.slug, application.pk)


SELECTION_UNRANKED_PER_PAGE = 50


@login_required
def selection_page(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    stored = ranking_store.read(call)
    review_settings = stored.settings
    context = {
        "plan": stored,
        "settings": review_settings,
        "finalised": review_settings.is_finalised,
        "criteria": stored.criteria,
        "tie_breakers": aggregation.tie_break_criteria(stored.criteria),
        "limits": stored.limits,
    }
    if review_settings.is_finalised:
        context["decided"] = queries.offered_decisions(call)
        context["decline_form"] = PlaceDeclineForm()
    else:
        context["selection"] = ranking_store.selection(stored)
        context["unranked"] = keyset_page(
            {"after": request.GET.get("unranked_after", "")},
            ranking_store.unranked_entries(stored),
            ["application_id"],
            per_page=SELECTION_UNRANKED_PER_PAGE,
            total=stored.summary.get("unranked", 0),
        )
        context["finalise_form"] = FinaliseForm()
    return render(request, "reviews/ranking/selection.html", _context(call, "selection", **context))


@login_required
@require_POST
def selection_override(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    application = _application_of(call, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_decision(
                call,
                application,
                by=request.user,
                action=form.cleaned_data["action"],
                justification=form.cleaned_data["justification"],
            )
        except services.EvaluationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The selection is updated."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("reviews:selection", call.slug)


@login_required
@require_POST
def selection_finalise(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to finalise the selection."))
        return redirect("reviews:selection", call.slug)
    try:
        decisions = services.finalise_selection(call, by=request.user, note=form.cleaned_data["note"])
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "The selection is final: %(count)s decision is recorded and sent.",
                "The selection is final: %(count)s decisions are recorded and sent.",
                len(decisions),
            )
            % {"count": len(decisions)},
        )
    return redirect("reviews:selection", call.slug)


@login_required
@require_POST
def decision_decline(request, slug, pk):
    call = coordinated_call_or_404(request.user, slug)
    application = _application_of(call, pk)
    form = PlaceDeclineForm(request.POST)
    form.is_valid()
    try:
        _declined, promoted = services.record_decline(
            application, by=request.user, note=form.cleaned_data.get("note", "")
        )
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        if promoted:
            messages.success(
                request,
                _("%(city)s declined; %(replacement)s takes the place.")
                % {
                    "city": application.organisation.name,
                    "replacement": promoted.application.organisation.name,
                },
            )
        else:
            messages.warning(
                request,
                _(
                    "%(city)s declined; no city of the reserve list keeps the call's rules, "
                    "so the place is open."
                )
                % {"city": application.organisation.name},
            )
    return redirect("reviews:selection", call.slug)


@login_required
def sensitivity_page(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    stored = ranking_store.read(call)
    return render(
        request,
        "reviews/ranking/sensitivity.html",
        _context(
            call,
            "sensitivity",
            plan=stored,
            report=ranking_store.sensitivity(stored),
            criteria=stored.criteria,
        ),
    )


DISAGREEMENTS_PER_PAGE = 50


@login_required
def dashboard_page(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    stored = ranking_store.read(call)
    disagreements = keyset_page(
        request.GET,
        ranking_store.disagreement_entries(stored),
        ["application_id"],
        per_page=DISAGREEMENTS_PER_PAGE,
        total=stored.summary.get("disagreements", 0),
    )
    board = ranking_store.dashboard_of(stored, disagreements.rows)
    current = robustness.for_call(
        call, settings=stored.settings, fingerprint=stored.summary.get("fingerprint")
    )
    return render(
        request,
        "reviews/dashboard/dashboard.html",
        _context(
            call, "dashboard", board=board, plan=stored, robustness=current, disagreements=disagreements
        ),
    )


EXPORTS = {
    "ranking.csv": ("csv", "ranking"),
    "reviews.csv": ("csv", "reviews"),
    "decisions.csv": ("csv", "decisions"),
    "selection.xlsx": ("xlsx", None),
    "report.pdf": ("pdf", None),
}


@login_required
def export_page(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    return render(request, "reviews/ranking/exports.html", _context(call, "exports", exports=EXPORTS))


@login_required
def export_download(request, slug, name):
    call = coordinated_call_or_404(request.user, slug)
    if name not in EXPORTS:
        raise Http404
    fmt, table = EXPORTS[name]
    filename, content_type, content = exports.export(
        call, fmt, table=table or "ranking", language=request.LANGUAGE_CODE
    )
    return private_content(content, filename=filename, content_type=content_type)
