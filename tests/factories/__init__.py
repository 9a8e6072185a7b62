"""factory_boy factories, one module per app (``tests/factories/<app>.py``), and builders.

The people and intake factories are re-exported here, the ones nearly every test uses.
"""

from .intake import (
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    QuestionFactory,
    SectionFactory,
)
from .portal import DEFAULT_PASSWORD, UserFactory, with_authenticator

__all__ = [
    "DEFAULT_PASSWORD",
    "ApplicationFactory",
    "CallFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "ProjectFactory",
    "QuestionFactory",
    "SectionFactory",
    "UserFactory",
    "with_authenticator",
]
