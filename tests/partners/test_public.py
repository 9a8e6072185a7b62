"""The project's public page and its map: the consortium and the associated cities that
allowed it, drawn and listed as text; no city without its permission."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from partners.models import ConsortiumMember, PartnerStatus
from tests.factories.intake import ProjectFactory
from tests.factories.partners import ActivityFactory, PartnerFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def project():
    project = ProjectFactory(is_public=True, acronym="PACTESUR 2", title_en="Protecting public spaces")
    ConsortiumMember.objects.create(
        project=project,
        name_en="European Forum for Urban Security",
        name_fr="Forum européen pour la sécurité urbaine",
        city="Paris",
        country="FR",
        is_coordinator=True,
        latitude=Decimal("48.85"),
        longitude=Decimal("2.35"),
    )
    ConsortiumMember.objects.create(
        project=project, name_en="City of Turin", city="Turin", country="IT", latitude=45.07, longitude=7.69
    )
    PartnerFactory(
        project=project,
        organisation__name="Comune di Bologna",
        organisation__country="IT",
        city="Bologna",
        public_name="Bologna",
        public_consent=True,
        latitude=Decimal("44.49"),
        longitude=Decimal("11.34"),
    )
    PartnerFactory(
        project=project,
        organisation__name="Gdańsk",
        organisation__country="PL",
        city="Gdańsk",
        public_consent=True,
        latitude=Decimal("54.35"),
        longitude=Decimal("18.65"),
    )
    PartnerFactory(  # said no
        project=project,
        organisation__name="Secret City",
        organisation__country="AT",
        city="Secretville",
        public_consent=False,
        latitude=Decimal("48.2"),
        longitude=Decimal("16.37"),
    )
    PartnerFactory(  # allowed it once, then left the project
        project=project,
        organisation__name="Former City",
        organisation__country="LT",
        city="Formerton",
        public_consent=True,
        status=PartnerStatus.WITHDRAWN,
        latitude=Decimal("54.69"),
        longitude=Decimal("25.28"),
    )
    ActivityFactory(project=project, title_en="Police academy in Nice", host_city="Nice")
    return project


def parse(svg_text):
    root = ET.fromstring(svg_text)  # noqa: S314 - the portal's own drawing
    markers = root.findall(f"{SVG}g/{SVG}rect") + root.findall(f"{SVG}g/{SVG}circle")
    labels = [text.text for text in root.iter(f"{SVG}text")]
    return root, markers, labels


def map_of(client, project):
    response = client.get(reverse("partners:project_map", args=[project.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["X-Content-Type-Options"] == "nosniff"
    return response.content.decode()


def test_the_map_draws_the_consortium_as_squares_and_the_associated_cities_as_circles(client, project):
    root, _markers, labels = parse(map_of(client, project))
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1f4e79" and r.get("width") == "12"]
    circles = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "6"]
    assert len(squares) == 2 and len(circles) == 2
    for name in ("Paris", "Turin", "Bologna", "Gdańsk"):
        assert name in labels
    assert root.get("role") == "img"
    assert "PACTESUR 2" in root.find(f"{SVG}title").text
    # Paris lies west of Bologna, Gdańsk north of both: the projection puts them right.
    paris = float(squares[0].get("x"))  # the consortium in its order: Efus in Paris first
    bologna, gdansk = sorted(circles, key=lambda c: float(c.get("cy")), reverse=True)
    assert paris < float(bologna.get("cx")) and float(gdansk.get("cy")) < float(bologna.get("cy"))


def test_no_city_appears_without_its_permission(client, project):
    svg = map_of(client, project)
    page = client.get(reverse("partners:project_page", args=[project.slug])).content.decode()
    for hidden in ("Secret City", "Secretville", "Former City", "Formerton"):
        assert hidden not in svg and hidden not in page
    assert "Comune di Bologna" not in page  # the name it chose to show is "Bologna"


def test_the_page_lists_beside_the_map_every_place_it_draws(client, project):
    page = client.get(reverse("partners:project_page", args=[project.slug])).content.decode()
    assert page.count("<svg") == 1 and 'aria-labelledby="map-title map-desc"' in page
    listed = page[page.index('id="map-heading"') :]
    for name in ("European Forum for Urban Security", "City of Turin", "Bologna", "Gdańsk"):
        assert name in listed
    assert "(Turin, Italy)" in listed and "Gdańsk <span" in listed and "(Poland)" in listed
    assert "Police academy in Nice" in page


def test_the_page_and_the_map_speak_french(client, project):
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("partners:project_page", args=[project.slug])).content.decode()
    assert "Forum européen pour la sécurité urbaine" in page and "(Turin, Italie)" in page
    assert "Villes associées" in page and "Associated cities" not in page
    _root, _markers, labels = parse(map_of(client, project))
    assert "Ville associée" in labels and "Membre du consortium" in labels


def test_a_city_name_cannot_inject_markup_into_the_map(client, project):
    PartnerFactory(
        project=project,
        organisation__country="ES",
        public_name='<script>alert(1)</script>"',
        city='<a href="x">Valencia</a>',
        public_consent=True,
        latitude=Decimal("39.47"),
        longitude=Decimal("-0.38"),
    )
    svg = map_of(client, project)
    assert "<script>" not in svg and "<a href" not in svg
    _root, _markers, labels = parse(svg)  # still well-formed XML
    assert '<a href="x">Valencia</a>' in labels


def test_a_project_that_is_not_public_has_no_page_no_map_and_no_logos(client, project):
    hidden = ProjectFactory(is_public=False)
    partner = PartnerFactory(project=hidden, public_consent=True, logo="partners/1/logos/x")
    for name, args in (
        ("partners:project_page", [hidden.slug]),
        ("partners:project_map", [hidden.slug]),
        ("partners:public_logo", [hidden.slug, partner.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404


def test_only_a_partner_that_allowed_it_has_its_logo_served(client, project):
    refused = project.partners.get(organisation__name="Secret City")
    url = reverse("partners:public_logo", args=[project.slug, refused.pk])
    assert client.get(url).status_code == 404


def test_the_map_names_the_countries_in_the_readers_language(client, project):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    root, _markers, _labels = parse(map_of(client, project))
    names = {title.text for title in root.iter(f"{SVG}title")}
    assert {"Allemagne", "Bosnie-Herzégovine", "Chypre du Nord"} <= names
    assert not {"Germany", "Bosnia and Herz.", "N. Cyprus"} & names
