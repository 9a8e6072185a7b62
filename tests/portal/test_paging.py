"""Keyset pages: the rows after or before a cursor, whatever the values hold."""

import pytest
from django.http import QueryDict

from intake.models import Organisation
from portal.paging import keyset_page
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORDER = ["name", "id"]


def page(**params):
    query = QueryDict(mutable=True)
    query.update(params)
    return keyset_page(query, Organisation.objects.all(), ORDER, per_page=2)


def names(result):
    return [o.name for o in result]


def test_pages_walk_forward_and_back_through_names_with_the_cursors_separator():
    for name in ["Ath", "Bree~Nord", "Ciney", "Dour%20", "Eupen"]:
        OrganisationFactory(name=name)

    first = page()
    assert names(first) == ["Ath", "Bree~Nord"] and (first.start, first.end, first.total) == (1, 2, 5)
    second = page(after=first.next_cursor)
    assert names(second) == ["Ciney", "Dour%20"] and second.start == 3
    third = page(after=second.next_cursor)
    assert names(third) == ["Eupen"] and not third.has_next and third.has_previous
    assert names(page(before=third.previous_cursor)) == ["Ciney", "Dour%20"]
    back = page(before=second.previous_cursor)
    assert names(back) == ["Ath", "Bree~Nord"] and back.start == 1 and not back.has_previous
    last = page(last="1")
    assert names(last) == ["Eupen"] and last.start == 5


def test_a_cursor_of_another_ordering_or_made_up_gives_the_first_page():
    for name in ["Ath", "Bree", "Ciney"]:
        OrganisationFactory(name=name)

    for cursor in ["nonsense", "1~Ath", "x~Ath~1", "2~Ath~notanumber"]:
        assert names(page(after=cursor)) == ["Ath", "Bree"]


def test_an_empty_list_has_one_empty_page():
    result = page()
    assert result.rows == [] and result.total == 0 and not result.has_other_pages
