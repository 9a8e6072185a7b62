from django.conf import settings

from . import roles

# The session key an app sets when the person's organisation is a project partner
# (partners/navigation.py): the menu then offers the partnership, with no query per page.
HAS_PARTNERSHIP = "portal_has_partnership"


def portal(request):
    user = getattr(request, "user", None)
    names = roles.role_names(user) if user is not None else frozenset()
    return {
        "portal_roles": names,
        "is_coordinator": roles.COORDINATOR in names,
        "is_evaluator": roles.EVALUATOR in names,
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "has_partnership": bool(getattr(request, "session", {}).get(HAS_PARTNERSHIP)),
    }
