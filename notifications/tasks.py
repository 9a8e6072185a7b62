"""Celery tasks of the outbox and of issued documents: thin, they load ids and call a service."""

import datetime as dt

from celery import shared_task
from django.conf import settings

from . import delivery, file_sweep, services

# SMTP has its own 20 s timeout; a delivery never legitimately runs longer than this.
DELIVERY_LIMITS = {"soft_time_limit": 45, "time_limit": 60}
# A message waiting for a document asks for it again after five minutes (the broker may
# have been down, or the worker rendering it died), and goes without it after half an hour.
ATTACHMENT_WAIT_SECONDS = 30 * 60


@shared_task(name=services.DELIVER_TASK, acks_late=True, **DELIVERY_LIMITS)
def deliver_message(message_id):
    """Safe to repeat: the claim lets only one run send the message."""
    result = delivery.deliver(message_id)
    if result.outcome == delivery.Outcome.RETRY:
        services.enqueue(message_id, countdown=result.retry_in)
    return result.outcome.value


@shared_task(name=services.SWEEP_TASK, acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_outbox():
    """Beat, every minute: re-queue messages the broker lost or whose worker died."""
    requeued = services.requeue_stalled(
        older_than=dt.timedelta(seconds=settings.PORTAL_OUTBOX_REQUEUE_AFTER_SECONDS),
        lease=dt.timedelta(seconds=settings.PORTAL_OUTBOX_SENDING_LEASE_SECONDS),
        attachment_retry=dt.timedelta(seconds=settings.PORTAL_OUTBOX_ATTACHMENT_RETRY_SECONDS),
        attachment_wait=dt.timedelta(seconds=ATTACHMENT_WAIT_SECONDS),
    )
    return len(requeued)


@shared_task(name=services.FILE_SWEEP_TASK, acks_late=True, soft_time_limit=1800, time_limit=1860)
def sweep_unreferenced_files():
    """Beat, daily: remove stored files no row references, and stale temporary uploads."""
    run = file_sweep.sweep()
    return {"files": run.files_removed, "bytes": run.bytes_removed}
