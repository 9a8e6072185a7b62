"""What the builder's tests share: a coordinator and a call being built."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from builder import services
from intake.models import QuestionKind
from portal import roles
from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def officer(db):
    """A project officer: in the coordinator group and coordinator of the project."""
    roles.ensure_groups()
    user = UserFactory(email="officer@efus.example", role=roles.COORDINATOR, verified=True)
    return user


@pytest.fixture
def project(officer):
    project = ProjectFactory(acronym="ACADEMY", title_en="Police academy trainers")
    project.coordinators.add(officer)
    return project


def new_call(officer, project, *, slug="trainers-2027", prefix="TA27", **fields):
    now = timezone.now()
    return services.create_call(
        by=officer,
        project=project,
        title_en=fields.pop("title_en", "Trainers for the police academy"),
        title_fr=fields.pop("title_fr", "Formateurs pour l'académie de police"),
        slug=slug,
        reference_prefix=prefix,
        opens_at=fields.pop("opens_at", now + dt.timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + dt.timedelta(days=40)),
        **fields,
    )


@pytest.fixture
def call(officer, project):
    return new_call(officer, project)


def complete(call, officer, *, evaluators=2):
    """Everything the publish check asks for, through the builder's services."""
    services.change_call_texts(
        call,
        by=officer,
        changes={
            "summary_en": "Trainers teach at the academy.",
            "summary_fr": "Des formateurs enseignent à l'académie.",
            "description_en": "The academy trains officers.\n\n- three sessions",
            "description_fr": "L'académie forme des agents.\n\n- trois sessions",
            "eligibility_en": "Police bodies of the EU.",
            "eligibility_fr": "Les polices de l'UE.",
            "how_to_apply_en": "1. Register\n2. Apply",
            "how_to_apply_fr": "1. Inscrivez-vous\n2. Candidatez",
        },
    )
    section = services.add_section(call, by=officer, title_en="Profile", title_fr="Profil")
    services.add_question(
        section,
        by=officer,
        kind=QuestionKind.LONG_TEXT,
        label_en="Your experience",
        label_fr="Votre expérience",
        max_length=2000,
    )
    services.add_question(
        section,
        by=officer,
        kind=QuestionKind.FILE,
        key="commitment_letter",
        label_en="Signed letter of commitment",
        label_fr="Lettre d'engagement signée",
        file_types=["pdf"],
    )
    services.add_criterion(call, by=officer, name_en="Experience", name_fr="Expérience", weight=Decimal(60))
    services.add_criterion(call, by=officer, name_en="Motivation", name_fr="Motivation", weight=Decimal(40))
    services.change_letter_texts(
        call,
        by=officer,
        changes={
            "project_name": "ACADEMY",
            "signatory_name": "Jeanne Exemple",
            "signatory_role_en": "Director",
            "signatory_role_fr": "Directrice",
            "associated_role_en": "the three training sessions",
            "associated_role_fr": "les trois sessions de formation",
        },
    )
    services.change_review_settings(
        call, by=officer, changes={"evaluators_per_application": max(1, evaluators)}
    )
    for number in range(evaluators):
        services.invite_to_call(call, by=officer, email=f"expert{number}@example.org", role=roles.EVALUATOR)
    return call
