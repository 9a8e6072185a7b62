"""What intake tells the apps above it, which it may not import (reviews, the builder)."""

from django.dispatch import Signal

# Sent inside the transaction that accepts a staff invitation for a call, with
# ``invitation`` and ``user``: the reviews app makes an invited evaluator an evaluator of
# the call. A receiver that raises undoes the acceptance.
staff_invitation_accepted = Signal()
