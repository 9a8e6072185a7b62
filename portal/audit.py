"""The audit log: one call records one change, inside the caller's transaction."""

from .models import AuditEvent


def record(actor, action, obj, *, before=None, after=None, note="", call_id=None):
    if call_id is None:
        call_id = getattr(obj, "call_id", None)
    return AuditEvent.objects.create(
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
