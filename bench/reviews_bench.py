"""Evaluation under load: calls with 3 reviews per application and 5 criteria.

The coordinator's pages are measured on calls of 50 and 250 applications (the issue's
targets are per page of that many rows); the evaluator's review page, the automatic
assignment (60 evaluators), the optimiser and the exports on calls of the harness's sizes
(500 and 5,000 applications by default, so 15,000 reviews at the top).

Applying an automatic assignment is a bulk job: it inserts every assignment and its audit
entry with one statement per table (as far as the database's parameter limit allows) and
queues one email per evaluator, so its queries grow with the evaluators (60 at every
size here), not with the applications.
"""

import datetime as dt
import random
import time
from decimal import Decimal
from functools import partial

from django.urls import reverse
from django.utils import timezone

from intake.models import Application, Call, Membership, Organisation, Status
from portal import roles
from portal.models import User
from reviews import aggregation, selection, services
from reviews.models import (
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    Criterion,
    NoConflictConfirmation,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)
from reviews.plan import candidates_of, propose_selection, selection_rules

from .measure import bench_project, expect_status, row, staff_client, timed

COUNTRIES = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]  # fmt: skip
WEIGHTS = (25, 20, 20, 20, 15)
EVALUATORS = 60
PAGE_SIZES = {50: 60, 250: 250}  # applications in the call -> target ms for its pages
BATCH = 1000


def build_call(size, *, seed=2026):
    """A closed call with ``size`` applications in review, each with 3 submitted reviews."""
    roles.ensure_groups()
    slug = f"bench-ranking-{size}"
    existing = Call.objects.filter(slug=slug).first()
    if existing:
        return existing
    now = timezone.now()
    call = Call.objects.create(
        project=bench_project(),
        slug=slug,
        reference_prefix="BR",
        title_en=f"Benchmark ranking call ({size})",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=10),
        places=11,
        reserve_size=5,
        max_per_country=1,
        is_published=True,
    )
    coordinator = User.objects.create(
        email=f"bench.coordinator.{size}@bench.example", full_name="Coordinator"
    )
    roles.grant(coordinator, roles.COORDINATOR)
    call.coordinators.add(coordinator)
    ReviewSettings.objects.create(call=call, min_distinct_countries=8)
    criteria = Criterion.objects.bulk_create(
        Criterion(
            call=call,
            order=i,
            name_en=f"Criterion {i}",
            weight=Decimal(weight),
            threshold=Decimal(2),
            tie_break_priority=i,
        )
        for i, weight in enumerate(WEIGHTS, start=1)
    )
    evaluators = User.objects.bulk_create(
        User(email=f"bench.evaluator.{size}.{n}@bench.example", full_name=f"Evaluator {n}", password="!")
        for n in range(EVALUATORS)
    )
    rng = random.Random(seed)
    for first in range(0, size, BATCH):
        last = min(size, first + BATCH)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Ranked city {size}-{n}", country=COUNTRIES[n % len(COUNTRIES)], kind="municipality"
            )
            for n in range(first, last)
        )
        members = User.objects.bulk_create(
            User(email=f"bench.member.{size}.{n}@bench.example", password="!") for n in range(first, last)
        )
        Membership.objects.bulk_create(
            Membership(organisation=o, user=u) for o, u in zip(organisations, members, strict=True)
        )
        applications = Application.objects.bulk_create(
            Application(
                call=call,
                organisation=organisation,
                status=Status.IN_REVIEW,
                number=n + 1,
                reference=f"BR{size}-{n + 1:05d}",
                submitted_at=call.closes_at - dt.timedelta(minutes=n),
                created_by=member,
            )
            for n, (organisation, member) in enumerate(zip(organisations, members, strict=True), start=first)
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                application=application,
                evaluator=evaluators[(index + k) % EVALUATORS],
                status=AssignmentStatus.DONE,
            )
            for index, application in enumerate(applications, start=first)
            for k in range(3)
        )
        reviews = Review.objects.bulk_create(
            Review(
                assignment=assignment,
                application_id=assignment.application_id,
                evaluator_id=assignment.evaluator_id,
                status=ReviewStatus.SUBMITTED,
                submitted_at=now,
                recommendation="recommend",
                overall_comment="A solid application with clear commitments.",
            )
            for assignment in assignments
        )
        Score.objects.bulk_create(
            (
                Score(review=review, criterion=criterion, value=Decimal(rng.randint(2, 10)) / 2, comment="")
                for review in reviews
                for criterion in criteria
            ),
            batch_size=5000,
        )
    return call


