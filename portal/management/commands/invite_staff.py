"""Invite an evaluator or a coordinator: staff accounts exist only by invitation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from intake import services
from intake.models import Call
from portal import roles
from portal.validators import validate_email_length


class Command(BaseCommand):
    help = "Email an invitation that grants the evaluator or coordinator role when accepted."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=[roles.EVALUATOR, roles.COORDINATOR])
        parser.add_argument("--call", metavar="SLUG", help="The call the person will work on.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the invitation email.",
        )

    def handle(self, *args, email, role, call=None, language=None, **options):

        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not an email address: {email}") from error
        try:
            validate_email_length(email)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        call_obj = None
        if call:
            call_obj = Call.objects.filter(slug=call).first()
            if call_obj is None:
                raise CommandError(f"No call with the slug {call!r}.")
        with transaction.atomic():
            invitation = services.invite_staff(email, role, call=call_obj, language=language)
        if not hasattr(invitation, "token"):
            self.stdout.write(f"An invitation was sent to {invitation.email} less than a minute ago.")
            return
        self.stdout.write(self.style.SUCCESS(f"Invitation sent to {invitation.email} ({role})."))
        self.stdout.write(services.invitation_url(invitation))
