"""The application page lists the documents issued about it; only the city and the call's
coordinators download them, not the evaluators who read the application."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake import receipts
from reviews import letters
from reviews.models import Decision, Outcome
from tests.factories.reviews import assigned, coordinator_of, evaluator_of
from tests.intake.test_receipts import submitted_application

pytestmark = pytest.mark.django_db


def with_receipt_and_letters(letter_versions=2):
    application, _document = submitted_application()
    receipt = receipts.issue_submission_receipt(application)
    decision = Decision.objects.create(application=application, outcome=Outcome.SELECTED)
    issued = [letters.issue_decision_letter(decision, force=True) for _ in range(letter_versions)]
    return application, receipt, issued


def download_url(application, document):
    return reverse("intake:issued_document_download", args=[application.pk, document.pk])


def test_applicant_page_lists_every_issued_version_with_a_download_link(client):
    application, receipt, issued = with_receipt_and_letters()
    client.force_login(application.submitted_by)

    page = client.get(reverse("intake:application_detail", args=[application.pk])).content.decode()

    assert "Documents issued" in page
    assert receipt.title in page
    for document in (receipt, *issued):
        assert download_url(application, document) in page
    assert page.count(issued[0].title) == 2  # both versions of the letter


def test_member_downloads_the_letter_as_an_attachment(client):
    application, _receipt, issued = with_receipt_and_letters(1)
    client.force_login(application.submitted_by)

    response = client.get(download_url(application, issued[0]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_coordinator_downloads_the_letter(client):
    application, _receipt, issued = with_receipt_and_letters(1)
    client.force_login(coordinator_of(application.call))

    assert client.get(download_url(application, issued[0])).status_code == 200


def test_assigned_evaluator_cannot_download_nor_see_the_issued_documents(client):
    application, receipt, issued = with_receipt_and_letters(1)
    evaluator = evaluator_of(application.call)
    assigned(application, evaluator)
    client.force_login(evaluator)

    for document in (receipt, issued[0]):
        assert client.get(download_url(application, document)).status_code == 404
    page = client.get(reverse("intake:application_detail", args=[application.pk]))
    if page.status_code == 200:
        assert download_url(application, receipt) not in page.content.decode()


def test_the_list_of_issued_documents_costs_the_same_queries_at_any_length(client):
    def queries(application):
        client.force_login(application.submitted_by)
        url = reverse("intake:application_detail", args=[application.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    few, _, _ = with_receipt_and_letters(1)
    many, _, _ = with_receipt_and_letters(4)

    assert queries(few) == queries(many)
