"""Celery tasks of the partners app: thin, they load ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from . import documents, reminders
from .services import privacy


@shared_task(
    name=documents.CERTIFICATE_TASK,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
)
def issue_certificate(participant_id):
    """One certificate. Safe to repeat: an issued certificate is reused."""
    return documents.issue_certificate(documents.load_participant(participant_id)).pk


@shared_task(name=reminders.REMINDER_TASK, acks_late=True, soft_time_limit=120, time_limit=180)
def send_partner_reminders():
    """Beat, hourly: reply and onboarding reminders. Each has its idempotency key."""
    return reminders.send_reply_reminders() + reminders.send_onboarding_reminders()


@shared_task(name=privacy.ANONYMISE_TASK, acks_late=True, soft_time_limit=300, time_limit=360)
def anonymise_expired_participants():
    """Beat, daily: participants' data past their project's retention period."""
    return [run.pk for run in privacy.anonymise_expired()]
