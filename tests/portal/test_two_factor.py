"""Staff log in with a password and a code from an authenticator app; the admin logs in
through the same page; applicants may turn two-factor authentication on."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from intake import services
from portal import roles
from portal.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.utils import TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db

STAFF_KINDS = {
    "evaluator": {"role": roles.EVALUATOR},
    "coordinator": {"role": roles.COORDINATOR},
    "staff": {"is_staff": True},
    "administrator": {"is_staff": True, "is_superuser": True},
}
SET_UP = "/accounts/2fa/totp/activate/"
TOO_MANY = "Too many failed login attempts"


def log_in_with_password(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def next_code(secret=TOTP_SECRET):
    """The code of the next 30 s, accepted now too (one step of tolerance): never the one
    an earlier step of the same test may have used."""
    return totp_code(secret, at=time.time() + 30)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


# --- Staff must set it up ------------------------------------------------------------------


@pytest.mark.parametrize("kind", STAFF_KINDS)
def test_staff_without_an_authenticator_are_sent_to_set_one_up_from_every_page(client, kind):
    user = UserFactory(verified=True, totp=False, **STAFF_KINDS[kind])
    client.force_login(user)
    for url in [
        "/",
        reverse("portal:dashboard"),
        reverse("reviews:coordinator_home"),
        reverse("reviews:evaluator_home"),
        reverse("notifications:outbox"),
        reverse("admin:index"),
        reverse("account_change_password"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == SET_UP, url


def test_a_change_posted_before_the_set_up_is_not_made(client):
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True, totp=False)
    victim = UserFactory(email="officer@example.org")
    client.force_login(admin)
    response = client.post(
        reverse("admin:portal_user_change", args=[victim.pk]),
        {"email": "officer@example.org", "full_name": "Changed", "is_staff": "on", "language": "en"},
    )
    assert response.url == SET_UP
    victim.refresh_from_db()
    assert not victim.is_staff


def test_the_set_up_logout_language_and_static_files_stay_reachable(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True, totp=False)
    client.force_login(user)
    # The set-up first asks for the password again (the session is not a fresh login).
    page = client.get(SET_UP, follow=True)
    assert page.status_code == 200
    assert page.wsgi_request.path in (SET_UP, reverse("account_reauthenticate"))
    assert client.get("/static/css/portal.css").status_code == 200
    switch = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert switch.status_code == 302 and switch.url == "/"
    client.post(reverse("account_logout"))
    assert logged_in_user_id(client) is None


def test_applicants_are_not_asked_to_set_it_up(client):
    client.force_login(UserFactory(role=roles.APPLICANT, verified=True))
    assert client.get(reverse("intake:dashboard")).status_code == 200


def test_a_new_coordinator_sets_up_the_app_then_reaches_their_pages(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True, totp=False)
    first = log_in_with_password(client, user.email)
    assert client.get(first.url).url == SET_UP
    reauthenticate = client.get(SET_UP)
    client.post(reauthenticate.url, {"password": DEFAULT_PASSWORD})
    page = client.get(SET_UP)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert "otpauth://totp/" in page.context["totp_url"]
    assert "issuer=Call%20portal" in page.context["totp_url"]

    wrong = client.post(SET_UP, {"code": "000000"})
    assert "Incorrect code." in wrong.text
    assert not Authenticator.objects.filter(user=user).exists()

    done = client.post(SET_UP, {"code": totp_code(secret)})
    assert done.url == reverse("mfa_view_recovery_codes")
    codes = client.get(done.url)
    assert len(codes.context["unused_codes"]) == 10
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get(reverse("reviews:coordinator_home")).status_code == 200


def test_accepting_a_staff_invitation_leads_to_setting_up_the_app(client):
    invitation = services.invite_staff("expert@example.org", roles.EVALUATOR)
    user = UserFactory(email="expert@example.org", verified=True)
    client.force_login(user)
    assert client.get(reverse("intake:dashboard")).status_code == 200  # an applicant so far
    client.post(reverse("intake:invitation_accept", args=[invitation.token]))
    assert client.get(reverse("reviews:evaluator_home")).url == SET_UP


def test_removing_the_authenticator_sends_staff_back_to_the_set_up(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    log_in_with_password(client, user.email)
    enter_code(client, next_code())
    assert client.get(reverse("reviews:coordinator_home")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("reviews:coordinator_home")).url == SET_UP


# --- Logging in with a code ----------------------------------------------------------------


def test_a_password_alone_does_not_log_staff_in(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    response = log_in_with_password(client, user.email)
    assert response.url == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert client.get(reverse("reviews:coordinator_home")).status_code == 302


def test_staff_log_in_with_password_and_the_code_of_their_app(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    log_in_with_password(client, user.email)
    wrong = enter_code(client, "123456" if next_code() != "123456" else "654321")
    assert "Incorrect code." in wrong.text
    assert logged_in_user_id(client) is None
    right = enter_code(client, next_code())
    assert right.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)
    assert client.get(reverse("reviews:coordinator_home")).status_code == 200


def test_a_recovery_code_logs_in_once(client):
    user = UserFactory(role=roles.EVALUATOR, verified=True)
    code = RecoveryCodes.activate(user).generate_codes()[0]
    log_in_with_password(client, user.email)
    enter_code(client, code)
    assert logged_in_user_id(client) == str(user.pk)
    client.post(reverse("account_logout"))
    log_in_with_password(client, user.email)
    assert "Incorrect code." in enter_code(client, code).text
    assert logged_in_user_id(client) is None


def test_guessing_codes_is_limited(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    log_in_with_password(client, user.email)
    right = next_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        enter_code(client, wrong)
    refused = enter_code(client, right)
    assert TOO_MANY in refused.text
    assert logged_in_user_id(client) is None


# --- The admin -----------------------------------------------------------------------------


def test_the_admin_logs_in_through_the_portal_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/portal/user/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/portal/user/"
    final = client.get(reverse("admin:index"), follow=True)
    assert final.wsgi_request.path == reverse("account_login")


def test_the_admin_login_address_takes_no_password(client):
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True)
    response = client.post(reverse("admin:login"), {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) is None


def test_guessing_the_administrators_password_is_stopped(client):
    # The review's attack: 30 wrong passwords for the superuser, in a row.
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True, verified=True)
    refused = 0
    for attempt in range(30):
        response = log_in_with_password(client, admin.email, f"guess-{attempt}")
        refused += response.status_code == 429 or TOO_MANY in response.text
    assert refused >= 25
    # Even the right password is refused for now; and it would still need the code.
    assert log_in_with_password(client, admin.email).status_code != 302
    assert logged_in_user_id(client) is None


def test_an_administrator_reaches_the_admin_with_password_and_code(client):
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True)
    login_page = client.get(reverse("admin:index"), follow=True)
    response = client.post(
        login_page.wsgi_request.get_full_path(), {"login": admin.email, "password": DEFAULT_PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    done = enter_code(client, next_code())
    assert done.url == reverse("admin:index")
    assert client.get(done.url).status_code == 200


def test_a_person_without_admin_access_finds_no_admin(client):
    client.force_login(UserFactory(role=roles.APPLICANT, verified=True))
    assert client.get(reverse("admin:index"), follow=True).status_code == 404


# --- Applicants may turn it on -------------------------------------------------------------


def test_an_applicant_finds_two_factor_on_the_account_pages_and_may_turn_it_on(client):
    user = UserFactory(role=roles.APPLICANT, verified=True)
    log_in_with_password(client, user.email)
    for name in ("account_email", "account_change_password"):
        assert f'href="{reverse("mfa_index")}"' in client.get(reverse(name)).text, name
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    secret = client.get(SET_UP).context["form"].secret
    client.post(SET_UP, {"code": totp_code(secret)})
    client.post(reverse("account_logout"))

    assert log_in_with_password(client, user.email).url == reverse("mfa_authenticate")
    enter_code(client, totp_code(secret, at=time.time() + 30))
    assert logged_in_user_id(client) == str(User.objects.get(pk=user.pk).pk)


def test_the_admin_shows_who_has_an_authenticator_never_its_secret(client):
    person = UserFactory(full_name="Anna Evaluator", role=roles.EVALUATOR, verified=True)
    RecoveryCodes.activate(person)
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True)
    client.force_login(admin)
    for authenticator in Authenticator.objects.filter(user=person):
        page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
        assert page.status_code == 200
        assert "Anna Evaluator" in page.text
        secrets = [value for value in authenticator.data.values() if isinstance(value, str)]
        assert secrets  # the TOTP secret, the seed of the recovery codes
        for secret in secrets:
            assert secret not in page.text
    assert TOTP_SECRET not in client.get(reverse("admin:mfa_authenticator_changelist")).text


def test_an_administrator_deletes_a_lost_authenticator_and_the_person_sets_up_a_new_one(client):
    person = UserFactory(role=roles.EVALUATOR, verified=True)
    totp = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    client.force_login(UserFactory(is_staff=True, is_superuser=True, verified=True))
    client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    client.force_login(person)
    assert client.get(reverse("reviews:evaluator_home")).url == SET_UP
