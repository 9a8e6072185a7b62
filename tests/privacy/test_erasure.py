"""Erasure on request: names and contact data go; counts, scores, decisions, exports and the audit stay."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from pypdf import PdfReader

from intake.models import Answer, Application, Document, Invitation
from notifications.models import ERASED_ADDRESS, Message, MessageStatus
from notifications.services import ResendRefused, resend_message
from portal.models import AuditEvent, User
from privacy.models import DataRequest
from reviews import exports, services
from reviews.models import CallEvaluator, Decision, Review, Score
from tests.factories import DEFAULT_PASSWORD
from tests.factories.reviews import InReviewApplicationFactory

from .world import EMAIL, NAME, PHONE, administrator, build_world, message

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def erase(client, world, person, **data):
    url = reverse("privacy:call_person_erase", args=[world.a.call.slug, person.pk])
    return client.post(url, {"confirm": "erase", **data})


def mentions_of_jeanne():
    """Every stored text that still names Jeanne or her address."""
    found = []
    for model, fields in (
        (Answer, ["value"]),
        (Document, ["original_name"]),
        (Message, ["to_email", "subject", "body_text", "body_html"]),
        (Invitation, ["email"]),
        (AuditEvent, ["object_repr", "before", "after", "note"]),
        (User, ["email", "full_name"]),
    ):
        for row in model.objects.values(*fields):
            text = json.dumps(row, ensure_ascii=False, default=str).lower()
            if "jeanne" in text or NAME.lower() in text:
                found.append((model.__name__, row))
    return found


def call_records(call):
    """What the call's pages and exports count and score."""
    return {
        "applications": list(
            Application.objects.filter(call=call).order_by("pk").values_list("pk", "status")
        ),
        "reviews": Review.objects.filter(application__call=call).count(),
        "scores": sorted(
            str(v)
            for v in Score.objects.filter(review__application__call=call).values_list("value", flat=True)
        ),
        "decisions": list(
            Decision.objects.filter(application__call=call)
            .order_by("pk")
            .values_list("outcome", "rank", "final_score")
        ),
        "answers": Answer.objects.filter(application__call=call).count(),
    }


def exported(call):
    csvs = {table: exports.export(call, "csv", table=table)[2] for table in exports.TABLES}
    pdf = PdfReader(io.BytesIO(exports.export(call, "pdf")[2]))
    return csvs, len(pdf.pages), "\n".join(page.extract_text() for page in pdf.pages)


def test_erasing_a_selected_citys_contact_keeps_the_call_its_exports_and_its_report(client, world):
    call = world.a.call
    services.finalise_selection(call, by=world.a.coordinator)
    world.nice.refresh_from_db()
    assert world.nice.status == "selected"
    before = call_records(call)
    csvs_before, pages, _text = exported(call)
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))

    client.force_login(world.a.coordinator)
    response = erase(client, world, world.jeanne)
    assert response.status_code == 302

    assert call_records(call) == before
    csvs_after, pages_after, text_after = exported(call)
    assert csvs_after == csvs_before  # the ranking, reviews and decisions read the same
    assert pages_after == pages
    for city in ("Nice", "Liège", "Bologna", "Selection report"):
        assert city in text_after
    assert events_before <= set(AuditEvent.objects.values_list("pk", flat=True))  # none deleted
    for name in ("reviews:selection", "reviews:ranking", "reviews:call_dashboard", "reviews:exports"):
        assert client.get(reverse(name, args=[call.slug])).status_code == 200, name
    page = client.get(reverse("intake:application_detail", args=[world.nice.pk]))
    assert page.status_code == 200 and EMAIL not in page.content.decode()


def test_erasure_takes_the_persons_name_and_contact_data_out_of_everything_the_call_holds(client, world):
    queued = message(world.a.call, world.jeanne, "Your letter", key="letter:1", status=MessageStatus.QUEUED)
    failed = message(world.a.call, world.jeanne, "Bounced", key="letter:2", status=MessageStatus.FAILED)
    Invitation.objects.create(
        email=EMAIL.upper(),
        role="coordinator",
        call=world.a.call,
        token_hash="x" * 64,
        expires_at=queued.created_at,
    )
    client.force_login(world.a.coordinator)
    erase(client, world, world.jeanne)

    answers = {a.question.key: a.value for a in world.nice.answers.select_related("question")}
    assert answers["contact_name"] == answers["contact_role"] == "[erased]"
    assert answers["contact_email"] == answers["contact_phone"] == "[erased]"
    assert answers["motivation"] == "Our squares host markets. [erased] leads the team; write to [erased]."
    assert answers["officers"] == 120
    assert world.nice.documents.get().original_name == "Letter signed by [erased].pdf"
    # Other cities' contacts are theirs: untouched.
    assert world.liege.answers.get(question__key="contact_email").value != "[erased]"
    queued.refresh_from_db()
    assert (queued.to_email, queued.status) == (ERASED_ADDRESS, MessageStatus.FAILED)
    assert "erased" in queued.body_text and queued.body_html == "" and queued.subject == "Your letter"
    failed.refresh_from_db()
    with pytest.raises(ResendRefused):
        resend_message(failed, by=world.a.coordinator)
    # The account goes too: Jeanne acts in no other call.
    jeanne = User.objects.get(pk=world.jeanne.pk)
    assert jeanne.email == f"erased-{jeanne.pk}@invalid.example" and jeanne.is_erased
    assert not jeanne.is_active and not jeanne.has_usable_password()
    assert jeanne.full_name == f"Erased account {jeanne.pk}"
    assert not EmailAddress.objects.filter(user=jeanne).exists()
    assert not client.login(email=EMAIL, password=DEFAULT_PASSWORD)
    assert mentions_of_jeanne() == []
    # Phone numbers too, wherever an answer held them.
    assert not Answer.objects.filter(value=PHONE).exists()


