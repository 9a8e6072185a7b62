"""Factories of partners: a selected city made a partner, checklist items, activities, participants."""

import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone

from intake.models import Application, Status
from partners import models
from partners.models import ItemKind
from portal import roles
from reviews.models import Decision, Outcome

from .intake import MembershipFactory, OrganisationFactory, ProjectFactory
from .portal import UserFactory
from .reviews import ClosedCallFactory, InReviewApplicationFactory


def selected_application(call=None, organisation=None, *, member=True):
    """A selected application with its decision (the city has not answered yet)."""
    call = call or ClosedCallFactory()
    organisation = organisation or OrganisationFactory()
    if member:
        MembershipFactory(organisation=organisation)
    application = InReviewApplicationFactory(call=call, organisation=organisation)
    Application.objects.filter(pk=application.pk).update(status=Status.SELECTED)
    application.refresh_from_db()
    Decision.objects.create(application=application, outcome=Outcome.SELECTED, rank=1)
    return application


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partner

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    city = factory.SelfAttribute("organisation.name")
    privacy_notice_version = factory.LazyFunction(lambda: settings.PARTICIPANT_PRIVACY_NOTICE_VERSION)


def partner_with_member(project=None, **fields):
    """A partner and one member who acts for its city. Returns (partner, user)."""
    partner = PartnerFactory(project=project or ProjectFactory(), **fields)
    membership = MembershipFactory(organisation=partner.organisation)
    return partner, membership.user


def project_coordinator(project):
    user = UserFactory(role=roles.COORDINATOR, verified=True)
    project.coordinators.add(user)
    return user


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChecklistItem

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n)
    kind = ItemKind.CONFIRMATION
    title_en = factory.Sequence(lambda n: f"Step {n}")


def standard_checklist(project):
    return [
        ChecklistItemFactory(project=project, kind=kind, title_en=str(kind.label), order=order)
        for order, kind in enumerate(ItemKind, start=1)
    ]


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity

    project = factory.SubFactory(ProjectFactory)
    kind = models.ActivityKind.POLICE_ACADEMY
    title_en = factory.Sequence(lambda n: f"Police academy {n}")
    title_fr = factory.Sequence(lambda n: f"Académie de police {n}")
    venue = "Municipal police school"
    host_city = "Nice"
    country = "FR"
    timezone = "Europe/Paris"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=40))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=3, hours=8))
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=14))
    seats_per_partner = 2
    seats_total = 22


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participant

    partner = factory.SubFactory(PartnerFactory)
    activity = factory.SubFactory(ActivityFactory, project=factory.SelfAttribute("..partner.project"))
    name = factory.Sequence(lambda n: f"Officer {n}")
    role = "Inspector"
    email = factory.Sequence(lambda n: f"officer{n}@city.example")
    category = models.ParticipantCategory.POLICE_OFFICER


def participant_values(**overrides):
    values = {
        "name": "Giulia Rossi",
        "role": "Commissioner",
        "unit": "Public order",
        "email": "giulia.rossi@city.example",
        "language": "en",
        "languages": "Italian, English",
        "category": models.ParticipantCategory.POLICE_OFFICER,
        "gender": models.Gender.WOMAN,
    }
    return values | overrides
