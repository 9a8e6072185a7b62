"""The retention pass: applications that got no place lose their contact data 24 months after the decision."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from intake.models import Status
from notifications.models import ERASED_ADDRESS, Message
from portal.models import AuditEvent
from privacy import retention, tasks
from privacy.models import RetentionRun
from reviews import exports, services
from reviews.models import ReviewSettings, Score
from tests.factories import MembershipFactory
from tests.factories.reviews import InReviewApplicationFactory

from .world import EMAIL, administrator, answer_contact, build_world, message

pytestmark = pytest.mark.django_db

DECIDED = dt.datetime(2027, 3, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world():
    """Call A decided on 15 March 2027: Nice selected, Liège on the reserve list, Bologna
    not selected; Porto withdrew before the review. Each city was written to."""
    world = build_world()
    a = world.a
    porto = InReviewApplicationFactory(call=a.call, status=Status.WITHDRAWN)
    member = MembershipFactory(organisation=porto.organisation, user__email="rui@porto.example").user
    answer_contact(porto, world.questions, member, name="Rui Ferreira", email=member.email)
    with time_machine.travel(DECIDED, tick=False):
        services.finalise_selection(a.call, by=a.coordinator)
    for application in (world.nice, world.liege, world.bologna, porto):
        application.refresh_from_db()
        to = world.jeanne if application == world.nice else application.organisation.members.first()
        message(a.call, to, "Decision", key=f"application:{application.pk}:decision:1")
    world.porto = porto
    return world


def contact_email(application):
    return application.answers.get(question__key="contact_email").value


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.anonymise_expired_applications.delay().get()


def test_the_statuses_after_the_decision(world):
    statuses = {app.organisation.name: app.status for app in (world.nice, world.liege, world.bologna)}
    assert statuses == {"Nice": Status.SELECTED, "Liège": Status.RESERVE, "Bologna": Status.NOT_SELECTED}
    assert world.porto.status == Status.WITHDRAWN


def test_nothing_is_anonymised_before_the_24_months_are_over(world):
    assert run_at(DECIDED + dt.timedelta(days=730)) == []  # 14 March 2029, a day short
    assert contact_email(world.bologna) != "[erased]"
    assert not RetentionRun.objects.exists()


def test_past_24_months_applications_without_a_place_lose_their_contact_data(world):
    scores = sorted(Score.objects.values_list("pk", "value"))
    ranking = exports.export(world.a.call, "csv", table="ranking")[2]
    without_place = (world.bologna, world.porto, world.liege)
    emails = sum(
        Message.objects.filter(idempotency_key__startswith=f"application:{application.pk}:").count()
        for application in without_place
    )
    [run_id] = run_at(dt.datetime(2029, 3, 15, 10, 1, tzinfo=dt.UTC))

    for application in without_place:
        application.refresh_from_db()
        assert application.contacts_anonymised_at is not None
        answers = {a.question.key: a.value for a in application.answers.select_related("question")}
        assert answers["contact_name"] == answers["contact_email"] == answers["contact_phone"] == "[erased]"
        assert answers["officers"] == 120  # what is not personal stays
        decision = Message.objects.get(idempotency_key=f"application:{application.pk}:decision:1")
        assert decision.to_email == ERASED_ADDRESS and decision.subject == "Decision"
    # The selected city keeps its contact data: it is a partner now.
    world.nice.refresh_from_db()
    assert world.nice.contacts_anonymised_at is None and contact_email(world.nice) == EMAIL
    assert Message.objects.get(idempotency_key=f"application:{world.nice.pk}:decision:1").to_email == EMAIL
    # Statuses, scores and the exports are as they were.
    assert world.bologna.status == Status.NOT_SELECTED and world.porto.status == Status.WITHDRAWN
    assert sorted(Score.objects.values_list("pk", "value")) == scores
    assert exports.export(world.a.call, "csv", table="ranking")[2] == ranking

    run = RetentionRun.objects.get(pk=run_id)
    assert run.call == world.a.call and run.months == 24 and run.decided_at == DECIDED
    assert run.counts == {"applications": 3, "personal_answers": 12, "messages": emails}
    assert emails > 3  # the decisions the selection sent, and the ones of this test
    event = AuditEvent.objects.get(action="applications.anonymised")
    assert event.actor is None and event.call_id == world.a.call.pk and event.after["applications"] == 3
    assert AuditEvent.objects.filter(action="application.contacts_anonymised").count() == 3


def test_the_pass_is_safe_to_run_again(world):
    later = dt.datetime(2029, 4, 1, tzinfo=dt.UTC)
    assert len(run_at(later)) == 1
    events = AuditEvent.objects.count()
    assert run_at(later) == [] and run_at(later + dt.timedelta(days=1)) == []
    assert RetentionRun.objects.count() == 1 and AuditEvent.objects.count() == events


def test_a_call_may_keep_contact_data_for_a_shorter_time(world):
    world.a.call.contact_retention_months = 6
    world.a.call.save()
    assert run_at(dt.datetime(2027, 9, 14, tzinfo=dt.UTC)) == []
    [run_id] = run_at(dt.datetime(2027, 9, 16, tzinfo=dt.UTC))
    assert RetentionRun.objects.get(pk=run_id).months == 6
    assert contact_email(world.bologna) == "[erased]"


def test_the_portals_setting_changes_the_default(world, settings):
    settings.APPLICATION_RETENTION_MONTHS = 12
    assert len(run_at(dt.datetime(2028, 3, 16, tzinfo=dt.UTC))) == 1


def test_a_call_not_decided_keeps_its_data(world):
    ReviewSettings.objects.filter(call=world.b.call).update(finalised_at=None)
    runs = run_at(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
    assert [RetentionRun.objects.get(pk=pk).call for pk in runs] == [world.a.call]


def test_the_schedule_runs_the_pass_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["application-contact-retention"]
    assert entry == {"task": retention.ANONYMISE_TASK, "schedule": 86400.0}


def test_administrators_read_the_runs_and_cannot_change_them(client, world):
    run_at(dt.datetime(2029, 4, 1, tzinfo=dt.UTC))
    client.force_login(administrator())
    listing = client.get(reverse("admin:privacy_retentionrun_changelist"))
    assert listing.status_code == 200 and "applications" in listing.content.decode()
    assert client.get(reverse("admin:privacy_retentionrun_add")).status_code == 403
    client.force_login(world.a.coordinator)
    assert client.get(reverse("admin:privacy_retentionrun_changelist")).status_code == 302


def test_the_call_people_page_says_when_the_contact_data_go(client, world):
    client.force_login(world.a.coordinator)
    page = client.get(reverse("privacy:call_people", args=[world.a.call.slug]))
    assert page.context["retention"]["limit"] == dt.datetime(2029, 3, 15, 10, 0, tzinfo=dt.UTC)
    assert page.context["retention"]["waiting"] == 3
    assert "24 months after the call's decision" in page.content.decode()
