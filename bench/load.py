"""The deadline rush, measured from outside: ``make bench ARGS="--only load"``.

gunicorn (4 workers) on PostgreSQL and Redis, two Celery workers, and Locust (headless)
playing 50 applicants and 10 evaluators for two minutes. Applicants log in, read the call,
start their application, save each step with pauses of 1–3 s, upload a 1–5 MB PDF and
submit; evaluators log in with their password and a TOTP code (computed by the load script
from the secrets this module gives their authenticators), open their assigned applications
and save and submit scores. They arrive over the first minute, as people do, not all in the
same second. Each virtual user connects from its own loopback address (127.0.0.x), and
``PORTAL_TRUSTED_PROXIES`` is left unset, so the per-address login limits see 60 people,
as they would in production, and stay as they are.

It prints requests, errors and p50/p95/p99 per page, then checks the database: every save
the portal acknowledged (a redirect after POST) is there, every acknowledged submission has
exactly one confirmation email, sent. Target: p95 under 300 ms over all requests, no error,
on the 2-core reference machine with nothing else running. Runs on the PostgreSQL pass only.

``BENCH_LOAD_APPLICANTS``, ``BENCH_LOAD_EVALUATORS``, ``BENCH_LOAD_DURATION`` (``2m``),
``BENCH_LOAD_ARRIVAL_SECONDS`` (60: how long until everyone is there; 1 for all at once),
``BENCH_LOAD_WEB_THREADS`` (1 thread per gunicorn worker) and ``BENCH_LOAD_REDIS_URL``
(``redis://127.0.0.1:6379/7``) change the scenario.
"""

import base64
import csv
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from intake.models import Answer, Application, Call, Membership, Organisation, Status
from notifications.models import Message, MessageStatus
from portal import roles
from portal.models import User
from reviews.models import (
    Assignment,
    CallEvaluator,
    Criterion,
    NoConflictConfirmation,
    Review,
    ReviewSettings,
)
from tests.intake import hostile_files

from . import data
from .measure import bench_project, row

APPLICANTS = int(os.environ.get("BENCH_LOAD_APPLICANTS", "50"))
EVALUATORS = int(os.environ.get("BENCH_LOAD_EVALUATORS", "10"))
DURATION = os.environ.get("BENCH_LOAD_DURATION", "2m")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/7")
ARRIVAL_SECONDS = float(os.environ.get("BENCH_LOAD_ARRIVAL_SECONDS", "60"))
WEB_THREADS = int(os.environ.get("BENCH_LOAD_WEB_THREADS", "1"))
WEB_WORKERS = 4
CELERY_WORKERS = 2
ASSIGNMENTS_EACH = 5
TARGET_P95_MS = 300
PASSWORD = "bench-load-password-2026"
BASE_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("load_locustfile.py")


# --- The data -------------------------------------------------------------------------------


def build_applicants(password_hash):
    """Verified applicants, each with a city of their own and no application yet."""
    roles.ensure_groups()
    people = []
    for n in range(APPLICANTS):
        email = f"applicant{n:03d}@load.bench.example"
        user = User.objects.create(email=email, full_name=f"Applicant {n}", password=password_hash)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        roles.grant(user, roles.APPLICANT)
        organisation = Organisation.objects.create(
            name=f"Load city {n:03d}", country=data.COUNTRIES[n % len(data.COUNTRIES)], kind="municipality"
        )
        Membership.objects.create(organisation=organisation, user=user)
        people.append({"email": email})
    return people


def totp_secret(n):
    """A fixed secret per evaluator, so the load script can compute their codes."""
    return base64.b32encode(f"load-bench-evaluator-{n:04d}"[:20].ljust(20, "x").encode()).decode()


