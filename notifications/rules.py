"""Who may read the outbox.

A message belongs to a scope ("call:7"); this app does not know what a scope is. The
apps that do register a *scope reader*: a function that names the scopes a user may read
(intake: the calls the user coordinates). Administrators read every message; a message
without a scope (an account email, a colleague's invitation) is theirs alone. The same
reader decides the list (``Message.objects.visible_to``) and each message
(``notifications.view_message``), so a message outside one's calls is a 404 everywhere.
"""

import rules

_scope_readers = []


def register_scope_reader(reader):
    """``reader(user)`` returns the scopes (strings) whose messages ``user`` may read."""
    if reader not in _scope_readers:
        _scope_readers.append(reader)
    return reader


def readable_scopes(user):
    """The scopes ``user`` may read, worked out once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_notifications_scopes", None)
    if cached is None:
        cached = frozenset(scope for reader in _scope_readers for scope in reader(user) if scope)
        user._notifications_scopes = cached
    return cached


def reads_every_message(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


@rules.predicate
def may_open_outbox(user):
    return reads_every_message(user) or bool(readable_scopes(user))


@rules.predicate
def may_read_message(user, message):
    if message is None:
        return False
    return reads_every_message(user) or (bool(message.scope) and message.scope in readable_scopes(user))


@rules.predicate
def may_read_scope(user, scope):
    return reads_every_message(user) or (bool(scope) and scope in readable_scopes(user))


rules.add_perm("notifications.view_outbox", may_open_outbox)
rules.add_perm("notifications.view_message", may_read_message)
rules.add_perm("notifications.view_scope", may_read_scope)
