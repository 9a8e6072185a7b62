"""Repeat a call's grey-zone lottery from its exported ranking (CSV) and the lottery number.

    python manage.py replay_lottery ranking.csv --seed 4812 --places 11 --max-per-country 1

Reads the rows marked "certain" and "grey zone" (English or French export), draws exactly
as the portal does (reviews/lottery.py) and prints the drawn cities. Needs no database.
"""

import csv

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from reviews import lottery, robustness
from reviews.exports import certainty_labels


def _vocabulary():
    """Each language's column names and certainty words, so either export can be read."""
    words = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels = certainty_labels()
            words.append(
                {
                    "reference": _("Reference"),
                    "city": _("City"),
                    "country": _("Country"),
                    "certainty": _("Certainty"),
                    robustness.CERTAIN: labels[robustness.CERTAIN],
                    robustness.GREY: labels[robustness.GREY],
                }
            )
    return words


def read_entries(handle):
    """(certain entries, grey-zone entries, names by reference) from an exported ranking."""
    reader = csv.reader(handle)
    header = next(reader, None)
    if not header:
        raise CommandError("The file is empty.")
    for words in _vocabulary():
        columns = {
            key: header.index(words[key])
            for key in ("reference", "country", "certainty")
            if words[key] in header
        }
        if len(columns) == 3:
            break
    else:
        raise CommandError(
            "This is not an exported ranking: the Reference, Country and Certainty columns are missing."
        )
    city = header.index(words["city"]) if words["city"] in header else None
    certain, grey, names = [], [], {}
    for row in reader:
        if len(row) <= max(columns.values()):
            continue
        reference, country, group = (row[columns[k]].strip() for k in ("reference", "country", "certainty"))
        names[reference] = row[city] if city is not None else ""
        if group == words[robustness.CERTAIN]:
            certain.append(lottery.Entry(reference, country))
        elif group == words[robustness.GREY]:
            grey.append(lottery.Entry(reference, country))
    return certain, grey, names


class Command(BaseCommand):
    help = "Repeat the grey-zone lottery from an exported ranking (CSV) and the lottery number."

    def add_arguments(self, parser):
        parser.add_argument("csv", help="the ranking exported by the portal (ranking.csv)")
        parser.add_argument("--seed", type=int, required=True, help="the announced lottery number")
        parser.add_argument("--places", type=int, required=True, help="the call's places")
        parser.add_argument("--max-per-country", type=int, default=1)
        parser.add_argument("--min-countries", type=int, default=0)

    def handle(self, *args, **options):
        try:
            with open(options["csv"], encoding="utf-8-sig", newline="") as handle:
                certain, grey, names = read_entries(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {options['csv']}: {error}") from None
        rules = lottery.LotteryRules(options["places"], options["max_per_country"], options["min_countries"])
        try:
            outcome = lottery.draw(certain, grey, rules, options["seed"])
        except lottery.LotteryError as error:
            raise CommandError(f"No draw: {error}") from None
        self.stdout.write(
            f"{len(certain)} certain, {len(grey)} in the grey zone; "
            f"{outcome.completions} sets keep the rules; "
            f"set number {outcome.number} drawn with {options['seed']}:"
        )
        for reference in outcome.drawn:
            self.stdout.write(f"{reference}\t{names.get(reference, '')}")
