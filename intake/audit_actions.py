"""What the audit log records of the applicant's journey, in words a coordinator reads."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Application


class AuditAction(models.TextChoices):
    APPLICATION_STARTED = "application.started", _("Application started")
    APPLICATION_ANSWERS_SAVED = "application.answers_saved", _("Answers saved")
    APPLICATION_DOCUMENT_ADDED = "application.document_added", _("File added")
    APPLICATION_DOCUMENT_REMOVED = "application.document_removed", _("File removed")
    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_WITHDRAWN = "application.withdrawn", _("Application withdrawn")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("File downloaded")
    ISSUED_DOCUMENT_DOWNLOADED = "issued_document.downloaded", _("Issued document downloaded")
    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    ORGANISATION_UPDATED = "organisation.updated", _("Organisation changed")
    ORGANISATION_INVITATION_SENT = "organisation.invitation_sent", _("Colleague invited")
    ORGANISATION_INVITATION_RENEWED = "organisation.invitation_renewed", _("Invitation sent again")
    ORGANISATION_INVITATION_CANCELLED = "organisation.invitation_cancelled", _("Invitation cancelled")
    ORGANISATION_MEMBER_JOINED = "organisation.member_joined", _("Colleague joined")
    RECEIPT_ISSUED = "receipt.issued", _("Receipt issued")
    STAFF_INVITED = "staff.invited", _("Staff member invited")
    STAFF_ROLE_GRANTED = "staff.role_granted", _("Role granted")
    CALL_REPLY_DEADLINE = "call.reply_deadline", _("Reply deadline set")


def describe_applications(pks):
    """Applications named in the audit log's values by their reference and city."""
    rows = Application.objects.filter(pk__in=pks).values_list("pk", "reference", "organisation__name")
    return {pk: f"{reference} ({name})" if reference else name for pk, reference, name in rows}
