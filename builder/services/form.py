"""The application form of a call: its sections (the steps) and their questions.

A question that has answers keeps its kind and cannot be removed; a change of its
wording once the call is published (or answered) keeps the earlier wording as a
revision, which the answers given under it still show.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intake.models import Answer, Document, Question, QuestionKind, QuestionRevision, Section
from portal.audit import record
from portal.ordering import move, next_number
from reviews.services.common import snapshot

from .common import BuildRefused, apply_changes, check_markup, full_clean, record_change

SECTION_FIELDS = ("title_en", "title_fr", "intro_en", "intro_fr")
QUESTION_FIELDS = (
    "key",
    "kind",
    "label_en",
    "label_fr",
    "help_en",
    "help_fr",
    "required",
    "max_length",
    "min_value",
    "max_value",
    "choices",
    "max_files",
    "min_date",
    "max_date",
    "file_types",
    "personal_data",
)
WORDING = QuestionRevision.WORDING
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# Settings that mean something only for some kinds; the others are cleared.
KIND_SETTINGS = {
    "max_length": TEXT_KINDS,
    "min_value": (QuestionKind.NUMBER,),
    "max_value": (QuestionKind.NUMBER,),
    "choices": CHOICE_KINDS,
    "min_date": (QuestionKind.DATE,),
    "max_date": (QuestionKind.DATE,),
    "file_types": (QuestionKind.FILE,),
}
EMPTY = {"choices": [], "file_types": []}


# --- Sections ------------------------------------------------------------------------------


def _check_section(section):
    if not section.title_en:
        raise BuildRefused(_("Give the step a title in English."), {"title_en": _("Required.")})
    check_markup(("intro_en", "intro_fr"), snapshot(section, SECTION_FIELDS))
    full_clean(section, exclude=["call", "order"])


def add_section(call, *, by, **fields):
    with transaction.atomic():
        existing = list(Section.objects.select_for_update().filter(call=call))
        section = Section(call=call, order=next_number(existing))
        apply_changes(section, SECTION_FIELDS, fields)
        _check_section(section)
        section.save()
        record(by, "section.added", section, after=snapshot(section, SECTION_FIELDS), call_id=call.pk)
    return section


def change_section(section, *, by, changes):
    with transaction.atomic():
        locked = Section.objects.select_for_update().get(pk=section.pk)
        before, after, changed = apply_changes(locked, SECTION_FIELDS, changes)
        _check_section(locked)
        if changed:
            locked.save(update_fields=changed)
            record_change(by, "section.changed", locked, before, after, changed, call_id=locked.call_id)
    return locked


def move_section(section, *, by, direction):
    with transaction.atomic():
        items = list(
            Section.objects.select_for_update().filter(call_id=section.call_id).order_by("order", "pk")
        )
        _move(items, section, direction, by=by, action="section.moved", call_id=section.call_id)
    return section


def remove_section(section, *, by):
    """Remove a step and its questions, while none of them has answers."""
    questions = list(section.questions.all())
    if any(has_answers(question) for question in questions):
        raise BuildRefused(_("Some questions of this step have answers: it can no longer be removed."))
    with transaction.atomic():
        record(
            by,
            "section.removed",
            section,
            before={**snapshot(section, SECTION_FIELDS), "questions": [q.key for q in questions]},
            call_id=section.call_id,
        )
        call_id = section.call_id
        section.delete()
        _renumber(Section.objects.filter(call_id=call_id))


# --- Questions ----------------------------------------------------------------------------


def has_answers(question):
    """Someone answered it (a value or a file): its kind and existence are then fixed."""
    answered = Answer.objects.filter(question=question).exclude(Q(value__isnull=True) | Q(value=""))
    return answered.exists() or Document.objects.filter(question=question).exists()


def answered_question_ids(call):
    """The questions of ``call`` that have answers, in two queries."""
    values = Answer.objects.filter(question__section__call=call).exclude(Q(value__isnull=True) | Q(value=""))
    ids = set(values.values_list("question_id", flat=True).distinct())
    ids |= set(
        Document.objects.filter(question__section__call=call).values_list("question_id", flat=True).distinct()
    )
    return ids


def suggested_key(label, call, *, exclude=None):
    """A key from the English label, unique within the call (``letter_of_commitment``)."""
    base = slugify(label).replace("-", "_")[:50].strip("_") or "question"
    taken = set(Question.objects.filter(section__call=call).exclude(pk=exclude).values_list("key", flat=True))
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


def _normalised_choices(choices, previous=()):
    """Choices with a stable value each: an edited label keeps the value it had."""
    used = {choice["value"] for choice in previous}
    result, seen = [], set()
    for choice in choices or []:
        label_en = (choice.get("label_en") or "").strip()
        label_fr = (choice.get("label_fr") or "").strip()
        if not label_en and not label_fr:
            continue
        value = (choice.get("value") or "").strip() or slugify(label_en or label_fr)[:40] or "choice"
        base, number = value, 2
        while value in seen or (value in used and not choice.get("value")):
            value = f"{base}-{number}"
            number += 1
        seen.add(value)
        result.append({"value": value, "label_en": label_en, "label_fr": label_fr})
    return result


def _check_question(question, call, *, answered_values=frozenset()):
    errors = {}
    if not question.label_en:
        errors["label_en"] = _("Give the question a label in English.")
    if question.kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of question.")
    if not question.key or slugify(question.key).replace("-", "_") != question.key:
        errors["key"] = _("Use lower-case letters, digits and underscores.")
    elif Question.objects.filter(section__call=call, key=question.key).exclude(pk=question.pk).exists():
        errors["key"] = _("Another question of this call has this key.")
    if question.kind in CHOICE_KINDS:
        if len(question.choices) < 2:
            errors["choices"] = _("Give at least two choices.")
        elif any(not choice["label_en"] for choice in question.choices):
            errors["choices"] = _("Every choice needs an English label.")
        missing = answered_values - {choice["value"] for choice in question.choices}
        if missing:
            errors["choices"] = _("Some answers chose a choice you removed; keep it.")
    bounds = (question.min_value, question.max_value)
    if question.kind == QuestionKind.NUMBER and None not in bounds and bounds[0] > bounds[1]:
        errors["max_value"] = _("The maximum must not be below the minimum.")
    if question.kind in TEXT_KINDS and question.max_length is not None and question.max_length < 1:
        errors["max_length"] = _("At least one character.")
    if question.kind == QuestionKind.FILE and not 1 <= (question.max_files or 0) <= 15:
        errors["max_files"] = _("Between 1 and 15 files.")
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)
    check_markup(("help_en", "help_fr"), snapshot(question, ("help_en", "help_fr")))
    full_clean(question, exclude=["section", "order", "choices", "file_types"])


def _clear_unused_settings(question):
    for name, kinds in KIND_SETTINGS.items():
        if question.kind not in kinds:
            setattr(question, name, EMPTY.get(name))


def add_question(section, *, by, **fields):
    """A new question at the end of ``section``; its key comes from the English label."""
    call = section.call
    fields = dict(fields)
    fields["choices"] = _normalised_choices(fields.get("choices"))
    with transaction.atomic():
        existing = list(Question.objects.select_for_update().filter(section=section))
        question = Question(section=section, order=next_number(existing))
        apply_changes(question, QUESTION_FIELDS, fields)
        if not question.key:
            question.key = suggested_key(question.label_en, call)
        if question.max_files is None:
            question.max_files = 1
        _clear_unused_settings(question)
        _check_question(question, call)
        question.save()
        record(by, "question.added", question, after=snapshot(question, QUESTION_FIELDS), call_id=call.pk)
    return question


def change_question(question, *, by, changes, section=None):
    """Change a question (and move it to ``section``, another step of the same call).

    Once answered it keeps its kind and key; once its call is published or it is
    answered, a new wording keeps the former one as a revision.
    """
    call = question.section.call
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        previous_section = locked.section_id
        answered = has_answers(locked)
        changes = dict(changes)
        if "choices" in changes:
            changes["choices"] = _normalised_choices(changes["choices"], locked.choices)
        before = snapshot(locked, QUESTION_FIELDS)
        apply_changes(locked, QUESTION_FIELDS, changes)
        _clear_unused_settings(locked)
        after = snapshot(locked, QUESTION_FIELDS)
        changed = [name for name in QUESTION_FIELDS if before[name] != after[name]]
        for fixed in ("kind", "key"):
            if answered and fixed in changed:
                raise BuildRefused(
                    _("This question has answers: its kind and key can no longer change."),
                    {fixed: _("Fixed once answered.")},
                )
        _check_question(locked, call, answered_values=_answered_choice_values(locked) if answered else set())
        if section is not None and section.pk != previous_section:
            if section.call_id != call.pk:
                raise BuildRefused(
                    _("Choose a step of this call."), {"section": _("Not a step of this call.")}
                )
            locked.section = section
            locked.order = next_number(Question.objects.filter(section=section))
            before["section"], after["section"] = previous_section, section.pk
            changed.append("section")
        reworded = [name for name in changed if name in WORDING] if call.is_published or answered else []
        if reworded:
            QuestionRevision.objects.create(
                question=locked,
                number=locked.revision,
                replaced_by=by if getattr(by, "pk", None) else None,
                **{name: _stored(before[name], name) for name in WORDING},
            )
            locked.revision += 1
        if changed:
            locked.save()
        if reworded:
            record(
                by,
                "question.reworded",
                locked,
                before={name: before[name] for name in reworded} | {"revision": locked.revision - 1},
                after={name: after[name] for name in reworded} | {"revision": locked.revision},
                call_id=call.pk,
            )
        others = [name for name in changed if name not in reworded]
        record_change(by, "question.changed", locked, before, after, others, call_id=call.pk)
        if locked.section_id != previous_section:
            _renumber(Question.objects.filter(section_id=previous_section))
    return locked


def _stored(value, name):
    """A snapshot's value as a revision keeps it (no None in its text fields)."""
    if value is None:
        return [] if name == "choices" else ""
    return value


