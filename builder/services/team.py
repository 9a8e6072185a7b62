"""Who runs a call with its creator: co-coordinators and evaluators, invited by email.

The invitation names the call; accepting it adds the person to that call (intake does it
for coordinators, the reviews app for evaluators).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from intake import services as intake_services
from intake.rules import forget_coordination
from portal import roles
from portal.audit import record
from reviews.models import CallEvaluator

from .common import BuildRefused

CALL_ROLES = (roles.COORDINATOR, roles.EVALUATOR)


def invite_to_call(call, *, by, email, role, language=None):
    """Invite a co-coordinator or an evaluator of ``call``; inviting again sends a new link."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise BuildRefused(
            _("Enter a valid email address."), {"email": _("Enter a valid email address.")}
        ) from None
    if role not in CALL_ROLES:
        raise BuildRefused(_("Invite a coordinator or an evaluator."), {"role": _("Choose a role.")})
    if role == roles.COORDINATOR and call.coordinators.filter(email__iexact=email).exists():
        raise BuildRefused(
            _("This person already coordinates the call."), {"email": _("Already a coordinator.")}
        )
    if (
        role == roles.EVALUATOR
        and CallEvaluator.objects.active().filter(call=call, user__email__iexact=email).exists()
    ):
        raise BuildRefused(
            _("This person already evaluates the call."), {"email": _("Already an evaluator.")}
        )
    try:
        return intake_services.invite_staff(email, role, by=by, call=call, language=language)
    except intake_services.InvitationRefused as refused:
        raise BuildRefused(str(refused)) from None


def cancel_staff_invitation(invitation, *, by):
    """Withdraw an invitation not yet accepted: its link stops working."""
    if invitation.accepted_at is not None:
        raise BuildRefused(_("This invitation has already been accepted."))
    with transaction.atomic():
        record(
            by,
            "staff.invitation_cancelled",
            invitation,
            before={"email": invitation.email, "role": invitation.role},
            call_id=invitation.call_id,
        )
        invitation.delete()


def remove_coordinator(call, user, *, by):
    """Take a co-coordinator off the call; the call always keeps one."""
    with transaction.atomic():
        if not call.coordinators.filter(pk=user.pk).exists():
            raise BuildRefused(_("This person does not coordinate the call directly."))
        others = call.coordinators.exclude(pk=user.pk).count() + call.project.coordinators.count()
        if not others:
            raise BuildRefused(_("A call needs a coordinator: invite another one first."))
        call.coordinators.remove(user)
        forget_coordination(user)
        record(by, "call.coordinator_removed", call, before={"coordinator": user.email}, call_id=call.pk)
