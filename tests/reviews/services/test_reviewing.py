"""Reviews: scores and comments, drafts, the live total, submitting, reopening, visibility."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from notifications.models import Message
from portal.models import AuditEvent
from reviews import services
from reviews.models import AssignmentStatus, Review, ReviewSettings, ReviewStatus, Visibility
from tests.factories.reviews import (
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
    submitted_review,
)
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

COLLEAGUE_VIEW = "The city has no public-private experience at all."
HAND_VALUES = ["4", "3.5", "3", "5", "2"]  # 20 + 14 + 12 + 20 + 6 = 72 out of 100


@pytest.fixture
def setup():
    application = InReviewApplicationFactory()
    criteria = five_criteria(application.call, threshold=Decimal(3))
    evaluator = evaluator_of(application.call)
    assignment = assigned(application, evaluator)
    return application, criteria, evaluator, assignment


def form_data(criteria, values, comments=None, action="save", recommendation="recommend", overall=""):
    data = {"action": action, "recommendation": recommendation, "overall_comment": overall}
    for index, (criterion, value) in enumerate(zip(criteria, values, strict=True)):
        data[f"score_{criterion.pk}"] = value
        data[f"comment_{criterion.pk}"] = (comments or {}).get(index, "")
    return data


def url_of(application):
    return reverse("reviews:evaluator_application", args=[application.pk])


def test_a_draft_is_saved_with_partial_scores(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    response = client.post(url_of(application), form_data(criteria, ["4", "", "", "", ""]))
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.status == ReviewStatus.DRAFT
    assert {s.criterion_id: s.value for s in review.scores.all()} == {criteria[0].pk: Decimal(4)}
    page = client.get(url_of(application))
    assert page.context["form"].initial[f"score_{criteria[0].pk}"] == "4"


def test_weighted_total_is_the_hand_computed_one_live_and_once_submitted(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    live = client.post(
        reverse("reviews:evaluator_review_total", args=[application.pk]), form_data(criteria, HAND_VALUES)
    )
    assert live.status_code == 200 and "72" in live.content.decode()
    assert live.context["total"] == Decimal("72.00")
    partial = client.post(
        reverse("reviews:evaluator_review_total", args=[application.pk]),
        form_data(criteria, ["5", "", "", "", ""]),
    )
    assert partial.context["total"] == Decimal("25.00") and not partial.context["complete"]
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Little dissemination."}, "submit"))
    page = client.get(url_of(application))
    assert page.context["total"] == Decimal("72.00")
    event = AuditEvent.objects.get(action="review.submitted")
    assert event.after == {"total": "72"}


def test_a_comment_is_required_under_a_criterions_threshold(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    response = client.post(url_of(application), form_data(criteria, HAND_VALUES, action="submit"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"comment_{criteria[4].pk}" in errors  # 2 is under the threshold of 3
    assert f"comment_{criteria[2].pk}" not in errors  # 3 is not under it
    assert not Review.objects.filter(status=ReviewStatus.SUBMITTED).exists()


def test_submitting_needs_every_score_and_a_recommendation(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    response = client.post(
        url_of(application), form_data(criteria, ["4", "", "4", "4", "4"], action="submit", recommendation="")
    )
    errors = response.context["form"].errors
    assert f"score_{criteria[1].pk}" in errors and "recommendation" in errors


def test_a_score_off_the_scale_is_refused(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    response = client.post(url_of(application), form_data(criteria, ["4.3", "6", "3", "3", "3"]))
    assert response.status_code == 200
    assert not Review.objects.exists()
    with pytest.raises(services.EvaluationError):
        services.parse_score("5.5", ReviewSettings.objects.for_call(application.call))


def test_submitting_locks_the_review_and_a_coordinator_can_reopen_it(client, setup):
    application, criteria, evaluator, assignment = setup
    client.force_login(evaluator)
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Weak."}, "submit"))
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE

    client.post(url_of(application), form_data(criteria, ["5"] * 5, action="save"))
    assert {s.value for s in Review.objects.get().scores.all()} != {Decimal(5)}
    with pytest.raises(services.EvaluationError):
        services.save_review(assignment, by=evaluator, values={}, comments={})

    coordinator = coordinator_of(application.call)
    client.force_login(coordinator)
    client.post(reverse("reviews:review_reopen", args=[review.pk]), {"note": "Check criterion 5."})
    review.refresh_from_db()
    assert review.status == ReviewStatus.REOPENED and review.reopened_by == coordinator
    event = AuditEvent.objects.get(action="review.reopened")
    assert event.note == "Check criterion 5." and event.actor == coordinator
    told = Message.objects.get(kind="review_reopened")
    assert told.to_email == evaluator.email and "Check criterion 5." in told.body_text

    client.force_login(evaluator)
    client.post(url_of(application), form_data(criteria, ["4", "3.5", "3", "5", "3"], action="submit"))
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.scores.get(criterion=criteria[4]).value == Decimal(3)


def test_every_score_change_is_audited_with_before_and_after(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    client.post(url_of(application), form_data(criteria, ["4", "", "", "", ""]))
    client.post(url_of(application), form_data(criteria, ["2.5", "", "", "", ""], {0: "Vague."}))
    client.post(url_of(application), form_data(criteria, ["2.5", "", "", "", ""], {0: "Vague."}))
    events = list(AuditEvent.objects.filter(action="review.scores_changed").order_by("id"))
    assert len(events) == 2
    key = str(criteria[0].pk)
    assert events[0].before == {key: None} and events[0].after[key]["value"] == "4"
    assert events[1].before[key]["value"] == "4" and events[1].after[key] == {
        "value": "2.5",
        "comment": "Vague.",
    }
    assert all(e.actor == evaluator for e in events)


def others_visible(client, application, evaluator):
    client.force_login(evaluator)
    return client.get(url_of(application)).context["others"]


@pytest.fixture
def colleague_reviewed(setup):
    application, criteria, _evaluator, _assignment = setup
    colleague = evaluator_of(application.call)
    review = submitted_review(assigned(application, colleague), criteria, [1, 1, 1, 1, 1])
    review.overall_comment = COLLEAGUE_VIEW
    review.save()
    return setup


def test_other_reviews_show_only_after_the_evaluators_own_is_submitted(client, colleague_reviewed):
    application, criteria, evaluator, _assignment = colleague_reviewed
    assert others_visible(client, application, evaluator) == []
    assert COLLEAGUE_VIEW not in client.get(url_of(application)).content.decode()
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Weak."}, "submit"))
    others = others_visible(client, application, evaluator)
    assert len(others) == 1 and others[0]["total"] == Decimal("20.00")
    assert COLLEAGUE_VIEW in client.get(url_of(application)).content.decode()


def test_other_reviews_never_show_when_the_call_says_never(client, colleague_reviewed):
    application, criteria, evaluator, _assignment = colleague_reviewed
    ReviewSettings.objects.create(call=application.call, review_visibility=Visibility.NEVER)
    client.force_login(evaluator)
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Weak."}, "submit"))
    assert others_visible(client, application, evaluator) == []


def test_other_reviews_always_show_when_the_call_says_always(client, colleague_reviewed):
    application, _criteria, evaluator, _assignment = colleague_reviewed
    ReviewSettings.objects.create(call=application.call, review_visibility=Visibility.ALWAYS)
    assert len(others_visible(client, application, evaluator)) == 1


def test_a_colleagues_draft_is_never_shown(client, setup):
    application, criteria, evaluator, _assignment = setup
    ReviewSettings.objects.create(call=application.call, review_visibility=Visibility.ALWAYS)
    colleague = evaluator_of(application.call)
    services.save_review(
        assigned(application, colleague), by=colleague, values={criteria[0].pk: Decimal(1)}, comments={}
    )
    assert others_visible(client, application, evaluator) == []


def test_scores_are_locked_once_the_selection_is_final(setup):
    application, _criteria, evaluator, assignment = setup
    from django.utils import timezone

    ReviewSettings.objects.create(call=application.call, finalised_at=timezone.now())
    with pytest.raises(services.EvaluationError):
        services.save_review(assignment, by=evaluator, values={}, comments={})


def test_review_page_queries_do_not_grow_with_the_call_or_other_reviews(
    client, django_assert_num_queries, colleague_reviewed
):
    application, criteria, evaluator, _assignment = colleague_reviewed
    ReviewSettings.objects.create(call=application.call, review_visibility=Visibility.ALWAYS)
    client.force_login(evaluator)
    url = url_of(application)
    client.post(url, form_data(criteria, ["4", "", "", "", ""]))
    client.get(url)  # shows (and so spends) the "Draft saved" message
    small = count_queries(client, url)
    for _ in range(3):
        colleague = evaluator_of(application.call)
        submitted_review(assigned(application, colleague), criteria, [2, 3, 4, 5, 1])
        other = InReviewApplicationFactory(call=application.call)
        assigned(other, evaluator)
    with django_assert_num_queries(small):
        page = client.get(url)
    assert len(page.context["others"]) == 4


def test_the_draft_is_saved_as_the_evaluator_works(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    url = reverse("reviews:evaluator_review_autosave", args=[application.pk])
    response = client.post(url, form_data(criteria, ["4", "3.5", "", "", ""]))
    assert "Draft saved" in response.content.decode()
    review = Review.objects.get()
    assert review.status == ReviewStatus.DRAFT and review.scores.count() == 2
    refused = client.post(url, form_data(criteria, ["4.2", "", "", "", ""]))
    assert "Not saved" in refused.content.decode()
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Weak."}, "submit"))
    locked = client.post(url, form_data(criteria, ["1"] * 5))
    assert "locked" in locked.content.decode()
    assert Review.objects.get().scores.get(criterion=criteria[0]).value == Decimal(4)


def test_autosave_is_closed_to_anyone_not_cleared(client, setup):
    application, criteria, _evaluator, _assignment = setup
    stranger = evaluator_of(application.call)
    client.force_login(stranger)
    url = reverse("reviews:evaluator_review_autosave", args=[application.pk])
    assert client.post(url, form_data(criteria, ["4"] * 5)).status_code == 404
    assigned(application, stranger, confirmed=False)
    assert client.post(url, form_data(criteria, ["4"] * 5)).status_code == 404
    assert not Review.objects.exists()


def test_evaluator_pages_speak_french(client, settings, colleague_reviewed):
    application, criteria, evaluator, _assignment = colleague_reviewed
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(evaluator)
    assert "Mes évaluations" in client.get(reverse("reviews:evaluator_home")).content.decode()
    client.post(url_of(application), form_data(criteria, HAND_VALUES, {4: "Faible."}, "submit"))
    page = client.get(url_of(application)).content.decode()
    assert "Votre évaluation" in page and "Total pondéré" in page
    total = client.post(
        reverse("reviews:evaluator_review_total", args=[application.pk]),
        form_data(criteria, ["5", "", "", "", ""]),
    )
    assert "zéro" in total.content.decode()


def test_each_field_in_error_points_to_its_message(client, setup):
    application, criteria, evaluator, _assignment = setup
    client.force_login(evaluator)
    response = client.post(
        url_of(application), form_data(criteria, ["4", "", "4", "4", "2"], action="submit", recommendation="")
    )
    content = response.content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', content)
    assert described  # the fields in error say where their message is
    for ids in described:
        for id_ in ids.split():
            assert f'id="{id_}"' in content, id_
    score = f"id_score_{criteria[1].pk}"
    assert re.search(rf'<div id="{score}_error"[^>]*>[^<]+</div>', content)
