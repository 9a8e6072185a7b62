"""A person's data as a coordinator (their call only) or an administrator (everything) exports it."""

import json

import pytest
from django.urls import reverse

from intake.models import Answer, outbox_scope
from notifications.models import Message
from portal.models import AuditEvent
from privacy.models import DataRequest
from tests.factories import MembershipFactory
from tests.factories.reviews import InReviewApplicationFactory, evaluator_of
from tests.utils import count_queries

from .world import EMAIL, NAME, PHONE, administrator, build_world, message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def export_url(world, person):
    return reverse("privacy:call_person_export", args=[world.a.call.slug, person.pk])


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_export_holds_each_section_of_what_the_call_holds_on_the_person(client, world):
    client.force_login(world.a.coordinator)
    data = download(client, export_url(world, world.jeanne))

    assert data["scope"] == {"call": world.a.call.slug, "call_title": world.a.call.title_en}
    assert (data["account"]["email"], data["account"]["full_name"]) == (EMAIL, NAME)
    assert data["memberships"] == [
        {"organisation": "Nice", "country": "FR", "joined_at": data["memberships"][0]["joined_at"]}
    ]
    [application] = data["applications"]
    assert application["reference"] == world.nice.reference and application["organisation"] == "Nice"
    answers = {answer["label"]: answer for answer in application["answers"]}
    assert answers["Email"]["value"] == EMAIL and answers["Email"]["personal_data"] is True
    assert answers["Phone"]["value"] == PHONE
    assert answers["Name"]["personal_data"] is True and answers["Police officers"]["personal_data"] is False
    assert answers["Police officers"]["value"] == 120
    # Files are listed with their name, size and date, never included.
    [document] = application["documents"]
    assert document["name"] == f"Letter signed by {NAME}.pdf" and document["size"] == 15
    assert set(document) == {"name", "type", "size", "sha256", "uploaded_at"}
    # Messages of the call, with their text; the account email (no call) is not the call's.
    assert [m["subject"] for m in data["messages"]] == ["Your application to the call"]
    assert data["messages"][0]["body"].startswith(f"Dear {NAME}")
    actions = [event["action"] for event in data["audit_events"]]
    assert "organisation.invitation_sent" in actions and "organisation.member_joined" in actions
    assert data["reviews"] == [] and data["evaluator"] == {"calls": [], "conflicts_of_interest": []}


def test_a_message_that_carried_a_personal_link_is_listed_without_its_text(client, world):
    message(world.a.call, world.jeanne, "Join the call's team", key="invitation:9:sent", carries_secret=True)
    client.force_login(world.a.coordinator)
    rows = {m["subject"]: m for m in download(client, export_url(world, world.jeanne))["messages"]}
    assert rows["Join the call's team"]["body"] is None
    assert "personal link" in rows["Join the call's team"]["body_withheld"]
    assert rows["Your application to the call"]["body"]


def test_an_evaluators_export_holds_their_reviews_scores_and_comments(client, world):
    evaluator = world.a.evaluators[0]
    review = world.nice.reviews.get(evaluator=evaluator)
    review.overall_comment = "A convincing plan."
    review.save()
    review.scores.filter(criterion=world.a.criteria[0]).update(comment="Clear goals.")
    client.force_login(world.a.coordinator)
    data = download(client, export_url(world, evaluator))
    reviews = {row["city"]: row for row in data["reviews"]}
    assert set(reviews) == {"Nice", "Liège", "Bologna"}
    nice = reviews["Nice"]
    assert nice["overall_comment"] == "A convincing plan." and nice["status"] == "submitted"
    assert [(s["criterion"], s["score"], s["comment"]) for s in nice["scores"]] == [
        ("Criterion A", "5.0", "Clear goals."),
        ("Criterion B", "5.0", ""),
        ("Criterion C", "5.0", ""),
    ]
    assert [row["call"] for row in data["evaluator"]["calls"]] == [world.a.call.title_en]


def test_the_downloads_a_person_made_are_in_their_export(client, world):
    evaluator = world.a.evaluators[0]
    document = world.nice.documents.get()
    client.force_login(evaluator)
    assert client.get(reverse("intake:document_download", args=[document.pk])).status_code == 200
    client.force_login(world.a.coordinator)
    [row] = download(client, export_url(world, evaluator))["downloads"]
    assert row["file"] == document.original_name and row["application"] == world.nice.reference


