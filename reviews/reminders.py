"""Reminders to evaluators whose reviews are still open before the review deadline."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from intake import messages
from intake.models import MessageKind, outbox_scope
from notifications.services import queue_message
from portal.formatting import absolute_url
from portal.models import User

from .models import AssignmentStatus, ReviewSettings, ReviewStatus

REMINDER_DAYS = 3
# Beat runs the reminders hourly, by this name (reviews/tasks.py, CELERY_BEAT_SCHEDULE).
REMINDER_TASK = "reviews.tasks.send_review_reminders"


def send_review_reminders(moment=None):
    """One reminder per evaluator and call, three days before the review deadline."""
    moment = moment or timezone.now()
    window = moment + dt.timedelta(days=REMINDER_DAYS)
    queued = 0
    due_settings = ReviewSettings.objects.filter(
        review_deadline__gt=moment, review_deadline__lte=window, finalised_at__isnull=True
    ).select_related("call")
    for review_settings in due_settings:
        call = review_settings.call
        open_work = Q(assignments__application__call=call, assignments__status=AssignmentStatus.ACTIVE) & (
            Q(assignments__review__isnull=True) | ~Q(assignments__review__status=ReviewStatus.SUBMITTED)
        )
        evaluators = (
            User.objects.filter(is_active=True)
            .annotate(open_reviews=Count("assignments", filter=open_work, distinct=True))
            .filter(open_reviews__gt=0)
        )
        for evaluator in evaluators:
            queue_message(
                kind="review_reminder",
                to=evaluator,
                template="reviews/emails/review_reminder",
                context={
                    "opening": messages.opening(
                        call,
                        MessageKind.REVIEW_REMINDER,
                        {
                            "call": messages.call_title(call),
                            "count": evaluator.open_reviews,
                            "review_deadline": messages.in_call_time(call, review_settings.review_deadline),
                        },
                    ),
                    "call": call,
                    "count": evaluator.open_reviews,
                    "deadline": timezone.localtime(review_settings.review_deadline, call.tzinfo),
                    "call_timezone": call.timezone,
                    "url": absolute_url("reviews:evaluator_home"),
                },
                idempotency_key=(
                    f"call:{call.pk}:review-reminder:{review_settings.review_deadline:%Y%m%d%H%M}:{evaluator.pk}"
                ),
                scope=outbox_scope(call.pk),
            )
            queued += 1
    return queued
