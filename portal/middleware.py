"""The portal's own middleware: the client's address, security headers, staff two-factor,
and the language cookie after a login."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware

from . import two_factor
from .client_address import client_address, trusted_networks
from .translation import language_code


class ArrivalTimeMiddleware:
    """Records when the request reached the portal, before anything else runs, as
    ``request.arrived_at``: a deadline is judged by it, not by when a worker got to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.arrived_at = timezone.now()
        return self.get_response(request)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a hashed file cached a year (the longest HTTP caches are asked to
    keep anything) rather than its default ten: a new content is a new name anyway."""

    FOREVER = 365 * 24 * 60 * 60


class ClientAddressMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address when the request came through one of
    ``PORTAL_TRUSTED_PROXIES``, so login limits, logs and audit see people, not the load
    balancer. A forwarded header from anyone else is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = trusted_networks(tuple(settings.PORTAL_TRUSTED_PROXIES or ()))
        if networks:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), networks
            )
        return self.get_response(request)


def _permissions_policy(policy):
    def allowlist(origins):
        return "(" + " ".join(origins) + ")"

    return ", ".join(f"{feature}={allowlist(origins)}" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = _permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class StaffTwoFactorMiddleware:
    """A staff account without an authenticator reaches only the pages that set one up
    (and logging out, switching language, confirming its address); every other page sends
    it to the set-up page."""

    ALLOWED = frozenset(
        {
            "mfa_index",
            "mfa_activate_totp",
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
            "mfa_reauthenticate",
            "account_reauthenticate",
            "account_logout",
            "account_email",
            "account_email_verification_sent",
            "account_confirm_email",
            "set_language",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor.requires_two_factor(request.user):
            return None
        match = request.resolver_match
        if (match and match.url_name in self.ALLOWED) or request.path.startswith(settings.STATIC_URL):
            return None
        if two_factor.is_set_up(request):
            return None
        messages.warning(
            request,
            _(
                "Staff accounts are protected by two-factor authentication. Set up an "
                "authenticator app to continue."
            ),
            fail_silently=True,
        )
        return redirect("mfa_activate_totp")


class UserLanguageMiddleware:
    """Sets the language cookie when a login brought the account's language back (see the
    adapter); the switcher's choice is saved by ``portal.views.set_language``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "portal_language_cookie", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language_code(language),
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
