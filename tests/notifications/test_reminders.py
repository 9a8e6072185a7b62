"""Reminders: before the deadline, once each, never to a submitted application or a closed call."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from intake import reminders
from intake.models import Status
from notifications.models import Message
from reviews import reminders as review_reminders
from reviews.models import AssignmentStatus, ReviewSettings, ReviewStatus
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory
from tests.factories.reviews import (
    AssignmentFactory,
    EvaluatorUserFactory,
    InReviewApplicationFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db


def draft(call, **fields):
    application = ApplicationFactory(call=call, **fields)
    member = MembershipFactory(organisation=application.organisation).user
    return application, member


def test_drafts_are_reminded_a_week_then_a_day_before_the_deadline_once_each():
    now = timezone.now()
    call = CallFactory(closes_at=now + dt.timedelta(days=6, hours=20))
    application, member = draft(call)

    assert reminders.send_deadline_reminders(now) == 1
    reminders.send_deadline_reminders(now + dt.timedelta(hours=2))
    reminders.send_deadline_reminders(now + dt.timedelta(days=6, hours=1))
    reminders.send_deadline_reminders(now + dt.timedelta(days=6, hours=3))

    keys = sorted(Message.objects.values_list("idempotency_key", flat=True))
    assert keys == [
        f"application:{application.pk}:reminder:1d:{member.pk}",
        f"application:{application.pk}:reminder:7d:{member.pk}",
    ]
    assert all(message.to_email == member.email for message in Message.objects.all())


def test_no_reminder_before_the_week_window():
    now = timezone.now()
    call = CallFactory(closes_at=now + dt.timedelta(days=9))
    draft(call)

    assert reminders.send_deadline_reminders(now) == 0


def test_a_late_draft_gets_only_the_closest_reminder():
    now = timezone.now()
    call = CallFactory(closes_at=now + dt.timedelta(hours=10))
    application, member = draft(call)

    reminders.send_deadline_reminders(now)

    assert list(Message.objects.values_list("idempotency_key", flat=True)) == [
        f"application:{application.pk}:reminder:1d:{member.pk}"
    ]


def test_submitted_applications_and_closed_calls_get_no_reminder():
    now = timezone.now()
    open_call = CallFactory(closes_at=now + dt.timedelta(days=1))
    draft(open_call, status=Status.SUBMITTED, reference="PS2-2026-0001", number=1)
    draft(open_call, status=Status.WITHDRAWN)
    closed_call = CallFactory(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(hours=1))
    draft(closed_call)

    assert reminders.send_deadline_reminders(now) == 0
    assert mail.outbox == []


def test_reminder_is_written_in_the_members_language(django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(closes_at=now + dt.timedelta(hours=20), title_fr="Appel PACTESUR")
    _application, member = draft(call, organisation__name="<b>Lyon</b>")
    member.language = "fr"
    member.save()

    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_deadline_reminders(now)

    message = Message.objects.get()
    assert message.language == "fr"
    assert message.subject.startswith("Dernier jour")
    assert "« Appel PACTESUR »" in message.subject
    assert "<b>Lyon</b>" not in message.body_html
    assert "&lt;b&gt;Lyon&lt;/b&gt;" in message.body_html
    assert len(mail.outbox) == 1


def test_evaluators_with_open_reviews_are_reminded_three_days_before_the_review_deadline():
    now = timezone.now()
    application = InReviewApplicationFactory()
    call = application.call
    ReviewSettings.objects.create(call=call, review_deadline=now + dt.timedelta(days=2, hours=12))
    late = EvaluatorUserFactory()
    done = EvaluatorUserFactory()
    declined = EvaluatorUserFactory()
    AssignmentFactory(application=application, evaluator=late)
    finished = AssignmentFactory(application=application, evaluator=done, status=AssignmentStatus.DONE)
    ReviewFactory(assignment=finished, status=ReviewStatus.SUBMITTED, submitted_at=now)
    AssignmentFactory(application=application, evaluator=declined, status=AssignmentStatus.DECLINED)

    assert review_reminders.send_review_reminders(now) == 1
    review_reminders.send_review_reminders(now + dt.timedelta(hours=1))

    message = Message.objects.get()
    assert message.to_email == late.email
    assert message.kind == "review_reminder"


def test_no_review_reminder_outside_the_window_or_after_the_deadline():
    now = timezone.now()
    early = InReviewApplicationFactory()
    ReviewSettings.objects.create(call=early.call, review_deadline=now + dt.timedelta(days=5))
    AssignmentFactory(application=early, evaluator=EvaluatorUserFactory())
    past = InReviewApplicationFactory()
    ReviewSettings.objects.create(call=past.call, review_deadline=now - dt.timedelta(hours=1))
    AssignmentFactory(application=past, evaluator=EvaluatorUserFactory())

    assert review_reminders.send_review_reminders(now) == 0
