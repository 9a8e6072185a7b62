"""Decision letters: one letter's render time and memory, and a whole call's letters issued
end to end by a real Celery worker with two processes.

Targets on the 2-core reference machine: under 300 ms a letter, 200 letters under 60 s,
under 300 MB a worker process. The worker uses Redis (database 5 of BENCH_REDIS_URL,
default 127.0.0.1:6379) when it answers, else the embedded filesystem broker.
"""

import datetime as dt
import time

from django.utils import timezone

from intake.models import Application, Call, Organisation, Status
from notifications.models import IssuedDocument
from reviews import letters
from reviews.models import Decision, Outcome

from .celery_worker import peak_rss_mb, running_worker
from .measure import bench_project, row, timed

LETTERS = 200
WORKER_PROCESSES = 2
ONE_LETTER_TARGET_MS = 300
CALL_TARGET_MS = 60_000
WORKER_MEMORY_CAP_MB = 300
COUNTRIES = ["FR", "ES", "IT", "BE", "DE", "PT", "NL", "AT", "PL", "SE"]
OUTCOMES = [Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED, Outcome.NOT_SELECTED]
STATUS = {
    Outcome.SELECTED: Status.SELECTED,
    Outcome.RESERVE: Status.RESERVE,
    Outcome.NOT_SELECTED: Status.NOT_SELECTED,
}


def build_call(size):
    """A decided call: ``size`` applications, each with its decision."""
    slug = f"bench-letters-{size}"
    existing = Call.objects.filter(slug=slug).first()
    if existing:
        return existing
    now = timezone.now()
    call = Call.objects.create(
        project=bench_project(),
        slug=slug,
        reference_prefix="BL",
        title_en="Benchmark letters call",
        title_fr="Appel de test des lettres",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=30),
        is_published=True,
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Benchmark City {n}",
            country=COUNTRIES[n % len(COUNTRIES)],
            kind="municipality",
            address=f"{n} Town Hall Square",
        )
        for n in range(size)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            number=n + 1,
            reference=f"BL-2026-{n + 1:04d}",
            status=STATUS[OUTCOMES[n % len(OUTCOMES)]],
            submitted_at=now - dt.timedelta(days=31),
        )
        for n, organisation in enumerate(organisations)
    )
    Decision.objects.bulk_create(
        Decision(
            application=application,
            outcome=OUTCOMES[n % len(OUTCOMES)],
            rank=n + 1,
            reserve_position=(n // len(OUTCOMES)) + 1
            if OUTCOMES[n % len(OUTCOMES)] == Outcome.RESERVE
            else None,
            reasons="The application scored below the threshold on two criteria.",
        )
        for n, application in enumerate(applications)
    )
    return call


def one_letter(database, repeat):
    call = build_call(LETTERS)
    decision = Decision.objects.filter(application__call=call, outcome=Outcome.SELECTED).select_related(
        "application__call", "application__organisation", "application__submitted_by"
    )[0]
    median, p90, queries = timed(lambda: letters.render_letter(decision), repeat=max(repeat, 10))
    memory = peak_rss_mb()
    flag = "" if memory < WORKER_MEMORY_CAP_MB else f" — OVER {WORKER_MEMORY_CAP_MB} MB"
    return row(
        f"one decision letter rendered (process peak {memory:.0f} MB{flag})",
        database=database,
        rows=1,
        median_ms=median,
        p90_ms=p90,
        queries=queries,
        target_ms=ONE_LETTER_TARGET_MS,
    )


def whole_call(database):
    """Issue every letter of a call through a real worker; time it and watch its memory."""
    call = build_call(LETTERS)
    IssuedDocument.objects.filter(kind=letters.LETTER_KIND).delete()
    with running_worker("bench-letters", concurrency=WORKER_PROCESSES) as worker:
        started = time.perf_counter()
        letters.issue_letters_for_call(call)
        deadline = started + 300
        while IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() < LETTERS:
            worker.watch()
            if time.perf_counter() > deadline:
                raise RuntimeError("200 letters were not issued within 5 minutes:\n" + worker.tail())
            time.sleep(0.1)
        elapsed_ms = (time.perf_counter() - started) * 1000
        worker.watch()
    memory = worker.peak_mb
    flag = "" if memory < WORKER_MEMORY_CAP_MB else f" — OVER {WORKER_MEMORY_CAP_MB} MB"
    return row(
        f"{LETTERS} letters issued by {WORKER_PROCESSES} worker processes, {worker.transport} "
        f"(peak {memory:.0f} MB a worker{flag})",
        database=database,
        rows=LETTERS,
        median_ms=elapsed_ms,
        p90_ms=elapsed_ms,
        queries=0,
        target_ms=CALL_TARGET_MS,
    )


def run(*, database, sizes=(), repeat=20):
    return [one_letter(database, repeat), whole_call(database)]
