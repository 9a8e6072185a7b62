"""The coordinators' long lists: an activity's nominations and the participation matrix a
page (or a window) at a time, filtered in the URL, the filters kept after each action."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import Attendance, ParticipantStatus
from tests.factories.partners import (
    ActivityFactory,
    ParticipantFactory,
    partner_with_member,
    project_coordinator,
    standard_checklist,
)
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(client):
    """An activity with 60 nominations from three cities; the coordinator logged in."""
    bologna, _ = partner_with_member(organisation__name="Bologna", organisation__country="IT")
    project = bologna.project
    gdansk, _ = partner_with_member(project, organisation__name="Gdańsk", organisation__country="PL")
    turin, _ = partner_with_member(project, organisation__name="Turin", organisation__country="IT")
    activity = ActivityFactory(project=project, seats_total=500, seats_per_partner=100)
    for n in range(60):
        city = (bologna, gdansk, turin)[n % 3]
        status = ParticipantStatus.CONFIRMED if n % 2 else ParticipantStatus.NOMINATED
        ParticipantFactory(partner=city, activity=activity, status=status, name=f"Person {n:02d}")
    coordinator = project_coordinator(project)
    client.force_login(coordinator)
    url = reverse("partners:activity_participants", args=[project.slug, activity.pk])
    return project, activity, (bologna, gdansk, turin), coordinator, url


def listed(client, url, **query):
    """The page, and the names in its table of nominations."""
    page = client.get(url, query).content.decode()
    table = page[page.index('id="nominations"') : page.index(">Attendance<")]
    rows = table.split('<th scope="row">')[1:]
    return page, [row.split("<")[0] for row in rows if row.startswith("Person")]


def test_the_nominations_come_fifty_a_page(client, crowded):
    _project, _activity, _cities, _coordinator, url = crowded
    page, first = listed(client, url)
    assert len(first) == 50 and "60 nominations." in page and "Page 1 of 2" in page
    page, second = listed(client, url, page=2)
    assert len(second) == 10 and not set(first) & set(second)


def test_filters_by_city_status_and_name_combine_and_stay_in_the_pagination_links(client, crowded):
    _project, _activity, (bologna, _gdansk, _turin), _coordinator, url = crowded
    page, rows = listed(client, url, partner=bologna.pk, status="confirmed")
    assert len(rows) == 10  # Bologna has every third, half of them confirmed
    assert 'value="confirmed" selected' in page and f'value="{bologna.pk}" selected' in page
    _page, rows = listed(client, url, q="person 1")
    assert sorted(rows) == [f"Person {n}" for n in range(10, 20)]
    page, rows = listed(client, url, status="nominated")
    assert "30 nominations." in page and len(rows) == 30
    page, rows = listed(client, url, partner="not-a-number", status="bogus", page="last")
    assert len(rows) == 50  # unknown values are ignored, not errors


def test_the_list_runs_the_same_queries_for_one_page_or_another_with_filters(client, crowded):
    project, _activity, (bologna, _gdansk, _turin), _coordinator, url = crowded
    single = ActivityFactory(project=project)
    ParticipantFactory(partner=bologna, activity=single, status=ParticipantStatus.CONFIRMED)
    single_url = reverse("partners:activity_participants", args=[project.slug, single.pk])
    count_queries(client, single_url)
    query = f"?status=confirmed&partner={bologna.pk}&page=1"
    assert count_queries(client, single_url + query) == count_queries(client, url + query)


def test_a_decision_taken_on_a_filtered_page_comes_back_to_that_page(client, crowded):
    _project, _activity, (_bologna, gdansk, _turin), _coordinator, url = crowded
    person = gdansk.participants.filter(status=ParticipantStatus.NOMINATED).first()
    back = f"{url}?partner={gdansk.pk}&status=nominated&page=1"
    response = client.post(
        reverse("partners:participant_decide", args=[gdansk.project.slug, person.pk]),
        {"status": "confirmed", "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    person.refresh_from_db()
    assert person.status == ParticipantStatus.CONFIRMED


def test_a_return_address_elsewhere_is_not_followed(client, crowded):
    project, _activity, (bologna, _gdansk, _turin), _coordinator, url = crowded
    person = bologna.participants.first()
    for back in (
        "https://elsewhere.example/?x=1",
        f"//elsewhere.example{url}?a=1",
        "/admin/?q=1",
        url + "x?a",
    ):
        response = client.post(
            reverse("partners:participant_decide", args=[project.slug, person.pk]),
            {"status": "waitlisted", "back": back},
        )
        assert response["Location"] == url, back


def test_attendance_saved_on_one_page_leaves_the_other_pages_alone(client, crowded):
    project, activity, _cities, coordinator, url = crowded
    confirmed = list(activity.participants.filter(status=ParticipantStatus.CONFIRMED).order_by("pk"))
    day = activity.days()[0]
    services.record_attendance(activity, by=coordinator, present={p.pk: {day} for p in confirmed})
    shown, other = confirmed[:10], confirmed[10:]
    response = client.post(
        reverse("partners:attendance", args=[project.slug, activity.pk]),
        {"shown": [p.pk for p in shown], **{f"present-{p.pk}": [] for p in shown}, "back": f"{url}?page=2"},
    )
    assert response["Location"] == f"{url}?page=2"
    assert not Attendance.objects.filter(participant__in=shown).exists()
    assert Attendance.objects.filter(participant__in=other).count() == len(other)


def test_the_attendance_form_lists_the_confirmed_participants_of_the_page_only(client, crowded):
    _project, _activity, (bologna, _gdansk, _turin), _coordinator, url = crowded
    page = client.get(url, {"partner": bologna.pk}).content.decode()
    attendance = page[page.index("present-") - 2000 :]
    assert attendance.count('name="shown"') == 10


@pytest.fixture
def programme(client):
    """Thirty cities in two countries and thirteen activities; one participant a city in the first."""
    first, _ = partner_with_member(organisation__name="City 00", organisation__country="IT")
    project = first.project
    partners = [first] + [
        partner_with_member(
            project, organisation__name=f"City {n:02d}", organisation__country="IT" if n % 2 else "PL"
        )[0]
        for n in range(1, 30)
    ]
    activities = [ActivityFactory(project=project, title_en=f"Activity {n:02d}") for n in range(13)]
    for partner in partners:
        ParticipantFactory(partner=partner, activity=activities[0], status=ParticipantStatus.CONFIRMED)
    standard_checklist(project)
    client.force_login(project_coordinator(project))
    return project, partners, activities


def test_the_matrix_shows_a_page_of_cities_by_a_window_of_activities(client, programme):
    project, _partners, _activities = programme
    url = reverse("partners:participation", args=[project.slug])
    page = client.get(url).content.decode()
    assert "City 24" in page and "City 25" not in page and "Page 1 of 2" in page
    assert "Activity 09" in page and "Activity 10" not in page and "Later activities" in page
    assert "activities 1–10 of 13" in page
    page = client.get(url, {"columns": 2, "page": 2}).content.decode()
    assert "Activity 10" in page and "Activity 09" not in page and "Earlier activities" in page
    assert "City 25" in page and "City 24" not in page
    assert "columns=2" in page.split("Previous")[0].split("page-link")[-1]  # the window stays on the way back


def test_the_matrix_filters_by_country_and_counts_what_it_shows(client, programme):
    project, _partners, _activities = programme
    url = reverse("partners:participation", args=[project.slug])
    page = client.get(url, {"country": "PL"}).content.decode()
    matrix = page[: page.index("Counts for the whole project")]
    assert "14 cities" in matrix and "City 01" not in matrix and "City 02" in matrix
    assert "14 confirmed participations for these cities." in page
    assert "30 confirmed participations in the project." in page


def test_the_matrix_runs_the_same_queries_with_filters_at_two_sizes(client, programme):
    project, _partners, _activities = programme
    small, _ = partner_with_member(organisation__country="PL")
    ActivityFactory(project=small.project)
    small.project.coordinators.add(*project.coordinators.all())
    query = "?country=PL&columns=1&page=1&q=City"
    urls = [reverse("partners:participation", args=[p.slug]) + query for p in (small.project, project)]
    count_queries(client, urls[0])
    count_queries(client, urls[1])
    assert count_queries(client, urls[0]) == count_queries(client, urls[1])


def test_the_onboarding_matrix_can_show_only_the_cities_with_steps_to_do(client, programme):
    project, partners, _activities = programme
    coordinator = project.coordinators.get()
    for item in project.checklist_items.all():
        services.set_item_state(partners[0], item, by=coordinator, state="done")
    url = reverse("partners:project_home", args=[project.slug])
    everyone = client.get(url, {"q": "City 0"}).content.decode()
    assert "10 cities." in everyone and "City 00" in everyone
    page = client.get(url, {"q": "City 0", "open": "1"}).content.decode()
    assert "9 cities." in page and "City 00" not in page and "City 01" in page
    assert 'name="open" value="1" id="filter-open" checked' in page
    page = client.get(url, {"q": "nowhere"}).content.decode()
    assert "No city matches these filters." in page
