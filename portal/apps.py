from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.mfa import signals as mfa_signals  # startup: connected once the apps are loaded
        from django.contrib.auth.signals import user_logged_in  # startup: as above

        from . import checks, two_factor  # noqa: F401 # startup: the checks register themselves

        user_logged_in.connect(two_factor.on_login, dispatch_uid="portal.two_factor.on_login")
        mfa_signals.authenticator_added.connect(two_factor.on_authenticator_added)
        mfa_signals.authenticator_removed.connect(two_factor.on_authenticator_removed)
