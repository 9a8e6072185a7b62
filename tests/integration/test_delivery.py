"""Email delivery through a real Redis and a real Celery worker."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import outbox_scope
from intake.services import submit_application
from notifications import services
from notifications.models import Message, MessageStatus
from notifications.tasks import deliver_message, sweep_outbox
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory
from tests.factories.reviews import coordinator_of
from tests.integration.conftest import Worker, live_broker, own_queue_name, wait_for

pytestmark = pytest.mark.integration


def status_of(message):
    return Message.objects.filter(pk=message.pk).values_list("status", flat=True).get()


def wait_until_status(message, status, worker, timeout=45):
    try:
        wait_for(
            lambda: status_of(message) == status, timeout=timeout, message=f"message {message.pk} {status}"
        )
    except AssertionError as error:
        raise AssertionError(f"{error}\nWorker log:\n{worker.log()}") from None


def submitted_draft():
    """An application to a call with nothing left to answer, ready to submit."""
    call = CallFactory(title_en="PACTESUR 2 associated cities")
    application = ApplicationFactory(call=call, organisation__name="Lyon")
    user = MembershipFactory(organisation=application.organisation).user
    return application, user


def test_worker_delivers_the_submission_confirmation(worker, smtp_server):
    application, user = submitted_draft()

    application = submit_application(application, user, declaration=True, privacy_accepted=True)

    message = Message.objects.get(kind="submission_confirmation")
    wait_until_status(message, MessageStatus.SENT, worker)
    assert len(smtp_server.accepted) == 1
    email = smtp_server.accepted[0]
    assert email["To"] == user.email
    assert application.reference in email.get_body(("plain",)).get_content()
    assert email.get_body(("html",)) is not None
    # The worker rendered the PDF receipt and it travelled with the confirmation.
    (receipt,) = list(email.iter_attachments())
    assert receipt.get_filename() == f"{application.reference}-receipt.pdf"
    assert receipt.get_content().startswith(b"%PDF")


def queue_notice(key, scope="call:1"):
    return services.queue_message(
        kind="submission_confirmation",
        to="mayor@example.org",
        template="intake/emails/submission_confirmation",
        context={
            "reference": "PS2-2026-0001",
            "organisation_name": "Lyon",
            "call_title": "PACTESUR 2",
            "submitted_at": timezone.now(),
            "call_timezone": "Europe/Brussels",
            "application_url": "http://127.0.0.1:8000/",
        },
        idempotency_key=key,
        scope=scope,
    )


def test_task_published_twice_at_once_sends_one_email(
    worker, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_notice("twice")  # the on-commit hand-over is left out: we publish by hand

    deliver_message.delay(message.pk)
    deliver_message.delay(message.pk)

    wait_until_status(message, MessageStatus.SENT, worker)
    wait_for(lambda: worker.log().count("succeeded") >= 2, timeout=15, message="both tasks to finish")
    assert "'skipped'" in worker.log()
    assert len(smtp_server.accepted) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_temporary_smtp_failure_is_retried_by_the_worker_then_sent(worker, smtp_server):
    smtp_server.answers = ["451 4.3.0 Try again later", "250 OK"]

    message = queue_notice("temporary")

    wait_until_status(message, MessageStatus.SENT, worker)
    message.refresh_from_db()
    assert message.attempts == 2
    assert "451" in message.last_error
    assert len(smtp_server.accepted) == 1


def test_permanent_smtp_failure_ends_failed_and_shows_on_the_outbox(worker, smtp_server, client):
    smtp_server.answers = ["550 5.1.1 No such mailbox"]

    call = CallFactory()
    message = queue_notice("permanent", scope=outbox_scope(call.pk))

    wait_until_status(message, MessageStatus.FAILED, worker)
    assert smtp_server.accepted == []
    client.force_login(coordinator_of(call, verified=True))
    page = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    assert "550 5.1.1 No such mailbox" in page


def test_broker_down_at_commit_loses_nothing(
    postgres_and_redis, transactional_db, shared_media, smtp_server, private_redis, tmp_path
):
    queue = own_queue_name()
    with live_broker(private_redis.url, queue):
        worker = Worker(
            private_redis.url,
            queue,
            media_root=shared_media,
            var_dir=tmp_path / "var",
            smtp_port=smtp_server.port,
        )
        try:
            private_redis.stop()
            application, user = submitted_draft()

            started = timezone.now()
            submit_application(application, user, declaration=True, privacy_accepted=True)

            # The submission succeeded at once; its email waits in the outbox.
            assert timezone.now() - started < dt.timedelta(seconds=15)
            message = Message.objects.get(kind="submission_confirmation")
            assert status_of(message) == MessageStatus.QUEUED
            assert smtp_server.accepted == []

            private_redis.start()
            # Minutes pass; beat runs the sweep, which asks again for the receipt.
            Message.objects.filter(pk=message.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=6))
            sweep_outbox.run()

            wait_until_status(message, MessageStatus.SENT, worker, timeout=60)
            assert len(smtp_server.accepted) == 1
            assert len(list(smtp_server.accepted[0].iter_attachments())) == 1
        finally:
            worker.stop()
