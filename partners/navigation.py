"""Whether the main menu offers "My partnership", kept in the session.

Read once when a person logs in and set when their city accepts its place, so the menu
costs no query on every page. A member who joins a partner city later sees the entry from
their next login.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from portal.context_processors import HAS_PARTNERSHIP

from .models import Partner


def remember_partnership(request, has_partnership=True):
    request.session[HAS_PARTNERSHIP] = has_partnership


@receiver(user_logged_in, dispatch_uid="partners.menu_entry_on_login")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        remember_partnership(request, Partner.objects.for_member(user).exists())
