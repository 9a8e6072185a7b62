"""The outbox in words: each message type and scope as a person reads it.

This app does not know what a type or a scope means; the apps that send the messages do,
and register their words when they start: ``register_kinds({"decision": _("Decision")})``
and ``register_scope_describer("call", describe)``, where ``describe(ids)`` returns
``{id: text}`` for the scopes ``call:<id>`` in one query.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import CONFIDENTIAL_KIND_PREFIX

_kind_labels = {}
_scope_describers = {}


def register_kinds(labels):
    _kind_labels.update(labels)


def register_scope_describer(prefix, describe):
    _scope_describers[prefix] = describe


def kind_label(kind):
    """A message type's words; an account email (sign-up, reset) is one kind for the reader."""
    if kind in _kind_labels:
        return str(_kind_labels[kind])
    if kind.startswith(CONFIDENTIAL_KIND_PREFIX):
        return _("Account email")
    return capfirst(kind.replace("_", " "))


def scope_labels(scopes):
    """``{scope: text}`` for ``scopes`` ("call:2" -> the call's title), one query per kind of scope."""
    ids = {}
    for scope in scopes:
        prefix, _sep, rest = str(scope).partition(":")
        if rest.isdigit():
            ids.setdefault(prefix, set()).add(int(rest))
    labels = {}
    for prefix, found in ids.items():
        describe = _scope_describers.get(prefix)
        names = describe(found) if describe else {}
        labels.update({f"{prefix}:{pk}": str(text) for pk, text in names.items()})
    return {scope: labels.get(scope, scope) for scope in scopes}
