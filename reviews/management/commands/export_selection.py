"""Export a call's ranking, reviews and decisions: CSV, XLSX or the PDF selection report."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intake.models import Call
from reviews import exports


class Command(BaseCommand):
    help = "Export the ranking, the reviews and the decisions of a call (csv, xlsx or pdf)."

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, help="The call's slug.")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"], dest="fmt")
        parser.add_argument("--output", required=True, help="The file to write ('-' for standard output).")
        parser.add_argument(
            "--table",
            choices=exports.TABLES,
            default="ranking",
            help="For CSV: which table (ranking, reviews or decisions). XLSX holds all three.",
        )
        parser.add_argument("--language", default="en", help="Language of the headings and the report.")

    def handle(self, *args, call, fmt, output, table, language, **options):
        try:
            the_call = Call.objects.get(slug=call)
        except Call.DoesNotExist:
            raise CommandError(f"No call with the slug {call!r}.") from None
        with translation.override(language):
            _name, _content_type, content = exports.export(the_call, fmt, table=table, language=language)
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        path = Path(output)
        path.write_bytes(content)
        self.stderr.write(f"Wrote {path} ({len(content)} bytes).")
