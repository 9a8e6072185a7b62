"""Who is conflicted with which application: the one place that answers it.

An evaluator is conflicted with an application when they declared a conflict with it,
with its organisation or with its country, or when the call makes evaluators conflicted
with every city of their own country and the city is in the evaluator's country.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from .models import CallEvaluator, ConflictDeclaration, ConflictScope, ReviewSettings


@dataclass
class EvaluatorConflicts:
    """Everything one evaluator is conflicted with in one call, for checks without queries."""

    applications: set = field(default_factory=set)
    organisations: set = field(default_factory=set)
    countries: set = field(default_factory=set)

    def add(self, declaration):
        if declaration.scope == ConflictScope.APPLICATION:
            self.applications.add(declaration.application_id)
        elif declaration.scope == ConflictScope.ORGANISATION:
            self.organisations.add(declaration.organisation_id)
        else:
            self.countries.add(declaration.country.upper())

    def covers(self, application_id, organisation_id, country):
        return (
            application_id in self.applications
            or organisation_id in self.organisations
            or (country or "").upper() in self.countries
        )


def conflicts_for_call(call, evaluator_ids=None):
    """``{evaluator_id: EvaluatorConflicts}`` for the call, in two queries."""
    settings = ReviewSettings.objects.for_call(call)
    index = defaultdict(EvaluatorConflicts)
    declarations = ConflictDeclaration.objects.filter(call=call).only(
        "evaluator_id", "scope", "application_id", "organisation_id", "country"
    )
    if evaluator_ids is not None:
        declarations = declarations.filter(evaluator_id__in=evaluator_ids)
    for declaration in declarations:
        index[declaration.evaluator_id].add(declaration)
    if settings.conflict_with_own_country:
        evaluators = CallEvaluator.objects.filter(call=call).exclude(country="")
        if evaluator_ids is not None:
            evaluators = evaluators.filter(user_id__in=evaluator_ids)
        for user_id, country in evaluators.values_list("user_id", "country"):
            index[user_id].countries.add(country.upper())
    return index


def is_conflicted(user, application):
    """Whether ``user`` is conflicted with ``application`` (declared or by the own-country rule)."""
    if not getattr(user, "pk", None):
        return False
    if ConflictDeclaration.objects.filter(evaluator=user).covering(application).exists():
        return True
    return (
        CallEvaluator.objects.filter(
            call_id=application.call_id,
            user=user,
            country__iexact=application.organisation.country,
            call__review_settings__conflict_with_own_country=True,
        )
        .exclude(country="")
        .exists()
    )


def conflicted_subqueries():
    """``is_conflicted`` for the evaluator and the application of an outer query on
    assignments, as two Exists(): the declared conflicts and the own-country rule, read
    with the assignment."""
    evaluator_id = OuterRef("evaluator_id")
    call_id = OuterRef("application__call_id")
    country = OuterRef("application__organisation__country")
    declared = ConflictDeclaration.objects.filter(evaluator_id=evaluator_id, call_id=call_id).filter(
        Q(scope=ConflictScope.APPLICATION, application_id=OuterRef("application_id"))
        | Q(scope=ConflictScope.ORGANISATION, organisation_id=OuterRef("application__organisation_id"))
        | Q(scope=ConflictScope.COUNTRY, country=country)
    )
    own_country = CallEvaluator.objects.filter(
        call_id=call_id,
        user_id=evaluator_id,
        country__iexact=country,
        call__review_settings__conflict_with_own_country=True,
    ).exclude(country="")
    return Exists(declared), Exists(own_country)
