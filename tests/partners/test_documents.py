"""The partnership's PDFs read back: agreement, certificates, sign-in sheets."""

import io

import pytest
from pypdf import PdfReader

from notifications.models import Message
from partners import documents, services
from partners.models import Attendance, ParticipantStatus
from tests.factories.partners import (
    ActivityFactory,
    ParticipantFactory,
    partner_with_member,
    project_coordinator,
)

pytestmark = pytest.mark.django_db


def text_of(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_agreement_carries_the_citys_details_and_a_verification_code(client):
    partner, member = partner_with_member()
    partner.organisation.address = "Piazza Maggiore 6, Bologna"
    partner.organisation.save()
    document = documents.issue_agreement(partner, by=member)
    with document.file.open("rb") as handle:
        text = text_of(handle.read())
    assert partner.organisation.name in text
    assert "Piazza Maggiore 6" in text
    assert document.display_code in text
    page = client.get(f"/verify/{document.verification_code}")
    assert partner.organisation.name in page.content.decode()


def test_the_sign_in_sheet_lists_every_confirmed_participant_with_a_place_to_sign():
    partner, _member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    confirmed = [
        ParticipantFactory(
            partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED, name=f"Officer Z{n}"
        )
        for n in range(30)
    ]
    ParticipantFactory(
        partner=partner, activity=activity, status=ParticipantStatus.WAITLISTED, name="Waiting Y"
    )
    text = text_of(documents.sign_in_sheet(activity, activity.days()[0]))
    for participant in confirmed:
        assert participant.name in text
    assert "Waiting Y" not in text
    assert "Signature" in text


def test_attendees_get_a_verifiable_certificate_by_email(client, django_capture_on_commit_callbacks):
    partner, _member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    attendee = ParticipantFactory(partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED)
    absent = ParticipantFactory(partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED)
    coordinator = project_coordinator(partner.project)
    services.record_attendance(
        activity, by=coordinator, present={attendee.pk: set(activity.days()[:2]), absent.pk: set()}
    )
    assert Attendance.objects.filter(participant=attendee).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.issue_certificates(activity, by=coordinator) == 1
    message = Message.objects.get(kind="attendance_certificate")
    assert message.to_email == attendee.email
    certificate = documents.current_certificate(attendee)
    assert certificate is not None and documents.current_certificate(absent) is None
    with certificate.file.open("rb") as handle:
        text = text_of(handle.read())
    assert attendee.name in text and activity.title_en in text
    assert message.attachments.filter(file=certificate.file.name).exists()
    assert attendee.name in client.get(f"/verify/{certificate.verification_code}").content.decode()
    services.issue_certificates(activity, by=coordinator)
    assert Message.objects.filter(kind="attendance_certificate").count() == 1
