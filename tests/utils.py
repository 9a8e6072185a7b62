"""Helpers shared by the tests."""

import base64
import hashlib
import hmac
import re
import struct
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The authenticator secret (base32) of the staff accounts the factories make.
TOTP_SECRET = "TESTSTAFFAUTHENTICATORSECRETAAAA"

# The authenticator secret (base32) of the staff accounts the factories make.
TOTP_SECRET = "TESTSTAFFAUTHENTICATORSECRETAAAA"

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


def totp_code(secret=None, *, at=None, period=30, digits=6):
    """The code an authenticator app made from ``secret`` shows at ``at`` (now by default):
    RFC 6238 written out here, apart from the portal's code. ``secret`` (base32) defaults to
    the one of the factories' staff accounts."""
    key = base64.b32decode(secret or TOTP_SECRET, casefold=True)
    counter = int(time.time() if at is None else at) // period
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def page_state(client, url):
    """The hidden inputs a browser holds after loading a step page (revision tokens and the
    page's id), to post with what the person typed."""
    content = client.get(url).content.decode()
    return dict(re.findall(r'name="(base_[\w-]+|form_instance)"[^>]*value="([^"]*)"', content))
