"""Reference numbers go on from those already given, and calls sharing a prefix share them."""

import pytest
from django.db import connection

from intake import numbering
from tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def prefix_in_use():
    first, second = CallFactory(reference_prefix="TRN"), CallFactory(reference_prefix="TRN")
    ApplicationFactory(call=first, number=7, reference="TRN-2026-0007")
    ApplicationFactory(call=CallFactory(reference_prefix="OTHER"), number=40, reference="OTHER-2026-0040")
    return first, second


def test_on_postgresql_numbers_come_from_a_sequence_that_goes_on_from_those_given(prefix_in_use):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL numbers from a sequence")
    assert [numbering.next_number("TRN") for _ in range(3)] == [8, 9, 10]
    assert numbering.next_number("OTHER") == 41


def test_on_sqlite_the_next_number_follows_the_largest_stored(prefix_in_use):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite numbers from what is stored")
    _first, second = prefix_in_use
    assert numbering.next_number("TRN") == 8
    ApplicationFactory(call=second, number=8, reference="TRN-2026-0008")
    assert numbering.next_number("TRN") == 9


def test_numbers_given_outside_the_sequence_are_skipped_not_repeated(prefix_in_use):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL numbers from a sequence")
    _first, second = prefix_in_use
    assert numbering.next_number("TRN") == 8
    # Applications loaded in bulk with their numbers, past the sequence.
    for number in (9, 10, 12):
        ApplicationFactory(call=second, number=number, reference=f"TRN-2026-{number:04d}")
    assert numbering.next_number("TRN") == 13
    assert numbering.next_number("TRN") == 14
