"""The partnership under load: the coordinator's pages, the participation export, and the
certificates of a large activity issued by a real Celery worker.

Two projects: PACTESUR 2's own size (11 partners, 20 activities, 400 participants) and a
much larger one (500 partners, 200 activities, 20,000 participants), built with
bulk_create. Each page is timed through Django's test client as a logged-in coordinator
(with the authenticator staff must have) against 150 ms median, and its queries must not
grow from one project to the other; the XLSX of 20,000 participants against 5 s; 400
certificates rendered and attached by 2 worker processes against 2 minutes.
"""

import datetime as dt
import time
from functools import partial

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from intake.models import Membership, Organisation, Project
from notifications.models import IssuedDocument, Message, MessageStatus
from partners import documents, services
from partners.models import (
    Activity,
    ActivityKind,
    Attendance,
    ChecklistItem,
    ChecklistProgress,
    Gender,
    ItemKind,
    ItemState,
    Participant,
    ParticipantCategory,
    ParticipantStatus,
    Partner,
)
from portal import roles
from portal.models import User

from .celery_worker import running_worker
from .measure import expect_status, row, staff_client, timed

SCALES = ((11, 20, 400), (500, 200, 20_000))  # partners, activities, participants
PAGE_TARGET_MS = 150
XLSX_TARGET_MS = 5_000
CERTIFICATES = 400
WORKER_PROCESSES = 2
CERTIFICATES_TARGET_MS = 120_000
COUNTRIES = ["IT", "PL", "ES", "NL", "PT", "DE", "SI", "AT", "FR", "LT", "GR", "BE", "SE", "FI", "IE"]
STATUSES = [ParticipantStatus.CONFIRMED] * 6 + [
    ParticipantStatus.NOMINATED,
    ParticipantStatus.WAITLISTED,
    ParticipantStatus.REFUSED,
    ParticipantStatus.WITHDRAWN,
]
CATEGORIES = list(ParticipantCategory.values)
GENDERS = [*Gender.values, ""]
BATCH = 2000


