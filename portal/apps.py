from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from . import checks, two_factor  # noqa: F401 - checks register themselves

        user_logged_in.connect(two_factor.on_login, dispatch_uid="portal.two_factor.on_login")
        mfa_signals.authenticator_added.connect(two_factor.on_authenticator_added)
        mfa_signals.authenticator_removed.connect(two_factor.on_authenticator_removed)
