"""How the portal writes what it shows everywhere the same way: links, scores, countries, dates.

Pages (through template filters), emails, PDFs and exports all call these. Numbers are
written as the reader writes them (72,50 in French); files for machines (CSV, XLSX) keep
their own plain numbers. Part of the portal's base: imports no app.
"""

import datetime as dt
import unicodedata
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language
from django_countries import countries

MISSING = "—"


def absolute_url(name_or_path, *args):
    """The full address of a URL name (with its ``args``) or of a path, on the portal's site.

    Emails and PDFs carry links that must work outside the browser session that made them.
    """
    path = name_or_path if name_or_path.startswith("/") else reverse(name_or_path, args=args)
    return settings.SITE_URL.rstrip("/") + path


def in_reader_numbers(text):
    """A number written with a decimal point, with the reader's separator (72,50 in French)."""
    separator = get_format("DECIMAL_SEPARATOR")
    return text.replace(".", separator) if separator != "." else text


def score(value, *, missing=MISSING):
    """A score on the scale or a weight without trailing zeros: 3.5, 4, 72.25."""
    if value is None or value == "":
        return missing
    return in_reader_numbers(f"{Decimal(value).normalize():f}")


def points(value, *, missing=MISSING):
    """A total out of 100, always with two decimals: 72.50."""
    if value is None or value == "":
        return missing
    return in_reader_numbers(f"{Decimal(value):.2f}")


def signed_points(value, *, missing=MISSING):
    """Points above (+) or below (−) a reference, two decimals."""
    if value is None or value == "":
        return missing
    value = Decimal(value)
    text = f"+{value:.2f}" if value > 0 else f"−{-value:.2f}" if value < 0 else "0.00"
    return in_reader_numbers(text)


def country_name(code):
    """The country's name in the active language, from its ISO code."""
    return str(countries.name(code) or code) if code else ""


def country_names(codes):
    """``[(code, name)]`` in the active language, sorted as a reader of that language expects."""
    named = [(code, country_name(code)) for code in codes]
    return sorted(named, key=lambda pair: _sort_key(pair[1]))


def colon(label):
    """A label and its colon as the active language writes them (French puts a space before)."""
    return f"{label}\u00a0:" if (get_language() or "").startswith("fr") else f"{label}:"


def _sort_key(text):
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()


# One way to write a date and a moment, in every page, email, PDF and export a person reads:
# the day in full ("29 December 2026", "29 décembre 2026"), then the 24-hour time and the
# time zone's abbreviation. Month names follow the active language.
DAY_FORMAT = "j F Y"
TIME_FORMAT = "H:i"


def _zone(zone):
    """``zone`` as a tzinfo: a call (or anything with ``tzinfo``), a zone name, or the active zone."""
    if zone is None or zone == "":
        return timezone.get_current_timezone()
    if isinstance(zone, str):
        return zoneinfo.ZoneInfo(zone)
    return getattr(zone, "tzinfo", zone)


def _local(moment, zone):
    if timezone.is_naive(moment):
        return moment
    return timezone.localtime(moment, _zone(zone))


def day(value, zone=None, *, missing=""):
    """The day of a date, or of a moment in ``zone``: "29 December 2026"."""
    if not value:
        return missing
    if isinstance(value, dt.datetime):
        value = _local(value, zone).date()
    return date_format(value, DAY_FORMAT)


def when(moment, zone=None, *, missing=""):
    """A moment in ``zone`` (a call, a zone name, or the active zone): "29 December 2026, 17:00 CET".

    The zone's abbreviation comes from Python's ``tzname`` on the converted time, which tells
    CEST from CET in the hour repeated when clocks go back (Django's ``date:"T"`` does not).
    """
    if not moment:
        return missing
    if not isinstance(moment, dt.datetime):
        return day(moment, missing=missing)
    local = _local(moment, zone)
    text = f"{date_format(local, DAY_FORMAT)}, {date_format(local, TIME_FORMAT)}"
    return f"{text} {local.tzname()}" if local.tzinfo else text


def clock(moment, zone=None):
    """The time of day alone, for what happened moments ago ("Draft saved at 17:03")."""
    return date_format(_local(moment, zone), TIME_FORMAT) if moment else ""


def day_short(value, zone=None):
    """A day in a short list of days of the same year (the columns of a sign-in sheet): "4 Mar"."""
    if isinstance(value, dt.datetime):
        value = _local(value, zone).date()
    return date_format(value, "j M") if value else ""


def month(value):
    """The month of a date, for spans of months (a project's duration): "March 2027"."""
    return date_format(value, "F Y") if value else ""


def day_range(first, last):
    """Two days as one span: "4 March 2027" when they are the same, else "4 March 2027 – 6 March 2027"."""
    if first == last:
        return day(first)
    return f"{day(first)} – {day(last)}"
