"""The evaluator's pages: their assignments, conflicts of interest and reviews.

Every page starts from ``queries.assignment_for_evaluator``: an application that is not
assigned to the person, or that they are conflicted with, answers 404 whatever the URL.
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.forms import display_value
from intake.models import Call
from portal.paging import keyset_page

from .. import queries, services
from ..forms import AssignmentDeclineForm, ConflictForm, CountryConflictForm, ReviewForm, score_text
from ..models import (
    Assignment,
    ConflictScope,
    ReviewSettings,
)
from ..scoring import weighted_total

ASSIGNMENTS_PER_PAGE = 50
ASSIGNMENT_ORDER = ["application__call__closes_at", "application__call_id", "application__number", "id"]


@login_required
def evaluator_home(request):
    """The evaluator's assignments, call by call, a page at a time; the progress of every call."""
    to_do = request.GET.get("show") == "to_do"
    progress = {row["call"].pk: row for row in queries.evaluator_call_progress(request.user)}
    page = keyset_page(
        request.GET,
        Assignment.objects.for_evaluator(request.user, to_do=to_do),
        ASSIGNMENT_ORDER,
        per_page=ASSIGNMENTS_PER_PAGE,
    )
    calls = []
    for call_id, rows in groupby(page.rows, key=lambda a: a.application.call_id):
        calls.append({**progress[call_id], "assignments": list(rows)})
    return render(
        request,
        "reviews/evaluator/home.html",
        {"calls": calls, "page": page, "to_do": to_do, "every_call": list(progress.values())},
    )


def _assignment_or_404(request, pk):
    assignment = queries.assignment_for_evaluator(request.user, pk)
    if assignment is None:
        raise Http404
    return assignment


