"""Fetch an object the person may see, or answer 404: the one way views load objects.

A refused object answers exactly as a missing one, so an id reveals nothing. Part of the
portal's base: imports no app.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404


def permitted_or_404(user, permission, obj):
    """``obj`` when ``user`` has ``permission`` on it; 404 otherwise."""
    if not user.has_perm(permission, obj):
        raise Http404
    return obj


def object_or_404(user, permission, queryset, *, via=None, **lookup):
    """Load one object of ``queryset`` and check ``permission`` on it (or on ``via(obj)``,
    e.g. the call an assignment belongs to)."""
    obj = get_object_or_404(queryset, **lookup)
    permitted_or_404(user, permission, via(obj) if via else obj)
    return obj