def build_review_call(password_hash):
    """A closed call in review: 5 criteria, and 5 applications assigned to each evaluator."""
    now = timezone.now()
    call = Call.objects.create(
        project=bench_project(),
        slug="load-review",
        reference_prefix="LR",
        title_en="Load benchmark review call",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=5),
        is_published=True,
    )
    ReviewSettings.objects.create(call=call)
    Criterion.objects.bulk_create(
        Criterion(call=call, order=i, name_en=f"Criterion {i}", weight=Decimal(weight), tie_break_priority=i)
        for i, weight in enumerate((25, 20, 20, 20, 15), start=1)
    )
    evaluators = []
    for n in range(EVALUATORS):
        email = f"evaluator{n:02d}@load.bench.example"
        user = User.objects.create(email=email, full_name=f"Evaluator {n}", password=password_hash)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        roles.grant(user, roles.EVALUATOR)
        TOTP.activate(user, totp_secret(n))
        CallEvaluator.objects.create(call=call, user=user)
        evaluators.append((user, {"email": email, "secret": totp_secret(n), "applications": []}))
    for index in range(EVALUATORS * ASSIGNMENTS_EACH):
        organisation = Organisation.objects.create(
            name=f"Reviewed city {index:03d}", country=data.COUNTRIES[index % len(data.COUNTRIES)]
        )
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            status=Status.IN_REVIEW,
            number=index + 1,
            reference=f"LR-2026-{index + 1:04d}",
            submitted_at=call.closes_at - dt.timedelta(hours=index),
        )
        user, plan = evaluators[index % EVALUATORS]
        Assignment.objects.create(application=application, evaluator=user)
        NoConflictConfirmation.objects.create(application=application, evaluator=user)
        plan["applications"].append(application.pk)
    return [plan for _user, plan in evaluators]


def build_pdfs(folder):
    """Scans of 1 to 5 MB: one image of incompressible samples, as a scanner makes."""
    paths = []
    rng = random.Random(2026)
    for megabytes in range(1, 6):
        path = folder / f"scan-{megabytes}mb.pdf"
        path.write_bytes(hostile_files.pdf_with_image_holding(rng.randbytes(megabytes * 1_000_000 - 600)))
        paths.append(str(path))
    return paths


# --- The processes --------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def redis_answers(url):
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def cache_url(broker_url):
    parts = urlsplit(broker_url)
    database = int(parts.path.strip("/") or 0) + 1
    return f"rediscache://{parts.hostname}:{parts.port or 6379}/{database}"


