"""Files of an application handed to someone outside the applicant city, in the audit log.

Coordinators, evaluators and administrators read applicants' files; each download is
recorded (who, which file, when) so that a person can be told who read their documents.
The city's own members downloading their files are not recorded: it is their data.
"""

from portal.audit import record

from ..models import Membership

DOCUMENT_DOWNLOADED = "document.downloaded"
ISSUED_DOCUMENT_DOWNLOADED = "issued_document.downloaded"


def _acts_for(user, application):
    return Membership.objects.filter(user_id=user.pk, organisation_id=application.organisation_id).exists()


def record_document_download(document, *, by):
    """An uploaded file of ``document.application`` given to ``by``; None when ``by`` acts for the city."""
    application = document.application
    if _acts_for(by, application):
        return None
    return record(
        by,
        DOCUMENT_DOWNLOADED,
        document,
        call_id=application.call_id,
        after={
            "application": application.pk,
            "reference": application.reference,
            "name": document.original_name,
            "size": document.size,
            "sha256": document.sha256,
        },
    )


def record_issued_document_download(application, document, *, by):
    """A receipt or decision letter about ``application`` given to ``by``, outside the city."""
    if _acts_for(by, application):
        return None
    return record(
        by,
        ISSUED_DOCUMENT_DOWNLOADED,
        document,
        call_id=application.call_id,
        after={
            "application": application.pk,
            "reference": application.reference,
            "name": document.filename,
            "kind": document.kind,
            "version": document.version,
        },
    )
