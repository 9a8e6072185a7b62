"""Conflicts of interest: declared by evaluators, or confirmed absent."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record

from ..conflicts import conflicts_for_call, is_conflicted
from ..models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictScope,
    NoConflictConfirmation,
)
from .assignment import mark_declined
from .common import EvaluationError


def declare_conflict(evaluator, call, *, scope, application=None, organisation=None, country="", note=""):
    """Record a conflict; the evaluator's assignments it covers are declined at once."""
    if scope == ConflictScope.APPLICATION and (application is None or application.call_id != call.pk):
        raise EvaluationError(_("Choose an application of this call."))
    if scope == ConflictScope.ORGANISATION and organisation is None:
        raise EvaluationError(_("Choose an organisation."))
    if scope == ConflictScope.COUNTRY and not country:
        raise EvaluationError(_("Choose a country."))
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            evaluator=evaluator,
            call=call,
            scope=scope,
            application=application if scope == ConflictScope.APPLICATION else None,
            organisation=organisation if scope == ConflictScope.ORGANISATION else None,
            country=country.upper() if scope == ConflictScope.COUNTRY else "",
            note=note,
        )
        record(
            evaluator,
            "conflict.declared",
            declaration,
            after={"scope": scope, "target": str(declaration.target), "note": note},
            call_id=call.pk,
        )
        covered = Assignment.objects.filter(
            evaluator=evaluator, application__call=call, status=AssignmentStatus.ACTIVE
        ).select_related("application__organisation")
        index = conflicts_for_call(call, evaluator_ids=[evaluator.pk]).get(evaluator.pk)
        for assignment in covered:
            app = assignment.application
            if index and index.covers(app.pk, app.organisation_id, app.organisation.country):
                mark_declined(assignment, by=evaluator, reason=_("Conflict of interest declared."))
    return declaration


def confirm_no_conflict(evaluator, application):
    """The evaluator states they have no conflict with an application assigned to them."""
    if not Assignment.objects.current().filter(application=application, evaluator=evaluator).exists():
        raise EvaluationError(_("This application is not assigned to you."))
    if is_conflicted(evaluator, application):
        raise EvaluationError(_("You declared a conflict of interest with this application."))
    with transaction.atomic():
        confirmation, created = NoConflictConfirmation.objects.get_or_create(
            evaluator=evaluator, application=application
        )
        if created:
            record(evaluator, "conflict.none_confirmed", application, call_id=application.call_id)
    return confirmation
