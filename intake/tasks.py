"""Celery tasks of the intake app: thin, they load ids and call a service."""

from celery import shared_task

from . import receipts, reminders
from .models import Application


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def issue_submission_receipt(application_id):
    """Safe to repeat: the receipt is rendered once and attached once."""
    application = Application.objects.select_related("call", "organisation", "submitted_by").get(
        pk=application_id
    )
    return receipts.issue_submission_receipt(application).pk


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def send_deadline_reminders():
    """Beat, hourly. Safe to repeat: each reminder has its idempotency key."""
    return reminders.send_deadline_reminders()
