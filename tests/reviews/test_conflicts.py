"""Conflicts of interest: declared or by the own-country rule, a conflicted evaluator sees nothing."""

import pytest
from django.urls import reverse

from intake.models import Answer
from portal.models import AuditEvent
from reviews import services
from reviews.conflicts import is_conflicted
from reviews.models import AssignmentStatus, ConflictScope, ReviewSettings
from tests.factories import OrganisationFactory, QuestionFactory, SectionFactory
from tests.factories.reviews import InReviewApplicationFactory, assigned, coordinator_of, evaluator_of

pytestmark = pytest.mark.django_db

SECRET = "Our plan for the Promenade des Anglais"


def application_with_answer(**fields):
    application = InReviewApplicationFactory(**fields)
    question = QuestionFactory(section=SectionFactory(call=application.call), key="plan")
    Answer.objects.create(application=application, question=question, value=SECRET)
    return application


def review_url(application):
    return reverse("reviews:evaluator_application", args=[application.pk])


def test_the_full_application_opens_only_after_no_conflict_is_confirmed(client):
    application = application_with_answer(organisation=OrganisationFactory(name="Nice", country="FR"))
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator, confirmed=False)
    client.force_login(evaluator)
    gate = client.get(review_url(application))
    assert gate.status_code == 200
    assert "Nice" in gate.content.decode() and "France" in gate.content.decode()
    assert SECRET not in gate.content.decode()
    assert not evaluator.has_perm("intake.view_application", application)
    total = client.post(reverse("reviews:evaluator_review_total", args=[application.pk]))
    assert total.status_code == 404

    client.post(reverse("reviews:evaluator_confirm_no_conflict", args=[application.pk]))
    page = client.get(review_url(application))
    assert SECRET in page.content.decode()
    assert evaluator.has_perm("intake.view_application", application)
    assert AuditEvent.objects.filter(action="conflict.none_confirmed", actor=evaluator).exists()


@pytest.mark.parametrize(
    "scope", [ConflictScope.APPLICATION, ConflictScope.ORGANISATION, ConflictScope.COUNTRY]
)
def test_a_declared_conflict_closes_the_application_whatever_the_url(client, scope):
    application = application_with_answer(organisation=OrganisationFactory(country="IT"))
    evaluator = evaluator_of(application.call)
    assignment = assigned(application, evaluator)
    services.declare_conflict(
        evaluator,
        application.call,
        scope=scope,
        application=application,
        organisation=application.organisation,
        country="it",
    )
    client.force_login(evaluator)
    for url in (
        review_url(application),
        reverse("reviews:evaluator_review_total", args=[application.pk]),
        reverse("reviews:evaluator_confirm_no_conflict", args=[application.pk]),
        reverse("reviews:evaluator_decline", args=[application.pk]),
    ):
        assert client.post(url).status_code == 404
    assert client.get(review_url(application)).status_code == 404
    assert not evaluator.has_perm("intake.view_application", application)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    event = AuditEvent.objects.get(action="conflict.declared")
    assert event.actor == evaluator and event.after["scope"] == scope


def test_own_country_rule_makes_an_evaluator_conflicted_with_every_city_of_their_country(client):
    application = application_with_answer(organisation=OrganisationFactory(country="FR"))
    evaluator = evaluator_of(application.call, country="FR")
    assigned(application, evaluator)
    client.force_login(evaluator)
    assert SECRET in client.get(review_url(application)).content.decode()

    ReviewSettings.objects.create(call=application.call, conflict_with_own_country=True)
    assert client.get(review_url(application)).status_code == 404
    assert not evaluator.has_perm("intake.view_application", application)


def test_declaring_from_the_gate_takes_the_application_off_the_list(client):
    application = application_with_answer()
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator, confirmed=False)
    client.force_login(evaluator)
    response = client.post(
        reverse("reviews:evaluator_conflict", args=[application.pk]),
        {"scope": ConflictScope.ORGANISATION, "note": "My sister is deputy mayor."},
    )
    assert response.status_code == 302
    home = client.get(reverse("reviews:evaluator_home"))
    assert application.organisation.name not in home.content.decode()
    assert client.get(review_url(application)).status_code == 404


def test_a_conflicted_evaluator_cannot_be_assigned_by_hand(client):
    application = InReviewApplicationFactory()
    call = application.call
    evaluator = evaluator_of(call)
    services.declare_conflict(
        evaluator, call, scope=ConflictScope.COUNTRY, country=application.organisation.country
    )
    coordinator = coordinator_of(call)
    client.force_login(coordinator)
    response = client.post(
        reverse("reviews:assignment_add", args=[application.pk]), {"evaluator": evaluator.pk}, follow=True
    )
    assert "conflict of interest" in response.content.decode()
    assert not application.assignments.exists()


def test_country_declarations_page_lists_and_records(client):
    application = InReviewApplicationFactory()
    evaluator = evaluator_of(application.call)
    client.force_login(evaluator)
    url = reverse("reviews:evaluator_conflicts", args=[application.call.slug])
    assert client.post(url, {"country": "BE", "note": "I worked for Liège"}).status_code == 302
    assert "Belgium" in client.get(url).content.decode()
    assert is_conflicted(
        evaluator,
        InReviewApplicationFactory(call=application.call, organisation=OrganisationFactory(country="BE")),
    )


def test_conflicts_page_is_only_for_the_calls_evaluators(client):
    application = InReviewApplicationFactory()
    outsider = evaluator_of(InReviewApplicationFactory().call)
    client.force_login(outsider)
    assert client.get(reverse("reviews:evaluator_conflicts", args=[application.call.slug])).status_code == 404


def test_files_download_only_for_a_cleared_evaluator(client):
    from django.core.files.base import ContentFile

    from intake.models import Document, QuestionKind

    application = application_with_answer()
    question = QuestionFactory(
        section=SectionFactory(call=application.call), key="letter", kind=QuestionKind.FILE
    )
    document = Document(
        application=application,
        question=question,
        original_name="letter.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    document.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator, confirmed=False)
    client.force_login(evaluator)
    url = reverse("intake:document_download", args=[document.pk])
    assert client.get(url).status_code == 404
    services.confirm_no_conflict(evaluator, application)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    page = client.get(review_url(application)).content.decode()
    assert url in page
    services.declare_conflict(
        evaluator, application.call, scope=ConflictScope.APPLICATION, application=application
    )
    assert client.get(url).status_code == 404
    assert not evaluator.has_perm("intake.view_document", document)
