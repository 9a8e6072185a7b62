"""Reminders, each sent once (its idempotency key names the deadline and the window):

- to a selected city that has not answered, 7 and 2 days before the call's reply deadline;
- to a partner with onboarding items still to do (one waiting for the project team's check
  is not), 14 and 3 days before the onboarding deadline.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from intake.models import Application, Call, Status, outbox_scope
from notifications.services import queue_message
from reviews.models import Response

from .models import ChecklistItem, ChecklistProgress, ItemState, Partner, PartnershipSettings
from .services.common import scope_of

# Beat runs the reminders hourly, by this name (partners/tasks.py, CELERY_BEAT_SCHEDULE).
REMINDER_TASK = "partners.tasks.send_partner_reminders"

REPLY_REMINDER_DAYS = (7, 2)
ONBOARDING_REMINDER_DAYS = (14, 3)


def _window(deadline, moment, days):
    """The closest reminder window ``moment`` falls in before ``deadline``, or None."""
    if deadline is None or moment >= deadline:
        return None
    remaining = deadline - moment
    windows = [d for d in sorted(days) if remaining <= dt.timedelta(days=d)]
    return windows[0] if windows else None


def send_reply_reminders(moment=None):
    moment = moment or timezone.now()
    horizon = moment + dt.timedelta(days=max(REPLY_REMINDER_DAYS))
    queued = 0
    for call in Call.objects.filter(reply_deadline__gt=moment, reply_deadline__lte=horizon).select_related(
        "project"
    ):
        days = _window(call.reply_deadline, moment, REPLY_REMINDER_DAYS)
        waiting = (
            Application.objects.filter(call=call, status=Status.SELECTED, decision__response=Response.PENDING)
            .select_related("organisation")
            .prefetch_related("organisation__members")
        )
        for application in waiting:
            url = settings.SITE_URL + reverse("partners:reply", args=[application.pk])
            for member in application.organisation.members.all():
                if not member.is_active:
                    continue
                queue_message(
                    kind="reply_reminder",
                    to=member,
                    template="partners/emails/reply_reminder",
                    context={
                        "call": call,
                        "project": call.project,
                        "application": application,
                        "organisation": application.organisation,
                        "days": days,
                        "deadline": timezone.localtime(call.reply_deadline, call.tzinfo),
                        "call_timezone": call.timezone,
                        "reply_url": url,
                    },
                    idempotency_key=(
                        f"application:{application.pk}:reply-reminder:"
                        f"{call.reply_deadline:%Y%m%d%H%M}:{days}d:{member.pk}"
                    ),
                    scope=outbox_scope(call.pk),
                )
                queued += 1
    return queued


def send_onboarding_reminders(moment=None):
    moment = moment or timezone.now()
    horizon = moment + dt.timedelta(days=max(ONBOARDING_REMINDER_DAYS))
    queued = 0
    due = PartnershipSettings.objects.filter(
        onboarding_deadline__gt=moment, onboarding_deadline__lte=horizon
    ).select_related("project")
    for partnership in due:
        project = partnership.project
        days = _window(partnership.onboarding_deadline, moment, ONBOARDING_REMINDER_DAYS)
        items = list(ChecklistItem.objects.filter(project=project, is_active=True))
        # A step waiting for the project team's check is done as far as the partner goes.
        done = set(
            ChecklistProgress.objects.filter(
                item__in=items, state__in=[ItemState.DONE, ItemState.SUBMITTED]
            ).values_list("partner_id", "item_id")
        )
        partners = (
            Partner.objects.active()
            .filter(project=project)
            .select_related("organisation")
            .prefetch_related("organisation__members")
        )
        for partner in partners:
            missing = [item for item in items if (partner.pk, item.pk) not in done]
            if not missing:
                continue
            url = settings.SITE_URL + reverse("partners:partner_home", args=[partner.pk])
            for member in partner.organisation.members.all():
                if not member.is_active:
                    continue
                queue_message(
                    kind="onboarding_reminder",
                    to=member,
                    template="partners/emails/onboarding_reminder",
                    context={
                        "project": project,
                        "partner": partner,
                        "organisation": partner.organisation,
                        "missing": missing,
                        "days": days,
                        "deadline": timezone.localtime(partnership.onboarding_deadline),
                        "partner_url": url,
                    },
                    idempotency_key=(
                        f"partner:{partner.pk}:onboarding-reminder:"
                        f"{partnership.onboarding_deadline:%Y%m%d%H%M}:{days}d:{member.pk}"
                    ),
                    scope=scope_of(project.pk),
                )
                queued += 1
    return queued
