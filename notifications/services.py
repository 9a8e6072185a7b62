"""Queueing email and issuing documents: the one place each of those changes happens.

Domain apps hand over a recipient, a template, a context and attachments; this app
knows nothing of applications or calls. Messages are written in the caller's transaction
and handed to a worker once it commits.
"""

import hashlib
import importlib
import json
import logging

from celery import current_app, group
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from portal.audit import record
from portal.formatting import absolute_url

from .models import ERASED_ADDRESS, ERASED_BODY, Attachment, IssuedDocument, Message, MessageStatus
from .pdf import render_pdf

logger = logging.getLogger(__name__)

# The tasks of this app, by the names they declare (notifications/tasks.py).
DELIVER_TASK = "notifications.tasks.deliver_message"
SWEEP_TASK = "notifications.tasks.sweep_outbox"
FILE_SWEEP_TASK = "notifications.tasks.sweep_unreferenced_files"


class ResendRefused(Exception):
    """Only a failed message can be sent again, and never one whose link was removed."""


def _render_text(template_name, context):
    """Plain text is not HTML: render without HTML escaping so values read as typed."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def render_email(template, context, language):
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``language``.

    The HTML part autoescapes every value; the text part shows values as typed; neither
    ever evaluates a value as a template, so user input stays inert text.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
        text = _render_text(f"{template}.txt", context).strip() + "\n"
        html = render_to_string(f"{template}.html", context)
    return subject[:250], text, html


def _recipient(to):
    if isinstance(to, str):
        return None, to
    return to, to.email


def queue_message(
    *,
    kind,
    to,
    template,
    context,
    idempotency_key,
    language=None,
    scope="",
    attachments=(),
    attachments_from=(),
    carries_secret=False,
):
    """Write a message in the caller's transaction; deliver it once that commits.

    ``to`` is a user or an email address. ``attachments`` holds ``IssuedDocument``
    objects or ``(filename, content_type, bytes)`` tuples. ``idempotency_key`` names the
    business event ("application:42:submitted"): the same key never makes a second
    message, the existing one is returned instead.

    ``attachments_from`` names the tasks that make documents still to come (a PDF too slow
    to render inside the caller's transaction), as ``(task name, kwargs)`` pairs: they are
    published once the transaction commits, each brings its document with
    ``attach_document``, and the message is sent when the last one is in. Messages of one
    event that wait for the same task publish it once.

    ``carries_secret`` marks a text that holds a link only its addressee may follow (an
    invitation): no page shows it, and it is removed once the message has left.
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    user, _email = _recipient(to)
    language = language or getattr(user, "language", None) or translation.get_language() or "en"
    subject, text, html = render_email(template, {**context, "recipient": user}, language)
    return _write_message(
        kind=kind,
        to=to,
        subject=subject,
        text=text,
        html=html,
        idempotency_key=idempotency_key,
        language=language,
        scope=scope,
        attachments=attachments,
        attachments_from=attachments_from,
        carries_secret=carries_secret,
    )


def queue_rendered_message(
    *,
    kind,
    to,
    subject,
    text,
    html,
    idempotency_key,
    language,
    scope="",
    attachments=(),
    attachments_from=(),
    carries_secret=False,
):
    """``queue_message`` for an email another library has already rendered (allauth's
    account emails): written and delivered the same way, same idempotency."""
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    return _write_message(
        kind=kind,
        to=to,
        subject=subject,
        text=text,
        html=html,
        idempotency_key=idempotency_key,
        language=language,
        scope=scope,
        attachments=attachments,
        attachments_from=attachments_from,
        carries_secret=carries_secret,
    )


def _write_message(
    *,
    kind,
    to,
    subject,
    text,
    html,
    idempotency_key,
    language,
    scope,
    attachments,
    attachments_from,
    carries_secret,
):
    user, email = _recipient(to)
    pending = [task_spec(name, arguments) for name, arguments in attachments_from]
    now = timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind,
                scope=scope,
                recipient=user,
                to_email=email,
                language=language,
                subject=subject[:250],
                body_text=text,
                body_html=html,
                idempotency_key=idempotency_key,
                carries_secret=carries_secret,
                awaiting_attachments=len(pending),
                attachment_tasks=pending,
                next_attempt_at=None if pending else now,
            )
            for attachment in attachments:
                _attach(message, attachment)
    except IntegrityError:
        # Another process wrote the same event first.
        return Message.objects.get(idempotency_key=idempotency_key)
    if pending:
        transaction.on_commit(lambda: request_attachments(message), robust=True)
    else:
        transaction.on_commit(lambda: enqueue(message.pk), robust=True)
    return message