def test_a_coordinator_exports_only_what_their_call_holds(client, world):
    """Jeanne's city applied to call B too: call A's coordinator sees none of it; an
    administrator sees both."""
    in_b = InReviewApplicationFactory(call=world.b.call, organisation=world.nice.organisation)
    Answer.objects.create(
        application=in_b, question=world.questions["officers"], value=99, updated_by=world.jeanne
    )
    message(world.b.call, world.jeanne, "About call B", key=f"application:{in_b.pk}:submitted")
    client.force_login(world.a.coordinator)
    data = download(client, export_url(world, world.jeanne))
    assert [row["reference"] for row in data["applications"]] == [world.nice.reference]
    assert "About call B" not in json.dumps(data)

    client.force_login(administrator())
    everything = download(client, reverse("privacy:person_export", args=[world.jeanne.pk]))
    assert everything["scope"] == "everything"
    assert {row["reference"] for row in everything["applications"]} == {world.nice.reference, in_b.reference}
    subjects = {row["subject"] for row in everything["messages"]}
    assert {"About call B", "Reset your password", "Your application to the call"} <= subjects
    assert everything["account"]["email_addresses"][0]["email"] == EMAIL


def test_a_coordinator_of_another_call_finds_nobody_of_call_a(client, world):
    """Their own call's pages do not open call A's people either: 404, like a missing id."""
    client.force_login(world.b.coordinator)
    b, a = world.b.call.slug, world.a.call.slug
    jeanne = world.jeanne.pk
    for url in (
        reverse("privacy:call_person_export", args=[a, jeanne]),
        reverse("privacy:call_person_export", args=[b, jeanne]),
        reverse("privacy:call_person", args=[b, jeanne]),
        reverse("privacy:call_people", args=[a]),
        reverse("privacy:person_export", args=[jeanne]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("privacy:call_person_erase", args=[b, jeanne]), {"confirm": "erase"}).status_code
        == 404
    )
    people = client.get(reverse("privacy:call_people", args=[b])).content.decode()
    assert NAME not in people
    assert not DataRequest.objects.exists()
    assert Answer.objects.filter(value=EMAIL).exists()


def test_the_call_people_are_its_members_evaluators_and_coordinators_only(client, world):
    stranger = MembershipFactory(user__full_name="Somebody Else").user
    evaluator_of(world.b.call, full_name="Evaluator Of B")
    client.force_login(world.a.coordinator)
    page = client.get(reverse("privacy:call_people", args=[world.a.call.slug]))
    people = {person.pk: [str(role.label) for role in roles] for person, roles in page.context["rows"]}
    assert people[world.jeanne.pk] == ["Member of Nice"]
    assert people[world.a.evaluators[0].pk] == ["Evaluator"]
    assert people[world.a.coordinator.pk] == ["Coordinator"]
    assert stranger.pk not in people and world.b.coordinator.pk not in people
    assert len(people) == 3 + 3 + 1 + 1  # a member per city, Jeanne, three evaluators, the coordinator
    found = client.get(reverse("privacy:call_people", args=[world.a.call.slug]), {"q": "jeanne.martin"})
    assert [person for person, _roles in found.context["rows"]] == [world.jeanne]
    missing = reverse("privacy:call_person", args=[world.a.call.slug, stranger.pk])
    assert client.get(missing).status_code == 404


def test_every_export_is_audited_without_the_persons_data(client, world):
    client.force_login(world.a.coordinator)
    download(client, export_url(world, world.jeanne))
    request = DataRequest.objects.get()
    assert (request.kind, request.person, request.call, request.by) == (
        "export",
        world.jeanne,
        world.a.call,
        world.a.coordinator,
    )
    assert request.counts["applications"] == 1 and request.counts["answers"] == 6
    event = AuditEvent.objects.get(action="person.exported")
    assert event.actor == world.a.coordinator and event.call_id == world.a.call.pk
    assert event.after["person"] == world.jeanne.pk and event.after["items"]["messages"] == 1
    row = json.dumps([event.object_repr, event.before, event.after, event.note, str(request)])
    assert EMAIL not in row and NAME not in row and "Jeanne" not in row


def test_the_export_is_read_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    """More applications, messages and events do not make more queries."""
    client.force_login(world.a.coordinator)
    url = export_url(world, world.jeanne)
    small = count_queries(client, url)
    for number in range(5):
        message(world.a.call, world.jeanne, f"Reminder {number}", key=f"reminder:{number}")
    with django_assert_max_num_queries(small):
        client.get(url)
    assert Message.objects.filter(scope=outbox_scope(world.a.call.pk), recipient=world.jeanne).count() == 6
