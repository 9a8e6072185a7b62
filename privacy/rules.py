"""Who may act on people's data.

A call's coordinators act on what the call holds of its people, through the call's own
permission (``intake.coordinate_call``); administrators act on everyone and everything.
"""

import rules

from intake.rules import is_superuser

rules.add_perm("privacy.manage_everyone", is_superuser)
