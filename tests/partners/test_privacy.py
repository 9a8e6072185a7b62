"""The daily retention pass: once a project's end plus its retention period has passed, its
participants and partner contacts are anonymised everywhere their data are kept; what the
reports count stays, and each pass is recorded."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Attachment, IssuedDocument, Message
from partners import documents, exports, queries, services
from partners.models import (
    AnonymisationRun,
    Attendance,
    Gender,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    PartnershipSettings,
)
from partners.services.privacy import ERASED_EMAIL
from partners.tasks import anonymise_expired_participants
from portal.models import AuditEvent
from tests.factories.partners import (
    ActivityFactory,
    participant_values,
    partner_with_member,
    project_coordinator,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 15)


def ended_project(months_ago, *, retention=12, today=TODAY):
    """A partner of a project that ended ``months_ago`` months before TODAY, its data kept
    ``retention`` months; with a confirmed participant (refused once, with a reason naming
    her), her invitation, her certificate and a day of attendance, and a named focal point."""
    partner, member = partner_with_member()
    project = partner.project
    month = today.month - months_ago
    project.ends_on = dt.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, min(today.day, 28))
    project.save()
    PartnershipSettings.objects.filter(pk=PartnershipSettings.objects.for_project(project).pk).update(
        retention_months=retention
    )
    coordinator = project_coordinator(project)
    activity = ActivityFactory(
        project=project,
        starts_at=timezone.now() + dt.timedelta(days=30),
        registration_deadline=timezone.now() + dt.timedelta(days=10),
    )
    participant = services.nominate(
        partner,
        activity,
        by=member,
        values=participant_values(
            name="Giulia Rossi",
            email="giulia.rossi@city.example",
            dietary_needs="No gluten",
            category=ParticipantCategory.POLICE_OFFICER,
            gender=Gender.WOMAN,
        ),
    )
    services.decide_nomination(
        participant, by=coordinator, status=ParticipantStatus.REFUSED, reason="Giulia Rossi is not listed"
    )
    services.decide_nomination(participant, by=coordinator, status=ParticipantStatus.CONFIRMED)
    Attendance.objects.create(participant=participant, day=activity.days()[0], recorded_by=coordinator)
    participant.refresh_from_db()
    certificate = documents.issue_certificate(documents.load_participant(participant.pk))
    services.save_contact(
        partner,
        "focal_point",
        by=member,
        values={"name": "Marco Bianchi", "email": "marco.bianchi@city.example", "phone": "+39 000"},
    )
    return partner, participant, certificate


def text_about(participant_pk):
    """Everything the portal keeps that could name the participant, as one text."""
    events = AuditEvent.objects.filter(object_type="partners.participant", object_id=str(participant_pk))
    messages = Message.objects.all()
    return " ".join(
        [
            *(f"{e.object_repr} {e.before} {e.after} {e.note}" for e in events),
            *(f"{m.to_email} {m.subject} {m.body_text} {m.body_html}" for m in messages),
            *(f"{d.title} {d.public_summary}" for d in IssuedDocument.objects.all()),
        ]
    )


def test_past_its_retention_a_project_is_anonymised_everywhere(django_capture_on_commit_callbacks):
    partner, participant, certificate = ended_project(13)
    assert "Giulia Rossi" in text_about(participant.pk)
    assert Message.objects.filter(kind="participant_invitation", attachments__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        runs = services.anonymise_expired(TODAY)
    assert len(runs) == 1
    participant.refresh_from_db()
    assert participant.anonymised_at is not None
    assert participant.name == f"Anonymised participant {participant.pk}"
    assert (participant.email, participant.role, participant.unit, participant.dietary_needs) == (
        "",
        "",
        "",
        "",
    )
    assert participant.refusal_reason == ""
    about = text_about(participant.pk)
    assert "Giulia" not in about and "giulia.rossi@city.example" not in about and "gluten" not in about
    # The colleague who nominated her was told of each decision: those emails are blanked too.
    assert not Message.objects.filter(body_text__contains="Giulia").exists()
    assert not Attachment.objects.filter(message__kind="participant_invitation").exists()
    certificate.refresh_from_db()
    assert certificate.public_summary == {"erased": True}
    assert not certificate.file.storage.exists(certificate.file.name)
    contact = partner.contacts.get()
    assert contact.email == ERASED_EMAIL and "Marco" not in contact.name and contact.phone == ""
    contact_events = AuditEvent.objects.filter(object_type="partners.partnercontact")
    assert contact_events.exists()
    assert not any("Marco" in f"{e.before} {e.after} {e.object_repr}" for e in contact_events)


def test_what_the_reports_count_stays_the_same():
    partner, participant, _certificate = ended_project(13)
    project = partner.project
    before = (
        queries.participation_breakdown(project),
        queries.participation_matrix(project).cells,
        [row[:5] + row[8:] for row in exports.participants_table(project).rows],
    )
    services.anonymise_expired(TODAY)
    after = (
        queries.participation_breakdown(project),
        queries.participation_matrix(project).cells,
        [row[:5] + row[8:] for row in exports.participants_table(project).rows],
    )
    assert after == before
    participant.refresh_from_db()
    assert (participant.category, participant.gender, participant.status) == (
        ParticipantCategory.POLICE_OFFICER,
        Gender.WOMAN,
        ParticipantStatus.CONFIRMED,
    )
    assert participant.attendances.count() == 1 and participant.partner_id == partner.pk


def test_the_daily_task_records_and_audits_each_pass_and_a_second_pass_does_nothing():
    partner, _participant, _certificate = ended_project(13, today=timezone.localdate())
    run_ids = anonymise_expired_participants.apply().get()
    run = AnonymisationRun.objects.get()
    assert run_ids == [run.pk] and run.project_id == partner.project_id
    assert (run.participants, run.contacts, run.reason, run.by) == (1, 1, "retention", None)
    event = AuditEvent.objects.get(action="participants.anonymised")
    assert event.after["participants"] == 1 and event.after["contacts"] == 1
    assert anonymise_expired_participants.apply().get() == []
    assert AnonymisationRun.objects.count() == 1


def test_nothing_is_anonymised_before_the_limit_or_without_an_end_date():
    _recent, participant, _certificate = ended_project(11)  # ended 11 months ago, kept 12
    _kept_longer, other, _ = ended_project(13, retention=24)
    open_ended, third, _ = ended_project(13)
    open_ended.project.ends_on = None
    open_ended.project.save()
    assert services.anonymise_expired(TODAY) == []
    for person in (participant, other, third):
        person.refresh_from_db()
        assert person.anonymised_at is None and person.name == "Giulia Rossi"
    assert not AnonymisationRun.objects.exists()


def test_only_the_expired_project_is_anonymised():
    _expired, gone, _ = ended_project(13)
    current, kept, _ = ended_project(2)
    services.anonymise_expired(TODAY)
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.anonymised_at is not None
    assert kept.anonymised_at is None and kept.email == "giulia.rossi@city.example"
    assert current.contacts.get().name == "Marco Bianchi"
    assert Participant.objects.filter(name="Giulia Rossi").count() == 1


def test_an_erased_certificate_can_no_longer_be_downloaded(client, django_capture_on_commit_callbacks):
    partner, participant, _certificate = ended_project(2)
    client.force_login(partner.organisation.members.get())
    url = reverse("partners:certificate_download", args=[partner.pk, participant.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_participant(participant, by=project_coordinator(partner.project))
    assert client.get(url).status_code == 404
