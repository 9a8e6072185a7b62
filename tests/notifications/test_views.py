"""The coordinator's outbox, the progress fragment and the public verification page."""

import contextlib
import hashlib

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import delivery, services
from notifications.downloads import document_response
from notifications.models import IssuedDocument, Message, MessageStatus
from notifications.rules import _scope_readers as scope_readers
from notifications.rules import register_scope_reader
from portal import roles
from portal.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.notifications.smtp_server import FakeSMTPServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]


def make_message(
    n, *, status=MessageStatus.SENT, scope="call:pactesur-2", kind="testapp.city_notice", error=""
):
    return Message.objects.create(
        kind=kind,
        scope=scope,
        to_email=f"person{n}@example.org",
        subject=f"Subject {n}",
        body_text=f"Body {n}",
        body_html=f"<p>Body {n}</p>",
        status=status,
        last_error=error,
        idempotency_key=f"event:{kind}:{n}",
    )


# The scopes the coordinator of these tests reads. Domain apps register who reads which
# scope (intake: a call's coordinators); here a reader of the tests' own does.
COORDINATED_SCOPES = {"call:pactesur-2", "call:other", "call:c0", "call:c1", "call:c2"}


@contextlib.contextmanager
def reading_scopes(user, scopes):
    def reader(someone):
        return scopes if someone.pk == user.pk else ()

    register_scope_reader(reader)
    try:
        yield
    finally:
        scope_readers.remove(reader)


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    client.force_login(user)
    with reading_scopes(user, COORDINATED_SCOPES):
        yield user


