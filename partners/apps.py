from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and activities")

    def ready(self):
        from portal.audit import register_actions  # startup: the labels join the audit log's

        from .audit_actions import AuditAction  # startup: as above

        register_actions(AuditAction)

        from notifications.labels import register_kinds  # startup: as above

        from . import outbox  # startup: as above

        register_kinds(outbox.KINDS)

        from . import navigation  # startup: connects the login receiver  # noqa: F401
