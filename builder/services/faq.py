"""The questions and answers of a call's public page."""

from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import FaqEntry
from portal.audit import record
from portal.ordering import move, next_number
from reviews.services.common import snapshot

from .common import BuildRefused, apply_changes, check_markup, full_clean, record_change

FAQ_FIELDS = ("question_en", "question_fr", "answer_en", "answer_fr")


def _check(entry):
    errors = {}
    if not entry.question_en:
        errors["question_en"] = _("Write the question in English.")
    if not entry.answer_en:
        errors["answer_en"] = _("Write the answer in English.")
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)
    check_markup(("answer_en", "answer_fr"), snapshot(entry, FAQ_FIELDS))
    full_clean(entry, exclude=["call", "order"])


def add_faq_entry(call, *, by, **fields):
    with transaction.atomic():
        existing = list(FaqEntry.objects.select_for_update().filter(call=call))
        entry = FaqEntry(call=call, order=next_number(existing))
        apply_changes(entry, FAQ_FIELDS, fields)
        _check(entry)
        entry.save()
        record(by, "faq.added", entry, after=snapshot(entry, FAQ_FIELDS), call_id=call.pk)
    return entry


def change_faq_entry(entry, *, by, changes):
    with transaction.atomic():
        locked = FaqEntry.objects.select_for_update().get(pk=entry.pk)
        before, after, changed = apply_changes(locked, FAQ_FIELDS, changes)
        _check(locked)
        if changed:
            locked.save(update_fields=changed)
            record_change(by, "faq.changed", locked, before, after, changed, call_id=locked.call_id)
    return locked


def move_faq_entry(entry, *, by, direction):
    with transaction.atomic():
        items = list(
            FaqEntry.objects.select_for_update().filter(call_id=entry.call_id).order_by("order", "pk")
        )
        before = [item.pk for item in items]
        changed = move(items, entry, direction)
        if changed:
            FaqEntry.objects.bulk_update(changed, ["order"])
            after = [item.pk for item in sorted(items, key=lambda item: item.order)]
            record(
                by,
                "faq.moved",
                entry,
                before={"order": before},
                after={"order": after},
                call_id=entry.call_id,
            )
    return entry


def remove_faq_entry(entry, *, by):
    with transaction.atomic():
        record(by, "faq.removed", entry, before=snapshot(entry, FAQ_FIELDS), call_id=entry.call_id)
        call_id = entry.call_id
        entry.delete()
        remaining = list(FaqEntry.objects.filter(call_id=call_id).order_by("order", "pk"))
        for number, item in enumerate(remaining, start=1):
            item.order = number
        FaqEntry.objects.bulk_update(remaining, ["order"])
