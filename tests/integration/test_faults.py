"""Faults while email goes out: workers killed, the SMTP server refusing, Redis lost.

Real Celery workers (subprocesses) on Redis and the test's PostgreSQL database, a local SMTP
server scripted to fail. Each test prints what it expected, and what was delivered, lost
and doubled (counted by the stable ``Message-ID``); ``pytest`` repeats the lines at the end.
The workers get short retry, requeue and lease settings so that each fault resolves in
seconds; the sweep, which beat runs every minute in production, is published by the test.
"""

import threading
import time

import pytest
import redis
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intake.models import outbox_scope
from intake.receipts import subject_key
from notifications import services
from notifications.models import IssuedDocument, Message, MessageStatus
from reviews import letters
from reviews.models import Decision
from reviews.services import finalise_selection
from tests.factories.reviews import coordinator_of
from tests.factories.selection import scored_call
from tests.integration.conftest import REDIS_DB, Worker, live_broker, own_queue_name, wait_for
from tests.integration.faults import tally

pytestmark = pytest.mark.integration

# Seconds, not minutes: a dead worker's claim is taken back after 3 s, a lost task is
# published again after 1 s, a letter asked for again after 2 s.
FAST_RECOVERY = {
    "PORTAL_OUTBOX_SENDING_LEASE_SECONDS": "3",
    "PORTAL_OUTBOX_REQUEUE_AFTER_SECONDS": "1",
    "PORTAL_OUTBOX_ATTACHMENT_RETRY_SECONDS": "2",
    "PORTAL_EMAIL_MAX_ATTEMPTS": "10",
}


