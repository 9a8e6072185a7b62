"""Activities and nominations: the programme a coordinator keeps, and the participants each
partner nominates within its seats.

Seats are counted under a lock on the activity's row (``select_for_update``), so two
colleagues nominating at the same second can never pass the limits together.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record

from ..models import (
    SEAT_HOLDING,
    Activity,
    Participant,
    ParticipantStatus,
    Partner,
)
from . import invitations
from .common import PartnershipError

ACTIVITY_FIELDS = [
    "kind",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "venue",
    "host_city",
    "country",
    "timezone",
    "starts_at",
    "ends_at",
    "registration_deadline",
    "seats_per_partner",
    "seats_total",
    "eligibility",
    "working_language",
    "practical_info_en",
    "practical_info_fr",
    "is_published",
]
# A change to one of these is news for the confirmed participants: a calendar update.
CALENDAR_FIELDS = {
    "title_en",
    "title_fr",
    "venue",
    "host_city",
    "country",
    "timezone",
    "starts_at",
    "ends_at",
}
PARTICIPANT_FIELDS = [
    "name",
    "role",
    "unit",
    "email",
    "language",
    "languages",
    "arrival_at",
    "departure_at",
    "needs_travel",
    "needs_accommodation",
    "dietary_needs",
    "accessibility_needs",
    "category",
    "gender",
]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def save_activity(project, *, by, values, activity=None):
    """Add an activity to the programme or change one. A change of time or place raises the
    calendar's SEQUENCE and sends every confirmed participant an updated invitation."""
    with transaction.atomic():
        if activity is not None:
            activity = Activity.objects.select_for_update().get(pk=activity.pk)
        before = {name: _plain(getattr(activity, name)) for name in ACTIVITY_FIELDS} if activity else None
        activity = activity or Activity(project=project)
        for name in ACTIVITY_FIELDS:
            if name in values:
                setattr(activity, name, values[name])
        activity.full_clean()
        after = {name: _plain(getattr(activity, name)) for name in ACTIVITY_FIELDS}
        changed = {name for name in ACTIVITY_FIELDS if before and before[name] != after[name]}
        news = bool(changed & CALENDAR_FIELDS)
        if news:
            activity.sequence += 1
        activity.save()
        record(by, "activity.saved", activity, before=before, after=after)
        if news:
            invitations.send_updates(activity)
    return activity


def seats_used(activity, partner=None):
    """Seats held now (nominated or confirmed) in the activity, or by one partner in it."""
    participants = Participant.objects.filter(activity=activity, status__in=SEAT_HOLDING)
    if partner is not None:
        participants = participants.filter(partner=partner)
    return participants.count()


def _check_open(activity, by_coordinator):
    if not by_coordinator and not activity.registration_open():
        raise PartnershipError(
            _("Registration for this activity has closed. Please write to the project team for any change.")
        )


def _check_partner(partner, activity):
    if not partner.is_active:
        raise PartnershipError(_("This partner has withdrawn from the project: nothing can be changed."))
    if activity.project_id != partner.project_id:
        raise PartnershipError(_("Choose an activity of the partner's project."))
    if not partner.has_current_privacy_acceptance():
        raise PartnershipError(
            _("Please read and accept the participants' privacy notice before entering anyone's data.")
        )


def _check_seats(activity, partner, *, leaving=None):
    """Under the activity's lock: refuse when the partner's share or the total is used up."""
    held = (
        Participant.objects.filter(activity=activity, status__in=SEAT_HOLDING)
        .exclude(pk=getattr(leaving, "pk", None))
        .aggregate(total=Count("pk"), mine=Count("pk", filter=Q(partner=partner)))
    )
    if held["mine"] >= activity.seats_per_partner:
        raise PartnershipError(
            _("Your city's %(count)s seats for this activity are taken. Withdraw a nomination to free one.")
            % {"count": activity.seats_per_partner}
        )
    if held["total"] >= activity.seats_total:
        raise PartnershipError(
            _("Every seat of this activity is taken. The project team can wait-list people.")
        )


def _check_values(activity, values):
    errors = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("Enter the participant's name.")
    if not activity.accepts_category(values.get("category")):
        errors["category"] = _("This activity is for: %(who)s.") % {"who": activity.get_eligibility_display()}
    arrival, departure = values.get("arrival_at"), values.get("departure_at")
    if arrival and departure and departure < arrival:
        errors["departure_at"] = _("Departure must come after arrival.")
    if errors:
        raise PartnershipError(_("Please correct the marked fields."), errors)


def nominate(partner, activity, *, by, values, replaces=None, by_coordinator=False):
    """A partner nominates a participant for an activity, within its seats and the total.

    ``replaces`` names a nomination of the same partner this one takes the place of (it is
    withdrawn in the same transaction, so the seat passes from one to the other).
    """
    _check_partner(partner, activity)
    _check_values(activity, values)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        _check_open(activity, by_coordinator)
        if replaces is not None:
            replaces = Participant.objects.select_for_update().get(pk=replaces.pk)
            if replaces.partner_id != partner.pk or replaces.activity_id != activity.pk:
                raise PartnershipError(_("Choose one of your city's nominations for this activity."))
            if not replaces.can_transition_to(ParticipantStatus.WITHDRAWN):
                raise PartnershipError(_("This nomination can no longer be replaced."))
        _check_seats(activity, partner, leaving=replaces)
        participant = Participant(
            partner=partner,
            activity=activity,
            nominated_by=by,
            nominated_at=timezone.now(),
            replaces=replaces,
        )
        for name in PARTICIPANT_FIELDS:
            setattr(participant, name, values.get(name, getattr(participant, name)) or _empty(name))
        participant.full_clean()
        participant.save()
        if replaces is not None:
            _move(replaces, ParticipantStatus.WITHDRAWN, by=by, note=_("Replaced by another participant."))
        record(
            by,
            "participant.nominated",
            participant,
            after={"activity": activity.pk, "partner": partner.pk, "replaces": getattr(replaces, "pk", None)},
        )
    return participant


