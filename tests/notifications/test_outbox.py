"""The outbox: written with the change, sent once, retried when it may work later."""

import datetime as dt
import html.parser
import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import delivery, services
from notifications.models import IssuedDocument, Message, MessageStatus
from notifications.tasks import deliver_message, sweep_outbox
from tests.factories import UserFactory
from tests.notifications import tasks as test_tasks
from tests.notifications.smtp_server import FakeSMTPServer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_templates")]

HOSTILE_CITY = '<a href="http://x.example">Click</a>'


def queue(key="application:1:submitted", to="mayor@example.org", **context):
    return services.queue_message(
        kind="testapp.city_notice",
        to=to,
        template="testapp/emails/city_notice",
        context={"city": "Lyon", "contact": "Ana", **context},
        idempotency_key=key,
        scope="call:pactesur-2",
    )


def make_due(message):
    """Time passes: the message's next attempt is now."""
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_message_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
        assert mail.outbox == []

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["mayor@example.org"]
    assert email.subject == "Your application for Lyon"
    assert "We received the application of Lyon." in email.body
    assert email.alternatives[0].mimetype == "text/html"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("the business change failed")

    assert not Message.objects.exists()
    assert mail.outbox == []


def test_same_business_event_makes_one_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(key="application:7:submitted")
        second = queue(key="application:7:submitted", city="Another")

    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1


def test_message_is_written_in_the_recipients_language():
    user = UserFactory(language="fr", full_name="Anne Martin")

    message = queue(to=user)

    assert message.language == "fr"
    assert message.to_email == user.email
    assert message.recipient == user
    assert "Anne Martin" in message.body_text


class _Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))


@pytest.mark.parametrize("typed", [HOSTILE_CITY, "{{ settings.SECRET_KEY }}", "{% debug %}"])
def test_user_typed_values_stay_text_in_both_parts(typed, settings):
    message = queue(city=typed, contact=typed)

    anchors = _Anchors()
    anchors.feed(message.body_html)
    assert "http://x.example" not in anchors.hrefs
    assert all(href.startswith(settings.SITE_URL) for href in anchors.hrefs)
    assert '<a href="http://x.example">' not in message.body_html
    assert settings.SECRET_KEY not in message.body_html + message.body_text + message.subject
    # The text part shows exactly what was typed, as plain text.
    assert typed in message.body_text
    assert typed in message.subject
    assert "&lt;" not in message.body_text


def test_running_the_task_twice_sends_one_email():
    message = queue()

    deliver_message.run(message.pk)
    deliver_message.run(message.pk)

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1


def test_a_claimed_message_is_not_claimed_again():
    message = queue()

    assert delivery.claim(message.pk) is not None
    assert delivery.claim(message.pk) is None
    assert delivery.deliver(message.pk).outcome == delivery.Outcome.SKIPPED
    assert mail.outbox == []


def test_temporary_smtp_failure_is_retried_then_sent(settings):
    with FakeSMTPServer(answers=["451 4.3.0 Try again later", "250 OK"]) as server:
        settings.MAILERS = server.mailer()
        message = queue()

        first = delivery.deliver(message.pk)
        message.refresh_from_db()
        assert first.outcome == delivery.Outcome.RETRY
        assert message.status == MessageStatus.QUEUED
        assert "451" in message.last_error
        assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=20)
        # Not due yet: a task arriving early does nothing.
        assert delivery.deliver(message.pk).outcome == delivery.Outcome.SKIPPED

        make_due(message)
        second = delivery.deliver(message.pk)

    message.refresh_from_db()
    assert second.outcome == delivery.Outcome.SENT
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert len(server.accepted) == 1
    assert server.accepted[0]["Subject"] == "Your application for Lyon"


def test_permanent_smtp_failure_fails_at_once(settings):
    with FakeSMTPServer(answers=["550 5.1.1 No such mailbox"]) as server:
        settings.MAILERS = server.mailer()
        message = queue()

        result = delivery.deliver(message.pk)

    message.refresh_from_db()
    assert result.outcome == delivery.Outcome.FAILED
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error
    assert server.accepted == []


def test_temporary_failures_give_up_after_the_configured_attempts(settings):
    settings.PORTAL_EMAIL_MAX_ATTEMPTS = 3
    with FakeSMTPServer(answers=["421 4.7.0 Busy"]) as server:
        settings.MAILERS = server.mailer()
        message = queue()
        outcomes = []
        for _attempt in range(3):
            make_due(message)
            outcomes.append(delivery.deliver(message.pk).outcome)

    message.refresh_from_db()
    assert outcomes == [delivery.Outcome.RETRY, delivery.Outcome.RETRY, delivery.Outcome.FAILED]
    assert message.status == MessageStatus.FAILED
    assert "421" in message.last_error


def test_unreachable_server_is_a_temporary_failure(settings):
    with FakeSMTPServer() as server:
        port = server.port
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    message = queue()

    assert delivery.deliver(message.pk).outcome == delivery.Outcome.RETRY
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.last_error


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.PORTAL_EMAIL_RETRY_BASE_SECONDS = 60
    settings.PORTAL_EMAIL_RETRY_MAX_SECONDS = 3600

    delays = {attempt: [delivery.backoff_seconds(attempt) for _ in range(50)] for attempt in (1, 2, 3, 10)}

    assert all(30 <= delay <= 60 for delay in delays[1])
    assert all(60 <= delay <= 120 for delay in delays[2])
    assert all(120 <= delay <= 240 for delay in delays[3])
    assert all(1800 <= delay <= 3600 for delay in delays[10])
    assert len(set(delays[3])) > 1


