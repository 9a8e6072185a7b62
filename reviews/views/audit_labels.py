"""Audit actions in words for the coordinator's pages; the stored code stays the filter key."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "application.started": _("Application started"),
    "application.answers_saved": _("Answers saved"),
    "application.document_added": _("File added"),
    "application.document_removed": _("File removed"),
    "application.submitted": _("Application submitted"),
    "application.withdrawn": _("Application withdrawn"),
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Organisation changed"),
    "organisation.invitation_sent": _("Colleague invited"),
    "organisation.invitation_renewed": _("Invitation sent again"),
    "organisation.invitation_cancelled": _("Invitation cancelled"),
    "organisation.member_joined": _("Colleague joined"),
    "eligibility.decided": _("Eligibility decided"),
    "conflict.declared": _("Conflict of interest declared"),
    "conflict.none_confirmed": _("No conflict confirmed"),
    "assignment.created": _("Evaluator assigned"),
    "assignment.removed": _("Assignment removed"),
    "assignment.declined": _("Assignment declined"),
    "assignment.automatic_run": _("Automatic assignment applied"),
    "evaluator.added": _("Evaluator added to the call"),
    "evaluator.activated": _("Evaluator takes new assignments"),
    "evaluator.deactivated": _("Evaluator's new assignments suspended"),
    "review.changed": _("Review draft changed"),
    "review.scores_changed": _("Scores changed"),
    "review.submitted": _("Review submitted"),
    "review.reopened": _("Review reopened"),
    "review_settings.changed": _("Evaluation settings changed"),
    "consensus.set": _("Consensus score set"),
    "consensus.cleared": _("Consensus score removed"),
    "selection.override": _("Departure from the proposal"),
    "selection.override_cleared": _("Back to the proposal"),
    "selection.finalised": _("Selection finalised"),
    "selection.no_replacement": _("No reserve city could take the place"),
    "selection.uncertainty_requested": _("Selection probabilities computed"),
    "lottery.announced": _("Lottery number announced"),
    "lottery.drawn": _("Lottery drawn"),
    "decision.made": _("Decision made"),
    "decision.declined": _("City declined the place"),
    "decision.promoted": _("Reserve city offered the place"),
    "document.issued": _("Document issued"),
    "letter.issued": _("Letter issued"),
    "receipt.issued": _("Receipt issued"),
    "message.resent": _("Email sent again"),
    "staff.invited": _("Staff member invited"),
    "staff.role_granted": _("Role granted"),
    # The call builder.
    "call.created": _("Call created"),
    "call.copied": _("Call created as a copy"),
    "call.changed": _("Call settings changed"),
    "call.published": _("Call published"),
    "call.unpublished": _("Call unpublished"),
    "call.coordinator_removed": _("Coordinator removed from the call"),
    "project.created": _("Project created"),
    "section.added": _("Step added to the form"),
    "section.changed": _("Step of the form changed"),
    "section.moved": _("Step of the form moved"),
    "section.removed": _("Step removed from the form"),
    "question.added": _("Question added"),
    "question.changed": _("Question changed"),
    "question.reworded": _("Question reworded after publication"),
    "question.moved": _("Question moved"),
    "question.removed": _("Question removed"),
    "faq.added": _("FAQ entry added"),
    "faq.changed": _("FAQ entry changed"),
    "faq.moved": _("FAQ entry moved"),
    "faq.removed": _("FAQ entry removed"),
    "criterion.added": _("Criterion added"),
    "criterion.changed": _("Criterion changed"),
    "criterion.moved": _("Criterion moved"),
    "criterion.removed": _("Criterion removed"),
    "message_text.changed": _("Text of a message changed"),
    "staff.invitation_cancelled": _("Staff invitation cancelled"),
}


def action_label(action):
    """The action in the reader's language; an action without a label keeps its code."""
    return ACTION_LABELS.get(action, action)


def labelled(events):
    """The events as a list, each with ``label`` set for the template."""
    events = list(events)
    for event in events:
        event.label = action_label(event.action)
    return events
