"""Who may see and change a partnership, its participants and its files.

A partner's members are the members of its organisation: they see their own partnership
and nothing of another city's (404). A project's coordinators
(``intake.coordinate_project``) see every partner of the project. A withdrawn partner
keeps its history and can still read it, but changes nothing.
"""

import rules

from intake.rules import _organisation_ids, coordinated_project_ids

from .models import PartnerStatus


@rules.predicate
def is_partner_member(user, partner):
    if partner is None or not getattr(user, "is_authenticated", False):
        return False
    return partner.organisation_id in _organisation_ids(user)


@rules.predicate
def is_active_partner(user, partner):
    return partner is not None and partner.status == PartnerStatus.ACTIVE


@rules.predicate
def coordinates_partner_project(user, partner):
    if partner is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or partner.project_id in coordinated_project_ids(user)


@rules.predicate
def can_view_participant_partner(user, participant):
    return participant is not None and user.has_perm("partners.view_partner", participant.partner)


rules.add_perm("partners.view_partner", is_partner_member | coordinates_partner_project)
rules.add_perm("partners.change_partner", is_partner_member & is_active_partner)
rules.add_perm("partners.coordinate_partner", coordinates_partner_project)
rules.add_perm("partners.view_participant", can_view_participant_partner)
