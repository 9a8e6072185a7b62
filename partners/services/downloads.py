"""A partner's files handed to someone outside the city (the project team, an administrator),
in the audit log: who, which file, when. The city's own members are not recorded."""

from portal.audit import record

SIGNED_AGREEMENT_DOWNLOADED = "signed_agreement.downloaded"
LOGO_DOWNLOADED = "logo.downloaded"
CERTIFICATE_DOWNLOADED = "certificate.downloaded"


def record_download(partner, obj, *, by, action, name):
    """Record that ``by`` downloaded ``obj`` (a file of ``partner``) named ``name``."""
    if partner.organisation.memberships.filter(user_id=by.pk).exists():
        return None
    application = partner.application
    return record(
        by,
        action,
        obj,
        call_id=application.call_id if application else None,
        after={"partner": partner.pk, "name": name},
    )
