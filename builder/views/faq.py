"""The FAQ of the call's public page: entries added, edited, reordered, removed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import queries
from ..forms import FaqForm, apply_refusal
from ..services import BuildRefused, add_faq_entry, change_faq_entry, move_faq_entry, remove_faq_entry
from ..services.faq import FAQ_FIELDS
from .common import call_or_404, page


def _entry_or_404(call, pk):
    return get_object_or_404(call.faq_entries, pk=pk)


@login_required
def faq(request, slug):
    call = call_or_404(request, slug)
    return page(request, "builder/faq.html", call, "faq", {"entries": queries.faq_entries(call)})


@login_required
def faq_add(request, slug):
    call = call_or_404(request, slug)
    form = FaqForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = add_faq_entry(call, by=request.user, **form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The FAQ entry is added."))
            return redirect(reverse("builder:faq", args=[call.slug]) + f"#faq-{entry.pk}")
    return page(request, "builder/faq_form.html", call, "faq", {"form": form, "entry": None})


@login_required
def faq_edit(request, slug, pk):
    call = call_or_404(request, slug)
    entry = _entry_or_404(call, pk)
    form = FaqForm(request.POST or None, initial={name: getattr(entry, name) for name in FAQ_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            change_faq_entry(entry, by=request.user, changes=form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The FAQ entry is saved."))
            return redirect(reverse("builder:faq", args=[call.slug]) + f"#faq-{entry.pk}")
    return page(request, "builder/faq_form.html", call, "faq", {"form": form, "entry": entry})


@login_required
@require_POST
def faq_move(request, slug, pk):
    call = call_or_404(request, slug)
    entry = _entry_or_404(call, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        move_faq_entry(entry, by=request.user, direction=direction)
    if request.htmx:
        context = {"entries": queries.faq_entries(call), "moved": ("faq", entry.pk, direction)}
        return page(request, "builder/_faq_list.html", call, "faq", context)
    return redirect(reverse("builder:faq", args=[call.slug]) + f"#faq-{entry.pk}")


@login_required
@require_POST
def faq_delete(request, slug, pk):
    call = call_or_404(request, slug)
    entry = _entry_or_404(call, pk)
    remove_faq_entry(entry, by=request.user)
    messages.success(request, _("The FAQ entry is removed."))
    return redirect("builder:faq", slug=call.slug)
