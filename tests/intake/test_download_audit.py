"""Applicants' files read by staff are in the audit log: who, which file, when."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from intake.models import Document, QuestionKind
from portal.models import AuditEvent
from tests.factories import MembershipFactory, QuestionFactory, SectionFactory
from tests.factories.reviews import InReviewApplicationFactory, assigned, coordinator_of, evaluator_of
from tests.reviews.test_issued_documents import with_receipt_and_letters

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    application = InReviewApplicationFactory()
    MembershipFactory(organisation=application.organisation)
    question = QuestionFactory(
        section=SectionFactory(call=application.call), key="letter", kind=QuestionKind.FILE
    )
    row = Document(
        application=application,
        question=question,
        original_name="Letter of commitment.pdf",
        content_type="application/pdf",
        size=15,
        sha256="a" * 64,
    )
    row.file.save("letter", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return row


def download(client, user, url):
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response.status_code


def test_a_coordinator_downloading_an_applicants_file_is_recorded(client, document):
    coordinator = coordinator_of(document.application.call)
    assert download(client, coordinator, reverse("intake:document_download", args=[document.pk])) == 200
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.actor == coordinator and event.at is not None
    assert (event.object_type, event.object_id) == ("intake.document", str(document.pk))
    assert event.call_id == document.application.call_id
    assert event.after["name"] == "Letter of commitment.pdf"
    assert event.after["reference"] == document.application.reference
    # The call's audit page shows it, in words.
    client.force_login(coordinator)
    page = client.get(reverse("reviews:call_audit", args=[document.application.call.slug])).content.decode()
    assert "File downloaded" in page and "Letter of commitment.pdf" in page


def test_an_evaluators_download_is_recorded_too(client, document):
    evaluator = evaluator_of(document.application.call)
    assigned(document.application, evaluator)
    assert download(client, evaluator, reverse("intake:document_download", args=[document.pk])) == 200
    assert AuditEvent.objects.downloads().get().actor == evaluator


def test_the_citys_own_members_and_refused_requests_leave_no_download_record(client, document):
    member = document.application.organisation.members.get()
    url = reverse("intake:document_download", args=[document.pk])
    assert download(client, member, url) == 200
    stranger = coordinator_of(InReviewApplicationFactory().call)
    assert download(client, stranger, url) == 404
    assert not AuditEvent.objects.downloads().exists()


def test_a_coordinator_downloading_an_issued_letter_is_recorded(client):
    application, _receipt, [letter] = with_receipt_and_letters(1)
    coordinator = coordinator_of(application.call)
    url = reverse("intake:issued_document_download", args=[application.pk, letter.pk])
    assert download(client, coordinator, url) == 200
    assert download(client, application.submitted_by, url) == 200  # the city's own: not recorded
    event = AuditEvent.objects.get(action="issued_document.downloaded")
    assert event.actor == coordinator and event.object_id == str(letter.pk)
    assert event.after == {
        "application": application.pk,
        "reference": application.reference,
        "name": letter.filename,
        "kind": letter.kind,
        "version": 1,
    }
