"""The application form: its steps and questions, added, edited, reordered and removed.

Reordering is one POST per move from up/down buttons (the keyboard reaches them; htmx
swaps the outline in place and focus stays on the moved item's button).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake.models import Question, QuestionKind

from .. import queries
from ..forms import ChoiceFormSet, QuestionForm, SectionForm, apply_refusal
from ..services import (
    BuildRefused,
    add_question,
    add_section,
    change_question,
    change_section,
    has_answers,
    move_question,
    move_section,
    remove_question,
    remove_section,
)
from ..services.form import QUESTION_FIELDS, SECTION_FIELDS
from .common import call_or_404, page


def _section_or_404(call, pk):
    return get_object_or_404(queries.sections(call), pk=pk)


def _question_or_404(call, pk):
    return get_object_or_404(queries.questions(call), pk=pk)


def _outline_context(call, moved=None):
    sections, answered = queries.form_outline(call)
    return {"sections": sections, "answered": answered, "moved": moved, "kinds": dict(QuestionKind.choices)}


@login_required
def form_outline(request, slug):
    call = call_or_404(request, slug)
    return page(request, "builder/form.html", call, "form", _outline_context(call))


def _moved(request, call, item, direction):
    """After a move: the outline alone for htmx (focus goes back to the moved button), the
    page otherwise."""
    if request.htmx:
        kind = "question" if isinstance(item, Question) else "section"
        context = _outline_context(call, (kind, item.pk, direction))
        return page(request, "builder/_outline.html", call, "form", context)
    anchor = f"question-{item.pk}" if isinstance(item, Question) else f"section-{item.pk}"
    return redirect(reverse("builder:form", args=[call.slug]) + f"#{anchor}")


def _direction(request):
    direction = request.POST.get("direction")
    return direction if direction in ("up", "down") else None


# --- Steps --------------------------------------------------------------------------------


@login_required
def section_add(request, slug):
    call = call_or_404(request, slug)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = add_section(call, by=request.user, **form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The step is added. Now add its questions."))
            return redirect(reverse("builder:form", args=[call.slug]) + f"#section-{section.pk}")
    return page(request, "builder/section_form.html", call, "form", {"form": form, "section": None})


@login_required
def section_edit(request, slug, pk):
    call = call_or_404(request, slug)
    section = _section_or_404(call, pk)
    initial = {name: getattr(section, name) for name in SECTION_FIELDS}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_section(section, by=request.user, changes=form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The step is saved."))
            return redirect(reverse("builder:form", args=[call.slug]) + f"#section-{section.pk}")
    return page(request, "builder/section_form.html", call, "form", {"form": form, "section": section})


@login_required
@require_POST
def section_move(request, slug, pk):
    call = call_or_404(request, slug)
    section = _section_or_404(call, pk)
    direction = _direction(request)
    if direction:
        move_section(section, by=request.user, direction=direction)
    return _moved(request, call, section, direction)


@login_required
def section_delete(request, slug, pk):
    call = call_or_404(request, slug)
    section = _section_or_404(call, pk)
    if request.method == "POST":
        try:
            remove_section(section, by=request.user)
        except BuildRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The step is removed."))
        return redirect("builder:form", slug=call.slug)
    questions = queries.section_questions(section)
    blocked = any(has_answers(question) for question in questions)
    context = {"section": section, "questions": questions, "blocked": blocked}
    return page(request, "builder/section_delete.html", call, "form", context)


# --- Questions ----------------------------------------------------------------------------


def _choices_initial(question):
    return [dict(choice) for choice in (question.choices if question else [])]


def _question_page(request, call, form, choices, question, section):
    context = {
        "form": form,
        "choices": choices,
        "question": question,
        "section": section,
        "kind_fields": QuestionForm.KIND_FIELDS,
        "choice_kinds": [QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE],
    }
    return page(request, "builder/question_form.html", call, "form", context)


def _question_changes(form, choices):
    """What the form asks of the question (and the step it goes in, ``section``); a choice
    row whose two labels are empty is a choice removed."""
    changes = {name: form.cleaned_data.get(name) for name in QUESTION_FIELDS if name in form.cleaned_data}
    rows = [row.cleaned_data for row in choices.forms if row.cleaned_data]
    changes["choices"] = [row for row in rows if row.get("label_en") or row.get("label_fr")]
    for name in ("kind", "key"):
        if form.fields[name].disabled:
            changes.pop(name, None)
    changes["section"] = form.cleaned_data.get("section")
    return changes


@login_required
def question_add(request, slug, pk):
    call = call_or_404(request, slug)
    section = _section_or_404(call, pk)
    sections = queries.sections(call)
    form = QuestionForm(
        request.POST or None,
        sections=sections,
        published=call.is_published,
        initial={"section": section, "required": True, "max_files": 1, "kind": QuestionKind.SHORT_TEXT},
    )
    choices = ChoiceFormSet(request.POST or None, prefix="choices")
    if request.method == "POST" and form.is_valid() and choices.is_valid():
        changes = _question_changes(form, choices)
        target = changes.pop("section", None) or section
        try:
            question = add_question(target, by=request.user, **changes)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The question is added."))
            if request.POST.get("action") == "another":
                return redirect("builder:question_add", slug=call.slug, pk=target.pk)
            if request.POST.get("action") == "stay":
                return redirect("builder:question_edit", slug=call.slug, pk=question.pk)
            return redirect(reverse("builder:form", args=[call.slug]) + f"#question-{question.pk}")
    return _question_page(request, call, form, choices, None, section)


@login_required
def question_edit(request, slug, pk):
    call = call_or_404(request, slug)
    question = _question_or_404(call, pk)
    sections = queries.sections(call)
    initial = {name: getattr(question, name) for name in QUESTION_FIELDS}
    initial["section"] = question.section
    form = QuestionForm(
        request.POST or None,
        sections=sections,
        answered=has_answers(question),
        published=call.is_published,
        initial=initial,
    )
    choices = ChoiceFormSet(request.POST or None, prefix="choices", initial=_choices_initial(question))
    if request.method == "POST" and form.is_valid() and choices.is_valid():
        changes = _question_changes(form, choices)
        target = changes.pop("section", None)
        try:
            change_question(question, by=request.user, changes=changes, section=target)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The question is saved."))
            if request.POST.get("action") == "stay":
                return redirect("builder:question_edit", slug=call.slug, pk=question.pk)
            return redirect(reverse("builder:form", args=[call.slug]) + f"#question-{question.pk}")
    return _question_page(request, call, form, choices, question, question.section)


@login_required
@require_POST
def question_move(request, slug, pk):
    call = call_or_404(request, slug)
    question = _question_or_404(call, pk)
    direction = _direction(request)
    if direction:
        move_question(question, by=request.user, direction=direction)
    return _moved(request, call, question, direction)


@login_required
def question_delete(request, slug, pk):
    call = call_or_404(request, slug)
    question = _question_or_404(call, pk)
    if request.method == "POST":
        try:
            remove_question(question, by=request.user)
        except BuildRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The question is removed."))
        return redirect("builder:form", slug=call.slug)
    context = {"question": question, "blocked": has_answers(question)}
    return page(request, "builder/question_delete.html", call, "form", context)
