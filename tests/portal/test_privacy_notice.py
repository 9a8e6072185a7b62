"""The privacy notice says who holds what, why, how long, the person's rights and how to ask."""

import pytest
from django.urls import reverse

from tests.factories import CallFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SECTIONS_EN = [
    "Who holds your data",
    "What the portal holds, and why",
    "Who sees them",
    "How long they are kept",
    "Your rights",
    "How to ask",
]
SECTIONS_FR = [
    "Qui détient vos données",
    "Ce que le portail détient, et pourquoi",
    "Qui les voit",
    "Combien de temps elles sont conservées",
    "Vos droits",
    "Comment demander",
]


def notice(client, language="en"):
    response = client.get(reverse("portal:privacy"), headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_in_english_covers_each_question(client, settings):
    page = notice(client)
    for heading in SECTIONS_EN:
        assert heading in page, heading
    assert "Efus (European Forum for Urban Security)" in page
    assert "24 months after the call's decision" in page
    assert "12 months after the project ends" in page
    assert "downloaded an applicant's file" in page
    assert "Access and portability" in page and "Erasure" in page and "CNIL" in page
    assert f"Version {settings.PRIVACY_NOTICE_VERSION}" in page


def test_the_notice_in_french_covers_each_question(client):
    page = notice(client, "fr")
    assert '<html lang="fr">' in page
    for heading in SECTIONS_FR:
        assert heading in page, heading
    assert "24 mois après la décision de l'appel" in page
    assert "Droit d'accès et portabilité" in page
    assert "Who holds your data" not in page


def test_the_notice_follows_the_settings(client, settings):
    settings.APPLICATION_RETENTION_MONTHS = 36
    settings.PRIVACY_CONTROLLER = "Example City Network"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@example.org"
    page = notice(client)
    assert "36 months after the call's decision" in page
    assert "Example City Network runs the calls" in page
    assert 'href="mailto:dpo@example.org"' in page


def test_without_a_contact_address_the_notice_gives_each_projects(client):
    CallFactory(project=ProjectFactory(acronym="PACTESUR 2", contact_email="pactesur@example.org"))
    hidden = ProjectFactory(acronym="Hidden", contact_email="hidden@example.org")
    CallFactory(project=hidden, is_published=False)
    page = notice(client)
    assert 'href="mailto:pactesur@example.org"' in page
    assert "hidden@example.org" not in page
