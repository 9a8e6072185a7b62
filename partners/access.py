"""The partnership's pages load their objects through these: a refused object is a 404.

A partner's members and the project's coordinators see a partnership
(``partners.view_partner``); only its members, while it is active, change it
(``partners.change_partner``). Coordinator pages load the project with
``intake.coordinate_project``, then objects of that project only.
"""

from django.shortcuts import get_object_or_404

from intake.models import Project
from portal.access import object_or_404, permitted_or_404

from .models import Activity, Participant, Partner

VIEW_PARTNER = "partners.view_partner"
CHANGE_PARTNER = "partners.change_partner"
COORDINATE_PROJECT = "intake.coordinate_project"


def partner_or_404(user, pk, permission=VIEW_PARTNER):
    return object_or_404(
        user,
        permission,
        Partner.objects.select_related("project", "organisation", "application__call"),
        pk=pk,
    )


def partner_activity_or_404(partner, pk):
    return get_object_or_404(Activity.objects.select_related("project"), pk=pk, project_id=partner.project_id)


def partner_participant_or_404(partner, pk):
    return get_object_or_404(
        Participant.objects.select_related("activity__project", "partner__organisation"),
        pk=pk,
        partner=partner,
    )


def coordinated_project_or_404(user, slug):
    return object_or_404(user, COORDINATE_PROJECT, Project.objects.all(), slug=slug)


def project_partner_or_404(project, pk):
    return get_object_or_404(
        Partner.objects.select_related("organisation", "project"), pk=pk, project=project
    )


def project_activity_or_404(project, pk):
    return get_object_or_404(Activity.objects.select_related("project"), pk=pk, project=project)


def project_participant_or_404(project, pk):
    return get_object_or_404(
        Participant.objects.select_related("activity__project", "partner__organisation"),
        pk=pk,
        activity__project=project,
    )


__all__ = ["permitted_or_404"]