def request_attachments(message):
    """Publish the tasks a message waits for; the messages of one event (several members
    told of one decision) publish each task once, within a minute.

    The cache only spares duplicates (the tasks are safe to repeat): when it is down, the
    task is published anyway, and nothing fails the request that made the message.
    """
    for spec in message.attachment_tasks:
        fingerprint = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:32]
        try:
            first = cache.add(f"notifications:publish:{fingerprint}", True, timeout=60)
        except Exception:  # noqa: BLE001 - cache (Redis) down: publish without the de-duplication
            logger.warning("Cache unavailable; publishing %s without de-duplication", spec["task"])
            first = True
        if first:
            publish_spec(spec)


def task_spec(name, arguments):
    """What a message keeps of a task it waits for: its name and keyword arguments."""
    if isinstance(arguments, dict):
        return {"task": name, "kwargs": dict(arguments)}
    return {"task": name, "args": list(arguments)}


def publish_spec(spec):
    # Messages written before tasks took keyword arguments keep their positional ones.
    return publish(spec["task"], *spec.get("args", ()), **spec.get("kwargs", {}))


def publish(task_name, *args, countdown=None, **kwargs):
    """Hand a task to the broker by its name: no module imports the tasks that it publishes.

    Each task declares its name (``@shared_task(name=...)``) from a constant of the module
    that publishes it, so renaming a function never silently stops the work. A broker that
    is down is not an error: the sweep tries again.
    """
    try:
        if current_app.conf.task_always_eager:
            # Run in place (tests, or an installation without a worker). Every task is named
            # after its module, which is imported here if nothing has imported it yet.
            importlib.import_module(task_name.rpartition(".")[0])
            current_app.tasks[task_name].apply_async(args=args, kwargs=kwargs, countdown=countdown)
        else:
            current_app.send_task(task_name, args=args, kwargs=kwargs, countdown=countdown)
    except Exception:  # noqa: BLE001 - broker down, or a task renamed: logged, retried by the sweep
        logger.warning("Could not publish %s(%s); the sweep will try again", task_name, args or kwargs)
        return False
    return True


def publish_many(task_name, kwargs_list):
    """Hand many runs of one task to the broker at once (a call's letters, in parallel)."""
    try:
        if current_app.conf.task_always_eager:
            importlib.import_module(task_name.rpartition(".")[0])
        group(current_app.signature(task_name, kwargs=kwargs) for kwargs in kwargs_list).apply_async()
    except Exception:  # noqa: BLE001 - broker down: logged; the waiting emails go after their wait
        logger.warning("Could not publish %s runs of %s", len(kwargs_list), task_name)
        return False
    return True


