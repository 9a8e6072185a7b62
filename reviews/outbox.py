"""What the outbox calls the evaluation's messages (``notifications.labels``)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "assignment": _("Assignment to an evaluator"),
    "eligibility": _("Eligibility decision"),
    "review_reopened": _("Review reopened"),
    "review_reminder": _("Reminder to evaluators"),
    "decision": _("Decision"),
    "decision_letter": _("Decision letter"),
}
