from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from portal.audit import register_actions  # startup: the labels join the audit log's

        from .audit_actions import AuditAction  # startup: as above

        register_actions(AuditAction)
