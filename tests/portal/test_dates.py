"""One way to write dates: every page, email and PDF says "29 December 2026, 17:00 CET"."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from portal import formatting

DEADLINE = dt.datetime(2026, 12, 29, 16, 0, tzinfo=dt.UTC)  # 17:00 in Brussels (CET)
SUMMER = dt.datetime(2026, 6, 30, 15, 0, tzinfo=dt.UTC)  # 17:00 in Brussels (CEST)


@pytest.mark.parametrize(
    ("language", "moment", "zone", "expected"),
    [
        ("en", DEADLINE, "Europe/Brussels", "29 December 2026, 17:00 CET"),
        ("fr", DEADLINE, "Europe/Brussels", "29 décembre 2026, 17:00 CET"),
        ("en", SUMMER, "Europe/Brussels", "30 June 2026, 17:00 CEST"),
        ("fr", SUMMER, "Europe/Lisbon", "30 juin 2026, 16:00 WEST"),
    ],
)
def test_a_moment_is_written_with_its_day_time_and_zone(language, moment, zone, expected):
    with translation.override(language):
        assert formatting.when(moment, zone) == expected


def test_the_hour_repeated_when_clocks_go_back_is_told_apart():
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    second = first + dt.timedelta(hours=1)  # 02:30 CET
    assert formatting.when(first, "Europe/Brussels") == "25 October 2026, 02:30 CEST"
    assert formatting.when(second, "Europe/Brussels") == "25 October 2026, 02:30 CET"


def test_a_day_is_the_day_in_the_zone_not_in_utc():
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # already 1 January in Brussels
    with translation.override("fr"):
        assert formatting.day(late, "Europe/Brussels") == "1 janvier 2027"
        assert formatting.day(dt.date(2027, 3, 4)) == "4 mars 2027"
    assert formatting.day(None) == "" and formatting.when(None) == ""


def test_template_filters_write_the_same_as_the_python_functions():
    template = Template(
        "{% load formatting tz %}{{ at|when:zone }} | "
        "{% timezone zone %}{{ at|when }}{% endtimezone %} | {{ at|day:zone }}"
    )
    for language in ("en", "fr"):
        with translation.override(language):
            text = template.render(Context({"at": DEADLINE, "zone": "Europe/Brussels"}))
            when, inside, day = text.split(" | ")
            assert when == inside == formatting.when(DEADLINE, "Europe/Brussels")
            assert day == formatting.day(DEADLINE, "Europe/Brussels")


# ``|date`` stays for what machines read: ISO times in attributes, dates in URLs.
MACHINE_FORMATS = {"'c'", '"c"', "'Y-m-d'", '"Y-m-d"'}


def test_no_template_writes_a_date_for_people_with_the_date_filter():
    """New pages use ``|when`` and ``|day``; one more ``|date:"…"`` would bring a fourth format back."""
    found = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in re.finditer(r"\|(date|time|naturaltime|naturalday)\b(:(\S+?))?(?=[\s}%|])", line):
                if match.group(1) == "date" and match.group(3) in MACHINE_FORMATS:
                    continue
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {match.group(0)}")
            if re.search(r"\{\{ [\w.]+\.(\w+_at|\w+_on|at) \}\}", line):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: a date without a formatter")
    assert found == []
