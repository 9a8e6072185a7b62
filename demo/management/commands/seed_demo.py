"""``manage.py seed_demo``: the fictitious PACTESUR 2 demo, safe to run again.

The open call (people, cities, applications in every state before the decision), its
evaluation (criteria, screening, assignments), then a closed copy of the call run to its
final selection. Everything goes through the same service functions as real use.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from demo.accounts import logins
from demo.data.finished import FINISHED_EXPERTS
from demo.data.people import COORDINATOR_EMAIL, DEMO_PASSWORD, EVALUATOR_EMAILS
from demo.evaluation import assign_demo_evaluators, screen_planned_applications, seed_review_demo
from demo.finished_call import seed_finished_call
from demo.open_call import seed_intake_demo
from demo.partners import seed_partners_demo
from intake.models import Application, Status
from portal.models import User


class Command(BaseCommand):
    help = "Create the fictitious PACTESUR 2 demo call, its staff and candidate cities (idempotent)."

    def handle(self, *args, **options):
        result = seed_intake_demo()
        call = result.call
        screened = screen_planned_applications(call)
        criteria = seed_review_demo(call)
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
        staff = User.objects.filter(email__in=EVALUATOR_EMAILS).order_by("email")
        finished = seed_finished_call(call.coordinators.order_by("pk").first(), staff)
        self.stdout.write(f"Closed demo call '{finished.slug}': every review done, selection final.")
        partners = seed_partners_demo(finished, call.coordinators.order_by("pk").first())
        self.stdout.write(
            f"Project '{finished.project.slug}': {len(partners)} associated partners, onboarding under way."
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (fictitious demo data), password: " + DEMO_PASSWORD)
        for role, email in logins():
            self.stdout.write(f"  {role:<12} {email}")
        experts = ", ".join(email for email, _name, _country in FINISHED_EXPERTS)
        self.stdout.write(f"  {'experts':<12} {experts}  (closed call)")
        self.stdout.write(
            "Staff accounts also ask for a two-factor code; the demo's current one is printed by"
        )
        self.stdout.write(f"  .venv/bin/python manage.py demo_code {COORDINATOR_EMAIL}")
