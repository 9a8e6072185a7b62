"""What the audit log records of the outbox and issued documents, in words."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    MESSAGE_RESENT = "message.resent", _("Email sent again")
    DOCUMENT_ISSUED = "document.issued", _("Document issued")
