"""Numbers are written as the reader writes them: 72.50 in English, 72,50 in French."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal import formatting


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ("72.50", "3.5", "+1.25", "−0.50", "4")), ("fr", ("72,50", "3,5", "+1,25", "−0,50", "4"))],
)
def test_scores_and_points_use_the_readers_decimal_separator(language, expected):
    with translation.override(language):
        written = (
            formatting.points(Decimal("72.5")),
            formatting.score(Decimal("3.50")),
            formatting.signed_points(Decimal("1.25")),
            formatting.signed_points(Decimal("-0.5")),
            formatting.score(Decimal("4.0")),
        )
    assert written == expected


def test_a_missing_number_is_a_dash_in_every_language():
    with translation.override("fr"):
        assert formatting.points(None) == formatting.score("") == "—"
