"""The outbox and the audit log speak the coordinator's language, not the portal's codes."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal.audit import record
from reviews import services
from reviews.models import EligibilityScreening
from tests.factories.reviews import (
    ClosedCallFactory,
    InReviewApplicationFactory,
    assigned,
    coordinator_of,
    evaluator_of,
    five_criteria,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    """What the page says, without markup and attribute values (an option's value stays a code)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.fixture
def assigned_call():
    call = ClosedCallFactory(title_en="Safer squares", title_fr="Places plus sûres")
    application = InReviewApplicationFactory(call=call, organisation__name="Ghent")
    coordinator = coordinator_of(call)
    services.assign_evaluator(application, evaluator_of(call), by=coordinator)
    return call, application, coordinator


@pytest.mark.parametrize(
    ("language", "kind", "scope"),
    [
        ("en", "Assignment to an evaluator", "Safer squares"),
        ("fr", "Affectation à un évaluateur", "Places plus sûres"),
    ],
)
def test_outbox_names_message_types_and_scopes_in_words(client, assigned_call, language, kind, scope):
    call, _application, coordinator = assigned_call
    client.force_login(coordinator)
    in_language(client, language)

    outbox = client.get(reverse("notifications:outbox"))
    page = text_of(outbox)

    assert kind in page and scope in page
    assert f"call:{call.pk}" not in page and " assignment " not in page
    # The filters offer the same words and still filter by the stored codes.
    html = outbox.content.decode()
    assert f'<option value="call:{call.pk}">{scope}</option>' in html
    assert f'<option value="assignment">{kind}</option>' in html
    message = outbox.context["page"].object_list[0]
    detail = text_of(client.get(reverse("notifications:message_detail", args=[message.pk])))
    assert kind in detail and scope in detail and f"call:{call.pk}" not in detail


def test_outbox_words_cost_one_query_per_kind_of_scope_not_per_message(client, django_assert_max_num_queries):
    call = ClosedCallFactory()
    coordinator = coordinator_of(call)
    for _ in range(6):
        services.assign_evaluator(InReviewApplicationFactory(call=call), evaluator_of(call), by=coordinator)
    client.force_login(coordinator)
    client.get(reverse("notifications:outbox"))  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:outbox"))
    for _ in range(6):
        services.assign_evaluator(InReviewApplicationFactory(call=call), evaluator_of(call), by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:outbox"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Status: Draft", "Status: Submitted", "Application: ", "Ghent", "Eligible country: Yes"]),
        ("fr", ["Statut\u00a0: Brouillon", "Statut\u00a0: Soumise", "Ghent", "Oui"]),
    ],
)
def test_audit_log_shows_fields_and_values_in_words(client, assigned_call, language, expected):
    call, application, coordinator = assigned_call
    record(
        coordinator,
        "application.submitted",
        application,
        before={"status": "draft"},
        after={"status": "submitted"},
    )
    record(
        coordinator,
        "eligibility.decided",
        EligibilityScreening.objects.create(application=application),
        after={"application": application.pk, "eligible_country": True},
        call_id=call.pk,
    )
    client.force_login(coordinator)
    in_language(client, language)

    page = text_of(client.get(reverse("reviews:call_audit", args=[call.slug])))

    for words in expected:
        assert words in page
    for code in ('status: "draft"', f"application: {application.pk}", "true"):
        assert code not in page


def test_audit_log_names_a_reviews_scores_by_criterion(client, assigned_call):
    call, application, coordinator = assigned_call
    criteria = five_criteria(call)
    criteria[0].name_en, criteria[0].name_fr = "Relevance", "Pertinence"
    criteria[0].save()
    assignment = assigned(application, evaluator_of(call))
    services.save_review(assignment, by=assignment.evaluator, values={criteria[0].pk: 4}, comments={})
    services.save_review(
        assignment, by=assignment.evaluator, values={criteria[0].pk: 2}, comments={criteria[0].pk: "Thin."}
    )
    client.force_login(coordinator)

    page = text_of(
        client.get(reverse("reviews:call_audit", args=[call.slug]), {"action": "review.scores_changed"})
    )
    assert "Relevance: Score: 4" in page
    assert "Relevance: Score: 2; Comment: Thin." in page
    in_language(client, "fr")
    page = text_of(
        client.get(reverse("reviews:call_audit", args=[call.slug]), {"action": "review.scores_changed"})
    )
    assert "Pertinence\u00a0: Note" in page
