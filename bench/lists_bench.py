"""The coordinator's long lists at 250, 5,000 and 50,000 applications, and the review page.

Each call has its applications in review with 3 submitted reviews on 5 criteria
(``reviews_bench.build_call``) and as many emails in its outbox. Measured: the first page
of the ranking (the stored ranking, reviews/snapshot.py, read 50 rows at a time), a page
deep inside it (after the 80th percentile of the ranking, by the rank in the URL), the
selection page, the dashboard, the ranking sheet of a city half-way down and the
sensitivity to the weights (all four read the stored ranking too), the coordinator's
applications list and its last page, the eligibility list and the outbox, each as the
coordinator's browser asks for it; and the evaluator's review page. The ranking is stored
before the pages are read, as the worker does for a large call (``stored ranking:
rebuild`` times it on its own; above 2,000 applications it includes the sensitivity to
the weights).

The sizes are fixed (the harness's ``--sizes`` apply to the other modules). On SQLite the
database built for 50,000 applications is kept under var/bench-cache/ (keyed by the
migrations and this module's data version) and copied in the next time, so a second run
does not spend its minutes building it again.
"""

import hashlib
import shutil
import statistics
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone

from intake.models import Application, Call
from notifications.models import Message, MessageStatus
from reviews import snapshot
from reviews.models import RankingEntry, RankingSnapshot

from . import measure
from .measure import expect_status, row
from .reviews_bench import build_call, coordinator_client, evaluator_client

SIZES = (250, 5000, 50000)
TARGET_MS = 200
REVIEW_PAGE_TARGET_MS = 12
DATA_VERSION = "1"
BATCH = 5000


def build_outbox(call, size):
    """``size`` emails of the call, as its decisions and receipts leave them."""
    scope = f"call:{call.pk}"
    if Message.objects.filter(scope=scope).exists():
        return
    now = timezone.now()
    statuses = [MessageStatus.SENT, MessageStatus.SENT, MessageStatus.SENT, MessageStatus.FAILED]
    for first in range(0, size, BATCH):
        Message.objects.bulk_create(
            Message(
                kind="decision" if n % 2 else "receipt",
                scope=scope,
                to_email=f"city{n}@bench.example",
                subject=f"Your application {n}",
                body_text="The decision of the call.",
                status=statuses[n % len(statuses)],
                idempotency_key=f"bench-{call.pk}-{n}",
                sent_at=now,
            )
            for n in range(first, min(size, first + BATCH))
        )


def cache_file():
    applied = sorted(MigrationRecorder.Migration.objects.values_list("app", "name"))
    key = hashlib.sha256(repr((applied, DATA_VERSION, SIZES)).encode()).hexdigest()[:16]
    return Path(settings.BASE_DIR) / "var" / "bench-cache" / f"lists-{key}.sqlite3"


def restore_or_build():
    """Every call of SIZES with its outbox; on SQLite from the cache when it has them."""
    sqlite = connection.vendor == "sqlite"
    cached = cache_file() if sqlite else None
    if cached is not None and cached.exists():
        database = connection.settings_dict["NAME"]
        connection.close()
        shutil.copyfile(cached, database)
    for size in SIZES:
        build_outbox(build_call(size), size)
    if cached is not None and not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(cached)])