class Process:
    """A server process of the scenario, its output kept for a failure report."""

    def __init__(self, name, command, env, ready=None):
        self.name = name
        self.log = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(  # noqa: S603 - our own command lines
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._marker = ready
        threading.Thread(target=self._read, daemon=True).start()
        if ready is None:
            self.ready.set()

    def _read(self):
        for line in self.process.stdout:
            self.log.append(line)
            if self._marker and self._marker in line:
                self.ready.set()

    def wait_ready(self, timeout=60):
        if not self.ready.wait(timeout):
            raise RuntimeError(f"{self.name} did not start:\n" + "".join(self.log[-40:]))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def server_env(port, queue):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_URL": cache_url(REDIS_URL),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PORTAL_VAR_DIR": str(settings.VAR_DIR),
        "PORTAL_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("PORTAL_TRUSTED_PROXIES", None)  # the client address is the connection's own
    return env


def start_servers(port, queue):
    env = server_env(port, queue)
    binary = Path(sys.executable).parent
    processes = [
        Process(
            "gunicorn",
            [
                str(binary / "gunicorn"),
                "portal.wsgi",
                f"--workers={WEB_WORKERS}",
                # One request at a time per process: on two cores, threads in one process
                # only take turns with the GIL and lengthen every request behind a slow one.
                f"--threads={WEB_THREADS}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=info",
            ],
            env,
            ready="Booting worker",
        )
    ]
    for n in range(CELERY_WORKERS):
        processes.append(
            Process(
                f"celery worker {n}",
                [
                    str(binary / "celery"),
                    "-A",
                    "portal",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    f"--queues={queue}",
                    f"--hostname=load-{n}-{os.getpid()}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                env,
                ready=" ready.",
            )
        )
    for process in processes:
        process.wait_ready()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return processes
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn does not answer:\n" + "".join(processes[0].log[-40:]))


def run_locust(port, plan_path, workdir):
    prefix = workdir / "locust"
    users = APPLICANTS + EVALUATORS
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={users / ARRIVAL_SECONDS:.2f}",
        f"--run-time={DURATION}",
        f"--host=http://127.0.0.1:{port}",
        f"--csv={prefix}",
        "--only-summary",
        "--loglevel=WARNING",
        "--stop-timeout=30",
    ]
    env = {**os.environ, "BENCH_LOAD_PLAN": str(plan_path)}
    print(f"   locust: {users} users arriving over {ARRIVAL_SECONDS:.0f} s, for {DURATION}", flush=True)
    completed = subprocess.run(command, cwd=BASE_DIR, env=env, check=False)  # noqa: S603
    if completed.returncode not in (0, 1):  # 1: some requests failed, reported below
        raise RuntimeError(f"locust exited with {completed.returncode}")
    with open(f"{prefix}_stats.csv") as handle:
        stats = list(csv.DictReader(handle))
    failures_file = Path(f"{prefix}_failures.csv")
    failures = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
    return stats, failures


# --- What the database holds afterwards -------------------------------------------------------


def wait_for_outbox(applications, timeout=180):
    deadline = time.monotonic() + timeout
    confirmations = Message.objects.filter(kind="submission_confirmation", scope__isnull=False)
    while time.monotonic() < deadline:
        waiting = confirmations.exclude(status__in=[MessageStatus.SENT, MessageStatus.FAILED]).count()
        if not waiting:
            return
        time.sleep(1)


def check_database(acks):
    """Every acknowledged save is in the database; every acknowledged submission has one
    confirmation email, sent. Returns a list of problems (empty when all is well)."""
    problems = []
    last_save = {}
    for ack in acks:
        if ack["kind"] == "save":
            last_save[(ack["application"], ack["step"])] = ack["marker"]
    answers = {}
    for answer in Answer.objects.filter(application_id__in={pk for pk, _step in last_save}):
        answers.setdefault(answer.application_id, []).append(json.dumps(answer.value))
    for (pk, step), marker in last_save.items():
        if not any(marker in value for value in answers.get(pk, [])):
            problems.append(f"application {pk}, step {step}: the acknowledged save {marker} is missing")
    submitted = [ack["application"] for ack in acks if ack["kind"] == "submit"]
    wait_for_outbox(submitted)
    for pk in submitted:
        application = Application.objects.get(pk=pk)
        if application.status != Status.SUBMITTED:
            problems.append(f"application {pk}: acknowledged as submitted, but {application.status}")
        emails = list(
            Message.objects.filter(
                kind="submission_confirmation", idempotency_key__startswith=f"application:{pk}:"
            ).values_list("status", flat=True)
        )
        if emails != [MessageStatus.SENT]:
            problems.append(f"application {pk}: confirmation emails {emails}, expected one sent")
    last_review = {}
    for ack in acks:
        if ack["kind"] == "review":
            last_review[(ack["evaluator"], ack["application"])] = ack["marker"]
    comments = {
        (email, pk): comment
        for email, pk, comment in Review.objects.values_list(
            "evaluator__email", "application_id", "overall_comment"
        )
    }
    for key, marker in last_review.items():
        if marker not in comments.get(key, ""):
            problems.append(f"review {key}: the acknowledged save {marker} is missing")
    return problems, len(last_save), len(submitted), len(last_review)


# --- The report -------------------------------------------------------------------------------


def _ms(value):
    return float(value) if value not in ("", "N/A", None) else 0.0


def print_table(stats):
    header = f"{'page':<22} {'requests':>8} {'errors':>6}" + "".join(
        f" {title:>7}" for title in ("p50 ms", "p95 ms", "p99 ms", "max ms")
    )
    print(header)
    print("-" * len(header))
    for entry in stats:
        name = entry["Name"] if entry["Name"] != "Aggregated" else "ALL"
        print(
            f"{name:<22} {entry['Request Count']:>8} {entry['Failure Count']:>6} "
            f"{_ms(entry['50%']):>7.0f} {_ms(entry['95%']):>7.0f} {_ms(entry['99%']):>7.0f} "
            f"{_ms(entry['Max Response Time']):>7.0f}"
        )


def run(*, database, sizes=(), repeat=0):
    if database != "PostgreSQL":
        return []  # gunicorn and Celery workers share one database: PostgreSQL only
    if not redis_answers(REDIS_URL):
        raise RuntimeError(f"the load scenario needs Redis at {REDIS_URL}")
    workdir = Path(settings.VAR_DIR) / "load"
    workdir.mkdir(parents=True, exist_ok=True)
    # One hash of the password, made with the portal's own (Django's default) hasher, for
    # every account: the server still checks it at full cost at each login.
    password_hash = make_password(PASSWORD)
    call = data.the_call()
    plan = {
        "password": PASSWORD,
        "call_url": f"/calls/{call.slug}/",
        "apply_url": f"/calls/{call.slug}/apply/",
        "applicants": build_applicants(password_hash),
        "evaluators": build_review_call(password_hash),
        "pdfs": build_pdfs(workdir),
        "acks_path": str(workdir / "acks.jsonl"),
    }
    plan_path = workdir / "plan.json"
    plan_path.write_text(json.dumps(plan))
    port = free_port()
    queue = f"load-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    processes = start_servers(port, queue)
    try:
        stats, failures = run_locust(port, plan_path, workdir)
        acks = [json.loads(line) for line in Path(plan["acks_path"]).read_text().splitlines() if line]
        problems, saves, submissions, reviews = check_database(acks)
    finally:
        for process in processes:
            process.stop()
        _forget_queue(queue)
    print()
    print(
        f"Load: {APPLICANTS} applicants and {EVALUATORS} evaluators, {DURATION}, load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores ({time.monotonic() - started:.0f} s in all)"
    )
    print_table(stats)
    for failure in failures[:10]:
        where = f"{failure.get('Method')} {failure.get('Name')}"
        print(f"   error: {where}: {failure.get('Error')} ×{failure.get('Occurrences')}")
    print(
        f"Database: {saves} acknowledged saves, {submissions} submissions, {reviews} reviews checked; "
        + ("all present, one confirmation each." if not problems else f"{len(problems)} PROBLEMS:")
    )
    for problem in problems[:20]:
        print(f"   {problem}")
    return [_row(entry, database) for entry in stats] + [
        row(
            f"load: database afterwards ({saves} saves, {submissions} submissions, {reviews} reviews, "
            f"{len(problems)} problems)",
            database=database,
            rows=APPLICANTS + EVALUATORS,
            median_ms=0,
            p90_ms=0,
            queries=None,
            target_ms=None,
        )
        | {"failed": bool(problems)}
    ]


def _row(entry, database):
    name = "all requests" if entry["Name"] == "Aggregated" else entry["Name"]
    result = row(
        f"load: {name} ({entry['Request Count']} requests, {entry['Failure Count']} errors, "
        f"p95 {_ms(entry['95%']):.0f} ms, p99 {_ms(entry['99%']):.0f} ms)",
        database=database,
        rows=APPLICANTS + EVALUATORS,
        median_ms=_ms(entry["50%"]),
        p90_ms=_ms(entry["90%"]),
        queries=None,
        target_ms=TARGET_P95_MS if entry["Name"] == "Aggregated" else None,
    )
    result["p95_ms"] = _ms(entry["95%"])
    result["errors"] = int(entry["Failure Count"])
    return result


def _forget_queue(queue):
    import redis  # startup: the client is needed only here

    redis.Redis.from_url(REDIS_URL).delete(queue)