def build_project(partners, activities, participants, *, slug=None):
    """A project with its partners, checklist, programme and participants (some attended)."""
    roles.ensure_groups()
    slug = slug or f"bench-partners-{partners}"
    existing = Project.objects.filter(slug=slug).first()
    if existing:
        return existing
    now = timezone.now()
    project = Project.objects.create(
        slug=slug,
        acronym=f"BP{partners}",
        title_en=f"Benchmark partnership ({partners} partners)",
        starts_on=now.date() - dt.timedelta(days=365),
        ends_on=now.date() + dt.timedelta(days=365),
        is_public=True,
    )
    coordinator = User.objects.create(email=f"bench.partners.{slug}@bench.example", full_name="Coordinator")
    roles.grant(coordinator, roles.COORDINATOR)
    project.coordinators.add(coordinator)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Partner city {n:04d}", country=COUNTRIES[n % len(COUNTRIES)], kind="municipality")
        for n in range(partners)
    )
    members = User.objects.bulk_create(
        User(email=f"bench.partner.{slug}.{n}@bench.example", full_name=f"Member {n}", password="!")
        for n in range(partners)
    )
    Membership.objects.bulk_create(
        Membership(organisation=o, user=u) for o, u in zip(organisations, members, strict=True)
    )
    partner_rows = Partner.objects.bulk_create(
        Partner(
            project=project,
            organisation=organisation,
            city=organisation.name,
            privacy_notice_version=settings.PARTICIPANT_PRIVACY_NOTICE_VERSION,
            privacy_accepted_at=now,
            public_consent=n % 3 != 0,
            public_consent_at=now,
        )
        for n, organisation in enumerate(organisations)
    )
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(project=project, order=order, kind=kind, title_en=str(kind.label))
        for order, kind in enumerate(ItemKind, start=1)
    )
    ChecklistProgress.objects.bulk_create(
        (
            ChecklistProgress(partner=partner, item=item, state=ItemState.DONE)
            for n, partner in enumerate(partner_rows)
            for item in items[: n % (len(items) + 1)]
        ),
        batch_size=BATCH,
    )
    first_day = now + dt.timedelta(days=30)
    programme = Activity.objects.bulk_create(
        Activity(
            project=project,
            kind=list(ActivityKind.values)[n % len(ActivityKind.values)],
            title_en=f"Activity {n + 1:03d} of the programme",
            title_fr=f"Activité {n + 1:03d} du programme",
            host_city="Nice",
            country="FR",
            timezone="Europe/Paris",
            starts_at=first_day + dt.timedelta(days=3 * n),
            ends_at=first_day + dt.timedelta(days=3 * n + 1, hours=8),
            registration_deadline=first_day + dt.timedelta(days=3 * n - 14),
            seats_per_partner=200,
            seats_total=30_000,
        )
        for n in range(activities)
    )
    for first in range(0, participants, BATCH):
        rows = Participant.objects.bulk_create(
            Participant(
                partner=partner_rows[n % partners],
                activity=programme[(n // partners) % activities],
                status=STATUSES[n % len(STATUSES)],
                name=f"Participant {n:05d}",
                role="Inspector",
                unit="Events unit",
                email=f"participant{n}@{slug}.bench.example",
                category=CATEGORIES[n % len(CATEGORIES)],
                gender=GENDERS[n % len(GENDERS)],
                nominated_by=members[n % partners],
                needs_travel=n % 2 == 0,
            )
            for n in range(first, min(participants, first + BATCH))
        )
        Attendance.objects.bulk_create(
            Attendance(participant=p, day=p.activity.local(p.activity.starts_at).date())
            for n, p in enumerate(rows, start=first)
            if p.status == ParticipantStatus.CONFIRMED and n % 3
        )
    analyse()
    return project


def analyse():
    """Fresh statistics for the planner, as autovacuum keeps them in a running database: a
    table bulk-loaded a second ago would otherwise be planned as if it were empty."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def busiest_activity(project):
    return (
        Activity.objects.filter(project=project)
        .with_seat_counts()
        .order_by("-seats_confirmed", "-seats_nominated", "pk")
        .first()
    )


def build_certificate_activity(project, attendees):
    """An activity of ``project`` with ``attendees`` confirmed participants, each there a day."""
    title = f"Certificates benchmark ({attendees})"
    activity = Activity.objects.filter(project=project, title_en=title).first()
    if activity:
        return activity
    now = timezone.now()
    activity = Activity.objects.create(
        project=project,
        kind=ActivityKind.POLICE_ACADEMY,
        title_en=title,
        title_fr=f"Banc d'essai des attestations ({attendees})",
        host_city="Turin",
        country="IT",
        timezone="Europe/Rome",
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=1),
        registration_deadline=now - dt.timedelta(days=20),
        seats_per_partner=1000,
        seats_total=10_000,
    )
    partners = list(Partner.objects.filter(project=project).order_by("pk"))
    people = Participant.objects.bulk_create(
        Participant(
            partner=partners[n % len(partners)],
            activity=activity,
            status=ParticipantStatus.CONFIRMED,
            name=f"Attendee {n:04d}",
            role="Inspector",
            email=f"attendee{n}@certificates.bench.example",
            language="fr" if n % 2 else "en",
            category=ParticipantCategory.POLICE_OFFICER,
        )
        for n in range(attendees)
    )
    days = activity.days()
    Attendance.objects.bulk_create(
        Attendance(participant=person, day=day) for person in people for day in days[: 1 + person.pk % 3]
    )
    analyse()
    return activity


def certificates_by_worker(database):
    """Send the certificates of 400 attendees; a real worker renders each PDF and brings it to
    its waiting email. Timed until every certificate is issued and every email has left."""
    project = build_project(*SCALES[0])
    activity = build_certificate_activity(project, CERTIFICATES)
    coordinator = project.coordinators.get()
    IssuedDocument.objects.filter(kind=documents.CERTIFICATE_KIND).delete()
    Message.objects.filter(kind="attendance_certificate").delete()
    with running_worker("bench-certificates", concurrency=WORKER_PROCESSES) as worker:
        started = time.perf_counter()
        queued = services.issue_certificates(activity, by=coordinator)
        deadline = started + 600
        issued_at = None
        while True:
            worker.watch()
            if issued_at is None and (
                IssuedDocument.objects.filter(kind=documents.CERTIFICATE_KIND).count() >= queued
            ):
                issued_at = time.perf_counter()
            sent = Message.objects.filter(kind="attendance_certificate", status=MessageStatus.SENT).count()
            if issued_at is not None and sent >= queued:
                break
            if time.perf_counter() > deadline:
                raise RuntimeError(
                    f"{queued} certificates were not issued and sent within 10 minutes:\n" + worker.tail()
                )
            time.sleep(0.2)
        sent_at = time.perf_counter()
        worker.watch()
    return [
        row(
            f"{queued} certificates rendered by {WORKER_PROCESSES} worker processes, {worker.transport} "
            f"(peak {worker.peak_mb:.0f} MB a worker)",
            database=database,
            rows=queued,
            median_ms=(issued_at - started) * 1000,
            p90_ms=(issued_at - started) * 1000,
            queries=None,
            target_ms=CERTIFICATES_TARGET_MS,
        ),
        row(
            f"... and their {queued} emails sent with the PDF attached",
            database=database,
            rows=queued,
            median_ms=(sent_at - started) * 1000,
            p90_ms=(sent_at - started) * 1000,
            queries=None,
            target_ms=CERTIFICATES_TARGET_MS,
        ),
    ]


def run(*, database, sizes=(), repeat=20):
    """``sizes`` (the harness's numbers of applications) do not apply: the scales are fixed."""
    rows = []
    ok = expect_status(200)

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

    for partners, activities, participants in SCALES:
        project = build_project(partners, activities, participants)
        client = staff_client(project.coordinators.get())
        busiest = busiest_activity(project)
        second_city = Partner.objects.filter(project=project).order_by("pk")[1]
        pages = [
            ("participation matrix", reverse("partners:participation", args=[project.slug])),
            (
                "participation matrix, one country, later activities",
                reverse("partners:participation", args=[project.slug]) + "?country=IT&columns=2",
            ),
            (
                "activity participant list (busiest activity)",
                reverse("partners:activity_participants", args=[project.slug, busiest.pk]),
            ),
            (
                "activity participant list, confirmed of one city",
                reverse("partners:activity_participants", args=[project.slug, busiest.pk])
                + f"?status=confirmed&partner={second_city.pk}",
            ),
            ("onboarding matrix", reverse("partners:project_home", args=[project.slug])),
            ("activities", reverse("partners:activities", args=[project.slug])),
        ]
        for scenario, url in pages:
            measured = timed(partial(client.get, url), repeat=repeat, check=ok)
            add(scenario, participants, measured, PAGE_TARGET_MS)
        export = reverse("partners:participation_export", args=[project.slug, "xlsx"])
        few = max(3, repeat // 5)
        add(
            "participation XLSX (participants and matrix)",
            participants,
            timed(partial(client.get, export), repeat=few, warmup=1, check=ok),
            XLSX_TARGET_MS,
        )
    rows += certificates_by_worker(database)
    return rows