def attach_document(idempotency_key, document):
    """Bring a document a message was waiting for; the last one releases the message.

    Safe to repeat: a document already attached is not attached twice.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(idempotency_key=idempotency_key).first()
        if message is None or message.attachments.filter(file=document.file.name).exists():
            return message
        _attach(message, document)
        if message.awaiting_attachments:
            message.awaiting_attachments -= 1
            if not message.awaiting_attachments:
                message.next_attempt_at = timezone.now()
            message.save(update_fields=["awaiting_attachments", "next_attempt_at", "updated_at"])
            if not message.awaiting_attachments:
                transaction.on_commit(lambda: enqueue(message.pk), robust=True)
    return message


def _attach(message, attachment):
    if isinstance(attachment, IssuedDocument):
        # The document of record is attached by reference: the same stored file.
        row = Attachment(message=message, filename=attachment.filename, content_type="application/pdf")
        row.file.name = attachment.file.name
        row.save()
        return row
    filename, content_type, content = attachment
    row = Attachment(message=message, filename=filename, content_type=content_type)
    row.file.save("attachment", ContentFile(content), save=True)
    return row


def attach_document_to_waiting(document, *, key_prefix, kind=""):
    """Bring a document to every message of an event (keys starting ``key_prefix``) that waits."""
    waiting = Message.objects.filter(
        idempotency_key__startswith=key_prefix, status=MessageStatus.QUEUED, awaiting_attachments__gt=0
    )
    if kind:
        waiting = waiting.filter(kind=kind)
    for key in waiting.values_list("idempotency_key", flat=True):
        attach_document(key, document)


def enqueue(message_id, countdown=None):
    """Hand a message to a worker. A broker that is down is not an error: the sweep retries."""
    return publish(DELIVER_TASK, message_id=message_id, countdown=countdown)


def resend_message(message, *, by):
    """Put a failed message back in the queue, with a fresh count of attempts.

    A message that carried a personal link is not sent again from here: its text is gone,
    and a new link must come from where it was made (a new invitation replaces the old one).
    """
    if message.is_confidential or message.is_erased:
        raise ResendRefused(message.pk)
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ResendRefused(message.pk)
        record(
            by,
            "message.resent",
            message,
            before={"status": MessageStatus.FAILED, "last_error": message.last_error},
            after={"status": MessageStatus.QUEUED},
        )
        transaction.on_commit(lambda: enqueue(message.pk), robust=True)
    message.refresh_from_db()
    return message


# Why a message waiting to be sent never left.
NOT_SENT_ERASED = "Not sent: the recipient's personal data were erased."


def erase_messages(messages):
    """Forget whom ``messages`` (a queryset) went to and what they said: the recipient's data
    were erased. The subject, type, dates and status stay, so the outbox still counts
    them; one still waiting is not sent any more, and none is sent again.

    Returns how many messages were erased (those already erased are not counted again).
    """
    messages = messages.exclude(to_email=ERASED_ADDRESS)
    now = timezone.now()
    messages.filter(status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)).update(
        status=MessageStatus.FAILED,
        last_error=NOT_SENT_ERASED,
        next_attempt_at=None,
        claimed_at=None,
        updated_at=now,
    )
    return messages.update(to_email=ERASED_ADDRESS, body_text=ERASED_BODY, body_html="", updated_at=now)


def requeue_stalled(*, older_than, lease, attachment_retry=None, attachment_wait=None):
    """Messages the broker never saw, or whose worker died: queue them again.

    Returns the ids handed to the broker. A ``sending`` claim older than ``lease`` (far
    longer than the delivery task's hard time limit) means its worker is gone. The tasks
    of a message still awaiting attachments after ``attachment_retry`` are published
    again (they are safe to repeat); after ``attachment_wait`` the message goes without
    them, and says so in its error field: the email itself must not be lost.
    """
    now = timezone.now()
    if attachment_wait is not None:
        Message.objects.filter(
            status=MessageStatus.QUEUED, awaiting_attachments__gt=0, created_at__lt=now - attachment_wait
        ).update(
            awaiting_attachments=0,
            next_attempt_at=now - older_than,
            last_error="Sent without the attachments that were not ready in time.",
            updated_at=now,
        )
    if attachment_retry is not None:
        waiting = Message.objects.filter(
            status=MessageStatus.QUEUED, awaiting_attachments__gt=0, updated_at__lt=now - attachment_retry
        )
        specs = {
            json.dumps(tasks, sort_keys=True) for tasks in waiting.values_list("attachment_tasks", flat=True)
        }
        waiting.update(updated_at=now)
        for tasks in specs:
            for spec in json.loads(tasks):
                publish_spec(spec)
    Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=now - lease).update(
        status=MessageStatus.QUEUED, claimed_at=None, next_attempt_at=now - older_than, updated_at=now
    )
    due = list(
        Message.objects.filter(
            status=MessageStatus.QUEUED, awaiting_attachments=0, next_attempt_at__lte=now - older_than
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    if due:
        # Pushed forward so that the next sweep leaves them to this round's tasks.
        Message.objects.filter(pk__in=due, status=MessageStatus.QUEUED).update(next_attempt_at=now)
    return [message_id for message_id in due if enqueue(message_id)]


def issue_document(
    *,
    kind,
    subject_key,
    template,
    context,
    language,
    title,
    filename,
    public_summary=None,
    author="",
    by=None,
    on_issued=None,
):
    """Render a PDF of record, store it privately and return its ``IssuedDocument``.

    Each call makes a new version; earlier versions stay, as documents of record do.
    The verification code is chosen before rendering so that the letter can print it.
    ``on_issued(document)`` runs in the transaction that saves the document: the domain
    app records its own audit event there (with its call), so both are written or neither.
    """
    document = IssuedDocument(
        kind=kind,
        subject_key=subject_key,
        language=language,
        title=str(title)[:250],
        filename=filename,
        public_summary=public_summary or {},
        created_by=by if getattr(by, "pk", None) else None,
    )
    content = render_pdf(
        template,
        {
            **context,
            "verification_code": document.display_code,
            "verification_url": verification_url(document),
        },
        language=language,
        title=title,
        author=author,
    )
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.size = len(content)
    # Stored under a generated name only the row will hold: if no row commits, the file is
    # deleted here, or (the process died) by the daily sweep of unreferenced files.
    document.file.save("document.pdf", ContentFile(content), save=False)
    try:
        return _save_next_version(document, on_issued)
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise


def _save_next_version(document, on_issued):
    for _attempt in range(5):
        latest = IssuedDocument.objects.current(document.kind, document.subject_key)
        document.version = (latest.version + 1) if latest else 1
        try:
            with transaction.atomic():
                document.save()
                if on_issued is not None:
                    on_issued(document)
            return document
        except IntegrityError:
            document.pk = None
            continue  # another worker issued a version at the same moment; take the next
    raise RuntimeError(f"Could not number a new version of {document.kind} {document.subject_key}")


def verification_url(document):
    return absolute_url("notifications:verify", document.verification_code)
