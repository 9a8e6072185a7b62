"""Accounts: open sign-up, staff invitations, login limits and the account pages."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from intake import services
from intake.models import Invitation
from notifications.models import Message
from portal import roles
from portal.models import User
from tests.factories import DEFAULT_PASSWORD, CallFactory, UserFactory
from tests.utils import invitation_token_in

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-secret-99"


def sign_up(client, email, **extra):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    )


def test_open_sign_up_gives_the_applicant_role_only(client):
    sign_up(client, "mayor@example.org")
    user = User.objects.get(email="mayor@example.org")
    assert set(user.groups.values_list("name", flat=True)) == {roles.APPLICANT}
    assert not user.is_staff
    assert not user.is_superuser


def test_sign_up_cannot_smuggle_a_staff_role(client):
    sign_up(client, "sneaky@example.org", role="coordinator", groups="coordinator", is_staff="on")
    user = User.objects.get(email="sneaky@example.org")
    assert roles.role_names(user) == {roles.APPLICANT}
    assert not user.is_staff


def test_after_sign_up_the_applicant_is_told_to_confirm_the_address(client):
    sign_up(client, "mayor@example.org")
    # The next page shows the notice, whichever page it is.
    page = client.get(reverse("intake:call_list"))
    assert "We have sent a confirmation link to mayor@example.org" in page.text
    assert "you need a confirmed address to submit an application" in page.text


def test_sign_up_keeps_the_language_it_was_made_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    sign_up(client, "maire@example.org")
    assert User.objects.get(email="maire@example.org").language == "fr"


def test_account_pages_use_the_portal_layout(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'class="navbar-brand' in response.text, name
        assert "csp-nonce" not in response.text


def test_password_reset_page_sends_a_link(client):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert "Check your inbox" in client.get(response.url).text


def test_login_rate_limit_is_configured():
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login_failed"]
    assert limits["signup"]


def test_repeated_failed_logins_are_eventually_refused(client):
    user = UserFactory()
    for _ in range(10):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong password"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code in (200, 429)
    assert not response.wsgi_request.user.is_authenticated


# --- Staff invitations --------------------------------------------------------------------


def test_invite_staff_command_queues_an_invitation(capsys):
    call_command("invite_staff", "expert@example.org", "--role", "evaluator")
    invitation = Invitation.objects.get()
    assert invitation.role == roles.EVALUATOR
    assert invitation.organisation is None
    message = Message.objects.get(kind="staff_invitation")
    assert message.to_email == "expert@example.org"
    assert invitation_token_in(message.body_text) in capsys.readouterr().out


def test_invite_staff_refuses_an_unknown_role_or_call():
    with pytest.raises(CommandError):
        call_command("invite_staff", "expert@example.org", "--role", "applicant")
    with pytest.raises(CommandError):
        call_command("invite_staff", "expert@example.org", "--role", "evaluator", "--call", "no-such-call")
    assert not Invitation.objects.exists()


def test_accepting_a_staff_invitation_grants_the_role(client):
    call_command("invite_staff", "expert@example.org", "--role", "evaluator")
    token = invitation_token_in(Message.objects.get(kind="staff_invitation").body_text)
    client.get(reverse("intake:invitation_accept", args=[token]))  # the link in the email
    sign_up(client, "expert@example.org")
    client.post(reverse("intake:invitation_accept", args=[token]))
    user = User.objects.get(email="expert@example.org")
    assert roles.EVALUATOR in roles.role_names(user)


def test_coordinator_invited_for_a_call_coordinates_it(client):
    call = CallFactory()
    call_command("invite_staff", "officer@example.org", "--role", "coordinator", "--call", call.slug)
    token = invitation_token_in(Message.objects.get(kind="staff_invitation").body_text)
    user = UserFactory(email="officer@example.org")
    client.force_login(user)
    client.post(reverse("intake:invitation_accept", args=[token]))
    assert roles.COORDINATOR in set(user.groups.values_list("name", flat=True))
    assert call.coordinators.filter(pk=user.pk).exists()


def test_staff_invitation_accepted_by_another_account_grants_nothing(client):
    invitation = services.invite_staff("expert@example.org", roles.COORDINATOR)
    intruder = UserFactory(email="intruder@example.org", role=roles.APPLICANT)
    client.force_login(intruder)
    response = client.post(reverse("intake:invitation_accept", args=[invitation.token]))
    assert "This invitation was sent to expert@example.org" in response.text
    assert roles.COORDINATOR not in set(intruder.groups.values_list("name", flat=True))


def test_reinviting_staff_renews_rather_than_duplicates():
    services.invite_staff("expert@example.org", roles.EVALUATOR)
    services.invite_staff("expert@example.org", roles.EVALUATOR)
    assert Invitation.objects.count() == 1


def test_staff_invitation_can_be_written_in_french():
    call_command("invite_staff", "experte@example.org", "--role", "evaluator", "--language", "fr")
    message = Message.objects.get(kind="staff_invitation")
    assert message.language == "fr"
    assert "évaluateur" in message.body_text
