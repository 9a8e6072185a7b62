"""A partner's files read by the project team are in the audit log; the city's own reads are not."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partners.models import SignedAgreement
from portal.models import AuditEvent
from tests.factories.partners import partner_with_member, project_coordinator

pytestmark = pytest.mark.django_db


def test_the_project_team_downloading_a_signed_agreement_is_recorded(client):
    partner, member = partner_with_member()
    signed = SignedAgreement(partner=partner, original_name="signed.pdf", content_type="application/pdf")
    signed.size, signed.sha256 = 15, "0" * 64
    signed.file.save("signed", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    url = reverse("partners:signed_agreement_download", args=[partner.pk, signed.pk])

    client.force_login(member)
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.downloads().exists()

    coordinator = project_coordinator(partner.project)
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.downloads().get()
    assert (event.action, event.actor, event.object_id) == (
        "signed_agreement.downloaded",
        coordinator,
        str(signed.pk),
    )
    assert event.after == {"partner": partner.pk, "name": "signed.pdf"}