def _empty(name):
    return None if name in ("arrival_at", "departure_at") else False if name.startswith("needs_") else ""


def update_participant(participant, *, by, values, by_coordinator=False):
    """Change a nomination's details (the partner until the registration deadline, then the
    coordinator). A confirmed participant whose dates change gets a fresh invitation."""
    activity = participant.activity
    if not by_coordinator:
        _check_partner(participant.partner, activity)
        _check_open(activity, by_coordinator)
    _check_values(activity, {name: getattr(participant, name) for name in PARTICIPANT_FIELDS} | values)
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().select_related("activity").get(pk=participant.pk)
        )
        _check_open(participant.activity, by_coordinator)
        if participant.anonymised_at:
            raise PartnershipError(_("This participant's data have been erased."))
        if participant.status == ParticipantStatus.WITHDRAWN:
            raise PartnershipError(_("A withdrawn nomination cannot be changed."))
        before = {name: _plain(getattr(participant, name)) for name in PARTICIPANT_FIELDS}
        for name in PARTICIPANT_FIELDS:
            if name in values:
                setattr(participant, name, values[name] if values[name] is not None else _empty(name))
        participant.full_clean()
        participant.save()
        after = {name: _plain(getattr(participant, name)) for name in PARTICIPANT_FIELDS}
        record(
            by,
            "participant.changed",
            participant,
            before=_changed(before, after),
            after=_changed(after, before),
        )
        if participant.status == ParticipantStatus.CONFIRMED and before["email"] != after["email"]:
            invitations.send_invitation(participant)
    return participant


def _changed(these, others):
    return {name: value for name, value in these.items() if others.get(name) != value}


def withdraw_participant(participant, *, by, by_coordinator=False, note=""):
    """The partner (before the deadline) or the coordinator withdraws a nomination; its seat frees."""
    if not by_coordinator:
        _check_partner(participant.partner, participant.activity)
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().select_related("activity").get(pk=participant.pk)
        )
        _check_open(participant.activity, by_coordinator)
        was_confirmed = participant.status == ParticipantStatus.CONFIRMED
        _move(participant, ParticipantStatus.WITHDRAWN, by=by, note=note)
        if was_confirmed:
            invitations.send_cancellation(participant)
    return participant


DECISIONS = (ParticipantStatus.CONFIRMED, ParticipantStatus.WAITLISTED, ParticipantStatus.REFUSED)


def decide_nomination(participant, *, by, status, reason=""):
    """The coordinator confirms, wait-lists or refuses a nomination (a refusal says why).

    Confirming needs a seat within the total; the partner's share is the partner's limit,
    a coordinator may go past it. A confirmed participant gets the calendar invitation.
    """
    if status not in DECISIONS:
        raise PartnershipError(_("Choose to confirm, wait-list or refuse."))
    reason = (reason or "").strip()
    if status == ParticipantStatus.REFUSED and not reason:
        raise PartnershipError(
            _("Say why the nomination is refused."), {"reason": _("A reason is required.")}
        )
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=participant.activity_id)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status == status:
            return participant
        if not participant.can_transition_to(status):
            raise PartnershipError(
                _("A nomination that is %(current)s cannot be %(target)s.")
                % {"current": participant.get_status_display(), "target": ParticipantStatus(status).label}
            )
        if status == ParticipantStatus.CONFIRMED and not participant.holds_seat:
            held = Participant.objects.filter(activity=activity, status__in=SEAT_HOLDING).count()
            if held >= activity.seats_total:
                raise PartnershipError(_("Every seat of this activity is taken."))
        was_confirmed = participant.status == ParticipantStatus.CONFIRMED
        participant.refusal_reason = reason if status == ParticipantStatus.REFUSED else ""
        participant.decided_by, participant.decided_at = by, timezone.now()
        _move(participant, status, by=by, note=reason)
        participant.activity = activity
        if status == ParticipantStatus.CONFIRMED:
            invitations.send_invitation(participant)
        elif was_confirmed:
            invitations.send_cancellation(participant)
        invitations.tell_partner_of_decision(participant)
    return participant


def _move(participant, status, *, by, note=""):
    if not participant.can_transition_to(status):
        raise PartnershipError(
            _("A nomination that is %(current)s cannot be %(target)s.")
            % {"current": participant.get_status_display(), "target": ParticipantStatus(status).label}
        )
    before = participant.status
    participant.status = status
    participant.save()
    record(
        by, "participant.status", participant, before={"status": before}, after={"status": status}, note=note
    )


def seat_table(project, activities):
    """Seats held per activity and per partner: {activity id: {partner id: count}}."""
    rows = (
        Participant.objects.filter(activity__in=activities, status__in=SEAT_HOLDING)
        .values("activity_id", "partner_id")
        .annotate(count=Count("pk"))
    )
    table = {}
    for row in rows:
        table.setdefault(row["activity_id"], {})[row["partner_id"]] = row["count"]
    return table


def partner_or_none(project, organisation):
    return Partner.objects.filter(project=project, organisation=organisation).first()
