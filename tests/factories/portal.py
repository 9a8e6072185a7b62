"""Factories of the portal's base: people."""

import factory

from portal import roles, two_factor
from portal.models import User
from tests.utils import TOTP_SECRET

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            roles.grant(self, extracted)
        if create:
            self.save()

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Pass ``verified=True`` for a user whose email address is confirmed."""
        if create and extracted:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Staff accounts get an authenticator app (``TOTP_SECRET``), as they must to reach
        their pages; ``totp=False`` makes one without, ``totp=True`` gives anyone one."""
        return extracted

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        wanted = (results or {}).get("totp")
        if create and (wanted or (wanted is None and two_factor.requires_two_factor(instance))):
            with_authenticator(instance)
        # The roles were read to decide; a role granted later must not meet a stale copy.
        instance.__dict__.pop("_portal_roles", None)


def with_authenticator(user, secret=TOTP_SECRET):
    """Set up an authenticator app for ``user``: staff need one to reach their pages."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user
