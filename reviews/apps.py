from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Evaluation and selection")

    def ready(self):
        from portal.audit import (  # startup: the labels join the audit log's
            register_actions,
            register_key_describer,
            register_keys,
        )

        from .audit_actions import KEY_LABELS, AuditAction, describe_review_keys  # startup: as above

        register_actions(AuditAction)

        from notifications.labels import register_kinds  # startup: as above

        from . import outbox  # startup: as above

        register_kinds(outbox.KINDS)
        register_keys(KEY_LABELS)
        register_key_describer("reviews.review", describe_review_keys)

        from . import receivers  # noqa: F401 # startup: connects the receivers
