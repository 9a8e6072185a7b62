"""What participants and partners are told: calendar invitations, updates, cancellations,
and the partner's view of each decision on its nominations."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.services import queue_message

from .. import calendar
from ..models import Participant, ParticipantStatus
from .common import scope_of


def _context(participant, activity):
    tz = activity.tzinfo
    return {
        "participant": participant,
        "activity": activity,
        "project": activity.project,
        "starts_at": timezone.localtime(activity.starts_at, tz),
        "ends_at": timezone.localtime(activity.ends_at, tz),
        "activity_timezone": activity.timezone,
        "contacts": list(activity.project.contacts.all()),
    }


def _stamp():
    return timezone.now().strftime("%Y%m%d%H%M%S%f")


def send_invitation(participant, *, update=False):
    """The confirmed participant's email with the practical information and the .ics."""
    activity = participant.activity
    if not participant.email or participant.anonymised_at:
        return None
    ics = calendar.invitation(activity, participant)
    message = queue_message(
        kind="participant_update" if update else "participant_invitation",
        to=participant.email,
        language=participant.language,
        template="partners/emails/participant_update" if update else "partners/emails/participant_invitation",
        context=_context(participant, activity),
        idempotency_key=f"participant:{participant.pk}:invitation:{activity.sequence}:{_stamp()}",
        scope=scope_of(activity.project_id),
        attachments=[(calendar.filename(activity), "text/calendar", ics)],
    )
    Participant.objects.filter(pk=participant.pk).update(invited_sequence=activity.sequence)
    return message


def send_updates(activity):
    """After a change of time or place: every confirmed participant gets the new invitation."""
    confirmed = (
        Participant.objects.filter(activity=activity, status=ParticipantStatus.CONFIRMED)
        .personal()
        .exclude(email="")
    )
    for participant in confirmed:
        participant.activity = activity
        send_invitation(participant, update=True)


def send_cancellation(participant):
    """A confirmed participant withdrawn or refused: the event leaves their calendar."""
    activity = participant.activity
    if not participant.email or participant.anonymised_at:
        return None
    ics = calendar.invitation(activity, participant, method="CANCEL")
    return queue_message(
        kind="participant_cancellation",
        to=participant.email,
        language=participant.language,
        template="partners/emails/participant_cancellation",
        context=_context(participant, activity),
        idempotency_key=f"participant:{participant.pk}:cancel:{activity.sequence}:{_stamp()}",
        scope=scope_of(activity.project_id),
        attachments=[(calendar.filename(activity), "text/calendar", ics)],
    )


def tell_partner_of_decision(participant):
    """The colleague who nominated the participant hears of the coordinator's decision."""
    nominator = participant.nominated_by
    if nominator is None or not nominator.is_active:
        return None
    activity = participant.activity
    url = settings.SITE_URL + reverse("partners:activity", args=[participant.partner_id, activity.pk])
    return queue_message(
        kind="nomination_decision",
        to=nominator,
        template="partners/emails/nomination_decision",
        context={**_context(participant, activity), "activity_url": url},
        idempotency_key=f"participant:{participant.pk}:decision:{participant.status}:{_stamp()}",
        scope=scope_of(activity.project_id),
    )
