"""Object permissions of evaluation: evaluators and coordinators.

intake/rules.py defines who may read an application and its files; here those rules are
widened (never narrowed) for evaluators who are assigned, not conflicted and have
confirmed "no conflict". intake never imports reviews: the rules autodiscovery loads
intake's rules first (INSTALLED_APPS order), and this module ORs onto them.
"""

import rules
from rules.permissions import permissions as registered_permissions

from intake.models import Status

from .conflicts import is_conflicted
from .models import Assignment, NoConflictConfirmation


def is_assigned(user, application):
    return Assignment.objects.current().filter(application=application, evaluator=user).exists()


def has_confirmed_no_conflict(user, application):
    return NoConflictConfirmation.objects.filter(application=application, evaluator=user).exists()


def evaluator_may_open(user, application):
    """Assigned, not conflicted, "no conflict" confirmed, and the application is under review."""
    if not getattr(user, "is_authenticated", False) or application is None:
        return False
    return (
        application.status in Status.reviewable()
        and is_assigned(user, application)
        and not is_conflicted(user, application)
        and has_confirmed_no_conflict(user, application)
    )


@rules.predicate
def is_cleared_evaluator_of_application(user, application):
    return evaluator_may_open(user, application)


def _widen(name, predicate):
    existing = registered_permissions.get(name)
    rules.set_perm(name, existing | predicate if existing is not None else predicate)


# intake.view_document follows intake.view_application of the document's application, so
# widening the latter opens the files too.
_widen("intake.view_application", is_cleared_evaluator_of_application)
