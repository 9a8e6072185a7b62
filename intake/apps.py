from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Calls and applications")

    def ready(self):
        from portal.audit import (  # startup: the labels join the audit log's
            register_actions,
            register_object_describer,
        )

        from .audit_actions import AuditAction, describe_applications  # startup: as above

        register_actions(AuditAction)
        register_object_describer("intake.application", describe_applications)

        from notifications.labels import register_kinds, register_scope_describer  # startup: as above

        from . import outbox  # startup: as above

        register_kinds(outbox.KINDS)
        register_scope_describer("call", outbox.describe_calls)
        register_scope_describer("project", outbox.describe_projects)
