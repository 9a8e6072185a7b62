"""The partnership's pages: who gets in, and query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Project
from partners import exports, services
from partners.models import ParticipantStatus
from tests.factories.partners import (
    ActivityFactory,
    ParticipantFactory,
    partner_with_member,
    project_coordinator,
    selected_application,
    standard_checklist,
)

pytestmark = pytest.mark.django_db


def grow(project, partners, activities, per_cell):
    members = [partner_with_member(project) for _ in range(partners)]
    acts = [
        ActivityFactory(project=project, seats_total=500, seats_per_partner=50) for _ in range(activities)
    ]
    for partner, _member in members:
        for activity in acts:
            for _n in range(per_cell):
                ParticipantFactory(partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED)
    return members, acts


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("name", ["project_home", "activities", "participation", "participation_export"])
def test_coordinator_lists_run_the_same_queries_at_two_sizes(client, name):
    small, large = (
        Project.objects.create(slug="small", acronym="S", title_en="S"),
        Project.objects.create(slug="large", acronym="L", title_en="L"),
    )
    for project, size in ((small, 1), (large, 4)):
        standard_checklist(project)
        grow(project, size, size, size)
    coordinator = project_coordinator(small)
    large.coordinators.add(coordinator)
    client.force_login(coordinator)
    args = {"participation_export": ["csv"]}.get(name, [])
    urls = [reverse(f"partners:{name}", args=[project.slug, *args]) for project in (small, large)]
    for url in urls:  # the first visit saves the project's default settings
        count(client, url)
    assert count(client, urls[0]) == count(client, urls[1])


def test_the_activity_participant_list_runs_the_same_queries_at_two_sizes(client):
    partner, _member = partner_with_member()
    coordinator = project_coordinator(partner.project)
    one = ActivityFactory(project=partner.project, seats_total=500, seats_per_partner=500)
    many = ActivityFactory(project=partner.project, seats_total=500, seats_per_partner=500)
    ParticipantFactory(partner=partner, activity=one, status=ParticipantStatus.CONFIRMED)
    for _n in range(12):
        other, _ = partner_with_member(partner.project)
        ParticipantFactory(partner=other, activity=many, status=ParticipantStatus.CONFIRMED)
    client.force_login(coordinator)
    urls = [reverse("partners:activity_participants", args=[partner.project.slug, a.pk]) for a in (one, many)]
    count(client, urls[0])
    assert count(client, urls[0]) == count(client, urls[1])


def test_the_partner_home_runs_the_same_queries_at_two_sizes(client):
    partner, member = partner_with_member()
    standard_checklist(partner.project)
    client.force_login(member)
    url = reverse("partners:partner_home", args=[partner.pk])
    first = count(client, url)
    grow(partner.project, 3, 5, 2)
    assert count(client, url) == first


def test_a_partner_of_city_a_gets_404_on_everything_of_city_b(client):
    a, member_a = partner_with_member()
    b, _member_b = partner_with_member(a.project)
    activity = ActivityFactory(project=a.project)
    b_participant = ParticipantFactory(partner=b, activity=activity)
    client.force_login(member_a)
    for url in (
        reverse("partners:partner_home", args=[b.pk]),
        reverse("partners:activity", args=[b.pk, activity.pk]),
        reverse("partners:participant_edit", args=[b.pk, b_participant.pk]),
        reverse("partners:participant_edit", args=[a.pk, b_participant.pk]),
        reverse("partners:agreement_download", args=[b.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("partners:partner_home", args=[a.pk])).status_code == 200


def test_a_city_that_was_not_selected_has_no_partner_space(client):
    application = selected_application()
    member = application.organisation.members.get()
    client.force_login(member)
    response = client.get(reverse("partners:my_partnerships"))
    assert response.status_code == 200
    assert "not a partner" in response.content.decode()


def test_a_city_answers_in_the_portal_and_lands_in_its_partner_space(client):
    application = selected_application()
    client.force_login(application.organisation.members.get())
    detail = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()
    assert reverse("partners:reply", args=[application.pk]) in detail
    response = client.post(
        reverse("partners:reply", args=[application.pk]), {"answer": "accept", "confirm": "on", "note": ""}
    )
    partner = application.organisation.partnerships.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "partners:partner_home", args=[partner.pk]
    )


def test_a_nomination_through_the_page_keeps_what_was_typed_when_refused(client):
    partner, member = partner_with_member()
    activity = ActivityFactory(project=partner.project, eligibility="police_only")
    client.force_login(member)
    url = reverse("partners:activity", args=[partner.pk, activity.pk])
    response = client.post(
        url, {"name": "Mayor Example", "category": "elected", "email": "m@city.example", "language": "en"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mayor Example" in page and "Police officers only" in page
    assert not partner.participants.exists()


def test_exports_read_back_and_neutralise_formulas():
    import csv
    import io

    from openpyxl import load_workbook

    partner, _member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    ParticipantFactory(
        partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED, name="=HYPERLINK(1)"
    )
    content, _type, _name = exports.export(partner.project, "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][5] == "'=HYPERLINK(1)" and rows[1][3] == partner.organisation.name
    content, _type, _name = exports.export(partner.project, "xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.worksheets[0]["F2"].value == "'=HYPERLINK(1)"
    assert workbook.worksheets[1]["C2"].value == 1


def test_erasing_a_participant_keeps_the_counts(client):
    partner, _member = partner_with_member()
    activity = ActivityFactory(project=partner.project)
    participant = ParticipantFactory(partner=partner, activity=activity, status=ParticipantStatus.CONFIRMED)
    coordinator = project_coordinator(partner.project)
    client.force_login(coordinator)
    exported = client.get(
        reverse("partners:participant_export", args=[partner.project.slug, participant.pk])
    ).json()
    assert exported["email"] == participant.email
    services.erase_participant(participant, by=coordinator)
    participant.refresh_from_db()
    assert participant.email == "" and participant.anonymised_at
    from partners.queries import participation_breakdown

    total, breakdown = participation_breakdown(partner.project)
    assert total == 1 and breakdown["city"] == [(partner.organisation.name, 1)]
