"""Accounts: open sign-up, staff invitations, login limits and the account pages."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
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
        reverse("account_signup"),
        {"full_name": "Anne Martin", "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
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
    assert "Open it to confirm your address and start using your account." in page.text


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


# --- Sign-up tells nobody which addresses have an account ---------------------------------


def visible_text(response):
    """The page's main content, without its per-request tokens."""
    main = response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r'value="[A-Za-z0-9]{32,}"', 'value="TOKEN"', main)


def test_sign_up_with_a_registered_address_answers_as_for_a_new_one(django_capture_on_commit_callbacks):
    existing = UserFactory(email="mayor@example.org", language="fr", verified=True)
    someone, newcomer = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        existing_answer = sign_up(someone, "mayor@example.org")
        new_answer = sign_up(newcomer, "new.mayor@example.org")

    assert existing_answer.status_code == new_answer.status_code == 302
    assert existing_answer.url == new_answer.url
    existing_page = someone.get(existing_answer.url)
    new_page = newcomer.get(new_answer.url)
    assert "We have sent a confirmation link to mayor@example.org" in existing_page.text
    assert visible_text(existing_page).replace("mayor@example.org", "EMAIL") == visible_text(
        new_page
    ).replace("new.mayor@example.org", "EMAIL")
    assert "already" not in existing_page.text

    # No second account; the owner of the address is told by email, through the outbox.
    assert User.objects.filter(email__iexact="mayor@example.org").count() == 1
    message = Message.objects.get(to_email="mayor@example.org")
    assert message.kind == "account.account_already_exists"
    assert message.recipient == existing
    assert message.language == "fr"
    assert message.carries_secret
    assert message.status == "sent"


def test_a_new_account_is_used_once_its_address_is_confirmed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "mayor@example.org")
    assert response.url == reverse("account_email_verification_sent")
    assert client.session.get("_auth_user_id") is None
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/confirm-email/" in word)
    confirm = client.get(link)
    client.post(confirm.wsgi_request.path)
    assert client.session.get("_auth_user_id") == str(User.objects.get(email="mayor@example.org").pk)


# --- Email addresses the database would cut short are refused -----------------------------

TOO_LONG = "a" * 280 + "@example.org"  # 292 characters
TOO_LONG_MESSAGE = "An email address has at most 254 characters; this one has 292."


def test_sign_up_refuses_an_address_too_long_to_keep(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "Anne Martin", "email": TOO_LONG, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert TOO_LONG_MESSAGE in response.text
    assert f'value="{TOO_LONG}"' in response.text  # what was typed is kept, to correct it
    assert not User.objects.exists()
    assert not Message.objects.exists()


def test_adding_an_address_too_long_to_keep_is_refused(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": TOO_LONG})
    assert TOO_LONG_MESSAGE in response.text
    assert list(user.emailaddress_set.values_list("email", flat=True)) == [user.email]
    assert not Message.objects.exists()


def test_inviting_a_colleague_at_an_address_too_long_to_keep_is_refused(client):
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("intake:organisation_invite", args=[membership.organisation.pk]), {"email": TOO_LONG}
    )
    assert TOO_LONG_MESSAGE in response.text
    assert not Invitation.objects.exists()
    assert not Message.objects.exists()


def test_invite_staff_refuses_an_address_too_long_to_keep():
    with pytest.raises(CommandError, match="at most 254 characters"):
        call_command("invite_staff", TOO_LONG, "--role", "evaluator")
    assert not Invitation.objects.exists()


def test_sign_up_asks_the_name_letters_will_use_and_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {"full_name": "  ", "email": "anne@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="anne@example.org"' in response.content.decode()
    assert not User.objects.filter(email="anne@example.org").exists()


def test_sign_up_keeps_the_name(client):
    sign_up(client, "anne@example.org")

    assert User.objects.get(email="anne@example.org").full_name == "Anne Martin"


def test_a_person_changes_their_name_and_the_language_of_their_emails(client):
    user = UserFactory(full_name="", language="en")
    client.force_login(user)

    page = client.get(reverse("portal:profile"))
    assert page.status_code == 200
    response = client.post(reverse("portal:profile"), {"full_name": "Anne\u202e Martin", "language": "fr"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Anne Martin", "fr")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_the_profile_page_is_for_people_who_are_logged_in(client):
    response = client.get(reverse("portal:profile"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
