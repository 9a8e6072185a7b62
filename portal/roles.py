"""Roles are Django groups; this module is the one place that names them."""

from django.contrib.auth.models import Group

APPLICANT = "applicant"
EVALUATOR = "evaluator"
COORDINATOR = "coordinator"
ALL_ROLES = (APPLICANT, EVALUATOR, COORDINATOR)


def ensure_groups():
    return {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}


def role_names(user):
    """The user's role names, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def has_role(user, role):
    return role in role_names(user)


def grant(user, role):
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_portal_roles", None)
