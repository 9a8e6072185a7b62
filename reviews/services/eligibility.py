"""Screening: the eligibility decision of each submitted application."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake import messages
from intake.models import Application, IllegalTransition, MessageKind, Status, outbox_scope
from notifications.services import queue_message
from portal.audit import record

from ..models import (
    EligibilityScreening,
)
from ..queries import screening_prefill
from .common import EvaluationError, snapshot


def screening_for(application):
    """The application's screening, or a new one (unsaved) filled in from the data."""
    try:
        return application.screening
    except EligibilityScreening.DoesNotExist:
        prefill = screening_prefill(application)
        return EligibilityScreening(application=application, prefilled=prefill, **prefill)


def decide_eligibility(application, *, by, decision, reason="", checks=None):
    """Record the screening and move the application to in review or ineligible.

    An ineligible applicant's members are told why by email.
    """
    Decision = EligibilityScreening.Decision
    if decision not in (Decision.ELIGIBLE, Decision.INELIGIBLE):
        raise EvaluationError(_("Choose eligible or ineligible."))
    reason = (reason or "").strip()
    if decision == Decision.INELIGIBLE and not reason:
        raise EvaluationError(
            _("Give the reason: the applicant receives it."), {"reason": _("Required when ineligible.")}
        )
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call", "organisation")
            .get(pk=application.pk)
        )
        screening = screening_for(application)
        fields = [*EligibilityScreening.CHECKS, "decision", "reason"]
        before = snapshot(screening, fields) if screening.pk else None
        for name, value in (checks or {}).items():
            if name in EligibilityScreening.CHECKS:
                setattr(screening, name, value)
        screening.decision = decision
        screening.reason = reason
        screening.decided_by = by
        screening.decided_at = timezone.now()
        target = Status.IN_REVIEW if decision == Decision.ELIGIBLE else Status.INELIGIBLE
        if application.status != target:
            try:
                application.transition_to(target, by=by, note=reason)
            except IllegalTransition as error:
                raise EvaluationError(str(error)) from error
        screening.save()
        record(
            by,
            "eligibility.decided",
            application,
            before=before,
            after=snapshot(screening, fields),
            call_id=application.call_id,
        )
        if target == Status.INELIGIBLE:
            _tell_ineligible(application, reason)
    return screening


def _tell_ineligible(application, reason):
    context = {
        "application": application,
        "call": application.call,
        "reason": reason,
        "opening": messages.opening(
            application.call, MessageKind.INELIGIBLE, messages.applicant_values(application)
        ),
    }
    for member in application.organisation.members.all():
        queue_message(
            kind="eligibility",
            to=member,
            template="reviews/emails/ineligible",
            context={**context, "organisation": application.organisation},
            idempotency_key=f"application:{application.pk}:ineligible:{member.pk}",
            scope=outbox_scope(application.call_id),
        )