def test_visibility_timeout_outlasts_the_longest_retry_countdown(settings):
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 7200) > (
        settings.PORTAL_EMAIL_RETRY_MAX_SECONDS
    )


def test_sweep_sends_messages_left_queued(django_capture_on_commit_callbacks):
    message = queue()  # the on-commit hand-over never ran: the broker was down
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=2))

    assert sweep_outbox.run() == 1

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_sweep_leaves_recent_messages_to_their_own_task():
    message = queue()

    assert sweep_outbox.run() == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED


def test_sweep_takes_back_a_message_whose_worker_died():
    message = queue()
    delivery.claim(message.pk)
    Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))

    sweep_outbox.run()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_sweep_leaves_a_live_claim_alone():
    message = queue()
    delivery.claim(message.pk)

    sweep_outbox.run()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert mail.outbox == []


def test_attachments_travel_with_the_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_message(
            kind="testapp.city_notice",
            to="mayor@example.org",
            template="testapp/emails/city_notice",
            context={"city": "Lyon", "contact": "Ana"},
            idempotency_key="with-attachment",
            attachments=[("receipt.pdf", "application/pdf", b"%PDF-1.7 test")],
        )

    assert mail.outbox[0].attachments[0].filename == "receipt.pdf"
    assert mail.outbox[0].attachments[0].content == b"%PDF-1.7 test"


def queue_waiting(key="application:1:submitted", to="mayor@example.org"):
    return services.queue_message(
        kind="testapp.city_notice",
        to=to,
        template="testapp/emails/city_notice",
        context={"city": "Lyon", "contact": "Ana"},
        idempotency_key=key,
        attachments_from=[(test_tasks.RECEIPT_TASK, [key])],
    )


@pytest.fixture
def task_runs():
    test_tasks.runs.clear()
    return test_tasks.runs


def test_message_waits_for_the_document_a_worker_is_making(django_capture_on_commit_callbacks, task_runs):
    with django_capture_on_commit_callbacks() as callbacks:
        message = queue_waiting()
    assert mail.outbox == []
    assert sweep_outbox.run() == 0

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:  # the transaction commits: the task is published and runs
            callback()

    message.refresh_from_db()
    assert task_runs == ["application:1:submitted"]
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert [a.filename for a in mail.outbox[0].attachments] == ["receipt.pdf"]
    assert mail.outbox[0].attachments[0].content.startswith(b"%PDF")


def test_bringing_the_same_document_twice_attaches_it_once(task_runs):
    message = queue_waiting()
    test_tasks.make_receipt.run("application:1:submitted")
    document = message.attachments.get().file.name

    services.attach_document("application:1:submitted", IssuedDocument.objects.get())

    assert Message.objects.get(pk=message.pk).attachments.count() == 1
    assert message.attachments.get().file.name == document


def test_messages_of_one_event_ask_for_their_document_once(django_capture_on_commit_callbacks, task_runs):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.queue_message(
                kind="testapp.city_notice",
                to=f"member{n}@example.org",
                template="testapp/emails/city_notice",
                context={"city": "Lyon", "contact": "Ana"},
                idempotency_key=f"application:1:decision:{n}",
                attachments_from=[(test_tasks.RECEIPT_TASK, ["application:1:decision:0"])],
            )

    assert task_runs == ["application:1:decision:0"]


def test_sweep_asks_again_for_a_document_the_broker_lost(task_runs, django_capture_on_commit_callbacks):
    message = queue_waiting()  # the commit's hand-over never reached a worker
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=6))

    with django_capture_on_commit_callbacks(execute=True):
        sweep_outbox.run()

    message.refresh_from_db()
    assert task_runs == ["application:1:submitted"]
    assert message.status == MessageStatus.SENT


def test_message_goes_without_a_document_that_never_came(task_runs):
    message = queue_waiting(key="never")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))

    sweep_outbox.run()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert "without the attachments" in message.last_error
    assert len(mail.outbox) == 1


class ProviderError(Exception):
    """What an API provider's backend (django-anymail) raises: an HTTP status."""

    def __init__(self, status_code):
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


class AnymailRecipientsRefused(Exception):
    pass


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (smtplib.SMTPDataError(451, b"Try later"), True),
        (smtplib.SMTPDataError(550, b"No such mailbox"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"Unknown")}), False),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (ProviderError(429), True),
        (ProviderError(503), True),
        (ProviderError(400), False),
        (AnymailRecipientsRefused(), False),
    ],
)
def test_failures_are_told_apart(error, temporary):
    assert delivery.is_temporary(error) is temporary


def test_each_message_has_a_stable_message_id():
    message = queue()

    first = delivery.build_email(message).message()["Message-ID"]
    second = delivery.build_email(message).message()["Message-ID"]

    assert first == second
    assert first.startswith(f"<outbox-{message.pk}.")
