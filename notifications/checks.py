"""Checks of the outbox's settings (``manage.py check``)."""

from django.conf import settings
from django.core import checks

from .tasks import DELIVERY_LIMITS


@checks.register()
def check_sending_lease(app_configs, **kwargs):
    """A claim taken back while its worker may still be sending makes a second copy."""
    lease = settings.PORTAL_OUTBOX_SENDING_LEASE_SECONDS
    if lease > DELIVERY_LIMITS["time_limit"]:
        return []
    return [
        checks.Warning(
            f"PORTAL_OUTBOX_SENDING_LEASE_SECONDS ({lease}) is not longer than the delivery task's "
            f"hard time limit ({DELIVERY_LIMITS['time_limit']} s): the sweep could send again a "
            "message that a live worker is still sending.",
            hint="Keep the lease above the time limit (the default is 600 s).",
            id="notifications.W001",
        )
    ]
