"""The project's public page: objectives, consortium, the associated cities that allow it,
the programme, and the map. Nothing here needs an account."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from intake.models import Project

from .. import map as europe_map
from .. import queries
from ..models import Partner
from .common import stream_file


def _public_project(slug):
    return get_object_or_404(Project.objects.public(), slug=slug)


def _places(project, consortium, partners):
    places = [
        europe_map.Place(
            member.city, member.country, float(member.latitude), float(member.longitude), "consortium"
        )
        for member in consortium
        if member.latitude is not None and member.longitude is not None
    ]
    places += [
        europe_map.Place(
            partner.city or partner.display_name,
            partner.organisation.country,
            float(partner.latitude),
            float(partner.longitude),
            "associated",
        )
        for partner in partners
        if partner.latitude is not None and partner.longitude is not None
    ]
    return places


def _map_svg(project, consortium, partners):
    return europe_map.render(
        _places(project, consortium, partners),
        title=_("Map of %(project)s: consortium members and associated cities")
        % {"project": project.acronym},
        description=_("Squares mark the consortium members, circles the associated cities; each is named."),
    )


def project_page(request, slug):
    project = _public_project(slug)
    consortium = queries.consortium_of(project)
    partners = queries.public_partners(project)
    activities = queries.published_activities(project)
    return render(
        request,
        "partners/public/project.html",
        {
            "project": project,
            "objectives": [line.strip() for line in project.objectives.splitlines() if line.strip()],
            "consortium": consortium,
            "partners": partners,
            "activities": activities,
            "map_svg": _map_svg(project, consortium, partners),
            "contacts": list(project.contacts.all()),
        },
    )


@cache_control(public=True, max_age=3600)
def project_map(request, slug):
    project = _public_project(slug)
    consortium = queries.consortium_of(project)
    partners = queries.public_partners(project)
    response = HttpResponse(
        _map_svg(project, consortium, partners), content_type="image/svg+xml; charset=utf-8"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_logo(request, slug, pk):
    """A partner's logo, only when it allowed the project's public pages to show it."""
    project = _public_project(slug)
    partner = get_object_or_404(Partner.objects.public(), pk=pk, project=project)
    if not partner.logo:
        raise Http404
    response = stream_file(partner.logo, filename="logo", content_type=partner.logo_content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600"
    return response
