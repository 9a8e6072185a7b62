"""What the outbox calls the partnership's messages (``notifications.labels``)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "partner_welcome": _("Welcome to the partnership"),
    "reply_reminder": _("Reminder to answer the decision"),
    "onboarding_reminder": _("Onboarding reminder"),
    "participant_invitation": _("Place confirmed to a participant"),
    "participant_update": _("Activity changed, to a participant"),
    "participant_cancellation": _("Place cancelled, to a participant"),
    "nomination_decision": _("Nomination decision"),
    "attendance_certificate": _("Attendance certificate"),
}
