"""How the portal writes what it shows everywhere the same way: links, scores, countries.

Pages (through template filters), emails, PDFs and exports all call these. Part of the
portal's base: imports no app.
"""

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django_countries import countries

MISSING = "—"


def absolute_url(name_or_path, *args):
    """The full address of a URL name (with its ``args``) or of a path, on the portal's site.

    Emails and PDFs carry links that must work outside the browser session that made them.
    """
    path = name_or_path if name_or_path.startswith("/") else reverse(name_or_path, args=args)
    return settings.SITE_URL.rstrip("/") + path


def score(value, *, missing=MISSING):
    """A score on the scale or a weight without trailing zeros: 3.5, 4, 72.25."""
    if value is None or value == "":
        return missing
    return f"{Decimal(value).normalize():f}"


def points(value, *, missing=MISSING):
    """A total out of 100, always with two decimals: 72.50."""
    if value is None or value == "":
        return missing
    return f"{Decimal(value):.2f}"


def signed_points(value, *, missing=MISSING):
    """Points above (+) or below (−) a reference, two decimals."""
    if value is None or value == "":
        return missing
    value = Decimal(value)
    return f"+{value:.2f}" if value > 0 else f"−{-value:.2f}" if value < 0 else "0.00"


def country_name(code):
    """The country's name in the active language, from its ISO code."""
    return str(countries.name(code) or code) if code else ""


def country_names(codes):
    """``[(code, name)]`` in the active language, sorted as a reader of that language expects."""
    named = [(code, country_name(code)) for code in codes]
    return sorted(named, key=lambda pair: _sort_key(pair[1]))


def _sort_key(text):
    return unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
