"""What the audit log records of building calls, in words a coordinator reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CALL_CREATED = "call.created", _("Call created")
    CALL_COPIED = "call.copied", _("Call created as a copy")
    CALL_CHANGED = "call.changed", _("Call settings changed")
    CALL_PUBLISHED = "call.published", _("Call published")
    CALL_UNPUBLISHED = "call.unpublished", _("Call unpublished")
    CALL_COORDINATOR_REMOVED = "call.coordinator_removed", _("Coordinator removed from the call")
    PROJECT_CREATED = "project.created", _("Project created")
    SECTION_ADDED = "section.added", _("Step added to the form")
    SECTION_CHANGED = "section.changed", _("Step of the form changed")
    SECTION_MOVED = "section.moved", _("Step of the form moved")
    SECTION_REMOVED = "section.removed", _("Step removed from the form")
    QUESTION_ADDED = "question.added", _("Question added")
    QUESTION_CHANGED = "question.changed", _("Question changed")
    QUESTION_REWORDED = "question.reworded", _("Question reworded after publication")
    QUESTION_MOVED = "question.moved", _("Question moved")
    QUESTION_REMOVED = "question.removed", _("Question removed")
    FAQ_ADDED = "faq.added", _("FAQ entry added")
    FAQ_CHANGED = "faq.changed", _("FAQ entry changed")
    FAQ_MOVED = "faq.moved", _("FAQ entry moved")
    FAQ_REMOVED = "faq.removed", _("FAQ entry removed")
    CRITERION_ADDED = "criterion.added", _("Criterion added")
    CRITERION_CHANGED = "criterion.changed", _("Criterion changed")
    CRITERION_MOVED = "criterion.moved", _("Criterion moved")
    CRITERION_REMOVED = "criterion.removed", _("Criterion removed")
    MESSAGE_TEXT_CHANGED = "message_text.changed", _("Text of a message changed")
    STAFF_INVITATION_CANCELLED = "staff.invitation_cancelled", _("Staff invitation cancelled")
