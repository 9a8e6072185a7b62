"""Sending one message: claimed once, sent once."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Message, MessageStatus


def deliver(message_id):
    """Send a queued message. Returns False when another worker already has it."""
    with transaction.atomic():
        claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    if not claimed:
        return False
    message = Message.objects.prefetch_related("attachments").get(pk=message_id)
    email = EmailMultiAlternatives(subject=message.subject, body=message.body_text, to=[message.to_email])
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    try:
        email.send()
    except Exception as error:
        Message.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, last_error=str(error)[:2000]
        )
        raise
    Message.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True
