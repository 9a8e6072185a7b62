"""The evaluation of the open demo call: criteria, settings and evaluators."""

from decimal import Decimal

from demo.data.cities import planned_cities
from demo.data.evaluation import ILLUSTRATIVE_EN, ILLUSTRATIVE_FR, PACTESUR_CRITERIA
from demo.data.people import EVALUATOR_EMAILS
from intake.models import Application, Status
from portal import roles
from portal.models import User
from reviews import services
from reviews.models import (
    Assignment,
    CallEvaluator,
    Criterion,
    EligibilityScreening,
    ReviewSettings,
)


def seed_review_demo(call, *, by=None):
    """Give ``call`` the illustrative PACTESUR 2 criteria and settings, through the services
    a coordinator's builder uses; safe to repeat (what is there already is left alone).

    Weights 25/20/20/20/15, a threshold of 3 out of 5 on each criterion, 60/100 overall,
    tie-breaks in the order of the criteria.
    """
    by = by or call.coordinators.order_by("pk").first()
    settings = ReviewSettings.objects.ensure(call)  # the defaults, kept (nothing changes)
    ReviewSettings.objects.remember(call, settings)
    if (settings.scale_max, settings.scale_step) != (Decimal(5), Decimal("0.5")):
        services.change_scale(call, by=by, scale_max=Decimal(5), scale_step=Decimal("0.5"))
    if settings.overall_threshold != Decimal(60):
        services.change_review_settings(call, by=by, changes={"overall_threshold": Decimal(60)})
    existing = {criterion.name_en: criterion for criterion in Criterion.objects.filter(call=call)}
    for position, (weight, name_en, name_fr, guidance_en, guidance_fr) in enumerate(PACTESUR_CRITERIA, 1):
        if name_en not in existing:
            existing[name_en] = services.add_criterion(
                call,
                by=by,
                name_en=name_en,
                name_fr=name_fr,
                guidance_en=f"{guidance_en}\n\n{ILLUSTRATIVE_EN}",
                guidance_fr=f"{guidance_fr}\n\n{ILLUSTRATIVE_FR}",
                weight=Decimal(weight),
                threshold=Decimal(3),
                tie_break_priority=position,
            )
    return list(Criterion.objects.filter(call=call).order_by("order", "pk"))


def add_demo_evaluators(call, users, *, countries=()):
    """Make ``users`` evaluators of ``call`` (grants the role); safe to repeat.

    ``countries`` gives each evaluator their own country, in order, for the own-country
    conflict rule; languages are left open (any).
    """
    records = []
    for index, user in enumerate(users):
        country = countries[index] if index < len(countries) else ""
        record, _created = CallEvaluator.objects.get_or_create(
            call=call, user=user, defaults={"country": country}
        )
        roles.grant(user, roles.EVALUATOR)
        records.append(record)
    return records


# Why the demo screens some applications out.
INELIGIBLE_REASON = (
    "The signed letter of commitment is not from the mayor or equivalent. (Fictitious demo data.)"
)


def screen_planned_applications(call):
    """Screen, once, the applications the demo plans as in review or ineligible; returns how many."""
    coordinator = call.coordinators.order_by("pk").first()
    decisions = {
        Status.IN_REVIEW: (EligibilityScreening.Decision.ELIGIBLE, ""),
        Status.INELIGIBLE: (EligibilityScreening.Decision.INELIGIBLE, INELIGIBLE_REASON),
    }
    moved = 0
    for target, (decision, reason) in decisions.items():
        pending = Application.objects.filter(
            call=call, organisation__name__in=planned_cities(target), status=Status.SUBMITTED
        ).select_related("call", "organisation")
        for application in pending:
            services.decide_eligibility(application, by=coordinator, decision=decision, reason=reason)
            moved += 1
    return moved


# The demo evaluators' own countries (for the own-country conflict rule): none of the
# cities in review is in them.
EVALUATOR_COUNTRIES = ("FR", "BE", "IT")
EVALUATORS_PER_APPLICATION = 2


def assign_demo_evaluators(call):
    """Register the demo evaluators on the call and give each application in review two of them.

    Only pairs not assigned yet are assigned, so a second run adds nothing.
    """
    evaluators = list(User.objects.filter(email__in=EVALUATOR_EMAILS).order_by("email"))
    add_demo_evaluators(call, evaluators, countries=EVALUATOR_COUNTRIES)
    coordinator = call.coordinators.order_by("pk").first()
    in_review = Application.objects.filter(call=call, status=Status.IN_REVIEW).order_by("number")
    assigned = 0
    for index, application in enumerate(in_review):
        for offset in range(EVALUATORS_PER_APPLICATION):
            evaluator = evaluators[(index + offset) % len(evaluators)]
            if not Assignment.objects.filter(application=application, evaluator=evaluator).exists():
                services.assign_evaluator(application, evaluator, by=coordinator)
                assigned += 1
    return assigned
