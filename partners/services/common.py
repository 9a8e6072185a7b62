"""What the partners' services share: the refusal they raise, and who is told."""

from intake.models import project_outbox_scope


class PartnershipError(Exception):
    """A request the rules of the partnership refuse; the message is shown to the person."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def members_of(partner):
    """The active people who act for the partner's city."""
    return list(partner.organisation.members.filter(is_active=True).order_by("pk"))


def scope_of(project_id):
    return project_outbox_scope(project_id)
