"""The audit log: one call records one change, inside the caller's transaction."""

from django.utils import timezone

from .bulk import insert_rows
from .models import AuditEvent

# Each app registers its actions' labels (``<app>/audit_actions.py``) when it starts.
_action_labels = {}


def register_actions(choices):
    """Make a ``TextChoices`` of actions the words the audit pages show for them."""
    _action_labels.update(choices.choices)


def action_label(action):
    """The action in the reader's language; an action without a label keeps its code."""
    return _action_labels.get(action, action)


def labelled(events):
    """The events as a list, each with ``label`` set for the template."""
    events = list(events)
    for event in events:
        event.label = action_label(event.action)
    return events


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
