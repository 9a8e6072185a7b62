"""Celery tasks of the intake app: thin, they load ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from . import receipts, reminders
from .models import Application


@shared_task(
    name=receipts.RECEIPT_TASK,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    # A busy database is worth another try; the document is made once whatever happens.
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
)
def issue_submission_receipt(application_id):
    """Safe to repeat: the receipt is rendered once and attached once."""
    application = Application.objects.select_related("call", "organisation", "submitted_by").get(
        pk=application_id
    )
    return receipts.issue_submission_receipt(application).pk


@shared_task(name=reminders.REMINDER_TASK, acks_late=True, soft_time_limit=120, time_limit=180)
def send_deadline_reminders():
    """Beat, hourly. Safe to repeat: each reminder has its idempotency key."""
    return reminders.send_deadline_reminders()
