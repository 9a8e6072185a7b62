"""Checks on values people type that more than one form needs."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# RFC 5321 leaves room for 254 characters in a path; the database keeps no more.
EMAIL_MAX_LENGTH = 254


def validate_email_length(value):
    """Refuse an address the database would cut short: a cut address has lost its domain."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An email address has at most %(limit)d characters; this one has %(length)d."),
            code="email_too_long",
            params={"limit": EMAIL_MAX_LENGTH, "length": len(value)},
        )
