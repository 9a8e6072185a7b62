"""Decision letters: one letter's render time and memory, and a whole call's letters issued
end to end by a real Celery worker with two processes.

Targets on the 2-core reference machine: under 300 ms a letter, 200 letters under 60 s,
under 300 MB a worker process. The worker uses Redis (database 5 of BENCH_REDIS_URL,
default 127.0.0.1:6379) when it answers, else the embedded filesystem broker.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from intake.models import Application, Call, Organisation, Status
from notifications.models import IssuedDocument
from reviews import letters
from reviews.models import Decision, Outcome

from .measure import bench_project, row, timed

LETTERS = 200
WORKER_PROCESSES = 2
ONE_LETTER_TARGET_MS = 300
CALL_TARGET_MS = 60_000
WORKER_MEMORY_CAP_MB = 300
BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
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


def peak_rss_mb(pid="self"):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _redis_answers(url):
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _use_broker(url):
    from portal.celery import app

    app.conf.broker_url = url
    app.conf.broker_transport_options = {"visibility_timeout": 7200}
    app._pool = None
    app.amqp._producer_pool = None


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
    redis = _redis_answers(REDIS_URL)
    broker = REDIS_URL if redis else settings.CELERY_BROKER_URL
    if redis:
        import redis as redis_client

        redis_client.Redis.from_url(REDIS_URL).flushdb()
        _use_broker(REDIS_URL)
    env = {**os.environ, "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={WORKER_PROCESSES}",
            f"--hostname=bench-letters-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()
    log = []

    def read():
        for line in worker.stdout:
            log.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    peaks = {}
    try:
        if not ready.wait(60):
            raise RuntimeError("the benchmark's Celery worker did not start:\n" + "".join(log[-50:]))
        started = time.perf_counter()
        letters.issue_letters_for_call(call)
        deadline = started + 300
        while IssuedDocument.objects.filter(kind=letters.LETTER_KIND).count() < LETTERS:
            for child in _children(worker.pid):
                peaks[child] = max(peaks.get(child, 0.0), peak_rss_mb(child))
            if time.perf_counter() > deadline:
                raise RuntimeError("200 letters were not issued within 5 minutes:\n" + "".join(log[-50:]))
            time.sleep(0.1)
        elapsed_ms = (time.perf_counter() - started) * 1000
        for child in _children(worker.pid):
            peaks[child] = max(peaks.get(child, 0.0), peak_rss_mb(child))
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
    memory = max(peaks.values(), default=0.0)
    flag = "" if memory < WORKER_MEMORY_CAP_MB else f" — OVER {WORKER_MEMORY_CAP_MB} MB"
    transport = "Redis" if redis else "filesystem broker"
    return row(
        f"{LETTERS} letters issued by {WORKER_PROCESSES} worker processes, {transport} "
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
