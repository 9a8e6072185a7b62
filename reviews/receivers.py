"""How the evaluation answers what intake signals (intake may not import reviews)."""

from django.dispatch import receiver

from intake.signals import staff_invitation_accepted
from portal import roles

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
