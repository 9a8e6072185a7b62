"""The public pages of the calls."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from intake.models import FaqEntry
from intake.views.public import time_left
from portal import roles
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def detail_url(call):
    return reverse("intake:call_detail", args=[call.slug])


def test_unpublished_call_is_not_found_by_the_public(client):
    call = CallFactory(is_published=False)
    assert client.get(detail_url(call)).status_code == 404


def test_unpublished_call_is_not_found_by_an_applicant(client):
    call = CallFactory(is_published=False)
    client.force_login(UserFactory(role=roles.APPLICANT))
    assert client.get(detail_url(call)).status_code == 404


def test_a_coordinator_of_the_call_previews_it_unpublished(client):
    coordinator = UserFactory(role=roles.COORDINATOR)
    call = CallFactory(is_published=False)
    call.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.get(detail_url(call))
    assert response.status_code == 200
    assert "This call is not published" in response.text


def test_unpublished_call_is_not_listed(client):
    CallFactory(is_published=False, title_en="Secret call")
    CallFactory(title_en="Public call")
    text = client.get(reverse("intake:call_list")).text
    assert "Public call" in text
    assert "Secret call" not in text


def test_call_dates_are_shown_in_brussels_time_with_the_zone_named(client):
    # 16:00 UTC is 17:00 in Brussels in winter (CET).
    call = CallFactory(
        opens_at=dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC),
        closes_at=dt.datetime(2031, 1, 15, 16, 0, tzinfo=dt.UTC),
    )
    text = client.get(detail_url(call)).text
    assert "15 January 2031, 17:00" in text
    assert "CET" in text
    assert "Europe/Brussels" in text


def test_summer_dates_are_shown_in_brussels_summer_time(client):
    call = CallFactory(
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=dt.datetime(2031, 7, 1, 10, 0, tzinfo=dt.UTC),
    )
    text = client.get(detail_url(call)).text
    assert "1 July 2031, 12:00" in text
    assert "CEST" in text


def test_open_call_shows_time_left_and_apply_button(client):
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=3, hours=4, minutes=5)
    )
    text = client.get(detail_url(call)).text
    assert "Closes in" in text
    assert "3 days, 4 hours" in text
    apply_url = _url_or_none("intake:apply", call.slug)
    if apply_url:
        assert apply_url in text


def test_closed_call_says_so_and_offers_no_apply_button(client):
    now = timezone.now()
    call = CallFactory(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(seconds=1))
    text = client.get(detail_url(call)).text
    assert "This call is closed" in text
    assert "Closes in" not in text
    apply_url = _url_or_none("intake:apply", call.slug)
    if apply_url:
        assert apply_url not in text


def test_call_not_yet_open_says_when_it_opens(client):
    now = timezone.now()
    call = CallFactory(
        opens_at=now + dt.timedelta(days=2, hours=1, minutes=5), closes_at=now + dt.timedelta(days=40)
    )
    text = client.get(detail_url(call)).text
    assert "Not yet open" in text
    assert "2 days, 1 hour" in text


def test_call_page_lists_eligibility_and_faq(client):
    call = CallFactory(eligible_countries=["BE", "FR"], eligible_kinds=["municipality"], places=11)
    FaqEntry.objects.create(call=call, question_en="Who signs the letter?", answer_en="The mayor.")
    text = client.get(detail_url(call)).text
    assert "Belgium" in text
    assert "France" in text
    assert "Municipality" in text
    assert "Local police body" not in text
    assert "11 cities will be selected" in text
    assert "Who signs the letter?" in text
    assert "The mayor." in text


def test_call_list_puts_open_calls_before_upcoming_and_closed(client):
    now = timezone.now()
    CallFactory(
        title_en="Closed call", opens_at=now - dt.timedelta(days=60), closes_at=now - dt.timedelta(days=2)
    )
    CallFactory(
        title_en="Upcoming call", opens_at=now + dt.timedelta(days=2), closes_at=now + dt.timedelta(days=60)
    )
    CallFactory(title_en="Open call")
    CallFactory(
        title_en="Long closed call",
        opens_at=now - dt.timedelta(days=900),
        closes_at=now - dt.timedelta(days=800),
    )
    text = client.get(reverse("intake:call_list")).text
    assert text.index("Open call") < text.index("Upcoming call") < text.index("Closed call")
    assert "Long closed call" not in text


def test_home_lists_open_calls_only(client):
    now = timezone.now()
    CallFactory(title_en="Open call")
    CallFactory(
        title_en="Upcoming call", opens_at=now + dt.timedelta(days=2), closes_at=now + dt.timedelta(days=60)
    )
    text = client.get(reverse("portal:home")).text
    assert "Open call" in text
    assert "Upcoming call" not in text


def test_member_of_an_applying_organisation_is_offered_to_continue(client):
    call = CallFactory()
    membership = MembershipFactory()
    ApplicationFactory(call=call, organisation=membership.organisation)
    client.force_login(membership.user)
    assert "Continue your application" in client.get(detail_url(call)).text


def _build_call_with(size):
    call = CallFactory()
    for index in range(size):
        FaqEntry.objects.create(call=call, order=index, question_en=f"Question {index}", answer_en="Answer")
        ApplicationFactory(call=call, organisation=OrganisationFactory())
    return call


@pytest.mark.parametrize("logged_in", [False, True])
def test_call_page_query_count_does_not_grow_with_faq_and_applications(
    client, django_assert_num_queries, logged_in
):
    small, large = _build_call_with(3), _build_call_with(30)
    if logged_in:
        client.force_login(MembershipFactory().user)
    client.get(detail_url(small))  # warm the session and caches
    counts = []
    for call in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail_url(call)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        client.get(detail_url(large))


def test_call_list_query_count_does_not_grow_with_calls(client):
    CallFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intake:call_list"))
    CallFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("intake:call_list"))
    assert len(few) == len(many)


def test_time_left_names_the_two_largest_units():
    assert time_left(dt.timedelta(days=3, hours=4, minutes=10)) == "3 days, 4 hours"
    assert time_left(dt.timedelta(days=1)) == "1 day"
    assert time_left(dt.timedelta(hours=2, minutes=1)) == "2 hours, 1 minute"
    assert time_left(dt.timedelta(seconds=20)) == "less than a minute"


def _url_or_none(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None