@login_required
def application_review(request, pk):
    """The gate (city and country only) until "no conflict" is confirmed, then the review."""
    assignment = _assignment_or_404(request, pk)
    application = assignment.application
    if not assignment.confirmed:
        return render(
            request,
            "reviews/evaluator/gate.html",
            {
                "assignment": assignment,
                "application": application,
                "conflict_form": ConflictForm(),
                "decline_form": AssignmentDeclineForm(),
            },
        )
    call = application.call
    review_settings = ReviewSettings.objects.for_call(call)
    criteria = queries.criteria_of(call)
    review, others = queries.reviews_for_evaluator(assignment, review_settings)
    submitting = request.POST.get("action") == "submit"
    if request.method == "POST":
        if review is not None and review.is_submitted:
            messages.error(request, _("This review is submitted and locked."))
            return redirect("reviews:evaluator_application", pk=application.pk)
        form = ReviewForm(
            request.POST, criteria=criteria, review_settings=review_settings, submitting=submitting
        )
        if form.is_valid():
            try:
                services.save_review(
                    assignment,
                    by=request.user,
                    values=form.values,
                    comments=form.comments,
                    overall_comment=form.cleaned_data["overall_comment"],
                    recommendation=form.cleaned_data["recommendation"],
                    submit=submitting,
                )
            except services.EvaluationError as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
                if not error.errors:
                    form.add_error(None, str(error))
            else:
                if submitting:
                    messages.success(request, _("Your review is submitted."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("reviews:evaluator_application", pk=application.pk)
    else:
        form = ReviewForm(initial=_review_initial(review), criteria=criteria, review_settings=review_settings)
    scores = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
    context = {
        "assignment": assignment,
        "application": application,
        "call": call,
        "review": review,
        "form": form,
        "criteria": criteria,
        "review_settings": review_settings,
        "total": weighted_total(scores, criteria, review_settings.scale_max, partial=True),
        "complete": all(scores.get(criterion.pk) is not None for criterion in criteria),
        "sections": _application_content(application),
        "others": _other_reviews(others, criteria, review_settings),
        "decline_form": AssignmentDeclineForm(),
    }
    return render(request, "reviews/evaluator/review.html", context)


def _review_initial(review):
    if review is None:
        return {}
    initial = {"overall_comment": review.overall_comment, "recommendation": review.recommendation}
    for score in review.scores.all():
        initial[f"score_{score.criterion_id}"] = score_text(score.value)
        initial[f"comment_{score.criterion_id}"] = score.comment
    return initial


@login_required
@require_POST
def review_total(request, pk):
    """The weighted total of the scores being typed, as a fragment for htmx."""
    assignment = _assignment_or_404(request, pk)
    if not assignment.confirmed:
        raise Http404
    call = assignment.application.call
    review_settings = ReviewSettings.objects.for_call(call)
    criteria = queries.criteria_of(call)
    values = {}
    for criterion in criteria:
        try:
            values[criterion.pk] = services.parse_score(
                request.POST.get(f"score_{criterion.pk}"), review_settings
            )
        except services.EvaluationError:
            values[criterion.pk] = None
    total = weighted_total(values, criteria, review_settings.scale_max, partial=True)
    complete = all(v is not None for v in values.values())
    return render(
        request,
        "reviews/evaluator/_total.html",
        {"total": total, "complete": complete, "review_settings": review_settings},
    )


@login_required
@require_POST
def review_autosave(request, pk):
    """Save the draft as the evaluator works (htmx, on each change); answers a status line."""
    assignment = _assignment_or_404(request, pk)
    if not assignment.confirmed:
        raise Http404
    call = assignment.application.call
    form = ReviewForm(
        request.POST,
        criteria=queries.criteria_of(call),
        review_settings=ReviewSettings.objects.for_call(call),
    )
    saved_at, problem = None, None
    if form.is_valid():
        try:
            review = services.save_review(
                assignment,
                by=request.user,
                values=form.values,
                comments=form.comments,
                overall_comment=form.cleaned_data["overall_comment"],
                recommendation=form.cleaned_data["recommendation"],
            )
        except services.EvaluationError as error:
            problem = str(error)
        else:
            saved_at = review.updated_at
    else:
        problem = _("Not saved: a score is not on the scale.")
    return render(request, "reviews/evaluator/_autosave.html", {"saved_at": saved_at, "problem": problem})


@login_required
@require_POST
def confirm_no_conflict(request, pk):
    assignment = _assignment_or_404(request, pk)
    services.confirm_no_conflict(request.user, assignment.application)
    return redirect("reviews:evaluator_application", pk=assignment.application_id)


@login_required
@require_POST
def declare_conflict(request, pk):
    assignment = _assignment_or_404(request, pk)
    application = assignment.application
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the conflict is with."))
        return redirect("reviews:evaluator_application", pk=application.pk)
    services.declare_conflict(
        request.user,
        application.call,
        scope=form.cleaned_data["scope"],
        application=application,
        organisation=application.organisation,
        note=form.cleaned_data["note"],
    )
    messages.success(
        request, _("Your conflict of interest is recorded; the application was taken off your list.")
    )
    return redirect("reviews:evaluator_home")


@login_required
@require_POST
def decline(request, pk):
    assignment = _assignment_or_404(request, pk)
    form = AssignmentDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you decline."))
        return redirect("reviews:evaluator_application", pk=assignment.application_id)
    try:
        services.decline_assignment(assignment, by=request.user, reason=form.cleaned_data["reason"])
    except services.EvaluationError as error:
        messages.error(request, str(error))
        return redirect("reviews:evaluator_application", pk=assignment.application_id)
    messages.success(request, _("You declined the assignment; the coordinator will find a replacement."))
    return redirect("reviews:evaluator_home")


@login_required
def conflicts(request, slug):
    """The evaluator's declarations for a call, and a country-wide declaration."""
    call = get_object_or_404(Call, slug=slug, evaluators__user=request.user, evaluators__is_active=True)
    form = CountryConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.declare_conflict(
            request.user,
            call,
            scope=ConflictScope.COUNTRY,
            country=form.cleaned_data["country"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Your conflict of interest is recorded."))
        return redirect("reviews:evaluator_conflicts", slug=call.slug)
    declarations = queries.declared_conflicts(call, request.user)
    return render(
        request,
        "reviews/evaluator/conflicts.html",
        {
            "call": call,
            "declarations": declarations,
            "form": form,
            "own_country_rule": ReviewSettings.objects.for_call(call).conflict_with_own_country,
        },
    )


# --------------------------------------------------------------------------------------
# What the review page shows
# --------------------------------------------------------------------------------------


def _document_url(document):
    try:
        return reverse("intake:document_download", args=[document.pk])
    except NoReverseMatch:
        return None


def _application_content(application):
    """Sections with their questions, each with the answer and files: four queries."""
    sections, answers, files = queries.application_content(application)
    documents = {}
    for document in files:
        documents.setdefault(document.question_id, []).append(
            {"document": document, "url": _document_url(document)}
        )
    content = []
    for section in sections:
        items = [
            {
                "question": question,
                "answer": display_value(question, answers.get(question.pk)),
                "documents": documents.get(question.pk, []),
            }
            for question in section.questions.all()
        ]
        content.append({"section": section, "items": items})
    return content


def _other_reviews(visible, criteria, review_settings):
    others = []
    for number, review in enumerate(visible, start=1):
        scores = {s.criterion_id: s for s in review.scores.all()}
        values = {pk: s.value for pk, s in scores.items()}
        others.append(
            {
                "label": _("Evaluator %(number)s") % {"number": number},
                "review": review,
                "rows": [(c, scores.get(c.pk)) for c in criteria],
                "total": weighted_total(values, criteria, review_settings.scale_max),
            }
        )
    return others