def middle_of_ranking(call):
    """The application at the middle rank of the call's stored ranking."""
    stored = snapshot.current(call)
    position = max(1, stored.summary.get("ranked", 0) // 2)
    return RankingEntry.objects.get(snapshot=stored, position=position).application_id


def timed(action, *, repeat, warmup=2, check=None):
    """``measure.timed`` and the median CPU time of the process over the same runs.

    On a machine shared with other work the elapsed time grows with the load; the CPU time
    of a request (SQLite runs in the process) much less, so both are printed.
    """
    cpu = []

    def counted():
        start = time.process_time()
        response = action()
        cpu.append((time.process_time() - start) * 1000)
        return response

    measured = measure.timed(counted, repeat=repeat, warmup=warmup, check=check)
    return measured, statistics.median(cpu[warmup:] or cpu)


def run(*, database, sizes, repeat):
    started = time.perf_counter()
    restore_or_build()
    built = time.perf_counter() - started
    print(f"   data ready in {built:.0f} s", flush=True)
    rows = []
    ok = expect_status(200)

    def add(scenario, size, measured, target=TARGET_MS, *, counted=True):
        (median, p90, queries), cpu_ms = measured
        queries = queries if counted else None
        entry = row(
            scenario,
            database=database,
            rows=size,
            median_ms=median,
            p90_ms=p90,
            queries=queries,
            target_ms=target,
        )
        entry["cpu_ms"] = round(cpu_ms, 1)
        rows.append(entry)
        print(
            f"   {scenario}, {size:,}: median {median:.1f} ms, CPU {cpu_ms:.1f} ms, {queries} queries",
            flush=True,
        )

    for size in SIZES:
        call = Call.objects.get(slug=f"bench-ranking-{size}")
        if not RankingSnapshot.objects.filter(call=call, built_version__gt=0).exists():
            snapshot.build(call)  # a worker's job above 2,000 applications: done before the pages
        client = coordinator_client(call)
        ranking = reverse("reviews:ranking", args=[call.slug])
        add("ranking page", size, timed(partial(client.get, ranking), repeat=repeat, check=ok))
        deep = int(size * 0.8)
        add(
            "ranking page, deep (after rank 80 %)",
            size,
            timed(partial(client.get, ranking, {"after": f"{deep}~{deep}"}), repeat=repeat, check=ok),
        )
        add(
            "ranking page, one country",
            size,
            timed(partial(client.get, ranking, {"country": "IT"}), repeat=repeat, check=ok),
        )
        for scenario, name in (
            ("selection page", "reviews:selection"),
            ("dashboard", "reviews:call_dashboard"),
        ):
            page_url = reverse(name, args=[call.slug])
            add(scenario, size, timed(partial(client.get, page_url), repeat=repeat, check=ok))
        sheet = reverse("reviews:ranking_sheet", args=[call.slug, middle_of_ranking(call)])
        add(
            "ranking sheet (a city half-way down)",
            size,
            timed(partial(client.get, sheet), repeat=repeat, check=ok),
        )
        sensitivity = reverse("reviews:sensitivity", args=[call.slug])
        add(
            "sensitivity to the weights (stored)",
            size,
            timed(partial(client.get, sensitivity), repeat=repeat, check=ok),
        )
        listing = reverse("reviews:coordinator_applications", args=[call.slug])
        add("applications list", size, timed(partial(client.get, listing), repeat=repeat, check=ok))
        add(
            "applications list, last page by city",
            size,
            timed(partial(client.get, listing, {"sort": "city", "last": "1"}), repeat=repeat, check=ok),
        )
        screening = reverse("reviews:screening_list", args=[call.slug])
        add("eligibility list", size, timed(partial(client.get, screening), repeat=repeat, check=ok))
        outbox = reverse("notifications:outbox")
        add(
            "outbox (the call's scope)",
            size,
            timed(partial(client.get, outbox, {"scope": f"call:{call.pk}"}), repeat=repeat, check=ok),
        )
        add(
            "stored ranking: rebuild",
            size,
            timed(partial(snapshot.build, call), repeat=1 if size > 5000 else 3, warmup=0),
            target=None,
            counted=False,  # its inserts go by batches of rows
        )
        evaluator, review_url = evaluator_client(call)
        add(
            "evaluator's review page",
            size,
            timed(partial(evaluator.get, review_url), repeat=repeat, check=ok),
            target=REVIEW_PAGE_TARGET_MS,
        )
        assert Application.objects.filter(call=call).count() == size
    return rows
