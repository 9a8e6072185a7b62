"""How the call's applications are evaluated and selected: criteria (weights, thresholds,
tie-breaks), the scale, the reviews' settings, and the selection rules."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews.models import ReviewSettings
from reviews.services import CRITERION_FIELDS, EvaluationError

from .. import queries
from ..forms import CriterionForm, ReviewRulesForm, ScaleForm, SelectionRulesForm, apply_refusal
from ..services import (
    BuildRefused,
    add_criterion,
    change_criterion,
    change_review_settings,
    change_scale,
    change_selection_rules,
    move_criterion,
    remove_criterion,
    weights_total,
)
from .common import call_or_404, page

REFUSALS = (BuildRefused, EvaluationError)


def initial_of(obj, names):
    """Initial values as people write them: 5 and 60, not 5.0 and 60.00."""
    return {name: plain(getattr(obj, name)) for name in names}


def plain(value):
    return f"{value.normalize():f}" if isinstance(value, Decimal) else value


def _criterion_or_404(call, pk):
    return get_object_or_404(call.criteria, pk=pk)


def _evaluation_context(call, *, scale_form=None, rules_form=None, moved=None):
    review_settings = ReviewSettings.objects.for_call(call)
    return {
        "criteria": queries.criteria(call),
        "weights_total": weights_total(call),
        "review_settings": review_settings,
        "scale_form": scale_form
        or ScaleForm(initial=initial_of(review_settings, ("scale_max", "scale_step"))),
        "rules_form": rules_form
        or ReviewRulesForm(initial=initial_of(review_settings, ReviewRulesForm.FIELDS)),
        "moved": moved,
        "scored": queries.has_scores(call),
    }


@login_required
def evaluation(request, slug):
    call = call_or_404(request, slug)
    scale_form = rules_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "scale":
            scale_form = ScaleForm(request.POST)
            if scale_form.is_valid():
                try:
                    change_scale(call, by=request.user, **scale_form.cleaned_data)
                except REFUSALS as refusal:
                    apply_refusal(scale_form, refusal)
                else:
                    messages.success(request, _("The scale is saved."))
                    return redirect("builder:evaluation", slug=call.slug)
        elif action == "rules":
            rules_form = ReviewRulesForm(request.POST)
            if rules_form.is_valid():
                try:
                    change_review_settings(call, by=request.user, changes=rules_form.cleaned_data)
                except REFUSALS as refusal:
                    apply_refusal(rules_form, refusal)
                else:
                    messages.success(request, _("The settings of the reviews are saved."))
                    return redirect("builder:evaluation", slug=call.slug)
    context = _evaluation_context(call, scale_form=scale_form, rules_form=rules_form)
    return page(request, "builder/evaluation.html", call, "evaluation", context)


def _criterion_page(request, call, form, criterion):
    context = {"form": form, "criterion": criterion, "review_settings": ReviewSettings.objects.for_call(call)}
    return page(request, "builder/criterion_form.html", call, "evaluation", context)


@login_required
def criterion_add(request, slug):
    call = call_or_404(request, slug)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = add_criterion(call, by=request.user, **form.cleaned_data)
        except REFUSALS as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The criterion is added."))
            return redirect(reverse("builder:evaluation", args=[call.slug]) + f"#criterion-{criterion.pk}")
    return _criterion_page(request, call, form, None)


@login_required
def criterion_edit(request, slug, pk):
    call = call_or_404(request, slug)
    criterion = _criterion_or_404(call, pk)
    form = CriterionForm(request.POST or None, initial=initial_of(criterion, CRITERION_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            change_criterion(criterion, by=request.user, changes=form.cleaned_data)
        except REFUSALS as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The criterion is saved."))
            return redirect(reverse("builder:evaluation", args=[call.slug]) + f"#criterion-{criterion.pk}")
    return _criterion_page(request, call, form, criterion)


@login_required
@require_POST
def criterion_move(request, slug, pk):
    call = call_or_404(request, slug)
    criterion = _criterion_or_404(call, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        try:
            move_criterion(criterion, by=request.user, direction=direction)
        except REFUSALS as refusal:
            messages.error(request, str(refusal))
    if request.htmx:
        context = _evaluation_context(call, moved=("criterion", criterion.pk, direction))
        return page(request, "builder/_criteria.html", call, "evaluation", context)
    return redirect(reverse("builder:evaluation", args=[call.slug]) + f"#criterion-{criterion.pk}")


@login_required
@require_POST
def criterion_delete(request, slug, pk):
    call = call_or_404(request, slug)
    criterion = _criterion_or_404(call, pk)
    try:
        remove_criterion(criterion, by=request.user)
    except REFUSALS as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("builder:evaluation", slug=call.slug)


@login_required
def selection(request, slug):
    call = call_or_404(request, slug)
    review_settings = ReviewSettings.objects.for_call(call)
    initial = {name: getattr(call, name) for name in SelectionRulesForm.FIELDS if hasattr(call, name)}
    initial["min_distinct_countries"] = review_settings.min_distinct_countries
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and data.get("action") == "isf_default":
        # The EU Member States taking part in the ISF-Police, ticked in one go.
        data.setlist("eligible_countries", list(SelectionRulesForm.ISF_POLICE_DEFAULT))
    form = SelectionRulesForm(data, initial=initial, selected=call.eligible_countries)
    if data is not None and data.get("action") != "isf_default" and form.is_valid():
        try:
            change_selection_rules(call, by=request.user, changes=form.cleaned_data)
        except REFUSALS as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The selection rules are saved."))
            return redirect("builder:selection", slug=call.slug)
    elif data is not None and data.get("action") == "isf_default":
        form.is_valid()
        messages.info(request, _("The ISF-Police countries are ticked; save to keep them."))
    return page(request, "builder/selection.html", call, "selection", {"form": form})
