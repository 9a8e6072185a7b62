"""Celery tasks of the reviews app: thin, they load ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from portal.models import User

from . import letters, reminders, robustness, snapshot


@shared_task(name=reminders.REMINDER_TASK, acks_late=True, soft_time_limit=120, time_limit=180)
def send_review_reminders():
    """Beat, hourly. Safe to repeat: each reminder has its idempotency key."""
    return reminders.send_review_reminders()


@shared_task(
    name=letters.LETTER_TASK,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    # A busy database is worth another try; the document is made once whatever happens.
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
)
def issue_decision_letter(decision_id, by_id=None, force=False):
    """One letter. Safe to repeat: an issued letter is reused unless ``force``."""
    decision = letters.load_decision(decision_id)
    by = User.objects.filter(pk=by_id).first() if by_id else decision.decided_by
    return letters.issue_decision_letter(decision, by=by, force=force).pk


@shared_task(name=robustness.ESTIMATE_TASK, acks_late=True, soft_time_limit=600, time_limit=660)
def compute_selection_uncertainty(record_id):
    """The Bayesian model of a call's reviews and its selection probabilities; a superseded
    request stores nothing, so repeating it is safe."""
    return robustness.run_estimate(record_id)


@shared_task(name=snapshot.REBUILD_TASK, acks_late=True, soft_time_limit=600, time_limit=660)
def rebuild_ranking(call_id):
    """A large call's stored ranking computed again after a change; safe to repeat."""
    return snapshot.rebuild(call_id)
