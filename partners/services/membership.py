"""Becoming a partner: a selected city answers its decision; a partner may later withdraw."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Status
from notifications.services import queue_message
from portal.audit import record
from reviews import services as reviews_services
from reviews.models import Decision, Response
from reviews.services import EvaluationError

from ..models import Partner, PartnerStatus
from .common import PartnershipError, members_of, scope_of


def reply_is_open(call, moment=None):
    """Whether a selected city may still answer in the portal (coordinators record answers later)."""
    return call.reply_deadline is None or (moment or timezone.now()) < call.reply_deadline


def accept_place(application, *, by, note="", on_behalf=False):
    """A selected city accepts its place and becomes an associated partner of the call's project.

    One transaction: the decision records the acceptance, the partner is made (or, for a
    city that was a partner of the project before, made active again), both are audited
    and the city's members get a welcome email in their language. ``on_behalf`` marks an
    answer a coordinator records from a letter or an email; otherwise the reply deadline
    applies. Returns the partner.
    """
    call = application.call
    if not on_behalf and not reply_is_open(call):
        raise PartnershipError(
            _("The reply deadline has passed. Please write to the project team, who can record your answer.")
        )
    with transaction.atomic():
        try:
            decision = reviews_services.record_acceptance(application, by=by, note=note)
        except EvaluationError as refused:
            raise PartnershipError(str(refused)) from None
        application = decision.application
        partner, created = Partner.objects.select_for_update().get_or_create(
            project_id=call.project_id,
            organisation=application.organisation,
            defaults={"application": application, "city": application.organisation.name, "public_name": ""},
        )
        if not created:
            before = {"status": partner.status}
            partner.status = PartnerStatus.ACTIVE
            partner.application = application
            partner.withdrawn_at = None
            partner.save(update_fields=["status", "application", "withdrawn_at"])
        record(
            by,
            "partner.joined",
            partner,
            before=None if created else before,
            after={"project": call.project_id, "organisation": application.organisation_id},
            note=note,
            call_id=call.pk,
        )
        _welcome(partner, application)
    return partner


def _welcome(partner, application):
    url = settings.SITE_URL + reverse("partners:partner_home", args=[partner.pk])
    project = partner.project
    for member in members_of(partner):
        queue_message(
            kind="partner_welcome",
            to=member,
            template="partners/emails/welcome",
            context={
                "partner": partner,
                "project": project,
                "organisation": partner.organisation,
                "partner_url": url,
                "contacts": list(project.contacts.all()),
            },
            idempotency_key=f"partner:{partner.pk}:welcome:{application.pk}:{member.pk}",
            scope=scope_of(project.pk),
        )


def decline_place(application, *, by, note="", on_behalf=False):
    """A selected city declines its place: reviews hands it to the best reserve city.

    Returns (the declined decision, the promoted decision or None).
    """
    if not on_behalf and not reply_is_open(application.call):
        raise PartnershipError(
            _("The reply deadline has passed. Please write to the project team, who can record your answer.")
        )
    try:
        return reviews_services.record_decline(application, by=by, note=note)
    except EvaluationError as refused:
        raise PartnershipError(str(refused)) from None


def withdraw_partner(partner, *, by, note):
    """A partner leaves the project: it keeps its history, participants and files, read-only."""
    note = (note or "").strip()
    if not note:
        raise PartnershipError(_("Say why the partner withdraws."), {"note": _("A reason is required.")})
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.status != PartnerStatus.ACTIVE:
            raise PartnershipError(_("This partner has already withdrawn."))
        partner.status = PartnerStatus.WITHDRAWN
        partner.withdrawn_at = timezone.now()
        partner.withdrawal_note = note
        partner.save(update_fields=["status", "withdrawn_at", "withdrawal_note"])
        record(
            by,
            "partner.withdrawn",
            partner,
            before={"status": PartnerStatus.ACTIVE},
            after={"status": partner.status},
            note=note,
        )
    return partner


def pending_reply(application):
    """The decision of a selected city that has not answered yet, or None."""
    if application.status != Status.SELECTED:
        return None
    return Decision.objects.filter(application=application, response=Response.PENDING).first()
