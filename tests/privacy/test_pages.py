"""The pages a coordinator and an administrator find people and their data from."""

import pytest
from django.urls import reverse

from partners.models import ParticipantStatus
from portal.audit import record
from tests.factories import MembershipFactory
from tests.factories.partners import ActivityFactory, ParticipantFactory, PartnerFactory
from tests.factories.reviews import InReviewApplicationFactory, evaluator_of
from tests.utils import count_queries

from .world import EMAIL, NAME, administrator, build_world, message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def person_url(world, person):
    return reverse("privacy:call_person", args=[world.a.call.slug, person.pk])


def test_the_call_people_list_runs_the_same_queries_for_few_and_many_people(
    client, world, django_assert_num_queries
):
    client.force_login(world.a.coordinator)
    url = reverse("privacy:call_people", args=[world.a.call.slug])
    small = count_queries(client, url)
    for _ in range(6):
        application = InReviewApplicationFactory(call=world.a.call)
        MembershipFactory(organisation=application.organisation)
        MembershipFactory(organisation=application.organisation)
        evaluator_of(world.a.call)
    with django_assert_num_queries(small):
        page = client.get(url)
    assert len(page.context["rows"]) == 8 + 6 * 3


def test_a_coordinator_finds_a_city_member_from_the_application_and_an_evaluator_from_the_list(client, world):
    client.force_login(world.a.coordinator)
    application = client.get(reverse("reviews:application_evaluation", args=[world.nice.pk])).content.decode()
    assert f'href="{person_url(world, world.jeanne)}"' in application
    evaluators = client.get(reverse("reviews:call_evaluators", args=[world.a.call.slug])).content.decode()
    assert f'href="{person_url(world, world.a.evaluators[0])}"' in evaluators
    overview = client.get(reverse("reviews:call_overview", args=[world.a.call.slug])).content.decode()
    assert reverse("privacy:call_people", args=[world.a.call.slug]) in overview


def test_the_person_page_says_what_the_call_holds_and_what_erasure_does(client, world):
    client.force_login(world.a.coordinator)
    page = client.get(person_url(world, world.jeanne))
    counts = {str(label): count for label, count in page.context["counts"]}
    assert counts["Applications"] == 1 and counts["Answers they wrote"] == 6
    assert counts["Files they uploaded"] == 1 and counts["Emails sent to them"] == 1
    text = page.content.decode()
    assert NAME in text and EMAIL in text and "Member of Nice" in text
    assert "The account goes too" in text
    assert reverse("privacy:call_person_export", args=[world.a.call.slug, world.jeanne.pk]) in text


def test_a_participant_of_the_project_is_linked_to_the_partners_tools(client, world):
    project = world.a.call.project
    partner = PartnerFactory(project=project, organisation=world.nice.organisation, application=world.nice)
    activity = ActivityFactory(project=project, title_en="Police academy in Nice")
    participant = ParticipantFactory(
        partner=partner, activity=activity, email=EMAIL.upper(), status=ParticipantStatus.CONFIRMED
    )
    export = reverse("partners:participant_export", args=[project.slug, participant.pk])

    client.force_login(world.a.coordinator)  # of the call only: the partners' pages are not theirs
    page = client.get(person_url(world, world.jeanne)).content.decode()
    assert "Participant of Police academy in Nice for Nice" in page and export not in page
    assert "They take part in a project&#x27;s partnership." in page

    project.coordinators.add(world.a.coordinator)
    page = client.get(person_url(world, world.jeanne)).content.decode()
    assert export in page


def test_only_administrators_find_anyone(client, world):
    stranger = MembershipFactory(user__full_name="Somebody Else").user
    url = reverse("privacy:everyone")
    client.force_login(world.a.coordinator)
    assert client.get(url).status_code == 404
    assert client.get(reverse("privacy:person", args=[stranger.pk])).status_code == 404

    client.force_login(administrator())
    found = client.get(url, {"q": "somebody"})
    assert [person.pk for person in found.context["page"]] == [stranger.pk]
    page = client.get(reverse("privacy:person", args=[stranger.pk])).content.decode()
    assert "Everything the portal holds on this account" in page
    assert reverse("privacy:person_erase", args=[stranger.pk]) in page
    assert "Personal data" in client.get(reverse("portal:home")).content.decode()


def test_the_pages_read_in_french(client, world):
    client.force_login(world.a.coordinator)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    people = client.get(reverse("privacy:call_people", args=[world.a.call.slug])).content.decode()
    assert "Personnes et leurs données" in people and "Membre de Nice" in people
    person = client.get(person_url(world, world.jeanne)).content.decode()
    assert "Télécharger les données (JSON)" in person and "Effacer les données de la personne" in person


def test_the_person_page_runs_the_same_queries_for_few_and_many_items(
    client, world, django_assert_num_queries
):
    client.force_login(world.a.coordinator)
    url = person_url(world, world.jeanne)
    small = count_queries(client, url)
    for number in range(5):
        message(world.a.call, world.jeanne, f"Reminder {number}", key=f"reminder:{number}")
        record(world.jeanne, "application.answers_saved", world.nice, after={"motivation": number})
    with django_assert_num_queries(small):
        page = client.get(url)
    counts = {str(label): count for label, count in page.context["counts"]}
    assert counts["Emails sent to them"] == 6


def test_the_administrators_list_runs_the_same_queries_for_few_and_many_accounts(
    client, world, django_assert_num_queries
):
    client.force_login(administrator())
    url = reverse("privacy:everyone")
    small = count_queries(client, url)
    for _ in range(10):
        MembershipFactory()
    with django_assert_num_queries(small):
        client.get(url)
