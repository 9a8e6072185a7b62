"""Queueing email: domain apps hand over a recipient, a template, a context and attachments."""

import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Attachment, Message


def render_email(template, context, language):
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``language``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def queue_message(*, kind, to, template, context, idempotency_key, language=None, scope="", attachments=()):
    """Write the message in the caller's transaction and deliver it once that commits.

    ``to`` is a user or an email address. ``attachments`` is a sequence of
    ``(filename, content_type, bytes)``. The same ``idempotency_key`` never makes a
    second message: the existing one is returned.
    """
    user = None if isinstance(to, str) else to
    email = to if isinstance(to, str) else to.email
    language = language or getattr(user, "language", None) or translation.get_language() or "en"
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    subject, text, html = render_email(template, {**context, "recipient": user}, language)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                kind=kind,
                scope=scope,
                recipient=user,
                to_email=email,
                language=language,
                subject=subject,
                body_text=text,
                body_html=html,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=idempotency_key)
    for filename, content_type, content in attachments:
        attachment = Attachment(message=message, filename=filename, content_type=content_type)
        attachment.file.save(uuid.uuid4().hex, ContentFile(content), save=True)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id):
    from .tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:  # noqa: BLE001 - broker down: the periodic sweep delivers it later
        import logging

        logging.getLogger(__name__).warning("Broker unavailable; message %s stays queued", message_id)
