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
            register_value_model,
        )

        from .audit_actions import KEY_LABELS, AuditAction, describe_review_keys  # startup: as above

        register_actions(AuditAction)

        from notifications.labels import register_kinds  # startup: as above

        from . import outbox  # startup: as above

        register_kinds(outbox.KINDS)
        register_keys(KEY_LABELS)
        register_key_describer("reviews.review", describe_review_keys)
        register_value_model(AuditAction.ELIGIBILITY_DECIDED, "reviews.eligibilityscreening")
        # A letter's event is on the issued document; its values are the decision's.
        register_value_model(AuditAction.LETTER_ISSUED, "reviews.decision")

        from . import receivers  # noqa: F401 # startup: connects the receivers
