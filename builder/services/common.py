"""What the builder's services share: their refusal, and how a change is checked and recorded."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import markup
from portal.audit import record
from portal.text import strip_bidi_controls
from reviews.models import ReviewSettings
from reviews.services.common import snapshot


class BuildRefused(Exception):
    """A change the call's rules refuse; ``message`` says why, ``errors`` per field."""

    def __init__(self, message, errors=None, problems=()):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.problems = list(problems)


def refuse_when_final(call):
    if ReviewSettings.objects.for_call(call).is_finalised:
        raise BuildRefused(_("The selection of this call is final; its rules can no longer change."))


def cleaned_text(value):
    """Typed text as it is kept: no bidirectional controls, no surrounding blanks."""
    if isinstance(value, str):
        return strip_bidi_controls(value).strip()
    return value


def check_markup(fields, values, *, placeholders=None):
    """Refuse markup that would not show as its writer expects (a bad link, HTML, an
    unknown value), naming each field."""
    errors = {}
    for name in fields:
        found = markup.problems(values.get(name, ""), placeholders=placeholders)
        if found:
            errors[name] = " ".join(found)
    if errors:
        raise BuildRefused(next(iter(errors.values())), errors)


def full_clean(obj, exclude=()):
    """The model's own checks, as a refusal naming the fields."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = {
            name if name != "__all__" else None: " ".join(texts) for name, texts in error.message_dict.items()
        }
        raise BuildRefused(next(iter(errors.values())), errors) from None


def apply_changes(obj, fields, changes):
    """Set ``changes`` among ``fields`` on ``obj``; returns ``(before, after, changed names)``."""
    before = snapshot(obj, fields)
    for name, value in changes.items():
        if name in fields:
            setattr(obj, name, cleaned_text(value))
    after = snapshot(obj, fields)
    changed = [name for name in fields if before[name] != after[name]]
    return before, after, changed


def record_change(by, action, obj, before, after, changed, *, call_id, note=""):
    """One audit event with only what changed (nothing when nothing did)."""
    if changed:
        record(
            by,
            action,
            obj,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            call_id=call_id,
            note=note,
        )
