"""The retention period: applications that got no place lose their contact data in time.

Once a call's selection is final (``ReviewSettings.finalised_at``, the call's decision),
the applications that got no place (``Status.without_place``: not selected, ineligible,
left on the reserve list, declined, withdrawn, or never submitted) keep their contact data
for the call's retention period (``Call.contact_retention_months``, else the portal's
``APPLICATION_RETENTION_MONTHS``, 24 months). A daily task then blanks their personal
answers (email and phone questions, questions flagged as personal data) and the address
and text of every email about them, marks them anonymised, and records what it did: one
``RetentionRun`` per call with the counts, an audit row for the run and one per
application. It is safe to run again: an application is anonymised once.

Selected cities keep their contact data: they became the project's partners, whose data
follow the partners' own retention (``partners.services.privacy``). Everything else of
every application stays — reference, status, the other answers, files, reviews, scores,
decisions — so the call's pages, exports and report count the same afterwards.
"""

import calendar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from intake.models import PERSONAL_KINDS, Answer, Application, Status, outbox_scope
from notifications.models import Message
from notifications.services import erase_messages
from portal.audit import record, record_many
from reviews.models import ReviewSettings

from .audit_actions import AuditAction
from .models import RetentionRun
from .scrub import ERASED

# Beat runs the pass daily, by this name (privacy/tasks.py, CELERY_BEAT_SCHEDULE).
ANONYMISE_TASK = "privacy.tasks.anonymise_expired_applications"
# How the outbox names the emails about an application (``application:<id>:submitted``).
APPLICATION_KEY = "application:"
# Applications are anonymised this many at a time (one statement each per kind).
CHUNK = 500


def add_months(moment, months):
    """``moment`` ``months`` later, on the same day of the month or the month's last."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def retention_months(call):
    return call.contact_retention_months or settings.APPLICATION_RETENTION_MONTHS


def anonymise_after(call, review_settings=None):
    """When the call's applications without a place lose their contact data (None: not decided)."""
    review_settings = review_settings or ReviewSettings.objects.for_call(call)
    if review_settings.finalised_at is None:
        return None
    return add_months(review_settings.finalised_at, retention_months(call))


def due_applications(call):
    return Application.objects.filter(
        call=call, status__in=Status.without_place(), contacts_anonymised_at__isnull=True
    )


def anonymise_expired(now=None):
    """The daily pass over every decided call; returns the runs it recorded (none: nothing due)."""
    now = now or timezone.now()
    runs = []
    decided = ReviewSettings.objects.filter(finalised_at__isnull=False).select_related("call").order_by("pk")
    for review_settings in decided:
        call = review_settings.call
        limit = anonymise_after(call, review_settings)
        if now < limit or not due_applications(call).exists():
            continue
        with transaction.atomic():
            applications = list(due_applications(call).select_for_update().order_by("pk"))
            if not applications:
                continue
            counts = anonymise_applications(call, applications, now)
            months = retention_months(call)
            run = RetentionRun.objects.create(
                call=call, ran_at=now, decided_at=review_settings.finalised_at, months=months, counts=counts
            )
            record(
                None,
                AuditAction.APPLICATIONS_ANONYMISED,
                run,
                call_id=call.pk,
                after={**counts, "months": months, "limit": limit.isoformat()},
            )
            record_many(
                None,
                AuditAction.APPLICATION_CONTACTS_ANONYMISED,
                [(application, {"run": run.pk}) for application in applications],
                call_id=call.pk,
            )
            runs.append(run)
    return runs


def anonymise_applications(call, applications, now):
    """Blank the contact data of ``applications`` (of ``call``); returns the counts by kind."""
    counts = {"applications": 0, "personal_answers": 0, "messages": 0}
    emails = _emails_by_application(call)
    for start in range(0, len(applications), CHUNK):
        ids = [application.pk for application in applications[start : start + CHUNK]]
        personal = (
            Answer.objects.filter(application_id__in=ids)
            .filter(Q(question__personal_data=True) | Q(question__kind__in=PERSONAL_KINDS))
            .exclude(value__isnull=True)
        )
        answer_ids = [pk for pk, value in personal.values_list("pk", "value") if value not in ("", ERASED)]
        Answer.objects.filter(pk__in=answer_ids).update(value=ERASED, revision=F("revision") + 1)
        message_ids = [pk for application_id in ids for pk in emails.get(application_id, ())]
        counts["messages"] += erase_messages(Message.objects.filter(pk__in=message_ids))
        Application.objects.filter(pk__in=ids).update(contacts_anonymised_at=now)
        counts["applications"] += len(ids)
        counts["personal_answers"] += len(answer_ids)
    return counts


def _emails_by_application(call):
    """``{application id: [message ids]}``: the call's emails about each application, whose
    idempotency keys name it (``application:<id>:...``)."""
    found = {}
    keys = Message.objects.filter(scope=outbox_scope(call.pk), idempotency_key__startswith=APPLICATION_KEY)
    for pk, key in keys.values_list("pk", "idempotency_key"):
        application_id = key.split(":")[1]
        if application_id.isdigit():
            found.setdefault(int(application_id), []).append(pk)
    return found


def retention_of(call):
    """What the page of the call's people says of its retention period."""
    limit = anonymise_after(call)
    return {
        "months": retention_months(call),
        "is_default": call.contact_retention_months is None,
        "limit": limit,
        "waiting": due_applications(call).count() if limit else None,
        "runs": list(call.retention_runs.order_by("-ran_at")[:5]),
    }
