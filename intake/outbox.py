"""What the outbox calls intake's messages and scopes (``notifications.labels``)."""

from django.utils.translation import gettext_lazy as _

from .models import Call, Project

KINDS = {
    "submission_confirmation": _("Submission confirmed"),
    "submission_receipt": _("Submission receipt"),
    "withdrawal_confirmation": _("Withdrawal confirmed"),
    "deadline_reminder": _("Reminder before the deadline"),
    "organisation_invitation": _("Invitation to an organisation"),
    "staff_invitation": _("Invitation to the call's team"),
}


def describe_calls(ids):
    """``call:<id>`` scopes by the call's title in the reader's language."""
    calls = Call.objects.filter(pk__in=ids).only("pk", "title_en", "title_fr")
    return {call.pk: call.title for call in calls}


def describe_projects(ids):
    """``project:<id>`` scopes by the project's short name."""
    return dict(Project.objects.filter(pk__in=ids).values_list("pk", "acronym"))
