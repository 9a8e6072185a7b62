"""Helpers shared by the tests."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

INVITATION_LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def invitation_token_in(text):
    """The token of the invitation link in an email's text (the portal keeps only its digest)."""
    match = INVITATION_LINK.search(text)
    assert match, "no invitation link in the email"
    return match.group(1)


def count_queries(client, url):
    """How many queries a GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
