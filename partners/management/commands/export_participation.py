"""``manage.py export_participation --project SLUG --format csv|xlsx [--output FILE]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake.models import Project
from partners import exports


class Command(BaseCommand):
    help = "Write a project's participation (every nomination, and the cities × activities matrix)."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's slug")
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with the slug {options['project']!r}.")
        content, _content_type, _filename = exports.export(project, options["format"])
        output = options.get("output")
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(f"Written {len(content):,} bytes to {output}.")
        elif options["format"] == "xlsx":
            raise CommandError("An XLSX file is binary: give --output FILE.")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
