"""Render an application's current decision letter to a file, at once, without issuing it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews import letters
from reviews.models import Decision


class Command(BaseCommand):
    help = "Render the decision letter of the application REFERENCE to a PDF file, for checking a template."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The application's reference, e.g. PS2-2026-0007.")
        parser.add_argument("--output", "-o", required=True, help="Where to write the PDF.")
        parser.add_argument("--language", choices=["en", "fr"], help="Defaults to the applicant's language.")

    def handle(self, reference, output, language=None, **options):
        decision = (
            Decision.objects.select_related(
                "application__call", "application__organisation", "application__submitted_by"
            )
            .filter(application__reference=reference)
            .first()
        )
        if decision is None:
            raise CommandError(f"No decision for an application with the reference {reference!r}.")
        issued = letters.current_letter(decision.application)
        code = issued.display_code if issued else "SPECIMEN"
        content = letters.render_letter(decision, language=language, verification_code=code)
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote {len(content)} bytes to {output}")
