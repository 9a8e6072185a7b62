"""Deadline reminders: 7 and 2 days before a call's reply deadline to a selected city that
has not answered, 14 and 3 days before the onboarding deadline to a partner with steps
still to do; each sent once, in the recipient's language, and never once it is done."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notifications.models import Message
from partners import reminders, services
from partners.models import ItemKind, PartnershipSettings, PartnerStatus
from tests.factories.intake import MembershipFactory
from tests.factories.partners import (
    ChecklistItemFactory,
    partner_with_member,
    project_coordinator,
    selected_application,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def reply_reminders(to=None):
    messages = Message.objects.filter(kind="reply_reminder")
    return messages.filter(to_email=to) if to else messages


def onboarding_reminders(to=None):
    messages = Message.objects.filter(kind="onboarding_reminder")
    return messages.filter(to_email=to) if to else messages


@pytest.fixture
def waiting_city():
    """A selected city with two members (one reads French), its reply deadline in ten days."""
    application = selected_application()
    english = application.organisation.members.get()
    french = MembershipFactory(organisation=application.organisation, user__language="fr").user
    deadline = timezone.now() + 10 * DAY
    application.call.reply_deadline = deadline
    application.call.save()
    return application, deadline, english, french


def test_reply_reminders_go_7_and_2_days_before_the_deadline_once_each(waiting_city):
    _application, deadline, english, french = waiting_city
    assert reminders.send_reply_reminders(deadline - 9 * DAY) == 0
    assert reminders.send_reply_reminders(deadline - 6 * DAY) == 2  # both members
    for hours in (1, 5, 30):  # the hourly beat passes again in the same window
        reminders.send_reply_reminders(deadline - 6 * DAY + dt.timedelta(hours=hours))
    assert reply_reminders(english.email).count() == 1
    reminders.send_reply_reminders(deadline - 1.5 * DAY)
    reminders.send_reply_reminders(deadline - 1 * DAY)
    assert reply_reminders(english.email).count() == 2
    assert reply_reminders(french.email).count() == 2
    assert reminders.send_reply_reminders(deadline + dt.timedelta(minutes=1)) == 0
    assert reply_reminders().count() == 4


def test_a_reply_reminder_is_in_the_recipients_language_and_links_to_the_answer(waiting_city):
    application, deadline, english, french = waiting_city
    reminders.send_reply_reminders(deadline - 1 * DAY)
    in_english = reply_reminders(english.email).get()
    in_french = reply_reminders(french.email).get()
    assert in_english.language == "en" and in_french.language == "fr"
    assert "please answer the decision" in in_english.subject
    assert "merci de répondre à la décision" in in_french.subject
    assert "within 2 days" in in_english.body_text
    assert "dans les 2 jours" in in_french.body_text
    assert f"/applications/{application.pk}/reply/" in in_french.body_text


def test_no_reply_reminder_once_the_city_has_answered(waiting_city):
    application, deadline, english, _french = waiting_city
    reminders.send_reply_reminders(deadline - 6 * DAY)
    services.accept_place(application, by=english)
    assert reminders.send_reply_reminders(deadline - 1 * DAY) == 0
    assert reply_reminders().count() == 2  # only the 7-day ones, sent before the answer


@pytest.fixture
def onboarding():
    """A partner with a French-speaking member, a checklist of two plain steps and an
    agreement, and an onboarding deadline in twenty days."""
    partner, member = partner_with_member()
    member.language = "fr"
    member.save()
    steps = [
        ChecklistItemFactory(project=partner.project, title_en="Read the handbook", title_fr="Lire le guide"),
        ChecklistItemFactory(project=partner.project, title_en="Join the mailing list"),
    ]
    agreement = ChecklistItemFactory(project=partner.project, kind=ItemKind.AGREEMENT, title_en="Agreement")
    deadline = timezone.now() + 20 * DAY
    settings = PartnershipSettings.objects.for_project(partner.project)
    settings.onboarding_deadline = deadline
    settings.save()
    return partner, member, steps, agreement, deadline


def test_onboarding_reminders_go_14_and_3_days_before_once_each_in_french(onboarding):
    partner, member, _steps, _agreement, deadline = onboarding
    assert reminders.send_onboarding_reminders(deadline - 15 * DAY) == 0
    assert reminders.send_onboarding_reminders(deadline - 13 * DAY) == 1
    reminders.send_onboarding_reminders(deadline - 12 * DAY)
    assert onboarding_reminders().count() == 1
    reminders.send_onboarding_reminders(deadline - 2 * DAY)
    reminders.send_onboarding_reminders(deadline - 1 * DAY)
    assert onboarding_reminders().count() == 2
    message = onboarding_reminders().first()
    assert message.to_email == member.email and message.language == "fr"
    assert "étapes" in message.subject
    assert "Lire le guide" in message.body_text and "Read the handbook" not in message.body_text
    assert f"/partnerships/{partner.pk}/" in message.body_text


def test_an_onboarding_reminder_lists_only_the_steps_still_to_do(onboarding):
    partner, member, steps, _agreement, deadline = onboarding
    services.confirm_item(partner, steps[0], by=member)
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.upload_signed_agreement(partner, pdf, by=member)  # waiting for the team's check
    reminders.send_onboarding_reminders(deadline - 13 * DAY)
    text = onboarding_reminders().get().body_text
    assert "Join the mailing list" in text
    assert "Lire le guide" not in text and "Agreement" not in text


def test_no_onboarding_reminder_once_every_step_is_done_or_for_a_withdrawn_partner(onboarding):
    partner, member, steps, _agreement, deadline = onboarding
    for step in steps:
        services.confirm_item(partner, step, by=member)
    pdf = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.upload_signed_agreement(partner, pdf, by=member)
    services.check_agreement(partner, by=project_coordinator(partner.project), accepted=True)
    _withdrawn, _member = partner_with_member(partner.project, status=PartnerStatus.WITHDRAWN)
    assert reminders.send_onboarding_reminders(deadline - 13 * DAY) == 0
    assert not onboarding_reminders().exists()


def test_a_retired_step_is_not_reminded(onboarding):
    partner, member, steps, agreement, deadline = onboarding
    coordinator = project_coordinator(partner.project)
    for item in (steps[1], agreement):
        services.save_checklist_item(partner.project, by=coordinator, values={"is_active": False}, item=item)
    services.confirm_item(partner, steps[0], by=member)
    assert reminders.send_onboarding_reminders(deadline - 13 * DAY) == 0


def test_the_hourly_task_sends_both_kinds(waiting_city, onboarding):
    from partners.tasks import send_partner_reminders

    application, *_ = waiting_city
    partner, *_ = onboarding
    assert send_partner_reminders() == 0  # ten and twenty days ahead: neither is due
    application.call.reply_deadline = timezone.now() + 5 * DAY
    application.call.save()
    PartnershipSettings.objects.filter(project=partner.project).update(
        onboarding_deadline=timezone.now() + 10 * DAY
    )
    assert send_partner_reminders() == 3  # two members of the selected city, one partner member
    assert send_partner_reminders() == 3  # counted again, but nothing is sent twice
    assert reply_reminders().count() == 2 and onboarding_reminders().count() == 1
