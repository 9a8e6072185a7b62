"""Emails the domain services send through the outbox, end to end in the test process."""

import pytest
from django.core import mail

from intake.services import withdraw_application
from notifications.models import Message
from tests.factories import ApplicationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_withdrawing_an_application_confirms_it_by_email(django_capture_on_commit_callbacks):
    application = ApplicationFactory(organisation__name='<a href="http://x.example">Click</a>')
    user = MembershipFactory(organisation=application.organisation).user

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_application(application, user)

    message = Message.objects.get(kind="withdrawal_confirmation")
    assert message.to_email == user.email
    assert message.idempotency_key == f"application:{application.pk}:withdrawn"
    assert '<a href="http://x.example">' not in message.body_html
    assert "&lt;a href=" in message.body_html
    assert len(mail.outbox) == 1
    assert "withdrawn" in mail.outbox[0].subject.lower()
