"""What the audit log records of the evaluation and the selection, in words."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Criterion


class AuditAction(models.TextChoices):
    ELIGIBILITY_DECIDED = "eligibility.decided", _("Eligibility decided")
    CONFLICT_DECLARED = "conflict.declared", _("Conflict of interest declared")
    CONFLICT_NONE_CONFIRMED = "conflict.none_confirmed", _("No conflict confirmed")
    ASSIGNMENT_CREATED = "assignment.created", _("Evaluator assigned")
    ASSIGNMENT_REMOVED = "assignment.removed", _("Assignment removed")
    ASSIGNMENT_DECLINED = "assignment.declined", _("Assignment declined")
    ASSIGNMENT_AUTOMATIC_RUN = "assignment.automatic_run", _("Automatic assignment applied")
    EVALUATOR_ADDED = "evaluator.added", _("Evaluator added to the call")
    EVALUATOR_ACTIVATED = "evaluator.activated", _("Evaluator takes new assignments")
    EVALUATOR_DEACTIVATED = "evaluator.deactivated", _("Evaluator's new assignments suspended")
    REVIEW_CHANGED = "review.changed", _("Review draft changed")
    REVIEW_SCORES_CHANGED = "review.scores_changed", _("Scores changed")
    REVIEW_SUBMITTED = "review.submitted", _("Review submitted")
    REVIEW_REOPENED = "review.reopened", _("Review reopened")
    REVIEW_SETTINGS_CHANGED = "review_settings.changed", _("Evaluation settings changed")
    CONSENSUS_SET = "consensus.set", _("Consensus score set")
    CONSENSUS_CLEARED = "consensus.cleared", _("Consensus score removed")
    SELECTION_OVERRIDE = "selection.override", _("Departure from the proposal")
    SELECTION_OVERRIDE_CLEARED = "selection.override_cleared", _("Back to the proposal")
    SELECTION_FINALISED = "selection.finalised", _("Selection finalised")
    SELECTION_NO_REPLACEMENT = "selection.no_replacement", _("No reserve city could take the place")
    SELECTION_UNCERTAINTY_REQUESTED = "selection.uncertainty_requested", _("Selection probabilities computed")
    LOTTERY_ANNOUNCED = "lottery.announced", _("Lottery number announced")
    LOTTERY_DRAWN = "lottery.drawn", _("Lottery drawn")
    DECISION_MADE = "decision.made", _("Decision made")
    DECISION_DECLINED = "decision.declined", _("City declined the place")
    DECISION_PROMOTED = "decision.promoted", _("Reserve city offered the place")
    LETTER_ISSUED = "letter.issued", _("Letter issued")
    DECISION_ACCEPTED = "decision.accepted", _("City accepted the place")


# Keys of the audit log's values that are no model field.
KEY_LABELS = {
    "value": _("Score"),
    "comment": _("Comment"),
    "batch": _("Batch"),
    "seed": _("Seed"),
    "draws": _("Draws"),
    "total": _("Total"),
    "applications": _("Applications"),
    "assignments": _("Assignments"),
    "selected": _("Selected"),
    "reserve": _("Reserve list"),
    "not_selected": _("Not selected"),
    "reason": _("Reason"),
}


def describe_review_keys(keys):
    """A review's scores are keyed by criterion: the criteria's names, in the reader's language."""
    ids = [int(key) for key in keys if str(key).isdigit()]
    return {str(criterion.pk): criterion.name for criterion in Criterion.objects.filter(pk__in=ids)}
