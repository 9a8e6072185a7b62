"""Helpers shared by the tests."""

import re

INVITATION_LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def invitation_token_in(text):
    """The token of the invitation link in an email's text (the portal keeps only its digest)."""
    match = INVITATION_LINK.search(text)
    assert match, "no invitation link in the email"
    return match.group(1)
