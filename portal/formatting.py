"""How the portal writes what it shows everywhere the same way: absolute links.

Part of the portal's base: imports no app.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(name_or_path, *args):
    """The full address of a URL name (with its ``args``) or of a path, on the portal's site.

    Emails and PDFs carry links that must work outside the browser session that made them.
    """
    path = name_or_path if name_or_path.startswith("/") else reverse(name_or_path, args=args)
    return settings.SITE_URL.rstrip("/") + path
