"""Staff log in with two factors: who must, and whether they have set it up.

Evaluators, coordinators and administrators see applications, reviews and personal data
of many people, so a password alone does not open their pages: until their account has an
authenticator app (allauth.mfa's TOTP), ``StaffTwoFactorMiddleware`` sends them to set one
up. Once it exists, allauth asks for a code at every login. Applicants may turn it on.

Whether the account has an authenticator is remembered in the session, so staff pages do
not pay a query for it on every request: it is written when the person logs in or sets one
up, and dropped when they remove it.
"""

from allauth.mfa.models import Authenticator

from . import roles

STAFF_ROLES = frozenset({roles.EVALUATOR, roles.COORDINATOR})
SESSION_KEY = "portal.two_factor_user"


def requires_two_factor(user):
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or bool(roles.role_names(user) & STAFF_ROLES)


def has_authenticator(user):
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def remember(request, user):
    request.session[SESSION_KEY] = user.pk


def is_set_up(request):
    """True when the logged-in person has an authenticator (remembered for the session)."""
    user = request.user
    if request.session.get(SESSION_KEY) == user.pk:
        return True
    if has_authenticator(user):
        remember(request, user)
        return True
    return False


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and has_authenticator(user):
        remember(request, user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        remember(request, user)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        request.session.pop(SESSION_KEY, None)
