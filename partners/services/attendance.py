"""Attendance: who was there on which day, and the certificates it earns."""

from django.db import transaction
from django.utils.translation import gettext as _

from notifications.services import queue_message
from portal.audit import record

from .. import documents as certificates
from ..models import Attendance, Participant, ParticipantStatus
from .common import PartnershipError, scope_of


def record_attendance(activity, *, by, present):
    """Set who attended: ``present`` maps confirmed participants' ids to the days they were
    there (days outside the activity are refused); participants it does not name keep their
    attendance (a page of the list changes its own rows only). Returns how many attendance
    days it holds for the participants it names."""
    days = set(activity.days())
    confirmed = {
        participant.pk: participant
        for participant in Participant.objects.filter(activity=activity, status=ParticipantStatus.CONFIRMED)
    }
    unknown = set(present) - set(confirmed)
    if unknown:
        raise PartnershipError(_("Only confirmed participants of this activity can be marked present."))
    if any(set(marked) - days for marked in present.values()):
        raise PartnershipError(_("Choose days on which the activity runs."))
    with transaction.atomic():
        existing = {
            (a.participant_id, a.day): a for a in Attendance.objects.filter(participant_id__in=list(present))
        }
        wanted = {(pk, day) for pk, marked in present.items() for day in marked}
        removed = [a.pk for key, a in existing.items() if key not in wanted]
        Attendance.objects.filter(pk__in=removed).delete()
        Attendance.objects.bulk_create(
            Attendance(participant_id=pk, day=day, recorded_by=by)
            for pk, day in sorted(wanted - set(existing))
        )
        record(
            by,
            "activity.attendance",
            activity,
            after={"attendees": len({pk for pk, _day in wanted}), "days": len(wanted)},
        )
    return len(wanted)


def issue_certificates(activity, *, by):
    """Each attendee with an email gets their certificate of attendance, rendered by a worker
    (one task per certificate). Safe to repeat: an attendee is sent theirs once."""
    attendees = (
        Participant.objects.filter(
            activity=activity, status=ParticipantStatus.CONFIRMED, attendances__isnull=False
        )
        .personal()
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    queued = 0
    with transaction.atomic():
        for participant in attendees:
            participant.activity = activity
            message = queue_message(
                kind="attendance_certificate",
                to=participant.email,
                language=participant.language,
                template="partners/emails/certificate",
                context={"participant": participant, "activity": activity, "project": activity.project},
                idempotency_key=f"participant:{participant.pk}:certificate",
                scope=scope_of(activity.project_id),
                attachments_from=[certificates.attachment_task(participant)],
            )
            queued += message.created_at is not None
        record(by, "activity.certificates_sent", activity, after={"attendees": queued})
    return queued
