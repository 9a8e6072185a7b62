"""factory_boy factories for the whole suite."""

import datetime as dt

import factory
from django.utils import timezone

from intake import models as intake
from portal import roles
from portal.models import User

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


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    acronym = factory.Sequence(lambda n: f"PRJ {n}")
    title_en = factory.Sequence(lambda n: f"Project number {n}")
    title_fr = factory.Sequence(lambda n: f"Projet numéro {n}")


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = intake.Call

    project = factory.SubFactory(ProjectFactory)
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
