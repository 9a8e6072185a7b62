"""Bulk data for the benchmarks: thousands of applications in seconds (bulk_create)."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.utils import timezone

from demo.documents import commitment_letter_pdf
from demo.open_call import demo_answer, ensure_call, upload
from intake.models import (
    Answer,
    Application,
    ApplicationTransition,
    Membership,
    Organisation,
    Question,
    QuestionKind,
    Status,
)
from portal import roles
from portal.models import User

COUNTRIES = ["AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV"]
BATCH = 1000


def the_call():
    """The demo PACTESUR 2 call with its sections and questions (idempotent)."""
    roles.ensure_groups()
    call, _created = ensure_call()
    return call


def answers_for(application, questions):
    return [
        Answer(application=application, question=question, value=value)
        for question in questions
        if question.kind != QuestionKind.FILE
        and (value := demo_answer(question, application.organisation.name, "IT", 100000)) is not None
    ]


def grow_to(call, total):
    """Add other cities' applications (with answers and history) until the call has ``total``."""
    start = Application.objects.filter(call=call).count()
    if start >= total:
        return
    questions = list(Question.objects.filter(section__call=call).select_related("section"))
    taken = Application.objects.filter(call=call, number__isnull=False).count()
    now = timezone.now()
    for first in range(start, total, BATCH):
        last = min(total, first + BATCH)
        users = User.objects.bulk_create(
            User(email=f"bench{n}@bench.example", full_name=f"Bench person {n}", password="!")
            for n in range(first, last)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench city {n}", country=COUNTRIES[n % len(COUNTRIES)], kind="municipality")
            for n in range(first, last)
        )
        Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user)
            for organisation, user in zip(organisations, users, strict=True)
        )
        applications = []
        for n, (organisation, user) in enumerate(zip(organisations, users, strict=True), start=first):
            submitted = n % 4 != 0  # three in four submitted, the rest drafts
            application = Application(call=call, organisation=organisation, created_by=user)
            if submitted:
                taken += 1
                application.status = Status.SUBMITTED
                application.number = taken
                application.reference = f"BENCH-{call.pk}-{taken:06d}"
                application.submitted_at = now - dt.timedelta(minutes=n)
                application.submitted_by = user
            applications.append(application)
        applications = Application.objects.bulk_create(applications)
        Answer.objects.bulk_create(
            [answer for application in applications for answer in answers_for(application, questions)],
            batch_size=BATCH * 5,
        )
        ApplicationTransition.objects.bulk_create(
            ApplicationTransition(
                application=application,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                by=application.submitted_by,
                at=application.submitted_at,
            )
            for application in applications
            if application.status == Status.SUBMITTED
        )


def applicant(email):
    """A verified applicant (password login is not needed: the client logs in directly)."""
    user, _created = User.objects.get_or_create(email=email, defaults={"full_name": "Bench applicant"})
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    roles.grant(user, roles.APPLICANT)
    return user


def complete_draft(call, user, name):
    """A draft of a new organisation of ``user`` with every required answer and the letter."""
    organisation = Organisation.objects.create(name=name, country="IT", kind="municipality", created_by=user)
    Membership.objects.create(organisation=organisation, user=user)
    application = Application.objects.create(call=call, organisation=organisation, created_by=user)
    questions = list(Question.objects.filter(section__call=call).select_related("section"))
    Answer.objects.bulk_create(answers_for(application, questions))
    letter = next(question for question in questions if question.key == "commitment_letter")
    upload(application, letter, commitment_letter_pdf(name, "IT"), name="letter.pdf", by=user)
    return application
