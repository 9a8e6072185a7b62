from django.conf import settings

from . import roles


def portal(request):
    user = getattr(request, "user", None)
    names = roles.role_names(user) if user is not None else frozenset()
    return {
        "portal_roles": names,
        "is_coordinator": roles.COORDINATOR in names,
        "is_evaluator": roles.EVALUATOR in names,
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        # Set in the session by the partners' space (partners/navigation.py): no query per page.
        "has_partnership": bool(getattr(request, "session", {}).get("portal_has_partnership")),
    }
