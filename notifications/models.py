"""The outbox: every email the portal sends is a row here first. And issued documents:
every PDF of record the portal hands out, kept with its fingerprint."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import private_storage

from .rules import readable_scopes, reads_every_message


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The messages ``user`` may read in the outbox (see ``notifications/rules.py``)."""
        if reads_every_message(user):
            return self
        return self.filter(scope__in=readable_scopes(user))

    def kinds(self):
        """The kinds of these messages, once each, in order."""
        return self.order_by("kind").values_list("kind", flat=True).distinct()

    def scopes(self):
        """The scopes of these messages, once each, in order; a message of no scope adds none."""
        return self.exclude(scope="").order_by("scope").values_list("scope", flat=True).distinct()

    def with_recipient_and_attachments(self):
        """For the page of one message: who it went to and what it carried."""
        return self.select_related("recipient").prefetch_related("attachments")

    def html_bodies(self):
        """Only what serving a message's HTML body needs (and what its permission and secrecy read)."""
        return self.only("body_html", "kind", "scope", "carries_secret")

    def for_outbox(self, *, status="", kind="", scope=""):
        """The coordinator's outbox list: newest first, filtered, without the bodies."""
        # A correlated count, not a join with GROUP BY: it is worked out for the page's rows only.
        attachments = (
            Attachment.objects.filter(message=OuterRef("pk"))
            .order_by()
            .values("message")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        messages = (
            self.defer("body_text", "body_html")
            .annotate(attachment_count=Coalesce(Subquery(attachments), 0))
            .order_by("-created_at", "-id")
        )
        if status:
            messages = messages.filter(status=status)
        if kind:
            messages = messages.filter(kind=kind)
        if scope:
            messages = messages.filter(scope=scope)
        return messages

    def progress(self, scope, kind=""):
        """Counts by status for a scope (and type): what a progress bar needs, in one query."""
        messages = self.filter(scope=scope)
        if kind:
            messages = messages.filter(kind=kind)
        return messages.aggregate(
            total=Count("id"),
            **{status: Count("id", filter=Q(status=status)) for status in MessageStatus.values},
        )


# Kinds of message whose text is a secret of the addressee (account emails).
CONFIDENTIAL_KIND_PREFIX = "account."
# What is left of the text of a message that carried a secret link, once it is sent.
REDACTED_BODY = "[The text of this message carried a personal link; it was removed once the message left.]\n"
# What is left of a message whose recipient's personal data were erased.
ERASED_ADDRESS = "erased@invalid.example"
ERASED_BODY = "[The text of this message was erased with the recipient's personal data.]\n"


class Message(models.Model):
    kind = models.CharField(_("type"), max_length=64, db_index=True)
    scope = models.CharField(
        _("scope"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("What the message belongs to, e.g. a call."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    to_email = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True, verbose_name=_("idempotency key"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # The text holds a secret of the addressee (a sign-in, reset or invitation link): no
    # page shows it, and it is removed once the message has left.
    carries_secret = models.BooleanField(_("carries a personal link"), default=False)
    # Attachments still being made (a PDF rendered by a worker): not sent before they are in.
    awaiting_attachments = models.PositiveSmallIntegerField(default=0, verbose_name=_("awaiting attachments"))
    # The tasks that make them, by name: [{"task": "intake.tasks.x", "args": [42]}]. The
    # sweep publishes them again if the broker lost them.
    attachment_tasks = models.JSONField(default=list, blank=True, verbose_name=_("attachment tasks"))
    # When a worker claimed the message for sending: a claim older than the lease is stale.
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            # The outbox of a call, newest first, a page at a time.
            models.Index(fields=["scope", "-created_at", "-id"], name="message_outbox_idx"),
            models.Index(fields=["scope", "kind"], name="message_scope_kind_idx"),  # its filter
        ]

    def __str__(self):
        return f"{self.kind} to {self.to_email}"

    @property
    def is_erased(self):
        """Its address and text were erased with the recipient's personal data."""
        return self.to_email == ERASED_ADDRESS

    @property
    def is_confidential(self):
        """Account emails and invitations carry a personal link: only their addressee reads them."""
        return self.carries_secret or self.kind.startswith(CONFIDENTIAL_KIND_PREFIX)


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    filename = models.CharField(max_length=255, verbose_name=_("filename"))
    content_type = models.CharField(max_length=100, verbose_name=_("content type"))
    file = models.FileField(
        upload_to="outbox/", storage=private_storage, max_length=255, verbose_name=_("file")
    )

    def __str__(self):
        return self.filename


def _document_upload_to(instance, filename):
    # Generated names: nothing typed by a user reaches the storage path.
    return f"documents/{instance.kind}/{uuid.uuid4().hex}.pdf"


def new_verification_code():
    """16 characters from an alphabet without look-alikes, shown in groups of four."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class IssuedDocumentQuerySet(models.QuerySet):
    def for_subject(self, kind, subject_key):
        return self.filter(kind=kind, subject_key=subject_key).order_by("-version")

    def current(self, kind, subject_key):
        """The latest version of a subject's document, or None."""
        return self.for_subject(kind, subject_key).first()

    def verifiable(self, code):
        """The document of this verification code with only what its public page shows, or None."""
        return (
            self.filter(verification_code=code)
            .only("verification_code", "public_summary", "created_at", "sha256", "kind")
            .first()
        )


class IssuedDocument(models.Model):
    """A PDF of record. A new version never replaces an earlier one: both are kept."""

    kind = models.CharField(_("type"), max_length=64)
    subject_key = models.CharField(
        _("subject"), max_length=100, help_text=_("What the document is about, e.g. application:42.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=250)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        upload_to=_document_upload_to, storage=private_storage, max_length=255, verbose_name=_("file")
    )
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_verification_code
    )
    # What the public verification page may show, chosen by the domain app (e.g. city,
    # decision, date). Nothing else about the document is ever public.
    public_summary = models.JSONField(_("public summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "subject_key", "-version"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_key", "version"], name="one_document_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def display_code(self):
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class FileSweep(models.Model):
    """One run of the daily sweep of unreferenced files (``notifications.file_sweep``)."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files_checked = models.PositiveIntegerField(_("stored files checked"), default=0)
    files_removed = models.PositiveIntegerField(_("unreferenced files removed"), default=0)
    bytes_removed = models.PositiveBigIntegerField(_("bytes removed"), default=0)
    temporary_files_removed = models.PositiveIntegerField(_("temporary upload files removed"), default=0)
    temporary_bytes_removed = models.PositiveBigIntegerField(_("temporary bytes removed"), default=0)
    errors = models.TextField(_("errors"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("file sweep")
        verbose_name_plural = _("file sweeps")

    def __str__(self):
        removed = self.files_removed + self.temporary_files_removed
        return f"{self.started_at:%Y-%m-%d %H:%M}: {removed} removed"
