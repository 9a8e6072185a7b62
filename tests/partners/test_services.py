"""The partnership's services: answering a decision, onboarding, nominations within seats."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from intake.models import Status
from notifications.models import Message
from partners import services
from partners.models import (
    ItemKind,
    ItemState,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    Partner,
    PartnerStatus,
)
from portal.models import AuditEvent
from reviews.models import Decision, Outcome, Response
from tests.factories.partners import (
    ActivityFactory,
    ChecklistItemFactory,
    participant_values,
    partner_with_member,
    project_coordinator,
    selected_application,
    standard_checklist,
)

pytestmark = pytest.mark.django_db


def test_accepting_a_place_makes_the_city_a_partner_audited_with_a_welcome_email():
    application = selected_application()
    member = application.organisation.members.get()
    partner = services.accept_place(application, by=member)
    assert partner.project == application.call.project
    assert partner.organisation == application.organisation
    assert Decision.objects.get(application=application).response == Response.ACCEPTED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"decision.accepted", "partner.joined"} <= actions
    welcome = Message.objects.get(kind="partner_welcome")
    assert welcome.to_email == member.email
    assert welcome.scope == f"project:{partner.project_id}"


def test_accepting_twice_is_refused_and_makes_no_second_partner():
    application = selected_application()
    member = application.organisation.members.get()
    services.accept_place(application, by=member)
    with pytest.raises(services.PartnershipError):
        services.accept_place(application, by=member)
    assert Partner.objects.count() == 1


def test_after_the_reply_deadline_only_a_coordinator_records_the_answer():
    application = selected_application()
    application.call.reply_deadline = timezone.now() - dt.timedelta(minutes=1)
    application.call.save()
    member = application.organisation.members.get()
    with pytest.raises(services.PartnershipError, match="deadline"):
        services.accept_place(application, by=member)
    coordinator = project_coordinator(application.call.project)
    partner = services.accept_place(application, by=coordinator, note="Letter of 3 March", on_behalf=True)
    assert partner.is_active
    assert AuditEvent.objects.get(action="decision.accepted").note == "Letter of 3 March"


def test_a_decline_hands_the_place_to_the_reserve_city():
    application = selected_application()
    call = application.call
    reserve = selected_application(call)
    reserve.status = Status.RESERVE
    reserve.save()
    Decision.objects.filter(application=reserve).update(outcome=Outcome.RESERVE, reserve_position=1, rank=12)
    call.places = 1
    call.save()
    declined, promoted = services.decline_place(application, by=application.organisation.members.get())
    assert declined.response == Response.DECLINED
    assert promoted.application == reserve
    assert not Partner.objects.exists()


def test_a_city_that_accepted_cannot_decline_it_withdraws_as_a_partner_and_keeps_its_history():
    application = selected_application()
    member = application.organisation.members.get()
    partner = services.accept_place(application, by=member)
    with pytest.raises(services.PartnershipError):
        services.decline_place(application, by=member)
    services.withdraw_partner(partner, by=project_coordinator(partner.project), note="Council decision")
    partner.refresh_from_db()
    assert partner.status == PartnerStatus.WITHDRAWN
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_onboarding_items_complete_from_what_the_partner_does():
    partner, member = partner_with_member()
    items = {item.kind: item for item in standard_checklist(partner.project)}
    contact = {"name": "Ana Demo", "email": "ana@city.example", "position": "Officer"}
    services.save_contact(partner, "focal_point", by=member, values=contact)
    state = lambda kind: partner.progress.filter(item=items[kind]).values_list("state", flat=True).first()  # noqa: E731
    assert state(ItemKind.FOCAL_POINTS) == ItemState.OPEN  # the deputy is still missing
    services.save_contact(partner, "deputy", by=member, values=contact | {"email": "b@city.example"})
    assert state(ItemKind.FOCAL_POINTS) == ItemState.DONE
    services.save_contact(partner, "police", by=member, values=contact | {"email": "p@city.example"})
    assert state(ItemKind.POLICE_CONTACT) == ItemState.DONE
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.upload_signed_agreement(partner, pdf, by=member)
    assert state(ItemKind.AGREEMENT) == ItemState.SUBMITTED
    services.check_agreement(partner, by=project_coordinator(partner.project), accepted=True)
    assert state(ItemKind.AGREEMENT) == ItemState.DONE


def test_a_signed_agreement_that_is_not_a_document_is_refused():
    partner, member = partner_with_member()
    with pytest.raises(services.onboarding.uploads.UploadRefused):
        services.upload_signed_agreement(
            partner, SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"), by=member
        )
    assert not partner.signed_agreements.exists()


def test_a_withdrawn_partner_changes_nothing():
    partner, member = partner_with_member(status=PartnerStatus.WITHDRAWN)
    with pytest.raises(services.PartnershipError):
        services.save_contact(partner, "police", by=member, values={"name": "X", "email": "x@city.example"})


def test_nominations_stop_at_the_partners_seats_and_at_the_total():
    partner, member = partner_with_member()
    other, other_member = partner_with_member(partner.project)
    activity = ActivityFactory(project=partner.project, seats_per_partner=2, seats_total=3)
    for n in range(2):
        services.nominate(partner, activity, by=member, values=participant_values(name=f"A{n}"))
    with pytest.raises(services.PartnershipError, match="seats"):
        services.nominate(partner, activity, by=member, values=participant_values(name="A2"))
    services.nominate(other, activity, by=other_member, values=participant_values(name="B0"))
    with pytest.raises(services.PartnershipError, match="Every seat"):
        services.nominate(other, activity, by=other_member, values=participant_values(name="B1"))
    assert Participant.objects.holding_seats().count() == 3


def test_a_replacement_takes_the_seat_of_the_person_it_replaces():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project, seats_per_partner=1)
    first = services.nominate(partner, activity, by=member, values=participant_values(name="First"))
    second = services.nominate(
        partner, activity, by=member, values=participant_values(name="Second"), replaces=first
    )
    first.refresh_from_db()
    assert first.status == ParticipantStatus.WITHDRAWN
    assert second.replaces == first


def test_after_the_registration_deadline_only_the_coordinator_changes_nominations():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    participant = services.nominate(partner, activity, by=member, values=participant_values())
    activity.registration_deadline = timezone.now() - dt.timedelta(minutes=1)
    activity.save()
    with pytest.raises(services.PartnershipError, match="closed"):
        services.update_participant(participant, by=member, values={"role": "Major"})
    with pytest.raises(services.PartnershipError, match="closed"):
        services.nominate(partner, activity, by=member, values=participant_values(name="Late"))
    coordinator = project_coordinator(partner.project)
    services.update_participant(participant, by=coordinator, values={"role": "Major"}, by_coordinator=True)
    participant.refresh_from_db()
    assert participant.role == "Major"


def test_nominating_needs_the_participants_privacy_notice_accepted():
    partner, member = partner_with_member(privacy_notice_version="")
    activity = ActivityFactory(project=partner.project)
    with pytest.raises(services.PartnershipError, match="privacy"):
        services.nominate(partner, activity, by=member, values=participant_values())
    services.accept_participant_privacy(partner, by=member)
    partner.refresh_from_db()
    assert services.nominate(partner, activity, by=member, values=participant_values())


def test_an_activity_for_police_officers_refuses_other_people():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project, eligibility="police_only")
    with pytest.raises(services.PartnershipError) as refused:
        services.nominate(
            partner, activity, by=member, values=participant_values(category=ParticipantCategory.ELECTED)
        )
    assert "category" in refused.value.errors


def test_confirming_sends_an_invitation_with_the_calendar_file_and_a_change_sends_an_update():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    participant = services.nominate(partner, activity, by=member, values=participant_values())
    coordinator = project_coordinator(partner.project)
    services.decide_nomination(participant, by=coordinator, status=ParticipantStatus.CONFIRMED)
    invitation = Message.objects.get(kind="participant_invitation")
    assert invitation.to_email == "giulia.rossi@city.example"
    assert invitation.attachments.get().content_type == "text/calendar"
    services.save_activity(
        partner.project,
        by=coordinator,
        values={"starts_at": activity.starts_at + dt.timedelta(hours=1)},
        activity=activity,
    )
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert Message.objects.filter(kind="participant_update").count() == 1


def test_a_refusal_needs_a_reason_and_tells_the_colleague_who_nominated():
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    participant = services.nominate(partner, activity, by=member, values=participant_values())
    coordinator = project_coordinator(partner.project)
    with pytest.raises(services.PartnershipError):
        services.decide_nomination(participant, by=coordinator, status=ParticipantStatus.REFUSED)
    services.decide_nomination(
        participant, by=coordinator, status=ParticipantStatus.REFUSED, reason="Not an officer"
    )
    told = Message.objects.get(kind="nomination_decision")
    assert told.to_email == member.email
    assert "Not an officer" in told.body_text


def test_a_confirmation_item_is_ticked_by_the_partner():
    partner, member = partner_with_member()
    item = ChecklistItemFactory(project=partner.project)
    services.confirm_item(partner, item, by=member)
    assert partner.progress.get(item=item).state == ItemState.DONE
