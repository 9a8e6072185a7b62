"""``manage.py demo_code`` says the demo staff's current code, and nothing else's."""

import io
import time

import pytest
from django.core.management import CommandError, call_command

from demo.accounts import ensure_user
from demo.data.people import COORDINATOR_EMAIL, DEMO_TOTP_SECRETS
from portal import roles
from tests.factories import UserFactory
from tests.utils import TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


def demo_code(email):
    output = io.StringIO()
    call_command("demo_code", email, stdout=output, stderr=io.StringIO())
    return output.getvalue().strip()


def demo_coordinator(secret=DEMO_TOTP_SECRETS[COORDINATOR_EMAIL]):
    return ensure_user(
        COORDINATOR_EMAIL, "Claire Demo (coordinator)", role=roles.COORDINATOR, totp_secret=secret
    )


def test_it_prints_the_code_the_demo_secret_gives_now():
    demo_coordinator()
    code = demo_code(COORDINATOR_EMAIL)
    secret = DEMO_TOTP_SECRETS[COORDINATOR_EMAIL]
    # The code of now, or of the next period when the clock turned meanwhile.
    assert code in {totp_code(secret), totp_code(secret, at=time.time() + 1)}


def test_it_refuses_to_run_in_production(settings):
    demo_coordinator()
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never with PORTAL_PRODUCTION"):
        demo_code(COORDINATOR_EMAIL)


def test_it_refuses_an_account_whose_authenticator_is_not_the_demos():
    # Someone set up their own app on the demo address: its code is theirs alone.
    demo_coordinator(secret=TOTP_SECRET)
    with pytest.raises(CommandError, match="not the demo's"):
        demo_code(COORDINATOR_EMAIL)


def test_it_refuses_any_other_account():
    staff = UserFactory(email="officer@example.org", role=roles.COORDINATOR)
    with pytest.raises(CommandError, match="not a demo staff account"):
        demo_code(staff.email)


def test_seeding_again_keeps_the_authenticator():
    user = demo_coordinator()
    before = list(user.authenticator_set.values_list("pk", "type", "data"))
    demo_coordinator()
    assert list(user.authenticator_set.values_list("pk", "type", "data")) == before
