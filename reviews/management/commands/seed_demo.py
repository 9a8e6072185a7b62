"""``manage.py seed_demo``: the fictitious PACTESUR 2 demo, safe to run again.

It lives in the reviews app because it seeds every app and imports flow
reviews -> intake: the intake part builds the call, people, cities and applications,
then the reviews part screens applications and adds its own demo data.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from intake import demo as intake_demo
from intake.models import Application, Status
from portal import audit
from portal.models import User

# Why the demo screens some applications out.
INELIGIBLE_REASON = (
    "The signed letter of commitment is not from the mayor or equivalent. (Fictitious demo data.)"
)


class Command(BaseCommand):
    help = "Create the fictitious PACTESUR 2 demo call, its staff and candidate cities (idempotent)."

    def handle(self, *args, **options):
        result = intake_demo.seed_intake_demo()
        call = result.call
        screened = screen_planned_applications(call)
        review_demo = seed_review_demo(call)
        assigned = assign_demo_evaluators(call)

        created = ", ".join(f"{count} {what}" for what, count in sorted(result.created.items()))
        self.stdout.write(f"Demo call '{call.slug}' ready ({created or 'nothing new: already seeded'}).")
        if screened:
            self.stdout.write(f"Screened {screened} demo applications.")
        if review_demo is not None:
            self.stdout.write(f"Review demo: {describe(review_demo)}.")
        if assigned:
            self.stdout.write(f"Assigned {assigned} reviews to the demo evaluators.")
        counts = Application.objects.filter(call=call).values_list("status")
        by_status = {}
        for (status,) in counts:
            by_status[status] = by_status.get(status, 0) + 1
        summary = ", ".join(f"{Status(status).label} {count}" for status, count in sorted(by_status.items()))
        self.stdout.write(f"Applications: {summary}.")
        from reviews.demo import seed_finished_call

        staff = User.objects.filter(email__in=intake_demo.EVALUATOR_EMAILS).order_by("email")
        finished = seed_finished_call(call.coordinators.order_by("pk").first(), staff)
        self.stdout.write(f"Closed demo call '{finished.slug}': every review done, selection final.")
        self.stdout.write("")
        self.stdout.write("Demo logins (fictitious demo data), password: " + intake_demo.DEMO_PASSWORD)
        for role, email in intake_demo.logins():
            self.stdout.write(f"  {role:<12} {email}")


def screen_planned_applications(call):
    """Screen, once, the applications the demo plans as in review or ineligible; returns how many."""
    decide = _reviews_service("decide_eligibility")
    coordinator = call.coordinators.order_by("pk").first()
    moved = 0
    for target in (Status.IN_REVIEW, Status.INELIGIBLE):
        pending = Application.objects.filter(
            call=call, organisation__name__in=intake_demo.planned_cities(target), status=Status.SUBMITTED
        ).select_related("call", "organisation")
        reason = INELIGIBLE_REASON if target == Status.INELIGIBLE else ""
        for application in pending:
            if decide is not None:
                from reviews.models import EligibilityScreening

                decision = (
                    EligibilityScreening.Decision.ELIGIBLE
                    if target == Status.IN_REVIEW
                    else EligibilityScreening.Decision.INELIGIBLE
                )
                decide(application, by=coordinator, decision=decision, reason=reason)
            else:
                with transaction.atomic():
                    application.transition_to(target, by=coordinator, note=reason)
                    audit.record(coordinator, f"application.{target}", application, after={"status": target})
            moved += 1
    return moved


def _reviews_service(name):
    try:
        from reviews import services
    except ImportError:
        return None
    return getattr(services, name, None)


# The demo evaluators' own countries (for the own-country conflict rule): none of the
# cities in review is in them.
EVALUATOR_COUNTRIES = ("FR", "BE", "IT")
EVALUATORS_PER_APPLICATION = 2


def assign_demo_evaluators(call):
    """Register the demo evaluators on the call and give each application in review two of them.

    Only pairs not assigned yet are assigned, so a second run adds nothing.
    """
    try:
        from reviews.demo import add_demo_evaluators
        from reviews.models import Assignment
        from reviews.services import assign_evaluator
    except ImportError:
        return 0
    evaluators = list(User.objects.filter(email__in=intake_demo.EVALUATOR_EMAILS).order_by("email"))
    add_demo_evaluators(call, evaluators, countries=EVALUATOR_COUNTRIES)
    coordinator = call.coordinators.order_by("pk").first()
    in_review = Application.objects.filter(call=call, status=Status.IN_REVIEW).order_by("number")
    assigned = 0
    for index, application in enumerate(in_review):
        for offset in range(EVALUATORS_PER_APPLICATION):
            evaluator = evaluators[(index + offset) % len(evaluators)]
            if not Assignment.objects.filter(application=application, evaluator=evaluator).exists():
                assign_evaluator(application, evaluator, by=coordinator)
                assigned += 1
    return assigned


def describe(result):
    """A line about what the reviews demo returned: its own words, or how many rows."""
    if isinstance(result, str):
        return result
    try:
        return f"{len(result)} {type(next(iter(result)))._meta.verbose_name_plural}"
    except (TypeError, StopIteration, AttributeError):
        return "ready"


def seed_review_demo(call):
    """The reviews app's own demo data (criteria, reviews, ...) when it provides one."""
    try:
        from reviews.demo import seed_review_demo as seed
    except ImportError:
        return None
    return seed(call)
