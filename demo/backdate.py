"""Moving what the demo just did into the past, so its timeline reads like a real call's."""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import F
from django.utils import timezone


class Backdate:
    """Moves the times written during a block of seeding to a moment in the past.

    Every row whose timestamp falls inside the block's real window is shifted by the same
    amount, so what happened together stays together and in order. Meant for demo data
    seeded while nobody else writes (the outbox is left alone: its times drive delivery).
    """

    STAMPS = (
        ("portal", "User", ("date_joined",)),
        ("portal", "AuditEvent", ("at",)),
        ("intake", "Call", ("created_at", "updated_at")),
        ("intake", "Organisation", ("created_at",)),
        ("intake", "Membership", ("joined_at",)),
        (
            "intake",
            "Application",
            ("created_at", "updated_at", "submitted_at", "declaration_accepted_at", "privacy_accepted_at"),
        ),
        ("intake", "ApplicationTransition", ("at",)),
        ("intake", "Answer", ("updated_at",)),
        ("intake", "Document", ("uploaded_at",)),
        ("reviews", "ReviewSettings", ("finalised_at",)),
        ("reviews", "EligibilityScreening", ("decided_at",)),
        ("reviews", "CallEvaluator", ("added_at",)),
        ("reviews", "ConflictDeclaration", ("declared_at",)),
        ("reviews", "NoConflictConfirmation", ("confirmed_at",)),
        ("reviews", "Assignment", ("assigned_at", "declined_at")),
        ("reviews", "Review", ("created_at", "updated_at", "submitted_at", "reopened_at")),
        ("reviews", "ConsensusScore", ("set_at",)),
        ("reviews", "Decision", ("decided_at", "responded_at")),
    )

    @contextmanager
    def to(self, moment):
        start = timezone.now()
        yield
        end = timezone.now()
        delta = moment - start
        for app_label, model_name, fields in self.STAMPS:
            model = apps.get_model(app_label, model_name)
            for name in fields:
                model.objects.filter(**{f"{name}__range": (start, end)}).update(**{name: F(name) + delta})


def days_ago(days, hour=10, minute=0):
    """A moment ``days`` before today, at ``hour`` in Brussels."""
    local = timezone.localtime(timezone.now(), ZoneInfo("Europe/Brussels")) - dt.timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)
