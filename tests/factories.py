"""factory_boy factories for the whole suite."""

import datetime as dt

import factory
from django.utils import timezone

from intake import models as intake
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


def with_authenticator(user, secret=TOTP_SECRET):
    """Set up an authenticator app for ``user``: staff need one to reach their pages."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Call

    slug = factory.Sequence(lambda n: f"call-{n}")
    reference_prefix = "PS2"
    title_en = factory.Sequence(lambda n: f"Call number {n}")
    title_fr = factory.Sequence(lambda n: f"Appel numéro {n}")
    summary_en = "Cities apply to join the project."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    is_published = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Section

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Section {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Question

    section = factory.SubFactory(SectionFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    order = factory.Sequence(lambda n: n)
    kind = intake.QuestionKind.SHORT_TEXT
    label_en = factory.Sequence(lambda n: f"Question {n}")
    required = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Organisation

    name = factory.Sequence(lambda n: f"City {n}")
    country = "IT"
    kind = intake.OrganisationKind.MUNICIPALITY
    population = 350000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, role=roles.APPLICANT, verified=True)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
