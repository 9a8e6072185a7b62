from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from portal.audit import register_actions  # startup: the labels join the audit log's

        from . import checks  # noqa: F401 # startup: the checks register themselves
        from .audit_actions import AuditAction  # startup: as above

        register_actions(AuditAction)
