"""The audit log: one call records one change, inside the caller's transaction.

The log is read by people: ``labelled`` gives each event its action's words and its
before/after values as ("Status", "Draft") lines in the reader's language. Field names
and choices come from the models; what the models cannot say (a review's scores keyed by
criterion, a related object's readable name) each app registers when it starts.
"""

import datetime as dt
import json

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import formatting
from .bulk import insert_rows
from .models import AuditEvent

# Each app registers its actions' labels (``<app>/audit_actions.py``) when it starts.
_action_labels = {}
# Words for keys that are not a model's field ("batch", "seed"), by key.
_key_labels = {}
# ``object_type -> describe(keys) -> {key: label}`` for keys only the app understands.
_key_describers = {}
# ``model label -> describe(pks) -> {pk: text}``: how a related object is named, in bulk.
_object_describers = {}


def register_actions(choices):
    """Make a ``TextChoices`` of actions the words the audit pages show for them."""
    _action_labels.update(choices.choices)


def action_label(action):
    """The action in the reader's language; an action without a label keeps its code."""
    return _action_labels.get(action, action)


def register_keys(labels):
    """Words for value keys that are no model field, e.g. ``{"batch": _("Batch")}`` (lazy)."""
    _key_labels.update(labels)


def register_key_describer(object_type, describe):
    """``describe(keys)`` names the keys of ``object_type``'s values that only its app knows."""
    _key_describers[object_type] = describe


def register_object_describer(model_label, describe):
    """``describe(pks)`` returns ``{pk: text}`` for objects of ``model_label`` named in values."""
    _object_describers[model_label] = describe


def labelled(events):
    """The events as a list, each with ``label`` (the action) and ``before_lines`` and
    ``after_lines`` (``(label, text)`` pairs) set for the template.

    A fixed number of queries per page: related objects are named in one query per model.
    """
    events = list(events)
    wanted = {}  # related model -> pks to name
    keys = {}  # object_type -> keys its describer should name
    for event in events:
        event.label = action_label(event.action)
        model = _model(event.object_type)
        for values in (event.before, event.after):
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                field = _field(model, key)
                if field is None:
                    keys.setdefault(event.object_type, set()).add(key)
                elif _names_an_object(field) and isinstance(value, int):
                    wanted.setdefault(field.related_model, set()).add(value)
    names = {model: _describe_objects(model, pks) for model, pks in wanted.items()}
    key_names = {
        object_type: _key_describers[object_type](found)
        for object_type, found in keys.items()
        if object_type in _key_describers
    }
    for event in events:
        model = _model(event.object_type)
        extra = key_names.get(event.object_type, {})
        event.before_lines = _lines(event.before, model, names, extra)
        event.after_lines = _lines(event.after, model, names, extra)
    return events


def _model(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key):
    if model is None or not isinstance(key, str):
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    # A reverse relation shares its name with no value of the row itself.
    return None if field.auto_created and not field.concrete else field


def _field_name(field):
    """A field's words; a relation named by nobody takes its model's (translated) name."""
    if _names_an_object(field) and field.verbose_name == field.name.replace("_", " "):
        return field.related_model._meta.verbose_name
    return field.verbose_name


def _names_an_object(field):
    return field.is_relation and (field.many_to_one or field.one_to_one)


def _describe_objects(model, pks):
    describe = _object_describers.get(model._meta.label_lower)
    if describe:
        return describe(pks)
    return {pk: str(obj) for pk, obj in model._base_manager.in_bulk(pks).items()}


def _lines(values, model, names, extra):
    if values in (None, "", {}, []):
        return []
    if not isinstance(values, dict):
        return [("", _text(values))]
    lines = []
    for key, value in values.items():
        field = _field(model, key)
        if field is not None:
            label = capfirst(_field_name(field))
        else:
            label = extra.get(key) or _key_labels.get(key) or capfirst(str(key).replace("_", " "))
        lines.append((str(label), _value(field, value, names)))
    return lines


def _value(field, value, names):
    if field is not None and value not in (None, ""):
        if _names_an_object(field):
            return names.get(field.related_model, {}).get(value, str(value))
        if field.choices:
            choices = dict(field.flatchoices)
            if isinstance(value, list):
                return ", ".join(str(choices.get(item, item)) for item in value)
            return str(choices.get(value, value))
    return _text(value)


def _text(value):
    """A plain JSON value as a person reads it: yes/no, dates, nested values as "key: value"."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{formatting.colon(_key_labels.get(key) or capfirst(str(key).replace('_', ' ')))} {_text(item)}"
            for key, item in value.items()
        )
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return formatting.when(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def audit_event(actor, action, obj, *, before=None, after=None, note="", call_id=None):
    """The audit row of one change, unsaved: ``record`` and ``record_many`` write the same row."""
    if call_id is None:
        call_id = getattr(obj, "call_id", None)
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        call_id=call_id,
        before=before,
        after=after,
        note=note,
    )


def record(actor, action, obj, *, before=None, after=None, note="", call_id=None):
    event = audit_event(actor, action, obj, before=before, after=after, note=note, call_id=call_id)
    event.save()
    return event


AUDIT_COLUMNS = [
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "call_id",
    "before",
    "after",
    "note",
]


def record_many(actor, action, changes, *, call_id=None, note=""):
    """Record one action on many objects (``changes``: ``(object, after)`` pairs) in a few
    multi-row inserts: an automatic run writes thousands of rows within a second."""
    now = timezone.now()
    events = [
        audit_event(actor, action, obj, after=after, note=note, call_id=call_id) for obj, after in changes
    ]
    insert_rows(
        AuditEvent,
        AUDIT_COLUMNS,
        [
            (
                now,
                e.actor_id,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.call_id,
                e.before,
                e.after,
                e.note,
            )
            for e in events
        ],
    )
    return len(events)
