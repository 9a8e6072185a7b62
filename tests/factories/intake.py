"""Factories of intake: projects, calls, questions, organisations and applications."""

import datetime as dt

import factory
from django.utils import timezone

from intake import models as intake
from portal import roles

from .portal import UserFactory


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
