"""The domain's states, as the templates name them: ``{% if application.status == Status.SUBMITTED %}``.

A template compares a state with the enum member, never with a string literal, so a renamed
state fails loudly in one place. Part of the project shell: it reads every app's choices.
"""

from intake.models import QuestionKind, Status
from notifications.models import MessageStatus
from partners.models import ItemState, ParticipantStatus, PartnerStatus
from portal import roles
from reviews.models import ConflictScope, EligibilityScreening, Outcome, Response, ReviewStatus
from reviews.plan import Reason
from reviews.robustness import Certainty

WORDS = {
    "Status": Status,
    "QuestionKind": QuestionKind,
    "Outcome": Outcome,
    "Response": Response,
    "ReviewStatus": ReviewStatus,
    "ConflictScope": ConflictScope,
    "ScreeningDecision": EligibilityScreening.Decision,
    "MessageStatus": MessageStatus,
    "Reason": Reason,
    "Certainty": Certainty,
    "ItemState": ItemState,
    "ParticipantStatus": ParticipantStatus,
    "PartnerStatus": PartnerStatus,
    "Role": roles,
}


def domain_words(request):
    return WORDS
