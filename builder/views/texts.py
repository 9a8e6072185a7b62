"""The call's texts side by side in English and French, with the public page's live preview;
its address and dates; what its letters say."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.models import OrganisationKind
from portal.formatting import country_names
from portal.translation import language_code
from reviews.models import ReviewSettings

from .. import queries
from ..forms import BasicsForm, LettersForm, TextsForm, apply_refusal
from ..services import (
    BuildRefused,
    change_call_basics,
    change_call_texts,
    change_letter_texts,
    date_warnings,
)
from ..services.calls import BASIC_FIELDS, TEXT_FIELDS
from .common import call_or_404, page


def _initial(call, fields):
    return {name: getattr(call, name) for name in fields}


def _preview_context(call, language, faq_entries):
    """What the public page's texts show, in ``language``."""
    with translation.override(language):
        return {
            "call": call,
            "countries": country_names(call.eligible_countries),
            "kinds": [str(OrganisationKind(k).label) for k in call.eligible_kinds if k in OrganisationKind],
            "faq_entries": faq_entries,
            "preview_language": language,
        }


@login_required
def texts(request, slug):
    call = call_or_404(request, slug)
    form = TextsForm(request.POST or None, initial=_initial(call, TEXT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            change_call_texts(call, by=request.user, changes=form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The texts are saved."))
            return redirect("builder:texts", slug=call.slug)
    # The preview shows the saved texts first; typing refreshes it (texts_preview).
    language = language_code(request.GET.get("language"))
    context = {"form": form, "wide": True, **_preview_context(call, language, queries.faq_entries(call))}
    return page(request, "builder/texts.html", call, "texts", context)


@login_required
@require_POST
def texts_preview(request, slug):
    """The public page's texts as typed, not yet saved (htmx): nothing is stored."""
    call = call_or_404(request, slug)
    draft = copy.copy(call)
    form = TextsForm(request.POST)
    form.is_valid()
    for name in TEXT_FIELDS:
        if name in form.cleaned_data:
            setattr(draft, name, form.cleaned_data[name])
        elif name in request.POST:
            setattr(draft, name, request.POST[name])
    language = language_code(request.POST.get("language"))
    faq_entries = queries.faq_entries(call)
    with translation.override(language):
        return render(request, "builder/_preview.html", _preview_context(draft, language, faq_entries))


@login_required
def basics(request, slug):
    call = call_or_404(request, slug)
    review_settings = ReviewSettings.objects.for_call(call)
    initial = {**_initial(call, BASIC_FIELDS), "review_deadline": review_settings.review_deadline}
    form = BasicsForm(request.POST or None, call=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields if not form.fields[name].disabled}
        try:
            change_call_basics(call, by=request.user, changes=changes)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The address and dates are saved."))
            return redirect("builder:basics", slug=call.slug)
    review_settings = ReviewSettings.objects.for_call(call)
    warnings = date_warnings(call, review_settings.review_deadline)
    context = {"form": form, "warnings": warnings, "review_deadline": review_settings.review_deadline}
    return page(request, "builder/basics.html", call, "basics", context)


@login_required
def letters(request, slug):
    call = call_or_404(request, slug)
    form = LettersForm(request.POST or None, initial=_initial(call, LettersForm.FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            change_letter_texts(call, by=request.user, changes=form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("What the letters say is saved."))
            return redirect("builder:letters", slug=call.slug)
    return page(request, "builder/letters.html", call, "letters", {"form": form})
