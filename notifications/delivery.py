"""Sending one message: claimed once, sent once, retried when the failure is temporary."""

import datetime as dt
import enum
import logging
import random
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from .models import REDACTED_BODY, Message, MessageStatus

logger = logging.getLogger(__name__)

# A retry task may arrive a little before its time on a worker whose clock runs ahead.
CLOCK_TOLERANCE = dt.timedelta(seconds=5)


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # not queued, not due, or claimed by another worker
    RETRY = "retry"
    FAILED = "failed"


@dataclass
class Result:
    outcome: Outcome
    retry_in: float | None = None


def is_temporary(error):
    """Whether trying again later may succeed.

    SMTP replies in the 4xx range and connection trouble are temporary; 5xx replies are
    permanent. API providers (django-anymail) report an HTTP status: 429 and 5xx are
    temporary, other 4xx permanent.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return any(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected | socket.timeout | TimeoutError | ConnectionError):
        return True
    if type(error).__name__ == "AnymailRecipientsRefused":
        return False
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return status == 429 or status >= 500
    # Anything else (a DNS failure, an unexpected error) gets the bounded retries too.
    return True


def describe(error):
    """The error as a person reads it: ``550 5.1.1 No such mailbox``."""
    if isinstance(error, smtplib.SMTPResponseException):
        reply = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        return f"{error.smtp_code} {reply}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{recipient}: {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for recipient, (code, reply) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}"


def backoff_seconds(attempts):
    """Exponential backoff with jitter: about base·2ⁿ⁻¹, drawn from its upper half, capped."""
    ceiling = min(
        settings.PORTAL_EMAIL_RETRY_MAX_SECONDS,
        settings.PORTAL_EMAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


def stable_message_id(message):
    """The same ``Message-ID`` at every attempt: a receiving server can drop a copy it has."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
    return f"<outbox-{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def build_email(message):
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        headers={
            "Message-ID": stable_message_id(message),
            "Auto-Submitted": "auto-generated",
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def claim(message_id):
    """Queued -> sending, in one conditional UPDATE: of two workers, exactly one wins."""
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id,
        status=MessageStatus.QUEUED,
        awaiting_attachments=0,
        next_attempt_at__lte=now + CLOCK_TOLERANCE,
    ).update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
    return now if claimed else None


def deliver(message_id):
    """Send a queued message once. Returns what happened, and when to try again.

    The connection is opened here rather than by ``send()``, so that the row says ``sent``
    the moment the server has answered the end of DATA: before QUIT, before the connection
    closes, before anything else. A worker that dies after the server accepted the message
    and before that UPDATE makes the one copy this cannot rule out (the sending lease gives
    it back to the sweep); the window is one round trip to the database.
    """
    claimed_at = claim(message_id)
    if claimed_at is None:
        return Result(Outcome.SKIPPED)
    mine = Message.objects.filter(pk=message_id, status=MessageStatus.SENDING, claimed_at=claimed_at)
    message = Message.objects.prefetch_related("attachments").get(pk=message_id)
    mailer = mail.mailers.default
    try:
        email = build_email(message)
        mailer.open()
        mailer.send_messages([email])
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the message
        _close_quietly(mailer)
        return _record_failure(message, mine, error)
    _mark_sent(mine, message)
    _close_quietly(mailer)
    return Result(Outcome.SENT)


def _mark_sent(mine, message):
    """One short UPDATE in autocommit, so it is durable before the next line runs."""
    now = timezone.now()
    mine.update(
        status=MessageStatus.SENT, sent_at=now, claimed_at=None, updated_at=now, **_forget_secret(message)
    )


def _close_quietly(mailer):
    """QUIT and close. The message has left or its failure is recorded: an error saying
    goodbye changes neither, and must not make a sent message look failed."""
    try:
        mailer.close()
    except Exception as error:  # noqa: BLE001 - the outcome is already on the row
        logger.info("Closing the mail connection failed: %s", describe(error))


def _forget_secret(message):
    """Once a message with a personal link has left for good, its text is not kept: a copy
    of the database never holds a link that works."""
    if not message.carries_secret:
        return {}
    return {"body_text": REDACTED_BODY, "body_html": ""}


def _record_failure(message, mine, error):
    detail = describe(error)[:2000]
    now = timezone.now()
    if is_temporary(error) and message.attempts < settings.PORTAL_EMAIL_MAX_ATTEMPTS:
        delay = backoff_seconds(message.attempts)
        mine.update(
            status=MessageStatus.QUEUED,
            last_error=detail,
            claimed_at=None,
            next_attempt_at=now + dt.timedelta(seconds=delay),
            updated_at=now,
        )
        logger.info("Message %s: temporary failure, retry in %.0f s: %s", message.pk, delay, detail)
        return Result(Outcome.RETRY, retry_in=delay)
    mine.update(
        status=MessageStatus.FAILED,
        last_error=detail,
        claimed_at=None,
        updated_at=now,
        **_forget_secret(message),
    )
    logger.warning("Message %s failed: %s", message.pk, detail)
    return Result(Outcome.FAILED)
