"""Celery tasks of the privacy app: thin, they call a service."""

from celery import shared_task

from . import retention


@shared_task(name=retention.ANONYMISE_TASK, acks_late=True, soft_time_limit=600, time_limit=660)
def anonymise_expired_applications():
    """Beat, daily: contact data of applications without a place, past their call's retention period."""
    return [run.pk for run in retention.anonymise_expired()]
