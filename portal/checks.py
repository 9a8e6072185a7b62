"""Deployment checks of the portal's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from .client_address import trusted_networks


@checks.register(checks.Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    try:
        trusted_networks(tuple(settings.PORTAL_TRUSTED_PROXIES or ()))
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="portal.E001")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies_are_named(app_configs, **kwargs):
    if not settings.PRODUCTION or settings.PORTAL_TRUSTED_PROXIES is not None:
        return []
    return [
        checks.Warning(
            "PORTAL_TRUSTED_PROXIES is not set: behind a load balancer, every client would share "
            "its address and the login limits of one person would lock out the others.",
            hint="Name the load balancers' addresses or networks (10.0.0.0/8, 192.0.2.10), "
            "or 'none' when clients connect to the web processes directly.",
            id="portal.W001",
        )
    ]


# Mailers that keep emails on this machine: fine to try the portal, never to run a call.
LOCAL_MAILERS = {
    "notifications.mail_files.ReadableFileBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_emails_leave_the_machine(app_configs, **kwargs):
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if not settings.PRODUCTION or backend not in LOCAL_MAILERS:
        return []
    return [
        checks.Error(
            "Emails would be written to files on this machine, not sent.",
            hint="Set EMAIL_URL (smtp+tls://user:password@host:587) or PORTAL_MAILER_BACKEND.",
            id="portal.E002",
        )
    ]
