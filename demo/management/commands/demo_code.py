"""``manage.py demo_code EMAIL``: the current two-factor code of a demo staff account.

Staff log in with a code from an authenticator app. The demo's staff accounts were set up
from published, fictitious secrets (``demo.data.people.DEMO_TOTP_SECRETS``), so that a newcomer
can log in without a phone; this prints the code those secrets give now. It refuses to run
in production, and for any account whose authenticator is not one of the demo's.
"""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import demo_totp_secrets
from portal.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (demo data only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="A demo staff account, e.g. coordinator@demo.example")

    def handle(self, *args, email, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_code works on the demo data only, never with PORTAL_PRODUCTION set.")
        email = email.strip().lower()
        secret = demo_totp_secrets().get(email)
        if secret is None:
            raise CommandError(f"{email} is not a demo staff account.")
        user = User.objects.filter(email__iexact=email).first()
        authenticator = (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first() if user else None
        )
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator: run `manage.py seed_demo` first.")
        if decrypt(authenticator.data["secret"]) != secret:
            raise CommandError(
                f"The authenticator of {email} is not the demo's: only its owner's app knows the code."
            )
        now = time.time()
        period = mfa_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(secret, int(now) // period))
        # A code is accepted during its own period and TOTP_TOLERANCE periods after it.
        seconds_left = period - int(now) % period + mfa_settings.TOTP_TOLERANCE * period
        self.stdout.write(code)
        self.stderr.write(f"(accepted for about {seconds_left} more seconds; a code logs in once)")