def _answered_choice_values(question):
    values = set()
    for value in Answer.objects.filter(question=question).values_list("value", flat=True):
        if isinstance(value, list):
            values.update(str(item) for item in value)
        elif value not in (None, ""):
            values.add(str(value))
    return values


def move_question(question, *, by, direction):
    """Move a question one place up or down within its step."""
    with transaction.atomic():
        siblings = Question.objects.select_for_update().filter(section_id=question.section_id)
        items = list(siblings.order_by("order", "pk"))
        _move(items, question, direction, by=by, action="question.moved", call_id=question.section.call_id)
    return question


def remove_question(question, *, by):
    """Remove a question nobody has answered."""
    if has_answers(question):
        raise BuildRefused(_("This question has answers: it can no longer be removed."))
    call_id = question.section.call_id
    with transaction.atomic():
        record(by, "question.removed", question, before=snapshot(question, QUESTION_FIELDS), call_id=call_id)
        section_id = question.section_id
        question.delete()
        _renumber(Question.objects.filter(section_id=section_id))


# --- Shared -------------------------------------------------------------------------------


def _move(items, item, direction, *, by, action, call_id):
    before = [candidate.pk for candidate in items]
    changed = move(items, item, direction)
    if not changed:
        return
    type(item).objects.bulk_update(changed, ["order"])
    after = [candidate.pk for candidate in sorted(items, key=lambda candidate: candidate.order)]
    record(by, action, item, before={"order": before}, after={"order": after}, call_id=call_id)


def _renumber(queryset):
    items = list(queryset.order_by("order", "pk"))
    changed = []
    for number, item in enumerate(items, start=1):
        if item.order != number:
            item.order = number
            changed.append(item)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["order"])
