"""Celery tasks of the reviews app: thin, they load ids and call a service."""

from celery import shared_task

from . import reminders


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def send_review_reminders():
    """Beat, hourly. Safe to repeat: each reminder has its idempotency key."""
    return reminders.send_review_reminders()
