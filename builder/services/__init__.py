"""Every change the call builder makes is one function, in one module per part.

``calls`` (creating, copying, texts, dates, rules, letters, publishing), ``form`` (steps
and questions), ``faq``, ``messages`` (the openings of the call's emails and letters) and
``team`` (co-coordinators and evaluators, invited by email). Criteria and the scale are
the evaluation's: ``reviews.services.criteria``; its other settings
``reviews.services.change_review_settings``.
"""

from reviews.services import (
    add_criterion,
    change_criterion,
    change_review_settings,
    change_scale,
    move_criterion,
    remove_criterion,
    weights_total,
)

from ..dates import date_warnings
from .calls import (
    change_call_basics,
    change_call_texts,
    change_letter_texts,
    change_selection_rules,
    copy_call,
    create_call,
    create_project,
    may_create_calls,
    may_create_projects,
    projects_for_new_call,
    publish_call,
    suggested_slug,
    unpublish_call,
)
from .common import BuildRefused
from .faq import add_faq_entry, change_faq_entry, move_faq_entry, remove_faq_entry
from .form import (
    add_question,
    add_section,
    change_question,
    change_section,
    has_answers,
    move_question,
    move_section,
    remove_question,
    remove_section,
    suggested_key,
)
from .messages import change_message_text
from .team import cancel_staff_invitation, invite_to_call, remove_coordinator

__all__ = [
    "BuildRefused",
    "add_criterion",
    "add_faq_entry",
    "add_question",
    "add_section",
    "cancel_staff_invitation",
    "change_call_basics",
    "change_call_texts",
    "change_criterion",
    "change_faq_entry",
    "change_letter_texts",
    "change_message_text",
    "change_question",
    "change_review_settings",
    "change_scale",
    "change_section",
    "change_selection_rules",
    "copy_call",
    "create_call",
    "create_project",
    "date_warnings",
    "has_answers",
    "invite_to_call",
    "may_create_calls",
    "may_create_projects",
    "move_criterion",
    "move_faq_entry",
    "move_question",
    "move_section",
    "projects_for_new_call",
    "publish_call",
    "remove_coordinator",
    "remove_criterion",
    "remove_faq_entry",
    "remove_question",
    "remove_section",
    "suggested_key",
    "suggested_slug",
    "unpublish_call",
    "weights_total",
]
