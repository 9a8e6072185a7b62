"""Invitations by email: colleagues of an organisation, and staff (evaluators, coordinators).

A link's token exists only in the email it is sent in; the invitation keeps its digest.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import queue_message
from portal import roles
from portal.audit import record
from portal.formatting import absolute_url

from .. import messages
from ..models import (
    Invitation,
    Membership,
    outbox_scope,
)
from ..rules import forget_coordination
from ..signals import staff_invitation_accepted

INVITATION_VALIDITY = dt.timedelta(days=14)


STAFF_ROLES = (roles.EVALUATOR, roles.COORDINATOR)


# More pending invitations than a city's team needs would make the portal a mailer for anyone.
MAX_PENDING_INVITATIONS = 20


class InvitationRefused(Exception):
    """An invitation that cannot be sent or accepted; the message says why, for the user."""


def invite_to_organisation(organisation, email, *, by):
    """Invite a colleague by email; inviting the same address again renews the invitation."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise InvitationRefused(_("This person is already a member of the organisation."))
    pending = organisation.invitations.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
    if pending.count() >= MAX_PENDING_INVITATIONS and not pending.filter(email__iexact=email).exists():
        raise InvitationRefused(
            _("Too many invitations are waiting for an answer. Cancel some before inviting more people.")
        )
    with transaction.atomic():
        invitation = (
            organisation.invitations.select_for_update()
            .filter(email__iexact=email, accepted_at__isnull=True)
            .first()
        )
        now = timezone.now()
        if invitation is not None and invitation.was_just_sent(now):
            return invitation
        expires_at = now + INVITATION_VALIDITY
        if invitation is None:
            invitation = Invitation(email=email, organisation=organisation)
            action = "organisation.invitation_sent"
        else:
            action = "organisation.invitation_renewed"
        # A new link for each email; the one sent before stops working.
        invitation.invited_by = by
        invitation.expires_at = expires_at
        invitation.sent_at = now
        invitation.new_token()
        invitation.save()
        record(by, action, organisation, after={"email": email, "invitation": invitation.pk})
        queue_message(
            kind="organisation_invitation",
            to=email,
            template="intake/emails/organisation_invitation",
            context={
                "organisation_name": organisation.name,
                "inviter_name": by.get_full_name(),
                "accept_url": invitation_url(invitation),
                "expires_at": expires_at,
            },
            idempotency_key=f"invitation:{invitation.pk}:sent:{invitation.token_hash}",
            carries_secret=True,
        )
    return invitation


def cancel_invitation(invitation, *, by):
    with transaction.atomic():
        record(
            by,
            "organisation.invitation_cancelled",
            invitation.organisation,
            before={"email": invitation.email, "invitation": invitation.pk},
        )
        invitation.delete()


def invite_staff(email, role, *, by=None, call=None, language=None):
    """Invite an evaluator or a coordinator (of ``call``, when given); the role, and the
    call, are granted when the invitation is accepted. Inviting again sends a new link."""
    if role not in STAFF_ROLES:
        raise InvitationRefused(_("Staff invitations are for evaluators and coordinators."))
    email = email.strip().lower()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(
                email__iexact=email, role=role, call=call, organisation__isnull=True, accepted_at__isnull=True
            )
            .first()
        )
        now = timezone.now()
        if invitation is not None and invitation.was_just_sent(now):
            return invitation
        expires_at = now + INVITATION_VALIDITY
        if invitation is None:
            invitation = Invitation(email=email, role=role, call=call)
        invitation.invited_by = by
        invitation.expires_at = expires_at
        invitation.sent_at = now
        invitation.new_token()
        invitation.save()
        record(
            by, "staff.invited", invitation, after={"email": email, "role": role}, call_id=call and call.pk
        )
        queue_message(
            kind="staff_invitation",
            to=email,
            template="portal/emails/staff_invitation",
            language=language,
            scope=outbox_scope(call.pk) if call else "",
            context={
                "Role": roles,  # an email has no request, so no context processor names the roles
                "role": role,
                "call_title": messages.call_title(call) if call else "",
                "accept_url": invitation_url(invitation),
                "expires_at": expires_at,
            },
            idempotency_key=f"invitation:{invitation.pk}:sent:{invitation.token_hash}",
            carries_secret=True,
        )
    return invitation


def invitation_url(invitation):
    """The link of an invitation just issued (its token exists only until the email is written)."""
    return absolute_url("intake:invitation_accept", invitation.token)


def check_invitation(invitation, user=None, *, moment=None):
    """Raise InvitationRefused with the reason this invitation cannot be accepted (by ``user``)."""
    if invitation.accepted_at is not None:
        raise InvitationRefused(_("This invitation has already been used."))
    if not invitation.is_usable(moment):
        raise InvitationRefused(
            _("This invitation has expired. Ask the person who invited you to send a new one.")
        )
    if user is not None and user.email.lower() != invitation.email.lower():
        raise InvitationRefused(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out, then log in or sign up with the invited address."
            )
            % {"invited": invitation.email, "current": user.email}
        )


def accept_invitation(invitation, user):
    """Join the organisation or take the staff role the invitation offers."""

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_invitation(invitation, user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The link reached this address, which proves the address is theirs.
        EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
        if invitation.organisation_id:
            Membership.objects.get_or_create(organisation=invitation.organisation, user=user)
            roles.grant(user, roles.APPLICANT)
            record(user, "organisation.member_joined", invitation.organisation, after={"user": user.email})
        if invitation.role in STAFF_ROLES:
            roles.grant(user, invitation.role)
            call = invitation.call
            if call is not None and invitation.role == roles.COORDINATOR:
                call.coordinators.add(user)
                forget_coordination(user)
            record(
                user,
                "staff.role_granted",
                user,
                after={"role": invitation.role},
                call_id=call.pk if call else None,
            )
            if call is not None:
                staff_invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return invitation
