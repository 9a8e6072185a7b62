from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Evaluation and selection")

    def ready(self):
        from portal.audit import register_actions  # startup: the labels join the audit log's

        from .audit_actions import AuditAction  # startup: as above

        register_actions(AuditAction)

        from . import receivers  # noqa: F401 # startup: connects the receivers