def build_unassigned_call(size):
    """A call with ``size`` applications in review, none assigned yet, and 60 evaluators."""
    slug = f"bench-assignment-{size}"
    existing = Call.objects.filter(slug=slug).first()
    if existing:
        Assignment.objects.filter(application__call=existing).delete()
        return existing
    now = timezone.now()
    call = Call.objects.create(
        project=bench_project(),
        slug=slug,
        reference_prefix="BA",
        title_en=f"Benchmark assignment call ({size})",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=10),
        is_published=True,
    )
    coordinator = User.objects.create(email=f"bench.assigner.{size}@bench.example", full_name="Coordinator")
    roles.grant(coordinator, roles.COORDINATOR)
    call.coordinators.add(coordinator)
    ReviewSettings.objects.create(call=call)
    evaluators = User.objects.bulk_create(
        User(email=f"bench.assignee.{size}.{n}@bench.example", full_name=f"Assignee {n}", password="!")
        for n in range(EVALUATORS)
    )
    CallEvaluator.objects.bulk_create(
        CallEvaluator(call=call, user=user, country=COUNTRIES[n % len(COUNTRIES)])
        for n, user in enumerate(evaluators)
    )
    for first in range(0, size, BATCH):
        last = min(size, first + BATCH)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Assigned city {size}-{n}", country=COUNTRIES[n % len(COUNTRIES)], kind="municipality"
            )
            for n in range(first, last)
        )
        Application.objects.bulk_create(
            Application(
                call=call,
                organisation=organisation,
                status=Status.IN_REVIEW,
                number=n + 1,
                reference=f"BA{size}-{n + 1:05d}",
                submitted_at=call.closes_at - dt.timedelta(minutes=n),
            )
            for n, organisation in enumerate(organisations, start=first)
        )
    return call


def evaluator_client(call):
    """An evaluator of ``call`` with "no conflict" confirmed on one application; its review page URL."""
    assignment = (
        Assignment.objects.filter(application__call=call).select_related("evaluator").order_by("pk").first()
    )
    roles.grant(assignment.evaluator, roles.EVALUATOR)
    NoConflictConfirmation.objects.get_or_create(
        evaluator=assignment.evaluator, application=assignment.application
    )
    client = staff_client(assignment.evaluator)
    return client, reverse("reviews:evaluator_application", args=[assignment.application_id])


def coordinator_client(call):
    return staff_client(call.coordinators.get())


def page(client, name, call):
    url = reverse(f"reviews:{name}", args=[call.slug])
    return lambda: client.get(url)


def run(*, database, sizes, repeat):
    rows = []

    def add(scenario, size, measured, target):
        median, p90, queries = measured
        rows.append(
            row(
                scenario,
                database=database,
                rows=size,
                median_ms=median,
                p90_ms=p90,
                queries=queries,
                target_ms=target,
            )
        )

    ok = expect_status(200)
    for size, target in PAGE_SIZES.items():
        call = build_call(size)
        client = coordinator_client(call)
        add("ranking page", size, timed(page(client, "ranking", call), repeat=repeat, check=ok), target)
        add(
            "coordinator's list",
            size,
            timed(page(client, "coordinator_applications", call), repeat=repeat, check=ok),
            target,
        )
        add("selection page", size, timed(page(client, "selection", call), repeat=repeat, check=ok), target)

    for size in sizes:
        call = build_call(size)
        client = coordinator_client(call)
        few = max(3, repeat // 4)
        candidates = candidates_of(aggregation.load_call_results(call))
        rules = selection_rules(call)
        add(
            "selection (optimiser)",
            size,
            timed(partial(selection.propose, candidates, rules), repeat=repeat),
            1000,
        )
        add(
            "ranking + selection (load, aggregate, optimise)",
            size,
            timed(partial(propose_selection, call), repeat=few),
            2000,
        )
        evaluator, review_url = evaluator_client(call)
        add(
            "evaluator's review page",
            size,
            timed(partial(evaluator.get, review_url), repeat=repeat, check=ok),
            40,
        )

        unassigned = build_unassigned_call(size)
        assigner = unassigned.coordinators.get()
        add(
            "automatic assignment: preview (60 evaluators)",
            size,
            timed(partial(services.propose_assignments, unassigned, seed=7), repeat=few),
            5000,
        )
        add(
            "automatic assignment: apply (60 evaluators)",
            size,
            timed(partial(services.apply_assignments, unassigned, seed=7, by=assigner), repeat=1, warmup=0),
            5000,
        )

        downloads = [
            ("CSV ranking", "ranking.csv", few, 2000),
            ("CSV reviews", "reviews.csv", few, 3000),
            ("XLSX workbook", "selection.xlsx", 3, 6000),
            ("PDF report", "report.pdf", 1, 30000),
        ]
        for scenario, name, times, target in downloads:
            url = reverse("reviews:export_download", args=[call.slug, name])
            measured = timed(partial(client.get, url), repeat=times, warmup=0 if times == 1 else 1, check=ok)
            add(scenario, size, measured, target)
    return rows


def main():
    """``python -m bench.reviews_bench``: a quick run on the configured database (no harness)."""
    import django

    django.setup()
    started = time.perf_counter()
    for entry in run(database="local", sizes=[500], repeat=5):
        print(entry)
    print(f"{time.perf_counter() - started:.1f} s")
