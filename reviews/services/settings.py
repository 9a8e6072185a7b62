"""Changing the settings of a call's evaluation."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import record

from ..models import (
    ReviewSettings,
)
from .common import EvaluationError, snapshot

SETTINGS_FIELDS = (
    "evaluators_per_application",
    "review_visibility",
    "conflict_with_own_country",
    "review_deadline",
    "overall_threshold",
    "disagreement_limit",
    "criterion_disagreement",
    "min_distinct_countries",
    "consortium_members",
    "grey_zone_low",
    "grey_zone_high",
)


def change_review_settings(call, *, by, changes):
    """Change the call's evaluation settings (refused once the selection is final)."""
    with transaction.atomic():
        review_settings = ReviewSettings.objects.select_for_update().filter(call=call).first()
        review_settings = review_settings or ReviewSettings.objects.ensure(call)
        if review_settings.is_finalised:
            raise EvaluationError(_("The selection is final; its settings can no longer change."))
        before = snapshot(review_settings, SETTINGS_FIELDS)
        for name, value in changes.items():
            if name in SETTINGS_FIELDS:
                setattr(review_settings, name, value)
        review_settings.full_clean()
        review_settings.save()
        ReviewSettings.objects.remember(call, review_settings)
        after = snapshot(review_settings, SETTINGS_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            record(
                by,
                "review_settings.changed",
                review_settings,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
                call_id=call.pk,
            )
    return review_settings