@pytest.mark.parametrize("role", [None, roles.APPLICANT, roles.EVALUATOR])
def test_outbox_does_not_exist_for_anyone_but_coordinators(client, role):
    message = make_message(1, status=MessageStatus.FAILED)
    client.force_login(UserFactory(role=role, verified=True))

    for url in [
        reverse("notifications:outbox"),
        reverse("notifications:message_detail", args=[message.pk]),
        reverse("notifications:message_html", args=[message.pk]),
        reverse("notifications:progress") + "?scope=call:pactesur-2",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("notifications:message_resend", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_outbox_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("notifications:outbox"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_outbox_lists_and_filters_messages(client, coordinator):
    make_message(1, status=MessageStatus.SENT)
    make_message(2, status=MessageStatus.FAILED, error="550 5.1.1 No such mailbox")
    make_message(3, status=MessageStatus.QUEUED, scope="call:other", kind="testapp.reminder")

    everything = client.get(reverse("notifications:outbox")).content.decode()
    failed = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    other_call = client.get(reverse("notifications:outbox"), {"scope": "call:other"}).content.decode()
    reminders = client.get(reverse("notifications:outbox"), {"kind": "testapp.reminder"}).content.decode()

    assert all(f"Subject {n}" in everything for n in (1, 2, 3))
    assert "Subject 2" in failed and "Subject 1" not in failed and "Subject 3" not in failed
    assert "550 5.1.1 No such mailbox" in failed
    assert "Subject 3" in other_call and "Subject 1" not in other_call
    assert "Subject 3" in reminders and "Subject 2" not in reminders


def test_outbox_ignores_an_unknown_filter_value(client, coordinator):
    make_message(1)

    response = client.get(reverse("notifications:outbox"), {"status": "nonsense"})

    assert response.status_code == 200
    assert "Subject 1" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 12])
def test_outbox_query_count_does_not_grow_with_messages(client, coordinator, django_assert_num_queries, rows):
    for n in range(rows):
        make_message(n, status=MessageStatus.FAILED if n % 2 else MessageStatus.SENT, scope=f"call:c{n % 3}")

    # session, user, the calls and the projects the user coordinates, groups, kinds, scopes, count, page
    with django_assert_num_queries(9):
        response = client.get(reverse("notifications:outbox"), {"status": "failed"})
    assert response.status_code == 200


def test_message_page_shows_the_body_and_the_error(client, coordinator):
    message = make_message(1, status=MessageStatus.FAILED, error="550 5.1.1 No such mailbox")

    page = client.get(reverse("notifications:message_detail", args=[message.pk])).content.decode()

    assert "Body 1" in page
    assert "550 5.1.1 No such mailbox" in page
    assert reverse("notifications:message_resend", args=[message.pk]) in page


def test_html_body_is_served_sandboxed(client, coordinator):
    message = make_message(1)

    response = client.get(reverse("notifications:message_html", args=[message.pk]))

    assert response.content == b"<p>Body 1</p>"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_permanent_failure_shows_on_the_outbox_and_resend_delivers_it(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    with FakeSMTPServer(answers=["550 5.1.1 No such mailbox", "250 OK"]) as server:
        settings.MAILERS = server.mailer()
        message = services.queue_message(
            kind="testapp.city_notice",
            to="mayor@example.org",
            template="testapp/emails/city_notice",
            context={"city": "Lyon", "contact": "Ana"},
            idempotency_key="application:9:submitted",
            scope="call:pactesur-2",
        )
        delivery.deliver(message.pk)

        listing = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
        assert "Your application for Lyon" in listing
        assert "550 5.1.1 No such mailbox" in listing

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("notifications:message_resend", args=[message.pk]))

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(server.accepted) == 1
    event = AuditEvent.objects.get(action="message.resent")
    assert event.actor == coordinator
    assert event.object_id == str(message.pk)


def test_resending_a_sent_message_is_refused(client, coordinator):
    message = make_message(1, status=MessageStatus.SENT)

    response = client.post(reverse("notifications:message_resend", args=[message.pk]), follow=True)

    assert "Only a failed message can be sent again." in response.content.decode()
    assert not AuditEvent.objects.filter(action="message.resent").exists()
    assert mail.outbox == []


def test_progress_counts_messages_of_a_scope_and_polls_until_done(client, coordinator):
    make_message(1, status=MessageStatus.SENT)
    make_message(2, status=MessageStatus.QUEUED)
    make_message(3, status=MessageStatus.FAILED)
    make_message(4, status=MessageStatus.SENT, scope="call:other")
    url = reverse("notifications:progress") + "?scope=call:pactesur-2"

    pending = client.get(url, headers={"HX-Request": "true"})
    Message.objects.filter(status=MessageStatus.QUEUED).update(status=MessageStatus.SENT)
    done = client.get(url, headers={"HX-Request": "true"})

    assert pending.context["counts"]["total"] == 3
    assert pending.context["finished"] == 2
    assert 'data-hx-trigger="every 2s"' in pending.content.decode()
    assert "<html" not in pending.content.decode()
    assert done.context["done"] is True
    assert "data-hx-trigger" not in done.content.decode()
    assert 'value="3"' in done.content.decode()


def test_progress_waits_for_the_expected_number_of_messages(client, coordinator):
    make_message(1, status=MessageStatus.SENT)

    response = client.get(reverse("notifications:progress"), {"scope": "call:pactesur-2", "expected": "11"})

    assert response.context["total"] == 11
    assert response.context["done"] is False


@pytest.mark.parametrize("rows", [3, 30])
def test_progress_is_one_query_whatever_the_number_of_messages(
    client, coordinator, django_assert_num_queries, rows
):
    for n in range(rows):
        make_message(n)

    with django_assert_num_queries(6):  # session, user, coordinated calls and projects, groups, counts
        client.get(
            reverse("notifications:progress"), {"scope": "call:pactesur-2"}, headers={"HX-Request": "true"}
        )


def issue(**overrides):
    options = {
        "kind": "testapp.letter",
        "subject_key": "application:5",
        "template": "notifications/pdf/record.html",
        "context": {"document_title": "Decision", "rows": [("City", "Lyon")]},
        "language": "en",
        "title": "Decision letter",
        "filename": "PS2-005-decision.pdf",
        "public_summary": {"city": "Lyon", "decision": "Selected", "date": "2026-12-01"},
    }
    return services.issue_document(**(options | overrides))


def test_issued_document_is_stored_with_its_fingerprint():
    document = issue()

    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.version == 1
    assert "PS2" not in document.file.name and document.file.name.startswith("documents/")


def test_issuing_again_keeps_the_earlier_version():
    first = issue()
    second = issue(public_summary={"city": "Lyon", "decision": "Reserve list"})

    assert second.version == 2
    assert IssuedDocument.objects.current("testapp.letter", "application:5") == second
    assert IssuedDocument.objects.filter(pk=first.pk).exists()
    assert first.verification_code != second.verification_code
    assert first.file.name != second.file.name


def test_verification_page_confirms_a_document_and_shows_nothing_else(client):
    document = issue()

    response = client.get(reverse("notifications:verify", args=[document.display_code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lyon" in page and "Selected" in page
    assert document.sha256 in page
    assert "PS2-005-decision.pdf" not in page
    assert "Decision letter" not in page
    assert "application:5" not in page


def test_verification_accepts_a_code_typed_without_dashes_in_lower_case(client):
    document = issue()

    response = client.get(f"/verify/{document.verification_code.lower()}")

    assert response.status_code == 200
    assert document.sha256 in response.content.decode()


def test_unknown_verification_code_is_not_found(client):
    issue()

    response = client.get(reverse("notifications:verify", args=["AAAA-BBBB-CCCC-DDDD"]))

    assert response.status_code == 404
    assert "Document not found" in response.content.decode()


def test_document_download_is_an_attachment_never_sniffed():
    document = issue()

    response = document_response(document)

    assert response["Content-Disposition"].startswith("attachment")
    assert "PS2-005-decision.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_login_with_password_still_works_for_coordinators(client):
    """Guard for the decorator order: login_required runs before the role check."""
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)

    with reading_scopes(user, COORDINATED_SCOPES):
        assert client.get(reverse("notifications:outbox")).status_code == 200


def test_outbox_pages_go_newest_first_and_keep_the_filters(client, coordinator, monkeypatch):
    from notifications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        make_message(n, status=MessageStatus.FAILED)
    make_message(9, status=MessageStatus.SENT)
    url = reverse("notifications:outbox")

    first = client.get(url, {"status": "failed"})
    page = first.context["page"]
    assert [m.subject for m in page] == ["Subject 4", "Subject 3"]
    assert page.total == 5
    content = first.content.decode()
    assert 'aria-label="Pages of messages"' in content and 'aria-current="page"' in content
    assert "status=failed" in content and "after=" in content

    second = client.get(url, {"status": "failed", "after": page.next_cursor})
    assert [m.subject for m in second.context["page"]] == ["Subject 2", "Subject 1"]
    back = client.get(url, {"status": "failed", "before": second.context["page"].previous_cursor})
    assert [m.subject for m in back.context["page"]] == ["Subject 4", "Subject 3"]
    last = client.get(url, {"status": "failed", "last": "1"})
    assert [m.subject for m in last.context["page"]] == ["Subject 0"]
    assert last.context["page"].start == 5


def test_outbox_ignores_a_cursor_it_did_not_write(client, coordinator):
    make_message(1)

    response = client.get(reverse("notifications:outbox"), {"after": "not-a-date~x"})

    assert response.status_code == 200
    assert "Subject 1" in response.content.decode()


def test_outbox_later_pages_run_the_same_queries_for_few_and_many_messages(
    client, coordinator, django_assert_num_queries, monkeypatch
):
    from notifications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        make_message(n)
    url = reverse("notifications:outbox")
    cursor = client.get(url).context["page"].next_cursor
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"after": cursor})
    for n in range(5, 40):
        make_message(n)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url, {"after": cursor}).status_code == 200
