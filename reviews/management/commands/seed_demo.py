"""``manage.py seed_demo``: the fictitious PACTESUR 2 demo, safe to run again.

It lives in the reviews app because it seeds every app and imports flow
reviews -> intake: the intake part builds the open call, people, cities and
applications; the reviews part screens some of them, adds the evaluation criteria and
assignments, and builds a closed copy of the call run to its final selection.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from intake import demo as intake_demo
from intake.models import Application, Status
from portal.models import User
from reviews import demo, services
from reviews.models import Assignment, EligibilityScreening

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
        criteria = demo.seed_review_demo(call)
        assigned = assign_demo_evaluators(call)

        created = ", ".join(f"{count} {what}" for what, count in sorted(result.created.items()))
        self.stdout.write(f"Demo call '{call.slug}' ready ({created or 'nothing new: already seeded'}).")
        if screened:
            self.stdout.write(f"Screened {screened} demo applications.")
        self.stdout.write(f"Evaluation criteria: {len(criteria)}.")
        if assigned:
            self.stdout.write(f"Assigned {assigned} reviews to the demo evaluators.")
        by_status = Counter(Application.objects.filter(call=call).values_list("status", flat=True))
        summary = ", ".join(f"{Status(status).label} {count}" for status, count in sorted(by_status.items()))
        self.stdout.write(f"Applications: {summary}.")
        staff = User.objects.filter(email__in=intake_demo.EVALUATOR_EMAILS).order_by("email")
        finished = demo.seed_finished_call(call.coordinators.order_by("pk").first(), staff)
        self.stdout.write(f"Closed demo call '{finished.slug}': every review done, selection final.")
        self.stdout.write("")
        self.stdout.write("Demo logins (fictitious demo data), password: " + intake_demo.DEMO_PASSWORD)
        for role, email in intake_demo.logins():
            self.stdout.write(f"  {role:<12} {email}")
        experts = ", ".join(email for email, _name, _country in demo.FINISHED_EXPERTS)
        self.stdout.write(f"  {'experts':<12} {experts}  (closed call)")
        self.stdout.write(
            "Staff accounts also ask for a two-factor code; the demo's current one is printed by"
        )
        self.stdout.write(f"  .venv/bin/python manage.py demo_code {intake_demo.COORDINATOR_EMAIL}")


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
            call=call, organisation__name__in=intake_demo.planned_cities(target), status=Status.SUBMITTED
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
    evaluators = list(User.objects.filter(email__in=intake_demo.EVALUATOR_EMAILS).order_by("email"))
    demo.add_demo_evaluators(call, evaluators, countries=EVALUATOR_COUNTRIES)
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