def notice(key, scope="call:1"):
    return services.queue_message(
        kind="submission_confirmation",
        to=f"{key}@example.org",
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


def statuses(messages):
    return set(Message.objects.filter(pk__in=[m.pk for m in messages]).values_list("status", flat=True))


def all_sent(messages):
    return statuses(messages) == {MessageStatus.SENT}


def waiting(predicate, workers, *, timeout=60, message="condition", sweep=False):
    """Wait for ``predicate``; with ``sweep``, publish the outbox sweep every second, as beat would."""

    def check():
        if sweep:
            services.publish(services.SWEEP_TASK)
        return predicate()

    try:
        wait_for(check, timeout=timeout, interval=1 if sweep else 0.2, message=message)
    except AssertionError as error:
        logs = "\n".join(f"--- worker {n}\n{worker.log()}" for n, worker in enumerate(workers))
        raise AssertionError(f"{error}\n{logs}") from None


@pytest.fixture
def start_worker(postgres_and_redis, transactional_db, shared_media, smtp_server, tmp_path):
    """Workers on the shared Redis, started as the test asks, stopped at its end."""
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    queue = own_queue_name()
    started = []

    def start(*, broker_url=url, concurrency=1, **extra_env):
        worker = Worker(
            broker_url,
            queue,
            media_root=shared_media,
            var_dir=tmp_path / f"var-{len(started)}",
            smtp_port=smtp_server.port,
            concurrency=concurrency,
            extra_env={**FAST_RECOVERY, **extra_env},
        )
        started.append(worker)
        return worker

    start.queue = queue
    with live_broker(url, queue):
        try:
            yield start
        finally:
            for worker in started:
                worker.stop()
            redis.Redis.from_url(url).delete(queue)


def test_the_row_says_sent_before_the_server_answers_quit(start_worker, smtp_server, record_property):
    worker = start_worker()
    smtp_server.hold_quit = threading.Event()
    try:
        message = notice("quit-held")

        # The server has not said goodbye yet, and the outbox already knows the message left.
        waiting(lambda: all_sent([message]), [worker], timeout=20, message="sent while QUIT is held")
    finally:
        smtp_server.hold_quit.set()
    assert tally("sent before QUIT", [message], smtp_server, record_property).delivered == 1


def test_a_worker_killed_after_the_server_accepted_sends_it_again_with_the_same_message_id(
    start_worker, smtp_server, record_property
):
    first = start_worker()
    smtp_server.hold_data_reply = threading.Event()
    message = notice("accepted-then-killed")
    waiting(lambda: len(smtp_server.accepted) == 1, [first], message="the server to accept the message")

    # The server has the message; its reply is on the way when the worker dies.
    first.kill()
    smtp_server.hold_data_reply.set()
    assert statuses([message]) == {MessageStatus.SENDING}

    second = start_worker()
    waiting(lambda: all_sent([message]), [second], sweep=True, message="the resend after the lease")

    result = tally("worker killed after DATA", [message], smtp_server, record_property)
    first_copy, second_copy = smtp_server.accepted
    assert first_copy["Message-ID"] == second_copy["Message-ID"]
    assert (result.delivered, result.lost, result.doubled) == (1, 0, 1)


def decided_call(cities):
    setup = scored_call(places=4, reserve_size=4, max_per_country=cities)
    for n in range(cities):
        score = 5 - (n % 4)
        setup.city(f"City {n:02d}", "FR", (score, score, score), (score, score, 4), (score, 4, 4))
    return setup


def test_a_worker_killed_mid_batch_of_letters_leaves_one_letter_and_one_email_each(
    start_worker, smtp_server, record_property
):
    setup = decided_call(12)
    workers = [start_worker(), start_worker()]

    finalise_selection(setup.call, by=setup.coordinator)
    decisions = list(Decision.objects.filter(application__call=setup.call))
    waiting(
        lambda: IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() >= 3,
        workers,
        message="the first letters",
    )
    workers[0].kill()

    emails = list(Message.objects.filter(kind="decision", scope=outbox_scope(setup.call.pk)))
    waiting(lambda: all_sent(emails), workers[1:], timeout=120, sweep=True, message="every decision email")

    result = tally("worker killed mid-batch of letters", emails, smtp_server, record_property)
    assert len(decisions) == len(emails) == 12
    for decision in decisions:
        assert (
            IssuedDocument.objects.for_subject(letters.LETTER_KIND, subject_key(decision.application)).count()
            == 1
        )
    for email in smtp_server.accepted:
        assert len(list(email.iter_attachments())) == 1
    assert (result.delivered, result.lost, result.doubled) == (12, 0, 0)


def test_smtp_421_for_a_while_then_recovery_delivers_each_message_once(
    start_worker, smtp_server, record_property
):
    smtp_server.answers = ["421 4.3.2 Service shutting down, try again later"]
    worker = start_worker(concurrency=2)
    with transaction.atomic():
        messages = [notice(f"outage-{n}") for n in range(8)]

    waiting(
        lambda: not Message.objects.filter(pk__in=[m.pk for m in messages], attempts=0).exists(),
        [worker],
        message="every message to meet the outage",
    )
    time.sleep(1)
    smtp_server.answers = ["250 OK"]
    waiting(lambda: all_sent(messages), [worker], message="every message after the outage")

    result = tally("SMTP 421 then recovery", messages, smtp_server, record_property)
    for message in Message.objects.filter(pk__in=[m.pk for m in messages]):
        assert message.attempts >= 2 and "421" in message.last_error
    assert (result.delivered, result.lost, result.doubled) == (8, 0, 0)


def test_smtp_550_fails_shows_on_the_coordinators_outbox_and_send_again_sends_once(
    start_worker, smtp_server, client, record_property
):
    smtp_server.answers = ["550 5.1.1 No such mailbox"]
    worker = start_worker()
    setup = scored_call()
    message = notice("refused", scope=outbox_scope(setup.call.pk))
    waiting(lambda: statuses([message]) == {MessageStatus.FAILED}, [worker], message="the refusal")

    client.force_login(coordinator_of(setup.call, verified=True))
    outbox = client.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    assert "550 5.1.1 No such mailbox" in outbox
    page = client.get(reverse("notifications:message_detail", args=[message.pk])).content.decode()
    assert reverse("notifications:message_resend", args=[message.pk]) in page

    smtp_server.answers = ["250 OK"]
    client.post(reverse("notifications:message_resend", args=[message.pk]))
    waiting(lambda: all_sent([message]), [worker], message="the message sent again")
    time.sleep(2)  # long enough for a second copy, were one on its way

    result = tally("SMTP 550 then send again", [message], smtp_server, record_property)
    assert (result.delivered, result.lost, result.doubled) == (1, 0, 0)


def test_redis_stopped_and_restarted_empty_during_a_batch_loses_nothing(
    start_worker, smtp_server, private_redis, record_property
):
    smtp_server.delay = 0.2
    with live_broker(private_redis.url, start_worker.queue):
        worker = start_worker(broker_url=private_redis.url, concurrency=2)
        with transaction.atomic():
            messages = [notice(f"batch-{n}") for n in range(30)]
        waiting(lambda: len(smtp_server.accepted) >= 5, [worker], message="the batch to start")

        private_redis.stop()  # every task still in Redis is gone with it
        private_redis.start()
        waiting(lambda: all_sent(messages), [worker], timeout=90, sweep=True, message="the whole batch")

    result = tally("Redis restarted empty mid-batch", messages, smtp_server, record_property)
    assert (result.delivered, result.lost, result.doubled) == (30, 0, 0)
