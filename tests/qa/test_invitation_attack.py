"""The outbox escalation, replayed: a coordinator of one call tries to take over another.

The attack: read an invitation email of another call in the outbox, follow its link while
logged out, sign up with the invited address and accept, becoming coordinator of that call
(or a member of a city, or an evaluator). Every step must fail.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from intake import services
from intake.models import Invitation
from notifications.models import Message
from portal import roles
from portal.models import User
from tests.factories import MembershipFactory, UserFactory
from tests.factories.reviews import ClosedCallFactory, coordinator_of
from tests.utils import invitation_token_in

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-secret-99"


@pytest.fixture
def invitations(django_capture_on_commit_callbacks):
    roles.ensure_groups()
    target_call, own_call = ClosedCallFactory(), ClosedCallFactory()
    attacker = coordinator_of(own_call, verified=True)
    city = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator = services.invite_staff("new.officer@example.org", roles.COORDINATOR, call=target_call)
        evaluator = services.invite_staff("new.expert@example.org", roles.EVALUATOR, call=target_call)
        colleague = services.invite_to_organisation(
            city.organisation, "new.colleague@example.org", by=city.user
        )
    emails = {email.to[0]: email for email in mail.outbox}
    return {
        "attacker": attacker,
        "target_call": target_call,
        "invitations": [coordinator, evaluator, colleague],
        "links": {
            invitation.pk: invitation_token_in(emails[invitation.email].body)
            for invitation in (coordinator, evaluator, colleague)
        },
    }


def accept_url(token):
    return reverse("intake:invitation_accept", args=[token])


def test_the_outbox_shows_a_coordinator_no_invitation_of_another_call(client, invitations):
    client.force_login(invitations["attacker"])
    outbox = client.get(reverse("notifications:outbox")).text
    for message in Message.objects.filter(kind__in=["staff_invitation", "organisation_invitation"]):
        assert message.to_email not in outbox
        for name in ("message_detail", "message_html"):
            assert client.get(reverse(f"notifications:{name}", args=[message.pk])).status_code == 404
        assert client.post(reverse("notifications:message_resend", args=[message.pk])).status_code == 404


def test_no_stored_copy_of_an_invitation_holds_its_link(client, invitations):
    tokens = invitations["links"].values()
    for message in Message.objects.all():
        stored = message.body_text + message.body_html + message.idempotency_key
        assert "/invitations/" not in stored
        assert not any(token in stored for token in tokens)
    for invitation in Invitation.objects.all():
        assert invitation.token_hash not in tokens
        # The digest kept in the database is not a link that works.
        assert client.get(accept_url(invitation.token_hash)).status_code == 404


def test_an_administrator_sees_that_a_link_was_sent_never_the_link(client, invitations):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    tokens = list(invitations["links"].values())
    for message in Message.objects.filter(kind__in=["staff_invitation", "organisation_invitation"]):
        detail = client.get(reverse("notifications:message_detail", args=[message.pk]))
        assert detail.status_code == 200
        assert "personal link" in detail.text
        assert client.get(reverse("notifications:message_html", args=[message.pk])).status_code == 404
        admin_page = client.get(reverse("admin:notifications_message_change", args=[message.pk])).text
        for page in (detail.text, admin_page):
            assert "/invitations/" not in page
            assert not any(token in page for token in tokens)


def test_a_guessed_or_stale_link_opens_nothing(client, invitations):
    for guess in ("0" * 43, invitations["invitations"][0].token_hash[:43], "%2e%2e"):
        assert client.get(accept_url(guess)).status_code == 404


def test_signing_up_with_the_invited_address_without_the_link_grants_nothing(client, invitations):
    # The attacker signs up with the invited address; no link, no role and no call.
    client.post(
        reverse("account_signup"),
        {
            "full_name": "New Officer",
            "email": "new.officer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    user = User.objects.get(email="new.officer@example.org")
    assert roles.COORDINATOR not in roles.role_names(user)
    assert not invitations["target_call"].coordinators.filter(pk=user.pk).exists()


def test_a_link_works_once_for_the_invited_address_only(client, invitations):
    coordinator_invitation = invitations["invitations"][0]
    token = invitations["links"][coordinator_invitation.pk]

    # Someone else, logged in, who got hold of the link: refused.
    client.force_login(invitations["attacker"])
    client.post(accept_url(token))
    assert not invitations["target_call"].coordinators.filter(pk=invitations["attacker"].pk).exists()

    # The invited person: accepted, once.
    invited = UserFactory(email="new.officer@example.org", verified=True, totp=True)
    client.force_login(invited)
    client.post(accept_url(token))
    assert invitations["target_call"].coordinators.filter(pk=invited.pk).exists()
    again = client.post(accept_url(token))
    assert "already been used" in again.text


def test_sending_again_replaces_the_link(client, invitations, django_capture_on_commit_callbacks):
    coordinator_invitation = invitations["invitations"][0]
    old_token = invitations["links"][coordinator_invitation.pk]
    Invitation.objects.filter(pk=coordinator_invitation.pk).update(
        sent_at=coordinator_invitation.sent_at - dt.timedelta(minutes=5)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_staff("new.officer@example.org", roles.COORDINATOR, call=invitations["target_call"])
    new_token = invitation_token_in(mail.outbox[0].body)
    assert new_token != old_token
    assert client.get(accept_url(old_token)).status_code == 404
    assert client.get(accept_url(new_token)).status_code == 200


def test_an_expired_link_is_refused(client, invitations):
    coordinator_invitation = invitations["invitations"][0]
    Invitation.objects.filter(pk=coordinator_invitation.pk).update(
        expires_at=coordinator_invitation.created_at - dt.timedelta(seconds=1)
    )
    invited = UserFactory(email="new.officer@example.org", verified=True, totp=True)
    client.force_login(invited)
    response = client.post(accept_url(invitations["links"][coordinator_invitation.pk]))
    assert "expired" in response.text
    assert not invitations["target_call"].coordinators.filter(pk=invited.pk).exists()
