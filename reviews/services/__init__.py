"""Every change of state of the evaluation, one function each, in one module per stage.

Each function checks what it is asked, saves inside ``transaction.atomic``, writes the
audit event and queues the emails it causes. Views, admin actions and commands call
these; none repeats their logic. The stages: ``settings`` (a call's evaluation
settings), ``criteria`` (its criteria and scale), ``eligibility``, ``conflicts``,
``assignment``, ``reviewing`` and ``decisions``.
Reads live in ``reviews/queries.py`` and the selection read model in ``reviews/plan.py``.
"""

from .assignment import (
    AssignmentProposal,
    add_call_evaluator,
    apply_assignments,
    assign_evaluator,
    decline_assignment,
    propose_assignments,
    remove_assignment,
    set_evaluator_active,
)
from .common import EvaluationError
from .conflicts import confirm_no_conflict, declare_conflict
from .criteria import (
    CRITERION_FIELDS,
    add_criterion,
    change_criterion,
    change_scale,
    move_criterion,
    remove_criterion,
    weights_total,
)
from .decisions import (
    clear_consensus_score,
    finalise_selection,
    override_decision,
    promote_reserve,
    record_acceptance,
    record_decline,
    set_consensus_score,
)
from .eligibility import decide_eligibility, screening_for
from .reviewing import parse_score, reopen_review, review_problems, save_review
from .settings import SETTINGS_FIELDS, change_review_settings

__all__ = [
    "CRITERION_FIELDS",
    "SETTINGS_FIELDS",
    "AssignmentProposal",
    "EvaluationError",
    "add_call_evaluator",
    "add_criterion",
    "apply_assignments",
    "assign_evaluator",
    "change_criterion",
    "change_review_settings",
    "change_scale",
    "clear_consensus_score",
    "confirm_no_conflict",
    "decide_eligibility",
    "declare_conflict",
    "decline_assignment",
    "finalise_selection",
    "move_criterion",
    "override_decision",
    "parse_score",
    "promote_reserve",
    "propose_assignments",
    "record_acceptance",
    "record_decline",
    "remove_assignment",
    "remove_criterion",
    "reopen_review",
    "review_problems",
    "save_review",
    "screening_for",
    "set_consensus_score",
    "set_evaluator_active",
    "weights_total",
]