def test_every_erasure_is_recorded_and_audited_without_the_persons_data(client, world):
    client.force_login(world.a.coordinator)
    erase(client, world, world.jeanne)
    request = DataRequest.objects.get(kind="erasure")
    assert request.call == world.a.call and request.account_erased and request.by == world.a.coordinator
    # The call's email, and the account's own (its password reset): the account goes too.
    assert request.counts["personal_answers"] == 4 and request.counts["messages"] == 2
    assert request.counts["audit_events"] >= 2
    event = AuditEvent.objects.get(action="person.erased")
    assert event.call_id == world.a.call.pk and event.after["person"] == world.jeanne.pk
    assert "jeanne" not in json.dumps([event.object_repr, event.after, event.note]).lower()
    page = client.get(reverse("reviews:call_audit", args=[world.a.call.slug])).content.decode()
    assert "Person&#x27;s data erased" in page and NAME not in page


def test_someone_acting_in_another_call_keeps_their_account_until_an_administrator_erases_it(client, world):
    CallEvaluator.objects.create(call=world.b.call, user=world.jeanne)
    in_b = message(world.b.call, world.jeanne, "Assignments in call B", key="b:1")
    client.force_login(world.a.coordinator)
    page = client.get(
        reverse("privacy:call_person", args=[world.a.call.slug, world.jeanne.pk])
    ).content.decode()
    assert "They act in other calls." in page

    erase(client, world, world.jeanne)
    jeanne = User.objects.get(pk=world.jeanne.pk)
    assert (jeanne.email, jeanne.full_name, jeanne.is_active) == (EMAIL, NAME, True)
    assert world.nice.answers.get(question__key="contact_email").value == "[erased]"
    in_b.refresh_from_db()
    assert in_b.to_email == EMAIL and in_b.body_text.startswith(f"Dear {NAME}")  # call B's own
    assert not DataRequest.objects.get().account_erased

    client.force_login(administrator())
    response = client.post(reverse("privacy:person_erase", args=[jeanne.pk]), {"confirm": "erase"})
    assert response.status_code == 302
    jeanne.refresh_from_db()
    assert jeanne.is_erased and not jeanne.is_active
    in_b.refresh_from_db()
    assert in_b.to_email == ERASED_ADDRESS
    assert mentions_of_jeanne() == []


def test_erasing_an_evaluator_keeps_their_reviews_and_scores_under_no_name(client, world):
    evaluator = world.a.evaluators[0]
    reviews_before = exports.export(world.a.call, "csv", table="reviews")[2].decode("utf-8-sig").splitlines()
    scores = list(
        Score.objects.filter(review__evaluator=evaluator).order_by("pk").values_list("value", flat=True)
    )
    client.force_login(world.a.coordinator)
    erase(client, world, evaluator)
    evaluator.refresh_from_db()
    assert evaluator.is_erased
    assert (
        list(Score.objects.filter(review__evaluator=evaluator).order_by("pk").values_list("value", flat=True))
        == scores
    )
    reviews_after = exports.export(world.a.call, "csv", table="reviews")[2].decode("utf-8-sig").splitlines()
    assert len(reviews_after) == len(reviews_before)
    assert "Evaluator 1" not in "\n".join(reviews_after)
    assert f"Erased account {evaluator.pk}" in "\n".join(reviews_after)


def test_a_staff_account_or_ones_own_is_never_erased_by_a_coordinator(client, world):
    other_coordinator = world.a.call.coordinators.create(
        email="second@example.org", full_name="Second Coordinator"
    )
    client.force_login(world.a.coordinator)
    erase(client, world, other_coordinator)
    other_coordinator.refresh_from_db()
    assert other_coordinator.is_active and not other_coordinator.is_erased  # an administrator's to erase
    response = erase(client, world, world.a.coordinator)
    assert "cannot erase your own data" in client.get(response["Location"]).content.decode()
    assert not DataRequest.objects.filter(person=world.a.coordinator).exists()


def test_an_administrators_account_is_not_erased_while_it_has_the_rights(client, world):
    admin, other_admin = administrator(), administrator()
    client.force_login(admin)
    response = client.post(
        reverse("privacy:person_erase", args=[other_admin.pk]), {"confirm": "erase"}, follow=True
    )
    assert "administrator rights" in response.content.decode()
    other_admin.refresh_from_db()
    assert other_admin.is_active and not other_admin.is_erased


def test_erasure_asks_for_the_confirmation_and_changes_nothing_without_it(client, world):
    client.force_login(world.a.coordinator)
    response = client.post(
        reverse("privacy:call_person_erase", args=[world.a.call.slug, world.jeanne.pk]), follow=True
    )
    assert "Tick the confirmation" in response.content.decode()
    assert world.nice.answers.get(question__key="contact_email").value == EMAIL
    assert not DataRequest.objects.exists()


def test_an_erasure_only_reaches_the_call_it_is_made_in(client, world):
    """Jeanne's city applied to call B as well; a coordinator of A anonymises A's only."""
    in_b = InReviewApplicationFactory(call=world.b.call, organisation=world.nice.organisation)
    Answer.objects.create(
        application=in_b, question=world.questions["contact_email"], value=EMAIL, updated_by=world.jeanne
    )
    client.force_login(world.a.coordinator)
    erase(client, world, world.jeanne)
    assert in_b.answers.get().value == EMAIL
    assert User.objects.get(pk=world.jeanne.pk).email == EMAIL  # she acts in call B
