"""Factories for the evaluation's models, and small builders the review tests share."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from intake.models import Status
from portal import roles
from reviews import models

from .intake import ApplicationFactory, CallFactory, OrganisationFactory
from .portal import UserFactory


class ClosedCallFactory(CallFactory):
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=40))
    closes_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Criterion

    call = factory.SubFactory(ClosedCallFactory)
    order = factory.Sequence(lambda n: n)
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    name_fr = factory.Sequence(lambda n: f"Critère {n}")
    weight = Decimal(20)
    threshold = None


class SubmittedApplicationFactory(ApplicationFactory):
    call = factory.SubFactory(ClosedCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Status.SUBMITTED
    number = factory.Sequence(lambda n: n + 1)
    reference = factory.LazyAttribute(lambda o: f"{o.call.reference_prefix}-{o.number:04d}")
    submitted_at = factory.LazyAttribute(lambda o: o.call.closes_at - dt.timedelta(days=1))


class InReviewApplicationFactory(SubmittedApplicationFactory):
    status = Status.IN_REVIEW


class EvaluatorUserFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            roles.grant(self, extracted or roles.EVALUATOR)
            self.save()


class CallEvaluatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CallEvaluator

    call = factory.SubFactory(ClosedCallFactory)
    user = factory.SubFactory(EvaluatorUserFactory)
    country = ""
    languages = factory.LazyFunction(list)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assignment

    application = factory.SubFactory(InReviewApplicationFactory)
    evaluator = factory.SubFactory(EvaluatorUserFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Review

    assignment = factory.SubFactory(AssignmentFactory)
    application = factory.SelfAttribute("assignment.application")
    evaluator = factory.SelfAttribute("assignment.evaluator")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = Decimal(3)


def coordinator_of(call, **fields):
    user = UserFactory(role=roles.COORDINATOR, **fields)
    call.coordinators.add(user)
    return user


def evaluator_of(call, **fields):
    """A user who evaluates ``call`` (``country``, ``languages``, ``max_load`` go to the record)."""
    record_fields = {k: fields.pop(k) for k in ("country", "languages", "max_load") if k in fields}
    user = EvaluatorUserFactory(**fields)
    models.CallEvaluator.objects.create(call=call, user=user, **record_fields)
    return user


def assigned(application, evaluator, *, confirmed=True):
    """An assignment of ``evaluator`` to ``application``, "no conflict" confirmed unless told."""
    assignment = models.Assignment.objects.create(application=application, evaluator=evaluator)
    if confirmed:
        models.NoConflictConfirmation.objects.create(application=application, evaluator=evaluator)
    return assignment


def five_criteria(call, *, threshold=None):
    """The PACTESUR 2 weights 25/20/20/20/15."""
    return [
        CriterionFactory(call=call, order=i, weight=Decimal(w), threshold=threshold, tie_break_priority=i)
        for i, w in enumerate((25, 20, 20, 20, 15), start=1)
    ]


def submitted_review(assignment, criteria, values, *, recommendation="recommend"):
    """A submitted review with ``values`` (one per criterion, in order)."""
    review = models.Review.objects.create(
        assignment=assignment,
        application=assignment.application,
        evaluator=assignment.evaluator,
        status=models.ReviewStatus.SUBMITTED,
        submitted_at=timezone.now(),
        recommendation=recommendation,
    )
    models.Score.objects.bulk_create(
        models.Score(review=review, criterion=c, value=Decimal(str(v)))
        for c, v in zip(criteria, values, strict=True)
    )
    models.Assignment.objects.filter(pk=assignment.pk).update(status=models.AssignmentStatus.DONE)
    return review
