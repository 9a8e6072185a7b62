"""How the evaluation answers what intake signals (intake may not import reviews)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from intake.signals import staff_invitation_accepted
from portal import roles
from portal.models import AuditEvent

from . import snapshot
from .models import CallEvaluator
from .services import add_call_evaluator, set_evaluator_active


@receiver(staff_invitation_accepted, dispatch_uid="reviews.evaluator_invitation_accepted")
def evaluator_invitation_accepted(sender, invitation, user, **kwargs):
    """An evaluator invited for a call evaluates it once they accept (active again if they were)."""
    if invitation.role != roles.EVALUATOR or invitation.call_id is None:
        return
    by = invitation.invited_by or user
    existing = CallEvaluator.objects.filter(call_id=invitation.call_id, user=user).first()
    if existing is None:
        add_call_evaluator(invitation.call, user, by=by)
    elif not existing.is_active:
        set_evaluator_active(existing, active=True, by=by)


@receiver(post_save, sender=AuditEvent, dispatch_uid="reviews.ranking_changed")
def ranking_changed(sender, instance, created, **kwargs):
    """Every change is audited in its own transaction: those that move a ranking mark it out of date."""
    if created:
        snapshot.changed(instance)
