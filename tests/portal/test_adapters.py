"""Account emails (address confirmation, password reset) go through the outbox."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from notifications.models import Message, MessageStatus
from portal import roles
from portal.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-secret-99"


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {"full_name": "Anne Martin", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signing_up_writes_the_confirmation_to_the_outbox_and_delivers_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "mayor@example.org")

    message = Message.objects.get(to_email="mayor@example.org")
    assert message.kind.startswith("account.")
    assert message.recipient == User.objects.get(email="mayor@example.org")
    assert message.status == MessageStatus.SENT
    # The link left with the email; the outbox keeps no copy of it.
    assert message.carries_secret
    assert "/accounts/confirm-email/" not in message.body_text
    [email] = mail.outbox
    assert email.to == ["mayor@example.org"]
    assert email.subject == message.subject
    assert "/accounts/confirm-email/" in email.body


def test_confirmation_is_written_in_the_language_of_sign_up(client, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "maire@example.org")

    message = Message.objects.get(to_email="maire@example.org")
    assert message.language == "fr"
    assert "Confirmez votre adresse" in message.subject


def test_each_password_reset_is_a_new_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="officer@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
        client.post(reverse("account_reset_password"), {"email": user.email})

    messages = Message.objects.filter(to_email=user.email)
    assert messages.count() == 2
    assert {m.kind for m in messages} == {"account.password_reset_key"}
    assert len({m.idempotency_key for m in messages}) == 2
    assert len(mail.outbox) == 2
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_staff_cannot_read_a_password_reset_link_in_the_outbox(client, django_capture_on_commit_callbacks):
    # A coordinator reading another person's reset link could take over that account.
    target = UserFactory(email="director@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": target.email})
    message = Message.objects.get(to_email=target.email)
    link_path = "/accounts/password/reset/key/"
    [email] = mail.outbox
    assert link_path in email.body
    assert link_path not in message.body_text + message.body_html

    # An account email belongs to no call: a coordinator does not find it at all.
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert client.get(reverse("notifications:message_detail", args=[message.pk])).status_code == 404
    assert client.get(reverse("notifications:message_html", args=[message.pk])).status_code == 404

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_page = client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    assert admin_page.status_code == 200
    assert link_path not in admin_page.text
