"""Reminders to applicants whose draft is not submitted, before the call closes."""

import datetime as dt

from django.utils import timezone

from notifications.services import queue_message
from portal.formatting import absolute_url

from . import messages
from .models import Application, Call, Membership, MessageKind, Status, outbox_scope

# Days before the deadline at which a draft's members are reminded, once each.
REMINDER_DAYS = (7, 1)
# Beat runs the reminders hourly, by this name (intake/tasks.py, CELERY_BEAT_SCHEDULE).
REMINDER_TASK = "intake.tasks.send_deadline_reminders"


def due_reminder(call, moment):
    """The reminder a draft of ``call`` is due at ``moment``: the closest window we are in."""
    if not call.is_open(moment):
        return None
    remaining = call.closes_at - moment
    windows = [days for days in sorted(REMINDER_DAYS) if remaining <= dt.timedelta(days=days)]
    return windows[0] if windows else None


def send_deadline_reminders(moment=None):
    """Queue the reminders due now; a reminder already sent is not sent again. Returns how many."""
    moment = moment or timezone.now()
    horizon = moment + dt.timedelta(days=max(REMINDER_DAYS))
    queued = 0
    for call in Call.objects.open_at(moment).filter(closes_at__lte=horizon):
        days = due_reminder(call, moment)
        if days is None:
            continue
        drafts = Application.objects.filter(call=call, status=Status.DRAFT).select_related("organisation")
        memberships = Membership.objects.filter(
            organisation__applications__in=drafts, user__is_active=True
        ).select_related("user", "organisation")
        by_organisation = {}
        for membership in memberships:
            by_organisation.setdefault(membership.organisation_id, []).append(membership.user)
        for application in drafts:
            for user in by_organisation.get(application.organisation_id, []):
                queue_message(
                    kind="deadline_reminder",
                    to=user,
                    template="intake/emails/deadline_reminder",
                    context={
                        "opening": messages.opening(
                            call,
                            MessageKind.DEADLINE_REMINDER,
                            {
                                "call": messages.call_title(call),
                                "city": application.organisation.name,
                                "closes_at": messages.in_call_time(call, call.closes_at),
                                "days": days,
                            },
                        ),
                        "call": call,
                        "organisation_name": application.organisation.name,
                        "days": days,
                        "closes_at": timezone.localtime(call.closes_at, call.tzinfo),
                        "call_timezone": call.timezone,
                        "application_url": absolute_url("intake:application_detail", application.pk),
                    },
                    idempotency_key=f"application:{application.pk}:reminder:{days}d:{user.pk}",
                    scope=outbox_scope(call.pk),
                )
                queued += 1
    return queued
