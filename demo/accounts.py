"""Demo accounts: made once with the published password and a confirmed address."""

import functools

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from demo.data.finished import EXPERT_TOTP_SECRETS
from demo.data.people import (
    COORDINATOR_EMAIL,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRETS,
    EVALUATOR_EMAILS,
)
from portal import roles
from portal.models import User

# Letters that Unicode does not decompose into an ASCII base letter.
ASCII_FALLBACK = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "ø": "o", "æ": "ae"})


def ascii_slug(name):
    """``Gdańsk`` -> ``gdansk``, ``Kordelió-Évosmos`` -> ``kordelio-evosmos``."""
    return slugify(name.translate(ASCII_FALLBACK))


def applicant_email(city):
    return f"applicant.{ascii_slug(city)}@{DEMO_DOMAIN}"


@functools.cache
def demo_password_hash():
    # Hashed once: forty-odd demo accounts share one password, and hashing is slow on purpose.
    return make_password(DEMO_PASSWORD)


def ensure_user(email, full_name, *, role, language="en", result=None, totp_secret=None):
    """A demo person with a verified email address and ``role``; the password is set once,
    and so is the authenticator made from ``totp_secret`` (an account that has one keeps it)."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "language": language}
    )
    if created:
        user.password = demo_password_hash()
        user.save(update_fields=["password"])
        if result:
            result.count("users")
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    roles.grant(user, role)
    if totp_secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret)
        RecoveryCodes.activate(user)
    return user


def demo_totp_secrets():
    """Every demo staff account's authenticator secret, by email address."""
    return {**DEMO_TOTP_SECRETS, **EXPERT_TOTP_SECRETS}


def logins():
    """(role, email) lines to print after seeding."""
    return [
        ("coordinator", COORDINATOR_EMAIL),
        *(("evaluator", email) for email in EVALUATOR_EMAILS),
        ("applicant", applicant_email("Bologna")),
        ("applicant", applicant_email("Gdańsk") + "  (and applicant.<city>@demo.example)"),
    ]
