"""People's data: the call's people list, one person's export, an erasure, the retention pass.

A decided call of ``size`` applications, each with its city's member, four contact answers
and two others, two emails and four audit rows; three in four applications got no place.

- **people list**: the call's *People and their data* page (100 a page), as its coordinator.
- **person's export (call)**: one member's JSON export within the call.
- **erasure (call)**: a coordinator erases one member (the call's audit log is scanned).
- **erasure (administrator)**: an administrator erases one member (the whole audit log).
- **retention pass**: the daily task on the call, 25 months after its decision (once).
"""

import datetime as dt
import time
from functools import partial

import time_machine
from django.urls import reverse
from django.utils import timezone

from intake.models import (
    Answer,
    Application,
    Call,
    Membership,
    Organisation,
    Question,
    QuestionKind,
    Section,
    Status,
    outbox_scope,
)
from notifications.models import Message, MessageStatus
from portal.bulk import insert_rows
from portal.models import AuditEvent, User
from privacy import retention
from privacy.erasure import erase_person
from privacy.people import EVERYTHING, Scope
from reviews.models import ReviewSettings

from .measure import bench_project, expect_status, row, staff_client, timed

STATUSES = [Status.SELECTED, Status.NOT_SELECTED, Status.RESERVE, Status.WITHDRAWN]
QUESTIONS = [
    ("contact_name", QuestionKind.SHORT_TEXT, True),
    ("contact_role", QuestionKind.SHORT_TEXT, True),
    ("contact_email", QuestionKind.EMAIL, False),
    ("contact_phone", QuestionKind.PHONE, False),
    ("motivation", QuestionKind.LONG_TEXT, False),
    ("officers", QuestionKind.NUMBER, False),
]


def build_call(size):
    slug = f"bench-privacy-{size}"
    existing = Call.objects.filter(slug=slug).first()
    if existing:
        return existing
    now = timezone.now()
    call = Call.objects.create(
        project=bench_project(),
        slug=slug,
        reference_prefix="BP",
        title_en="Benchmark personal data call",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=30),
        is_published=True,
    )
    coordinator = User.objects.create_user(f"coordinator-{size}@bench.example", full_name="Bench Coordinator")
    call.coordinators.add(coordinator)
    section = Section.objects.create(call=call, order=1, title_en="Contact person")
    questions = [
        Question.objects.create(
            section=section, key=key, order=n, kind=kind, label_en=key, personal_data=flag
        )
        for n, (key, kind, flag) in enumerate(QUESTIONS)
    ]
    users = User.objects.bulk_create(
        User(email=f"member{n}-{size}@bench.example", full_name=f"Member Number{n} Bench")
        for n in range(size)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench City {n}", country="FR", kind="municipality") for n in range(size)
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user)
        for organisation, user in zip(organisations, users, strict=True)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            number=n + 1,
            reference=f"BP{size}-{n + 1:05d}",
            status=STATUSES[n % len(STATUSES)],
            submitted_at=now - dt.timedelta(days=31),
            created_by=user,
            submitted_by=user,
        )
        for n, (organisation, user) in enumerate(zip(organisations, users, strict=True))
    )
    Answer.objects.bulk_create(
        Answer(application=application, question=question, value=value, updated_by=user)
        for application, user in zip(applications, users, strict=True)
        for question, value in zip(
            questions,
            [
                user.full_name,
                "Head of police",
                user.email,
                "+33 1 00 00 00 00",
                f"{user.full_name} leads us.",
                120,
            ],
            strict=True,
        )
    )
    Message.objects.bulk_create(
        Message(
            kind="decision",
            scope=outbox_scope(call.pk),
            recipient=user,
            to_email=user.email,
            subject="Decision",
            body_text=f"Dear {user.full_name}",
            status=MessageStatus.SENT,
            idempotency_key=f"application:{application.pk}:{kind}:{user.pk}",
        )
        for application, user in zip(applications, users, strict=True)
        for kind in ("submitted", "decision")
    )
    insert_rows(
        AuditEvent,
        ["at", "actor", "action", "object_type", "object_id", "object_repr", "call_id", "after", "note"],
        [
            (
                now,
                user.pk,
                action,
                "intake.application",
                str(application.pk),
                application.reference,
                call.pk,
                after,
                "",
            )
            for application, user in zip(applications, users, strict=True)
            for action, after in (
                ("application.started", {"status": "draft"}),
                ("application.answers_saved", {"contact_name": 1}),
                ("application.submitted", {"status": "submitted"}),
                ("organisation.member_joined", {"user": user.email}),
            )
        ],
    )
    ReviewSettings.objects.create(call=call, finalised_at=now - dt.timedelta(days=1))
    return call


def coordinator_client(call):
    return staff_client(call.coordinators.get())


def run(*, database, sizes, repeat):
    rows = []

    def add(scenario, size, measured, target, queries=True):
        median, p90, count = measured
        rows.append(
            row(
                scenario,
                database=database,
                rows=size,
                median_ms=median,
                p90_ms=p90,
                queries=count if queries else None,
                target_ms=target,
            )
        )

    ok = expect_status(200)
    for size in sizes:
        call = build_call(size)
        client = coordinator_client(call)
        people = reverse("privacy:call_people", args=[call.slug])
        add("people list", size, timed(partial(client.get, people), repeat=repeat, check=ok), 200)
        members = list(
            User.objects.filter(email__startswith="member", email__endswith=f"-{size}@bench.example")[:3]
        )
        export = reverse("privacy:call_person_export", args=[call.slug, members[0].pk])
        add("person's export (call)", size, timed(partial(client.get, export), repeat=repeat, check=ok), 200)
        coordinator = call.coordinators.get()
        add(
            "erasure (call)",
            size,
            timed(partial(erase_person, members[1], Scope(call), by=coordinator), repeat=1, warmup=0),
            2000,
            queries=False,
        )
        admin = User.objects.create_superuser(f"admin-{size}-{time.time_ns()}@bench.example")
        add(
            "erasure (administrator)",
            size,
            timed(partial(erase_person, members[2], EVERYTHING, by=admin), repeat=1, warmup=0),
            10000,
            queries=False,
        )
        with time_machine.travel(timezone.now() + dt.timedelta(days=25 * 31), tick=True):
            add(
                "retention pass",
                size,
                timed(retention.anonymise_expired, repeat=1, warmup=0),
                30000,
                queries=False,
            )
    return rows


def main():
    """``python -m bench.privacy_bench``: a quick run on the configured database (no harness)."""
    import django

    django.setup()
    started = time.perf_counter()
    for entry in run(database="local", sizes=[500], repeat=5):
        print(entry)
    print(f"{time.perf_counter() - started:.1f} s")
