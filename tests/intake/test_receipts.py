"""The submission receipt: every answer, every file with its size and fingerprint."""

import hashlib
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from intake import receipts
from intake.models import Answer, Document
from notifications.models import IssuedDocument, MessageStatus
from notifications.services import queue_message
from portal import roles
from tests.factories import UserFactory
from tests.factories.applications import applicant, call_with_questions, pdf_bytes, question
from tests.factories.reviews import SubmittedApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_in_the_tests_storage")]


def submitted_application(motivation="We protect our squares."):
    call = call_with_questions()
    application = SubmittedApplicationFactory(call=call, organisation__name="Lyon")
    user = applicant(application.organisation, full_name="Anne Martin")
    application.submitted_by = user
    application.save()
    Answer.objects.create(application=application, question=question(call, "motivation"), value=motivation)
    Answer.objects.create(application=application, question=question(call, "officers"), value=420)
    Answer.objects.create(application=application, question=question(call, "efus_member"), value=True)
    Answer.objects.create(application=application, question=question(call, "english"), value="c1")
    Answer.objects.create(
        application=application, question=question(call, "events"), value=["sport", "music"]
    )
    content = pdf_bytes("Signed letter")
    document = Document(
        application=application,
        question=question(call, "letter"),
        original_name="letter-of-commitment.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    document.file.save("upload", ContentFile(content), save=True)
    return application, document


def text_of(issued):
    with issued.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\n", " ")


def test_receipt_lists_every_answer_and_each_file_with_its_fingerprint():
    application, document = submitted_application()

    receipt = receipts.issue_submission_receipt(application)

    text = text_of(receipt)
    assert application.reference in text
    assert "Lyon" in text
    assert "We protect our squares." in text
    assert "420" in text
    assert "Yes" in text
    assert "C1" in text and "Sport" in text and "Music" in text
    assert "letter-of-commitment.pdf" in text
    assert document.sha256 in text.replace(" ", "")
    assert receipt.filename == f"{application.reference}-receipt.pdf"


def test_receipt_shows_markup_typed_by_the_applicant_as_text_and_loads_nothing():
    application, _document = submitted_application(
        motivation='<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
        " http://169.254.169.254/"
    )

    receipt = receipts.issue_submission_receipt(application)

    with receipt.file.open("rb") as handle:
        content = handle.read()
    assert b"root:x:0:0" not in content
    assert not PdfReader(io.BytesIO(content)).attachments
    assert "file:///etc/passwd" in text_of(receipt)


def test_confirmation_waits_for_the_receipt_a_worker_renders(django_capture_on_commit_callbacks):
    application, _document = submitted_application()

    with django_capture_on_commit_callbacks(execute=True):
        message = queue_message(
            kind="submission_confirmation",
            to=application.submitted_by,
            template="intake/emails/submission_confirmation",
            context={
                "reference": application.reference,
                "organisation_name": "Lyon",
                "call_title": "Call",
                "submitted_at": application.submitted_at,
                "call_timezone": application.call.timezone,
            },
            idempotency_key=receipts.confirmation_key(application),
            attachments_from=[receipts.attachment_task(application)],
        )
        assert mail.outbox == []

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert [a.filename for a in mail.outbox[0].attachments] == [f"{application.reference}-receipt.pdf"]
    assert mail.outbox[0].attachments[0].content.startswith(b"%PDF")


def test_receipt_is_rendered_once():
    application, _document = submitted_application()

    first = receipts.issue_submission_receipt(application)
    again = receipts.issue_submission_receipt(application)

    assert first == again
    assert IssuedDocument.objects.filter(kind=receipts.RECEIPT_KIND).count() == 1


def test_receipt_follows_the_applicants_language():
    application, _document = submitted_application()
    application.submitted_by.language = "fr"
    application.submitted_by.save()

    receipt = receipts.issue_submission_receipt(application)

    assert receipt.language == "fr"


def test_receipt_downloads_for_the_applicant_and_the_coordinator_only(client):
    application, _document = submitted_application()
    receipt = receipts.issue_submission_receipt(application)
    url = reverse("intake:issued_document_download", args=[application.pk, receipt.pk])
    coordinator = UserFactory(role=roles.COORDINATOR)
    application.call.coordinators.add(coordinator)
    other_application, _other = submitted_application()

    outsider = UserFactory(role=roles.APPLICANT)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(other_application.submitted_by)
    assert client.get(url).status_code == 404
    wrong_pair = reverse("intake:issued_document_download", args=[other_application.pk, receipt.pk])
    assert client.get(wrong_pair).status_code == 404

    for user in (application.submitted_by, coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
