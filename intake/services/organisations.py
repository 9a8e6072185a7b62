"""Candidate organisations: creating them and changing their details."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record
from portal.text import strip_bidi_controls

from ..models import (
    Membership,
    Organisation,
)

ORGANISATION_FIELDS = ("name", "country", "kind", "population", "address", "website", "efus_member")


class OrganisationLocked(Exception):
    """The organisation's details cannot change any more; the message says why."""


def create_organisation(*, by, **fields):
    """A candidate organisation, with the person who creates it as its first member."""
    fields = strip_bidi_controls(fields)
    with transaction.atomic():
        organisation = Organisation.objects.create(created_by=by, **fields)
        Membership.objects.create(organisation=organisation, user=by)
        record(by, "organisation.created", organisation, after=_organisation_snapshot(organisation))
    return organisation


def organisation_is_locked(organisation):
    """Once an application is submitted, the details the evaluation relies on stay as submitted."""
    return organisation.applications.submitted().exists()


def update_organisation(organisation, *, by, **fields):
    if organisation_is_locked(organisation):
        raise OrganisationLocked(
            _("The details are locked: an application of this organisation has been submitted.")
        )
    fields = strip_bidi_controls(fields)
    with transaction.atomic():
        # Compare with the stored row: a bound ModelForm has already changed the instance it was given.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = _organisation_snapshot(organisation)
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=list(fields))
        after = _organisation_snapshot(organisation)
        changed = [name for name in ORGANISATION_FIELDS if before[name] != after[name]]
        if changed:
            record(
                by,
                "organisation.updated",
                organisation,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
            )
    return organisation


def _organisation_snapshot(organisation):
    return {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
